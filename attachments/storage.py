"""The private file storage, which no URL points at: files in it are read only by
``views.file_download`` after a permission check.

Two backends, chosen in settings (``STORAGES["private"]``): by default a directory outside
STATIC_ROOT and MEDIA_ROOT (``PRIVATE_MEDIA_ROOT``, default ``var/private``), which is what
``make run`` uses; with ``PRIVATE_STORAGE_S3_BUCKET`` set, a private bucket of an S3-compatible
object store (MinIO in docker-compose.yml), so every web and worker replica sees the same files
and none of them keeps a file of its own."""

from uuid import UUID

from botocore.exceptions import ClientError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

STORAGE_ALIAS = "private"
NO_URL = "Private files have no URL; they are served by attachments.views.file_download."


class PrivateFileStorage(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError(NO_URL)


class PrivateS3Storage(S3Storage):
    """A private bucket: objects written with the ``private`` ACL (unless the bucket refuses ACLs),
    no presigned or public URL ever made, names never overwritten (they are new UUIDs anyway).
    Reading streams the object's body as it downloads instead of spooling it whole into memory
    (django-storages' ``S3File`` does), so a download costs a block of memory, not the file."""

    default_acl = "private"
    querystring_auth = False
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError(NO_URL)

    def _open(self, name, mode="rb"):
        if mode != "rb":
            return super()._open(name, mode)
        key = self._normalize_name(clean_name(name))
        try:
            response = self.bucket.Object(key).get()
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(f"File does not exist: {name}") from None
            raise
        streamed = File(response["Body"], name)
        streamed.size = response["ContentLength"]
        return streamed


def private_bucket_ensure(storage: PrivateS3Storage) -> bool:
    """Create the storage's bucket unless it exists (private, as a new bucket is); True if created.
    For a local object store (docker-compose.yml's MinIO): a real deployment's bucket is made, with
    its policy, where the rest of the infrastructure is."""
    client = storage.connection.meta.client
    try:
        client.head_bucket(Bucket=storage.bucket_name)
        return False
    except ClientError as error:
        if error.response["ResponseMetadata"]["HTTPStatusCode"] != 404:
            raise
    location = {}
    if storage.region_name and storage.region_name != "us-east-1":  # S3 refuses its default region here
        location = {"CreateBucketConfiguration": {"LocationConstraint": storage.region_name}}
    client.create_bucket(Bucket=storage.bucket_name, **location)
    return True


def private_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def storage_name_for(file_id: UUID) -> str:
    """``ab/cd/abcd…`` from the file's id: two levels of 256 directories (key prefixes in a bucket)
    keep any one directory small, and no part of the name comes from the uploader. No extension,
    so nothing on the server ever treats the file by its type."""
    hex_id = file_id.hex
    return f"{hex_id[:2]}/{hex_id[2:4]}/{hex_id}"
