"""How a message reaches a person: e-mail, a WeCom (企业微信) application message, a DingTalk
(钉钉) work notice, or a text message (短信).

A message is composed once, whatever it travels by (`Message`: recipient, kind, subject,
template name and context, and the page it links to). Each channel says whom it reaches
(`reachable`, a filter over users, and `address`, the same rule for one loaded user), which
messages it carries, and gives the message its own form:

- e-mail: text and HTML from `supervision/email/<template>.txt` and `.html`;
- WeCom: a `textcard` — the subject as title, a description from
  `supervision/messages/<template>.wecom.html` (WeCom's few tags: gray / normal /
  highlight `div`s; 512 bytes), the link and a button; sent with WeCom's duplicate check;
- DingTalk: an action card — the subject as title, markdown from
  `supervision/messages/<template>.dingtalk.md`, the link and a button;
- SMS: only a template approved beforehand can be sent, so a template id
  (settings.SMS["templates"]) and its parameters (`sms_params`); a template without an id
  is not carried by SMS.

`settings.REMINDER_CHANNELS` orders the channels; `enabled_channels()` are those of them
that are configured, and a person is reached by the first that carries the message and for
which they have an address (`pick`). For one message to one person now (a reset code):
`channel_for(user, template)` and `deliver(message)`. The daily reminders
(`notifications`) use the same channels and record each send in `ReminderLog`.
"""

from __future__ import annotations

import math
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.core import checks, mail
from django.core.mail.utils import DNS_NAME
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from workchat import dingtalk, sms, wecom

LEARNER_REMINDER, SUPERVISOR_DIGEST, RESET_CODE = (
    "learner_reminder",
    "supervisor_digest",
    "reset_code",
)
TEMPLATES = (LEARNER_REMINDER, SUPERVISOR_DIGEST, RESET_CODE)


@dataclass(frozen=True)
class Message:
    """One message to one person, before a channel gives it its form."""

    user: Any
    kind: str  # reminder_selectors.LEARNER or DIGEST (ReminderLog.kind), or "reset_code"
    subject: str
    template: str  # one of TEMPLATES
    context: dict
    link: str = ""  # the absolute URL the message points to (a card's button)


def _profile(user):
    return getattr(user, "staff_profile", None)  # None for a user without a staff profile


def _button(template: str) -> str:
    # WeCom shows at most 4 characters on a card's button.
    return {
        LEARNER_REMINDER: pgettext("message button", "Study now"),
        SUPERVISOR_DIGEST: pgettext("message button", "View"),
        RESET_CODE: pgettext("message button", "Reset password"),
    }.get(template, pgettext("message button", "View"))


class BaseChannel:
    """What every channel has; a channel class sets `name`, `label`, `reachable` and
    `address`, and renders and transmits. `with channel:` keeps one connection (or client)
    for many messages; `send` works without it too."""

    name: ClassVar[str]
    label: ClassVar[Any]  # how the UI names it: "no e-mail, WeCom, … or mobile"
    reachable: ClassVar[Q]  # a filter over users: who has an address on this channel
    # Within this time of a message's first attempt, sending it again reaches nobody twice
    # (the platform drops the repeat), so a send whose outcome is unknown may be repeated.
    resend_window: ClassVar[timedelta | None] = None

    @classmethod
    def configured(cls) -> bool:
        return True

    def carries(self, template: str) -> bool:
        return True

    def address(self, user) -> str:
        """Where this channel reaches `user` ("" when it does not): `reachable` for one user."""
        raise NotImplementedError

    def render(self, message: Message) -> dict:
        raise NotImplementedError

    def transmit(self, address: str, rendered: dict) -> dict:
        """Deliver; return the provider's answer (ids for the log); raise OSError when the
        message could not be delivered (`maybe_delivered` set when it may have been)."""
        raise NotImplementedError

    def send(self, message: Message) -> dict:
        return self.transmit(self.address(message.user), self.render(message))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        pass


