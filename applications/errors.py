class ApplicationError(Exception):
    """Something the person asked for cannot be done; ``message`` says why, in their language."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
