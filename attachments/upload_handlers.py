from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler


class UploadSizeLimitHandler(FileUploadHandler):
    """First in ``FILE_UPLOAD_HANDLERS``: counts each file's bytes as they stream in and stops the
    request (400) once a file passes ``MAX_UPLOAD_BYTES``, so an oversized upload is never spooled
    to disk whole. A slot's own, smaller limit is checked later by ``validate_upload``, with a
    message on the form; this is only the outer wall."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # A body far beyond what one file at the limit plus the form fields could need.
        if content_length and content_length > settings.MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise RequestDataTooBig("Upload larger than MAX_UPLOAD_BYTES.")

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            raise RequestDataTooBig("Uploaded file larger than MAX_UPLOAD_BYTES.")
        return raw_data

    def file_complete(self, file_size):
        return None
