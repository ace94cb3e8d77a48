"""The reminders' channel seam (`supervision.notifications`): a channel gets each composed
message once, over one connection per run, reaches whom it says it reaches, and a failed
send is recorded as failed and tried again the next run. (What the e-mails say:
test_reminders.py; the real channels against the fake platforms: test_channels.py.)"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import Q
from django.utils import timezone

from supervision import channels, notifications
from supervision.models import ReminderLog
from supervision.reminder_selectors import DIGEST, LEARNER
from tests.factories import StaffFactory
from tests.supervision.test_reminders import assign, make_program, zh


class RecordingChannel(channels.BaseChannel):
    """A channel that reaches everyone and keeps what it is given."""

    name = "recording"
    label = "recording"
    reachable = Q()

    def __init__(self, fail: bool = False):
        self.fail = fail
        self.sent: list[notifications.Message] = []
        self.opened = 0
        self.is_open = False

    def __enter__(self):
        self.opened += 1
        self.is_open = True
        return self

    def __exit__(self, *exc_info):
        self.is_open = False

    def address(self, user):
        return f"user-{user.pk}"

    def render(self, message):
        return {"message": message}

    def transmit(self, address, rendered):
        assert self.is_open
        if self.fail:
            raise ConnectionRefusedError("the gateway is down")
        self.sent.append(rendered["message"])
        return {"id": len(self.sent)}


@pytest.fixture
def today():
    return timezone.localdate()


def test_a_channel_gets_each_learners_message_once_over_one_connection(db, today):
    # No e-mail addresses: this channel reaches them anyway.
    late, soon = StaffFactory(name="林晓雯"), StaffFactory(name="陈思琪")
    program = make_program("前台客服上岗认证", "front-desk")
    other = make_program("安全培训", "safety")
    assign(program, today - timedelta(days=2), team=late.team)
    assign(other, today + timedelta(days=3), user=late.user)
    assign(program, today + timedelta(days=1), user=soon.user)
    assign(other, today + timedelta(days=30), user=soon.user)  # not due soon: not mentioned

    channel = RecordingChannel()
    assert notifications.learner_reminders_send(today=today, channel=channel) == 2

    assert channel.opened == 1 and mail.outbox == []
    first, second = channel.sent
    assert (first.user, first.kind, first.template) == (late.user, LEARNER, "learner_reminder")
    assert first.subject == zh(
        "Kefu Academy: %(count)d assigned program needs your attention",
        "Kefu Academy: %(count)d assigned programs need your attention",
        2,
    ) % {"count": 2}
    assert first.context["name"] == "林晓雯"
    assert [(e.program.name, e.overdue, e.due_soon) for e in first.context["entries"]] == [
        ("前台客服上岗认证", True, False),
        ("安全培训", False, True),
    ]
    assert second.user == soon.user and second.context["name"] == "陈思琪"
    assert [e.program.name for e in second.context["entries"]] == ["前台客服上岗认证"]
    assert ReminderLog.objects.filter(kind=LEARNER, sent_on=today).count() == 2

    again = RecordingChannel()
    assert notifications.learner_reminders_send(today=today, channel=again) == 0
    assert again.sent == []


def test_the_email_channel_reaches_only_people_with_an_address(db, today):
    with_address = StaffFactory(user__email="lin@example.cn")
    StaffFactory(team=with_address.team)
    assign(make_program("前台客服上岗认证", "front-desk"), today, team=with_address.team)
    assert notifications.learner_reminders_send(today=today) == 1
    assert [m.to for m in mail.outbox] == [["lin@example.cn"]]


def test_a_failed_send_is_recorded_as_failed_and_is_sent_on_the_next_run(db, today, caplog):
    person = StaffFactory()
    assign(make_program("前台客服上岗认证", "front-desk"), today, user=person.user)

    report = notifications.SendReport()
    assert (
        notifications.learner_reminders_send(
            today=today, channel=RecordingChannel(fail=True), report=report
        )
        == 0
    )
    log = ReminderLog.objects.get()
    assert (log.state, log.channel, log.attempts) == ("failed", "recording", 1)
    assert "the gateway is down" in log.answer["error"]
    assert (report.failed, report.to_retry) == (1, 1)
    assert "Could not send the learner reminder" in caplog.text

    channel = RecordingChannel()
    assert notifications.learner_reminders_send(today=today, channel=channel) == 1
    assert [m.user for m in channel.sent] == [person.user]
    log.refresh_from_db()
    assert (log.state, log.attempts, log.answer) == ("sent", 2, {"id": 1})
    # Sent: a third run leaves it alone.
    assert notifications.learner_reminders_send(today=today, channel=RecordingChannel()) == 0


def test_a_channel_gets_each_supervisors_digest(db, today, org):
    supervisor, mine, _colleague, _other = org
    program = make_program("前台客服上岗认证", "front-desk")
    assign(program, today - timedelta(days=1), user=mine.user)

    channel = RecordingChannel()
    assert notifications.supervisor_digests_send(today=today, channel=channel) == 1
    [digest] = channel.sent
    assert (digest.user, digest.kind, digest.template) == (
        supervisor.user,
        DIGEST,
        "supervisor_digest",
    )
    assert digest.subject == zh("Kefu Academy: certification digest for %(date)s") % {
        "date": today.isoformat()
    }
    [item] = digest.context["programs"]
    assert item.program == program and item.overdue == 1
    assert [p.name for p in item.overdue_people] == ["林晓雯"]
    assert notifications.supervisor_digests_send(today=today, channel=RecordingChannel()) == 0
