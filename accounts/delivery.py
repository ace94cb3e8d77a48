"""How a reset code reaches a person: through the first reminder channel that reaches them
(`KEFU_REMINDER_CHANNELS`: WeCom, DingTalk, e-mail, SMS — supervision/channels.py).

This is the one place where `accounts` sends anything through the reminder channels (its
only import from an app above it: the channels live in `supervision`). The code is composed
once as a `Message` (template `reset_code`, which each channel renders in its own form) and
handed to `channels.deliver`.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from supervision import channels
from supervision.notifications import reset_code_message

from . import activation

log = logging.getLogger("academy.security")


def send_reset_code(user, code: str, *, expires_at: datetime) -> bool:
    """Send `code` to `user` through the first channel that reaches them. False when none
    does (the person must ask their supervisor to reset their access); raises OSError when
    the channel could not deliver (the task is retried, with a new code)."""
    with translation.override(settings.LANGUAGE_CODE):
        message = reset_code_message(
            user,
            code=activation.display_code(code),
            expires_at=expires_at,
            reset_url=settings.PUBLIC_BASE_URL.rstrip("/") + reverse("password_reset_code"),
        )
        delivered = channels.deliver(message)
    if delivered is None:
        log.warning("Reset code for user %s not sent: no channel reaches them", user.pk)
        return False
    log.info("Reset code for user %s sent by %s", user.pk, delivered.channel)
    return True
