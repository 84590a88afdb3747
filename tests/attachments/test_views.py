"""The download view: only through a permission check, always as an attachment, never a page."""

from pathlib import Path

import pytest
from django.urls import reverse

from attachments.permissions import register_owner_check, unregister_owner_check
from attachments.services import file_store
from tests.attachments import files
from tests.attachments.conftest import upload
from tests.factories import SuperuserFactory, UserFactory
from tests.otp import force_login_verified

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def stored(owner):
    return file_store(
        uploaded_file=upload("Budsjett «2027» æøå.pdf", files.pdf_bytes()), allowed=["pdf"], max_bytes=MB, by_user=owner
    )


def test_the_uploader_gets_the_file_as_an_attachment_with_exact_headers(client, owner, stored):
    client.force_login(owner)
    response = client.get(reverse("file-download", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.pdf_bytes()
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Budsjett%20%C2%AB2027%C2%BB%20%C3%A6%C3%B8%C3%A5.pdf"
    )
    assert response["Content-Length"] == str(len(files.pdf_bytes()))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_the_type_comes_from_the_detected_kind_not_the_upload(client, owner):
    uploaded = upload("logo.png", files.png_bytes())
    uploaded.content_type = "text/html"
    stored = file_store(uploaded_file=uploaded, allowed=["png"], max_bytes=MB, by_user=owner)
    client.force_login(owner)
    response = client.get(reverse("file-download", args=[stored.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="logo.png"'


def test_someone_else_gets_404_and_the_uploader_200_for_the_same_url(client, owner, stored):
    url = reverse("file-download", args=[stored.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert client.get(url).status_code == 200


def test_a_superuser_needs_a_verified_session(client, stored):
    url = reverse("file-download", args=[stored.pk])
    admin = SuperuserFactory()
    client.force_login(admin)
    assert client.get(url).status_code == 404  # a superuser without the code step is nobody special here
    force_login_verified(client, admin)
    assert client.get(url).status_code == 200


def test_anonymous_is_sent_to_log_in(client, stored):
    url = reverse("file-download", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_an_unknown_id_is_404(client, owner):
    client.force_login(owner)
    assert client.get(reverse("file-download", args=["00000000-0000-0000-0000-000000000000"])).status_code == 404


def test_a_row_whose_file_is_gone_is_404(client, owner, stored, private_dir):
    (private_dir / stored.storage_name).unlink()
    client.force_login(owner)
    assert client.get(reverse("file-download", args=[stored.pk])).status_code == 404


def test_post_is_not_allowed(client, owner, stored):
    client.force_login(owner)
    assert client.post(reverse("file-download", args=[stored.pk])).status_code == 405


def test_an_owner_check_decides_for_the_files_it_claims(client, owner, stored):
    colleague, stranger = UserFactory(), UserFactory()

    def application_members(user, stored_file):
        if stored_file.pk != stored.pk:
            return None
        return user == colleague

    url = reverse("file-download", args=[stored.pk])
    register_owner_check(application_members)
    try:
        client.force_login(stranger)
        assert client.get(url).status_code == 404
        client.force_login(colleague)
        assert client.get(url).status_code == 200
        client.force_login(owner)  # once the file belongs to an application, the application decides
        assert client.get(url).status_code == 404
    finally:
        unregister_owner_check(application_members)


def test_the_file_is_not_reachable_under_static_or_media_urls(client, owner, stored, settings, private_dir):
    client.force_login(owner)
    name = stored.storage_name
    for url in [
        f"/static/{name}",
        f"/media/{name}",
        f"/media/private/{name}",
        f"/private/{name}",
        f"/var/private/{name}",
        f"/{settings.STATIC_URL.strip('/')}/../private/{name}",
    ]:
        assert client.get(url).status_code == 404, url
    assert not private_dir.resolve().is_relative_to(Path(str(settings.STATIC_ROOT)).resolve())
    assert not private_dir.resolve().is_relative_to(Path(str(settings.MEDIA_ROOT)).resolve())


def test_the_configured_private_root_is_outside_every_served_directory():
    from portal import settings as project

    private = Path(str(project.PRIVATE_MEDIA_ROOT)).resolve()
    for served in [project.STATIC_ROOT, project.MEDIA_ROOT, project.BASE_DIR / "static"]:
        assert not private.is_relative_to(Path(str(served)).resolve())
    assert project.STORAGES["private"]["OPTIONS"]["location"] == str(project.PRIVATE_MEDIA_ROOT)


def test_download_has_a_pinned_query_count(client, owner, stored, django_assert_max_num_queries):
    client.force_login(owner)
    url = reverse("file-download", args=[stored.pk])
    # session, user, file; the owner checks (applications: the applications holding the file;
    # review: the person's staff roles); the session's save (in a savepoint)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
