"""Background work of accounts: answering a password-reset request off the request, so the
page that asked answers alike, and as fast, whether or not an account matched."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django_tasks import task

from .services import reset_request


@task()
def reset_request_deliver(identifier: str, language: str = "") -> int:
    """Send the reset link or code to the accounts `identifier` names, in the language the
    request was made in. A retry after a failed send sends a new code (voiding the one that
    did not arrive). Returns how many accounts were sent something."""
    known = {code for code, _name in settings.LANGUAGES}
    with translation.override(language if language in known else settings.LANGUAGE_CODE):
        return reset_request(identifier=identifier)
