"""The one place that speaks HTTP to the platforms: JSON in and out, a timeout, and the
platform's `errcode` turned into WorkChatError."""

from __future__ import annotations

import requests

from .errors import WorkChatError

TIMEOUT_SECONDS = 10


def call(method: str, url: str, *, params=None, json=None, headers=None) -> dict:
    try:
        response = requests.request(
            method, url, params=params, json=json, headers=headers, timeout=TIMEOUT_SECONDS
        )
    except requests.RequestException as error:
        # The URL carries the access token as a query parameter: never put it in a message
        # that may be logged.
        raise WorkChatError(f"{method} {url.split('?')[0]}: {type(error).__name__}") from error
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
