"""How a reset code reaches a person: through the first reminder channel that reaches them.

This is the one place where `accounts` sends anything through the reminder channels of
`supervision.notifications` (its only import from an app above it: the channels live there
today). The code is composed once as a reminder `Message` (template `reset_code`: each
channel renders it in its own form, e-mail from `supervision/email/reset_code.txt` and
`.html`), and sent by the first of `reset_channels()` whose `reachable` filter takes the
person. Today that list is e-mail alone; when `supervision.notifications` offers the
channels of `KEFU_REMINDER_CHANNELS` in order (WeCom, DingTalk, SMS), `reset_channels`
returns those, and nothing else here changes.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from supervision.notifications import Channel, EmailChannel, Message

from . import activation

RESET_CODE = "reset_code"  # the Message's kind and template name

log = logging.getLogger("academy.security")


def reset_channels() -> list[Channel]:
    """The channels a reset code may take, in order of preference."""
    return [EmailChannel()]


def channel_for(user, channels: list[Channel]) -> Channel | None:
    """The first of `channels` that reaches `user`, or None."""
    people = get_user_model().objects.filter(pk=user.pk)
    return next(
        (channel for channel in channels if people.filter(channel.reachable).exists()), None
    )


def reset_code_message(user, code: str, *, expires_at: datetime) -> Message:
    """The message carrying a reset code (in the active language)."""
    profile = getattr(user, "staff_profile", None)
    return Message(
        user=user,
        kind=RESET_CODE,
        template=RESET_CODE,
        subject=_("Kefu Academy: your password reset code"),
        context={
            "name": profile.name if profile else (user.get_full_name() or user.get_username()),
            "code": activation.display_code(code),
            "expires_at": timezone.localtime(expires_at),
            "reset_url": settings.PUBLIC_BASE_URL.rstrip("/") + reverse("password_reset_code"),
        },
    )


def send_reset_code(user, code: str, *, expires_at: datetime) -> bool:
    """Send `code` to `user` through the first channel that reaches them. False when none
    does (the person must ask their supervisor to reset their access); raises OSError when
    the channel could not deliver (the task is retried, with a new code)."""
    channel = channel_for(user, reset_channels())
    if channel is None:
        log.warning("Reset code for user %s not sent: no channel reaches them", user.pk)
        return False
    with channel, translation.override(settings.LANGUAGE_CODE):
        channel.send(reset_code_message(user, code, expires_at=expires_at))
    return True
