class Refused(Exception):
    """A rule said no; the message is safe to show to the user."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field
