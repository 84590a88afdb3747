import hashlib

import pytest
from django.db import IntegrityError, transaction

from attachments.errors import UploadRejected
from attachments.models import StoredFile
from attachments.services import file_delete, file_store
from attachments.storage import private_storage
from tests.attachments import files
from tests.attachments.conftest import files_in, upload
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def test_a_valid_file_is_written_under_a_generated_name_and_recorded(private_dir):
    user = UserFactory()
    content = files.pdf_bytes()
    stored = file_store(
        uploaded_file=upload("../../Søknad ås.pdf", content), allowed=["pdf"], max_bytes=MB, by_user=user
    )
    stored.refresh_from_db()
    hex_id = stored.pk.hex
    assert stored.storage_name == f"{hex_id[:2]}/{hex_id[2:4]}/{hex_id}"
    assert (stored.display_name, stored.kind, stored.content_type) == ("Søknad ås.pdf", "pdf", "application/pdf")
    assert (stored.size, stored.sha256, stored.uploaded_by) == (len(content), hashlib.sha256(content).hexdigest(), user)
    [path] = files_in(private_dir)
    assert path == private_dir / stored.storage_name
    assert path.read_bytes() == content


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("logo.pdf", files.png_bytes(), "content_mismatch"),
        ("tom.pdf", b"", "empty"),
        ("stor.pdf", files.pdf_bytes(body=b"%" + b"x" * MB + b"\n"), "too_large"),
        ("x.pdf.html", files.pdf_bytes(), "extension_not_allowed"),
        ("faktura.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF", "content_mismatch"),
    ],
)
def test_a_rejected_file_writes_nothing(private_dir, name, content, code):
    with pytest.raises(UploadRejected) as caught:
        file_store(uploaded_file=upload(name, content), allowed=["pdf"], max_bytes=MB, by_user=UserFactory())
    assert caught.value.code == code
    assert files_in(private_dir) == []
    assert not StoredFile.objects.exists()


def test_if_the_row_cannot_be_saved_the_written_file_is_deleted(private_dir, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(StoredFile, "save", fail)
    with pytest.raises(IntegrityError):
        file_store(uploaded_file=upload("a.pdf", files.pdf_bytes()), allowed=["pdf"], max_bytes=MB, by_user=None)
    assert files_in(private_dir) == []
    assert not StoredFile.objects.exists()


def test_delete_removes_the_row_and_the_file_after_commit(private_dir, django_capture_on_commit_callbacks):
    stored = file_store(uploaded_file=upload("a.png", files.png_bytes()), allowed=["png"], max_bytes=MB, by_user=None)
    with django_capture_on_commit_callbacks(execute=True):
        file_delete(stored_file=stored)
    assert files_in(private_dir) == []
    assert not StoredFile.objects.exists()


def test_a_delete_that_rolls_back_keeps_the_file(private_dir, django_capture_on_commit_callbacks):
    stored = file_store(uploaded_file=upload("a.png", files.png_bytes()), allowed=["png"], max_bytes=MB, by_user=None)
    pk, name = stored.pk, stored.storage_name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        file_delete(stored_file=stored)
        raise RuntimeError("the caller's transaction fails")
    assert StoredFile.objects.filter(pk=pk).exists()
    assert private_storage().exists(name)


def test_private_files_have_no_url():
    with pytest.raises(NotImplementedError):
        private_storage().url("ab/cd/abcd")
