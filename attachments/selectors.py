from uuid import UUID

from django.http import Http404

from .models import StoredFile
from .permissions import can_download


def access_stored_file(*, user, file_id: UUID) -> StoredFile:
    """The file, if ``user`` may download it; otherwise 404, the same as for a file that does not
    exist, so nobody learns which ids are in use."""
    stored_file = StoredFile.objects.filter(pk=file_id).first()
    if stored_file is None or not can_download(user, stored_file):
        raise Http404
    return stored_file
