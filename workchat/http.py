"""The one place that speaks HTTP to the platforms: JSON in and out, a timeout, and the
platform's `errcode` turned into WorkChatError."""

from __future__ import annotations

import requests
from urllib3.exceptions import NewConnectionError

from .errors import WorkChatError

TIMEOUT_SECONDS = 10


def may_have_arrived(error: requests.RequestException) -> bool:
    """Whether the request may have reached the platform although no answer came back.
    Only a connection that was never made (refused, no route, name not found, connect
    timeout) proves that nothing arrived; a read timeout or a connection dropped while
    waiting for the answer does not."""
    if isinstance(error, requests.ConnectTimeout):
        return False
    if isinstance(error, requests.ConnectionError):
        reason = getattr(error.args[0], "reason", None) if error.args else None
        return not isinstance(reason, NewConnectionError)
    return isinstance(error, requests.Timeout | requests.exceptions.ChunkedEncodingError)


def call(method: str, url: str, *, params=None, json=None, headers=None) -> dict:
    try:
        response = requests.request(
            method, url, params=params, json=json, headers=headers, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as error:
        # The URL carries the access token as a query parameter: never put it in a message
        # that may be logged.
        raise WorkChatError(
            f"{method} {url.split('?')[0]}: {type(error).__name__}",
            maybe_delivered=method != "GET" and may_have_arrived(error),
        ) from error
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code >= 400:
        raise WorkChatError(
            f"{method} {url.split('?')[0]}: HTTP {response.status_code}", answer=answer
        )
    errcode = answer.get("errcode", 0)
    if errcode:
        raise WorkChatError(
            f"{answer.get('errmsg', 'error')} ({errcode})", errcode=errcode, answer=answer
        )
    return answer