class EmailChannel(BaseChannel):
    """E-mail to the user's address through settings.EMAIL_BACKEND."""

    name = "email"
    label = pgettext_lazy("reminder channel", "e-mail")
    reachable = ~Q(email="")

    def __init__(self):
        self._open = ExitStack()
        self._connection = None

    def __enter__(self) -> EmailChannel:
        self._connection = self._open.enter_context(mail.get_connection())
        return self

    def __exit__(self, *exc_info) -> None:
        self._connection = None
        self._open.close()

    def address(self, user) -> str:
        return user.email or ""

    def render(self, message: Message) -> dict:
        return {
            "subject": message.subject,
            "text": render_to_string(f"supervision/email/{message.template}.txt", message.context),
            "html": render_to_string(f"supervision/email/{message.template}.html", message.context),
        }

    def transmit(self, address: str, rendered: dict) -> dict:
        message_id = mail.make_msgid(domain=DNS_NAME)
        email = mail.EmailMultiAlternatives(
            rendered["subject"],
            rendered["text"],
            to=[address],
            connection=self._connection,
            headers={"Message-ID": message_id},
        )
        email.attach_alternative(rendered["html"], "text/html")
        email.send()
        return {"message_id": message_id}


class WeComChannel(BaseChannel):
    """A WeCom application message (`textcard`) to the person's WeCom user id."""

    name = "wecom"
    label = pgettext_lazy("reminder channel", "WeCom")
    reachable = Q(staff_profile__wecom_userid__gt="")
    # Every card goes with WeCom's duplicate check over its longest interval (4 hours); a
    # resend is safe well within it.
    resend_window = timedelta(hours=3)

    configured = staticmethod(wecom.configured)

    def __init__(self):
        self._client = None

    def __enter__(self) -> WeComChannel:
        self._client = wecom.WeComClient()
        return self

    def address(self, user) -> str:
        profile = _profile(user)
        return profile.wecom_userid if profile is not None else ""

    def render(self, message: Message) -> dict:
        return {
            "title": message.subject,
            "description": render_to_string(
                f"supervision/messages/{message.template}.wecom.html", message.context
            ).strip(),
            "url": message.link or settings.PUBLIC_BASE_URL,
            "button": _button(message.template),
        }

    def transmit(self, address: str, rendered: dict) -> dict:
        client = self._client or wecom.WeComClient()
        answer = client.send_textcard(
            [address],
            **rendered,
            duplicate_check_seconds=wecom.DUPLICATE_CHECK_MAX_SECONDS,
        )
        return {"msgid": answer.get("msgid", "")}


class DingTalkChannel(BaseChannel):
    """A DingTalk work notice (an action card with one button) to the person's user id."""

    name = "dingtalk"
    label = pgettext_lazy("reminder channel", "DingTalk")
    reachable = Q(staff_profile__dingtalk_userid__gt="")

    configured = staticmethod(dingtalk.configured)

    def __init__(self):
        self._client = None

    def __enter__(self) -> DingTalkChannel:
        self._client = dingtalk.DingTalkClient()
        return self

    def address(self, user) -> str:
        profile = _profile(user)
        return profile.dingtalk_userid if profile is not None else ""

    def render(self, message: Message) -> dict:
        return {
            "title": message.subject,
            "markdown": render_to_string(
                f"supervision/messages/{message.template}.dingtalk.md", message.context
            ).strip(),
            "url": message.link or settings.PUBLIC_BASE_URL,
            "button": _button(message.template),
        }

    def transmit(self, address: str, rendered: dict) -> dict:
        client = self._client or dingtalk.DingTalkClient()
        answer = client.send_work_notice([address], **rendered)
        return {"task_id": answer.get("task_id"), "request_id": answer.get("request_id", "")}


class SmsChannel(BaseChannel):
    """A text message from an approved template to the person's mobile number."""

    name = "sms"
    label = pgettext_lazy("reminder channel", "mobile")
    reachable = Q(staff_profile__mobile__gt="")

    configured = staticmethod(sms.configured)

    def __init__(self):
        self._client = None

    def __enter__(self) -> SmsChannel:
        self._client = sms.SmsClient()
        return self

    def carries(self, template: str) -> bool:
        return bool(sms.template_id(template))

    def address(self, user) -> str:
        profile = _profile(user)
        return profile.mobile if profile is not None else ""

    def render(self, message: Message) -> dict:
        return {
            "template_id": sms.template_id(message.template),
            "params": sms_params(message.template, message.context),
        }

    def transmit(self, address: str, rendered: dict) -> dict:
        client = self._client or sms.SmsClient()
        return client.send(address, **rendered)


