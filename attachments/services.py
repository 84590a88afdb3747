import logging
import uuid
from collections.abc import Iterable

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from .models import StoredFile
from .storage import private_storage, storage_name_for
from .validation import validate_upload

logger = logging.getLogger(__name__)


def file_store(*, uploaded_file: UploadedFile, allowed: Iterable[str], max_bytes: int, by_user) -> StoredFile:
    """Validate the upload, write it to the private storage under a generated name, then record it.

    A rejected file raises ``UploadRejected`` before anything is written. If the row cannot be
    saved, the written file is deleted again. (If a caller's surrounding transaction rolls back
    after this returns, the file stays on disk without a row: harmless, as nothing can reach it,
    and left for a cleanup sweep.)"""
    validated = validate_upload(uploaded_file=uploaded_file, allowed=allowed, max_bytes=max_bytes)
    file_id = uuid.uuid4()
    storage = private_storage()
    uploaded_file.seek(0)
    written = storage.save(storage_name_for(file_id), File(uploaded_file))
    try:
        with transaction.atomic():
            stored = StoredFile(
                id=file_id,
                storage_name=written,
                display_name=validated.safe_name,
                kind=validated.kind,
                content_type=validated.content_type,
                size=validated.size,
                sha256=validated.sha256,
                uploaded_by=by_user,
            )
            stored.full_clean()
            stored.save(force_insert=True)
    except BaseException:
        storage.delete(written)
        raise
    return stored


def file_delete(*, stored_file: StoredFile) -> None:
    """Delete the row now and the file once the transaction commits, so a rollback keeps both."""
    storage, name = private_storage(), stored_file.storage_name
    with transaction.atomic():
        stored_file.delete()
        transaction.on_commit(lambda: storage.delete(name))
