from __future__ import annotations


class WorkChatError(OSError):
    """A platform refused or could not be reached. An OSError, as the reminder channels
    expect of a send that failed; `errcode` is the platform's own code (0 when the failure
    was the connection or an HTTP status), `answer` its reply for the log.

    `maybe_delivered` is True when the request left but its answer never came (a read
    timeout, a connection dropped mid-answer): the platform may have delivered the message,
    so a caller that must never send twice does not simply send it again."""

    def __init__(
        self,
        message: str,
        *,
        errcode: int | str = 0,
        answer: dict | None = None,
        maybe_delivered: bool = False,
    ):
        super().__init__(message)
        self.errcode = errcode
        self.answer = answer or {}
        self.maybe_delivered = maybe_delivered


class NotConfigured(WorkChatError):
    """The platform's credentials are not set: nothing can be sent or looked up."""
