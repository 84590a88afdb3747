import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from .permissions import download_observed
from .selectors import access_stored_file
from .storage import private_storage

logger = logging.getLogger(__name__)


@require_safe
@login_required
def file_download(request, file_id):
    """Always a download, never a page: ``Content-Disposition: attachment``, the type we detected
    (not the uploader's), ``nosniff``, and a CSP that lets nothing run should a browser render it.

    The file is read through the private storage, whichever backend it is (a directory, or an
    S3 bucket whose object body is streamed through in blocks), never by a path on this host."""
    stored_file = access_stored_file(user=request.user, file_id=file_id)
    try:
        handle = private_storage().open(stored_file.storage_name, "rb")
    except FileNotFoundError:
        logger.error("Stored file %s has a row but no file (%s)", stored_file.pk, stored_file.storage_name)
        raise Http404 from None
    download_observed(request.user, stored_file)
    response = FileResponse(
        handle, as_attachment=True, filename=stored_file.display_name, content_type=stored_file.content_type
    )
    if not response.has_header("Content-Length"):  # a stream FileResponse cannot measure itself
        response["Content-Length"] = handle.size
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
