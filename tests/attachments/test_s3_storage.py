"""The private storage in an S3 bucket (PRIVATE_STORAGE_S3_BUCKET): chosen only when configured,
private objects with no URL, and downloads streamed from the bucket behind the same permission
check. The bucket is moto's in-process mock of S3; the two-replica test
(tests/test_replicas.py) runs the same code against a real S3 server over HTTP."""

import json
from io import StringIO

import boto3
import pytest
from botocore.response import StreamingBody
from django.urls import reverse
from moto import mock_aws

from attachments.services import file_delete, file_store
from attachments.storage import PrivateFileStorage, PrivateS3Storage, private_storage
from tests.attachments import files
from tests.attachments.conftest import files_in, upload
from tests.factories import UserFactory
from tests.processes import run_with_settings

BUCKET = "portal-private-test"
MB = 1024 * 1024
S3_ENV = {
    "PRIVATE_STORAGE_S3_BUCKET": "portal-private",
    "PRIVATE_STORAGE_S3_ENDPOINT_URL": "http://minio:9000",
    "PRIVATE_STORAGE_S3_ACCESS_KEY_ID": "portal-demo",
    "PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY": "portal-demo-secret",
    "PRIVATE_STORAGE_S3_REGION": "us-east-1",
}
DESCRIBE = """
import json, django
django.setup()
from attachments.storage import private_storage
s = private_storage()
try:
    s.url("ab/cd/abcd")
    url = "made"
except NotImplementedError:
    url = "refused"
print(json.dumps({"backend": type(s).__name__, "url": url, "acl": getattr(s, "default_acl", None),
                  "querystring_auth": getattr(s, "querystring_auth", None), "bucket": getattr(s, "bucket_name", None),
                  "endpoint": getattr(s, "endpoint_url", None), "style": getattr(s, "addressing_style", None)}))
"""


def describe(env: dict) -> dict:
    result = run_with_settings(env, "-c", DESCRIBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_a_bucket_the_private_storage_is_the_local_directory():
    assert describe({}) == {
        "backend": "PrivateFileStorage", "url": "refused", "acl": None, "querystring_auth": None, "bucket": None,
        "endpoint": None, "style": None,
    }  # fmt: skip


def test_with_a_bucket_the_private_storage_is_a_private_s3_bucket_without_urls():
    assert describe(S3_ENV) == {
        "backend": "PrivateS3Storage", "url": "refused", "acl": "private", "querystring_auth": False,
        "bucket": "portal-private", "endpoint": "http://minio:9000", "style": "path",
    }  # fmt: skip


# --- Against a bucket -------------------------------------------------------------------------------


@pytest.fixture
def bucket(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                "BACKEND": "attachments.storage.PrivateS3Storage",
                "OPTIONS": {"bucket_name": BUCKET, "access_key": "test", "secret_key": "test",
                            "region_name": "us-east-1", "addressing_style": "path"},
            },
        }  # fmt: skip
        yield client


@pytest.fixture
def owner():
    return UserFactory()


@pytest.fixture
def stored(bucket, owner):
    return file_store(uploaded_file=upload("Budsjett.pdf", files.pdf_bytes()), allowed=["pdf"], max_bytes=MB,
                      by_user=owner)  # fmt: skip


@pytest.mark.django_db
def test_an_upload_is_a_private_object_in_the_bucket_and_nothing_on_disk(bucket, stored, private_dir):
    assert isinstance(private_storage(), PrivateS3Storage)
    body = bucket.get_object(Bucket=BUCKET, Key=stored.storage_name)["Body"].read()
    assert body == files.pdf_bytes()
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=stored.storage_name)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: nobody may read it
    assert not any("URI" in g["Grantee"] for g in grants)  # no AllUsers / AuthenticatedUsers group
    assert files_in(private_dir) == []
    with pytest.raises(NotImplementedError):
        private_storage().url(stored.storage_name)


@pytest.mark.django_db
def test_the_download_streams_from_the_bucket_with_the_same_headers(client, bucket, owner, stored):
    client.force_login(owner)
    response = client.get(reverse("file-download", args=[stored.pk]))
    assert response.status_code == 200
    assert response.streaming
    assert b"".join(response.streaming_content) == files.pdf_bytes()
    assert response["Content-Length"] == str(len(files.pdf_bytes()))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Budsjett.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_reading_streams_the_object_body_instead_of_spooling_it_whole(stored):
    handle = private_storage().open(stored.storage_name, "rb")
    assert isinstance(handle.file, StreamingBody)  # botocore's body, read as it arrives
    assert handle.size == len(files.pdf_bytes())
    assert handle.read(5) == b"%PDF-"
    handle.close()


@pytest.mark.django_db
def test_the_permission_check_still_guards_the_bucket(client, bucket, stored):
    url = reverse("file-download", args=[stored.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_a_row_whose_object_is_gone_is_404(client, bucket, owner, stored):
    bucket.delete_object(Bucket=BUCKET, Key=stored.storage_name)
    client.force_login(owner)
    assert client.get(reverse("file-download", args=[stored.pk])).status_code == 404


@pytest.mark.django_db
def test_a_deleted_file_leaves_the_bucket_once_the_transaction_commits(
    bucket, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        file_delete(stored_file=stored)
    assert bucket.list_objects_v2(Bucket=BUCKET).get("KeyCount") == 0


def test_the_local_directory_storage_is_the_default_in_tests_too():
    from portal import settings as project

    assert project.STORAGES["private"]["BACKEND"] == f"{PrivateFileStorage.__module__}.PrivateFileStorage"


def test_the_bucket_is_created_once_and_a_second_run_changes_nothing(bucket, settings):
    from django.core.management import call_command

    settings.STORAGES["private"]["OPTIONS"]["bucket_name"] = "portal-new-bucket"
    settings.STORAGES = {**settings.STORAGES}  # a fresh storage instance with the new bucket
    out = StringIO()
    call_command("ensure_private_bucket", stdout=out)
    call_command("ensure_private_bucket", stdout=out)
    assert out.getvalue().splitlines() == ["created: bucket portal-new-bucket", "exists: bucket portal-new-bucket"]
    assert "portal-new-bucket" in [b["Name"] for b in bucket.list_buckets()["Buckets"]]


def test_with_the_local_directory_there_is_no_bucket_to_create():
    from django.core.management import call_command

    out = StringIO()
    call_command("ensure_private_bucket", stdout=out)
    assert out.getvalue().strip() == "private storage is a local directory: no bucket to create"