def sms_params(template: str, context: dict) -> list[str]:
    """The parameters of each SMS template, in the order of its placeholders (README gives
    the wording to have approved: {1} the name, …)."""
    if template == LEARNER_REMINDER:
        entries = context["entries"]
        return [context["name"], str(len(entries)), entries[0].due_on.isoformat()]
    if template == SUPERVISOR_DIGEST:
        programs = context["programs"]
        return [
            context["name"],
            str(sum(item.overdue for item in programs)),
            str(sum(item.expiring + item.expired for item in programs)),
        ]
    if template == RESET_CODE:
        left = (context["expires_at"] - timezone.now()).total_seconds()
        return [str(context["code"]), str(max(1, math.ceil(left / 60)))]
    raise ValueError(f"no SMS parameters for template {template!r}")


CHANNELS: dict[str, type[BaseChannel]] = {
    channel.name: channel for channel in (EmailChannel, WeComChannel, DingTalkChannel, SmsChannel)
}


# --- choosing --------------------------------------------------------------------------------


def enabled_channels() -> list[BaseChannel]:
    """The channels of settings.REMINDER_CHANNELS that are configured, in that order."""
    return [
        CHANNELS[name]()
        for name in settings.REMINDER_CHANNELS
        if name in CHANNELS and CHANNELS[name].configured()
    ]


def carrying(channels: list[BaseChannel], template: str) -> list[BaseChannel]:
    return [channel for channel in channels if channel.carries(template)]


def reachable_by_any(channels: list[BaseChannel]) -> Q:
    """A filter over users: reached by at least one of `channels`. Never an empty Q, which
    Django drops from `|` and `~` alike: nobody is `pk__in=[]`, everybody `pk__isnull=False`."""
    found = Q(pk__in=[])
    for channel in channels:
        found |= channel.reachable or Q(pk__isnull=False)
    return found


def pick(user, channels: list[BaseChannel]) -> BaseChannel | None:
    """The first of `channels` for which `user` has an address."""
    return next((channel for channel in channels if channel.address(user)), None)


def resend_windows(channels: list[BaseChannel]) -> dict[str, timedelta]:
    return {c.name: c.resend_window for c in channels if c.resend_window is not None}


def unreachable_text() -> str:
    """ "Cannot be reminded: no e-mail, WeCom, DingTalk or mobile", naming the channels that
    are enabled."""
    labels = [str(channel.label) for channel in enabled_channels()]
    if not labels:
        return _("Cannot be reminded: no reminder channel is configured")
    listed = (
        labels[0]
        if len(labels) == 1
        else pgettext("list", "%(items)s or %(last)s")
        % {"items": pgettext("list", ", ").join(labels[:-1]), "last": labels[-1]}
    )
    return _("Cannot be reminded: no %(channels)s") % {"channels": listed}


# --- one message now -----------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """Where a message went: the channel's name and the provider's answer."""

    channel: str
    answer: dict = field(default_factory=dict)


def channel_for(user, template: str | None = None) -> BaseChannel | None:
    """The channel that reaches `user` for a message of `template` (any template when
    None): the first enabled one that carries it and has an address for them; None when no
    channel reaches them."""
    channels = enabled_channels()
    if template is not None:
        channels = carrying(channels, template)
    return pick(user, channels)


def deliver(message: Message) -> Delivery | None:
    """Send `message` to its person now, through `channel_for` them. None when no channel
    reaches them; raises OSError (smtplib's errors, workchat.WorkChatError) when the channel
    could not deliver it. Nothing is recorded here: a caller that must not send twice keeps
    its own record (the daily reminders keep ReminderLog)."""
    channel = channel_for(message.user, message.template)
    if channel is None:
        return None
    with channel:
        return Delivery(channel=channel.name, answer=channel.send(message))


# --- configuration check -------------------------------------------------------------------


@checks.register(checks.Tags.compatibility)
def check_reminder_channels(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """An unknown name in KEFU_REMINDER_CHANNELS is a typo that would silently drop a
    channel: refuse to start."""
    unknown = [name for name in settings.REMINDER_CHANNELS if name not in CHANNELS]
    if not unknown:
        return []
    return [
        checks.Error(
            f"KEFU_REMINDER_CHANNELS names unknown channels: {', '.join(unknown)}",
            hint=f"Use some of: {', '.join(CHANNELS)}.",
            id="supervision.E001",
        )
    ]
