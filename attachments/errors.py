from django.core.exceptions import ValidationError


class UploadRejected(ValidationError):
    """A file that may not be stored, with a message for the person who chose it. A
    ``ValidationError``, so a form's ``clean_<field>`` can let it through as the field's error."""

    def __init__(self, code: str, message):
        super().__init__(message, code=code)
        self.code = code
