from __future__ import annotations


class WorkChatError(OSError):
    """A platform refused or could not be reached. An OSError, as the reminder channels
    expect of a send that failed; `errcode` is the platform's own code (0 when the failure
    was the connection or an HTTP status), `answer` its reply for the log."""

    def __init__(self, message: str, *, errcode: int = 0, answer: dict | None = None):
        super().__init__(message)
        self.errcode = errcode
        self.answer = answer or {}


class NotConfigured(WorkChatError):
    """The platform's credentials are not set: nothing can be sent or looked up."""
