"""The one exception services raise to refuse a request: a message for the user and the
HTTP status a view should answer with."""


class Refused(Exception):
    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status
