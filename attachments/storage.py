"""The private file storage: a directory outside STATIC_ROOT and MEDIA_ROOT (``PRIVATE_MEDIA_ROOT``,
default ``var/private``), which no URL and no whitenoise root points at. Files in it are read only
by ``views.file_download`` after a permission check."""

from uuid import UUID

from django.core.files.storage import FileSystemStorage, storages

STORAGE_ALIAS = "private"


class PrivateFileStorage(FileSystemStorage):
    def url(self, name):
        raise NotImplementedError("Private files have no URL; they are served by attachments.views.file_download.")


def private_storage() -> FileSystemStorage:
    return storages[STORAGE_ALIAS]


def storage_name_for(file_id: UUID) -> str:
    """``ab/cd/abcd…`` from the file's id: two levels of 256 directories keep any one directory
    small, and no part of the name comes from the uploader. No extension, so nothing on the server
    ever treats the file by its type."""
    hex_id = file_id.hex
    return f"{hex_id[:2]}/{hex_id[2:4]}/{hex_id}"
