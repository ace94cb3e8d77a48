"""Reminders through every channel against the fake WeCom, DingTalk and Tencent SMS
(tests/fakes/workchat.py): the order of preference, what each channel sends and records,
tokens kept across sends, retries that send only what did not go, never twice, and the
people no channel reaches listed for their own supervisors."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from supervision import channels, notifications
from supervision.models import ReminderLog
from tests.factories import StaffFactory
from tests.fakes.workchat import SMS_PATH, SMS_TEMPLATES
from tests.supervision.test_reminders import assign, make_program, zh

WECOM_SEND = "/cgi-bin/message/send"
DINGTALK_SEND = "/topapi/message/corpconversation/asyncsend_v2"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def platforms(workchat, settings):
    """Every channel configured, in the default order."""
    settings.REMINDER_CHANNELS = ["wecom", "dingtalk", "email", "sms"]
    settings.PUBLIC_BASE_URL = "https://academy.example.cn"
    return workchat


@pytest.fixture
def program(db):
    return make_program("前台客服上岗认证", "front-desk")


def late(program, today, name, *, email="", **contact):
    person = StaffFactory(name=name, user__email=email, **contact)
    assign(program, today - timedelta(days=3), user=person.user)
    return person


def test_each_person_gets_the_first_channel_they_have_an_id_for(platforms, program, today):
    both = late(program, today, "林晓雯", email="lin@example.cn", wecom_userid="linxw")
    email_only = late(program, today, "陈思琪", email="chen@example.cn")
    dingtalk = late(program, today, "张伟", dingtalk_userid="zhangw", mobile="13800000003")
    mobile = late(program, today, "李娜", mobile="13800000004")
    nothing = late(program, today, "刘洋")

    report = notifications.SendReport()
    assert notifications.learner_reminders_send(today=today, report=report) == 4
    assert report.by_channel == {"wecom": 1, "email": 1, "dingtalk": 1, "sms": 1}
    assert report.unreachable == 1

    [card] = platforms.messages_to("linxw", "wecom")
    assert card["title"] == zh(
        "Kefu Academy: %(count)d assigned program needs your attention",
        "Kefu Academy: %(count)d assigned programs need your attention",
    ) % {"count": 1}
    assert "前台客服上岗认证" in card["text"] and "已逾期 3 天" in card["text"]
    assert card["url"] == "https://academy.example.cn/" and card["button"] == "去学习"
    assert [m.to for m in mail.outbox] == [["chen@example.cn"]]  # not lin: WeCom comes first
    [notice] = platforms.messages_to("zhangw", "dingtalk")
    assert "**前台客服上岗认证**" in notice["text"] and notice["button"] == "去学习"
    [text] = platforms.messages_to("13800000004", "sms")
    due = (today - timedelta(days=3)).isoformat()
    assert (text["template"], text["params"]) == (
        SMS_TEMPLATES["learner_reminder"],
        ["李娜", "1", due],
    )

    logs = {log.user_id: log for log in ReminderLog.objects.all()}
    assert nothing.user_id not in logs
    assert {logs[p.user_id].channel for p in (both, email_only, dingtalk, mobile)} == {
        "wecom",
        "email",
        "dingtalk",
        "sms",
    }
    assert all(log.state == "sent" for log in logs.values())
    assert logs[both.user_id].answer == {"msgid": card["id"]}
    assert logs[dingtalk.user_id].answer["task_id"] == notice["id"]
    assert logs[mobile.user_id].answer["serial_no"] == text["id"]
    assert (
        logs[email_only.user_id].answer["message_id"] == mail.outbox[0].extra_headers["Message-ID"]
    )


def test_the_order_of_preference_and_unconfigured_platforms(platforms, program, today, settings):
    both = late(program, today, "林晓雯", email="lin@example.cn", wecom_userid="linxw")
    settings.REMINDER_CHANNELS = ["email", "wecom"]
    assert notifications.learner_reminders_send(today=today) == 1
    assert [m.to for m in mail.outbox] == [["lin@example.cn"]] and platforms.messages == []

    # WeCom first, but not configured: e-mail.
    settings.REMINDER_CHANNELS = ["wecom", "email"]
    settings.WECOM = {**settings.WECOM, "secret": ""}
    assert channels.channel_for(both.user).name == "email"
    # Without e-mail in the list she is reached by nothing.
    settings.REMINDER_CHANNELS = ["wecom", "sms"]
    assert channels.channel_for(both.user) is None


def test_one_token_serves_many_sends_and_days(platforms, program, today):
    for n in range(3):
        late(program, today, f"员工{n}", wecom_userid=f"staff{n}")
    assert notifications.learner_reminders_send(today=today) == 3
    assert notifications.learner_reminders_send(today=today + timedelta(days=1)) == 3
    assert len(platforms.messages) == 6
    assert platforms.tokens_issued["wecom"] == 1


def test_a_refused_send_is_sent_again_by_the_next_run_and_the_others_are_not(
    platforms, program, today
):
    first = late(program, today, "林晓雯", wecom_userid="linxw")
    second = late(program, today, "陈思琪", wecom_userid="chensq")
    platforms.fail_next(WECOM_SEND, errcode=-1, errmsg="system busy")

    report = notifications.SendReport()
    assert notifications.learner_reminders_send(today=today, report=report) == 1
    assert (report.failed, report.to_retry) == (1, 1)
    failed = ReminderLog.objects.get(user=first.user)
    assert failed.state == "failed" and failed.answer["errcode"] == -1
    assert "system busy" in failed.answer["error"]

    assert notifications.learner_reminders_send(today=today) == 1
    assert len(platforms.messages_to("linxw")) == 1 and len(platforms.messages_to("chensq")) == 1
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("sent", 2)
    assert ReminderLog.objects.get(user=second.user).attempts == 1


def test_a_lost_wecom_answer_is_sent_again_and_wecom_drops_the_repeat(platforms, program, today):
    person = late(program, today, "林晓雯", wecom_userid="linxw")
    platforms.fail_next(WECOM_SEND, drop_answer=True)  # delivered, but the answer is lost

    report = notifications.SendReport()
    assert notifications.learner_reminders_send(today=today, report=report) == 0
    log = ReminderLog.objects.get(user=person.user)
    assert log.state == "pending" and log.answer["maybe_delivered"] is True
    assert report.to_retry == 1  # safe to send again: WeCom's duplicate check

    assert notifications.learner_reminders_send(today=today) == 1
    assert len(platforms.messages_to("linxw")) == 1  # the person saw one card
    assert platforms.duplicates_dropped == 1
    log.refresh_from_db()
    assert log.state == "sent" and log.answer["msgid"] == platforms.messages[0]["id"]


def test_a_lost_dingtalk_answer_is_never_sent_again(platforms, program, today):
    person = late(program, today, "张伟", dingtalk_userid="zhangw")
    platforms.fail_next(DINGTALK_SEND, drop_answer=True)

    report = notifications.SendReport()
    assert notifications.learner_reminders_send(today=today, report=report) == 0
    assert report.to_retry == 0  # it may have gone: no retry for it
    assert notifications.learner_reminders_send(today=today) == 0
    assert len(platforms.messages_to("zhangw")) == 1
    assert ReminderLog.objects.get(user=person.user).state == "pending"


def test_a_run_that_dies_between_send_and_record_sends_nothing_twice(
    platforms, program, today, monkeypatch
):
    by_mail = late(program, today, "陈思琪", email="chen@example.cn")
    by_wecom = late(program, today, "林晓雯", wecom_userid="linxw")
    real = {name: channels.CHANNELS[name].transmit for name in ("email", "wecom")}

    def dies_after(name):
        def transmit(self, address, rendered):
            real[name](self, address, rendered)
            raise SystemExit("worker killed")

        return transmit

    for name in real:
        monkeypatch.setattr(channels.CHANNELS[name], "transmit", dies_after(name))
    for _ in range(2):  # each run dies at its first send
        with pytest.raises(SystemExit):
            notifications.learner_reminders_send(today=today)
    assert len(mail.outbox) == 1 and len(platforms.messages_to("linxw")) == 1
    assert set(ReminderLog.objects.values_list("state", flat=True)) == {"pending"}

    monkeypatch.undo()
    # The e-mail may have gone: left alone. The card is sent again, and WeCom drops it.
    assert notifications.learner_reminders_send(today=today) == 1
    assert len(mail.outbox) == 1 and len(platforms.messages_to("linxw")) == 1
    assert ReminderLog.objects.get(user=by_wecom.user).state == "sent"
    assert ReminderLog.objects.get(user=by_mail.user).state == "pending"


def test_an_sms_refusal_is_recorded_with_tencents_code_and_sent_again(platforms, program, today):
    person = late(program, today, "李娜", mobile="13800000004")
    platforms.fail_next(SMS_PATH, errcode="LimitExceeded.PhoneNumberDailyLimit")
    assert notifications.learner_reminders_send(today=today) == 0
    log = ReminderLog.objects.get(user=person.user)
    assert (log.state, log.answer["errcode"]) == ("failed", "LimitExceeded.PhoneNumberDailyLimit")
    assert notifications.learner_reminders_send(today=today) == 1
    assert len(platforms.messages_to("13800000004", "sms")) == 1


def test_sms_carries_only_the_messages_it_has_a_template_for(platforms, program, today, settings):
    person = late(program, today, "李娜", mobile="13800000004")
    settings.SMS = {**settings.SMS, "templates": {"reset_code": SMS_TEMPLATES["reset_code"]}}
    assert notifications.learner_reminders_send(today=today) == 0
    assert platforms.messages == []
    assert channels.channel_for(person.user, channels.LEARNER_REMINDER) is None
    assert channels.channel_for(person.user, channels.RESET_CODE).name == "sms"


# --- one message now: reset codes ------------------------------------------------------------


def reset_message(person):
    with translation.override("zh-hans"):
        return notifications.reset_code_message(
            person.user,
            code="K7QM-2XPA",
            expires_at=timezone.now() + timedelta(minutes=15),
            reset_url="https://academy.example.cn/reset/code/",
        )


@pytest.mark.parametrize(
    "contact, platform, address",
    [
        ({"wecom_userid": "linxw"}, "wecom", "linxw"),
        ({"dingtalk_userid": "linxw"}, "dingtalk", "linxw"),
        ({"mobile": "13800000001"}, "sms", "13800000001"),
    ],
)
def test_a_reset_code_goes_through_the_persons_channel_now(
    db, platforms, contact, platform, address
):
    person = StaffFactory(name="林晓雯", **contact)
    with translation.override("zh-hans"):
        delivery = channels.deliver(reset_message(person))
    assert delivery.channel == platform
    [sent] = platforms.messages_to(address, platform)
    if platform == "sms":
        assert sent["template"] == SMS_TEMPLATES["reset_code"]
        assert sent["params"] == ["K7QM-2XPA", "15"]
        assert delivery.answer["serial_no"] == sent["id"]
    else:
        assert "K7QM-2XPA" in sent["text"]
        assert sent["url"] == "https://academy.example.cn/reset/code/"
        assert sent["button"] == "重置密码"
    assert not ReminderLog.objects.exists()  # a reset code is not a daily reminder


def test_a_reset_code_by_email_and_nobody_to_send_it_to(db, platforms):
    person = StaffFactory(name="林晓雯", user__email="lin@example.cn")
    with translation.override("zh-hans"):
        assert channels.deliver(reset_message(person)).channel == "email"
    [sent] = mail.outbox
    assert sent.subject == "客服学院：您的密码重置码" and "K7QM-2XPA" in sent.body
    assert channels.deliver(reset_message(StaffFactory())) is None


def test_a_failed_delivery_raises_an_oserror(db, platforms):
    person = StaffFactory(wecom_userid="linxw")
    platforms.fail_next(WECOM_SEND, errcode=-1)
    with pytest.raises(OSError):
        channels.deliver(reset_message(person))


# --- the rules kept twice --------------------------------------------------------------------


def test_each_channels_filter_and_address_agree(platforms, db):
    from django.contrib.auth import get_user_model

    people = [
        StaffFactory(user__email="a@example.cn"),
        StaffFactory(wecom_userid="w1", dingtalk_userid="d1", mobile="13800000001"),
        StaffFactory(),
    ]
    users = [p.user for p in people] + [get_user_model().objects.create(username="no-profile")]
    for channel in (channel_class() for channel_class in channels.CHANNELS.values()):
        by_filter = set(
            get_user_model()
            .objects.filter(pk__in=[u.pk for u in users])
            .filter(channel.reachable)
            .values_list("pk", flat=True)
        )
        by_address = {u.pk for u in users if channel.address(u)}
        assert by_filter == by_address, channel.name
    anyone = channels.reachable_by_any(channels.enabled_channels())
    assert set(
        get_user_model()
        .objects.filter(pk__in=[u.pk for u in users])
        .exclude(anyone)
        .values_list("pk", flat=True)
    ) == {people[2].user.pk, users[-1].pk}


def test_an_unknown_channel_name_stops_the_start(settings):
    settings.REMINDER_CHANNELS = ["wecom", "weixin"]
    [error] = channels.check_reminder_channels()
    assert error.id == "supervision.E001" and "weixin" in error.msg
    settings.REMINDER_CHANNELS = ["email"]
    assert channels.check_reminder_channels() == []


# --- people no channel reaches ---------------------------------------------------------------


@pytest.fixture
def two_sites(db, settings):
    """Two supervisors, each of their own site, each with one person nobody can remind and
    one who has a WeCom id; e-mail is the only channel."""
    settings.REMINDER_CHANNELS = ["wecom", "email"]

    def site(boss_name, email, unreachable_name):
        boss = StaffFactory(
            name=boss_name, user__roles=["learner", "supervisor"], user__email=email
        )
        boss.supervised_sites.add(boss.site)
        lost = StaffFactory(name=unreachable_name, site=boss.site, team=boss.team)
        reached = StaffFactory(site=boss.site, team=boss.team, wecom_userid=f"w{boss.pk}")
        return boss, lost, reached

    return site("王建国", "wang@example.cn", "刘洋"), site("郑海峰", "zheng@example.cn", "孙悦")


def test_a_digest_lists_own_people_no_channel_reaches(two_sites, program, today):
    (mine, my_lost, _), (theirs, their_lost, _) = two_sites
    for lost in (my_lost, their_lost):
        assign(program, today + timedelta(days=2), user=lost.user)  # due soon: not overdue

    with translation.override("zh-hans"):
        heading = channels.unreachable_text()
    assert heading == "无法提醒：没有邮箱"  # WeCom is not configured here
    assert notifications.supervisor_digests_send(today=today) == 2
    digests = {m.to[0]: m for m in mail.outbox}
    for boss, own, other in (("wang", "刘洋", "孙悦"), ("zheng", "孙悦", "刘洋")):
        digest = digests[f"{boss}@example.cn"]
        assert heading in digest.body and own in digest.body and other not in digest.body
        assert "/supervision/unreachable/" in digest.body
        assert own in digest.alternatives[0][0] and other not in digest.alternatives[0][0]


def test_the_digest_names_them_on_wecom_too(two_sites, program, today, workchat, settings):
    (mine, my_lost, _), _other = two_sites
    mine.wecom_userid = "wangjg"
    mine.save()
    assign(program, today - timedelta(days=1), user=my_lost.user)
    assert notifications.supervisor_digests_send(today=today) == 1
    [card] = workchat.messages_to("wangjg", "wecom")
    assert "无法提醒：没有企业微信或邮箱" in card["text"]
    assert "今天有 1 人需要提醒" in card["text"]
    assert card["url"].endswith("/supervision/") and card["button"] == "查看"


def test_the_supervisor_sees_their_own_unreachable_people(client, two_sites, program):
    (mine, my_lost, my_reached), (_theirs, their_lost, _) = two_sites
    client.force_login(mine.user)

    dashboard = client.get("/supervision/").content.decode()
    assert "无法提醒：没有邮箱" in dashboard
    assert "您负责的员工中有 2 人收不到提醒和重置码" in dashboard  # 刘洋 and the WeCom one

    page = client.get("/supervision/unreachable/").content.decode()
    assert "刘洋" in page and my_reached.name in page  # WeCom is not configured
    assert "孙悦" not in page and "王建国" not in page

    my_reached.user.email = "reached@example.cn"
    my_reached.user.save()
    page = client.get("/supervision/unreachable/").content.decode()
    assert "刘洋" in page and my_reached.name not in page


def test_learners_cannot_open_the_list(client, two_sites):
    (_mine, my_lost, _), _other = two_sites
    client.force_login(my_lost.user)
    assert client.get("/supervision/unreachable/").status_code == 404


# --- the task worker's retry -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_the_daily_task_and_sends_only_what_did_not_go(
    platforms, settings, today
):
    from django.core.management import call_command
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from tests.site.conftest import DATABASE_BACKEND, _run_worker

    settings.TASKS = DATABASE_BACKEND
    settings.TASK_RETRY = {"attempts": 3, "first_delay_seconds": 0}  # retries due at once
    program = make_program("前台客服上岗认证", "front-desk")
    late(program, today, "林晓雯", wecom_userid="linxw")
    late(program, today, "陈思琪", wecom_userid="chensq")
    platforms.fail_next(WECOM_SEND, errcode=-1)  # the first card of the first attempt

    call_command("send_reminders")
    _run_worker()

    task = DBTaskResult.objects.get(task_path="supervision.tasks.daily_reminders")
    assert task.status == TaskResultStatus.SUCCESSFUL and len(task.worker_ids) == 2
    assert task.return_value["learners"] == 1  # the second attempt sent the one that failed
    assert len(platforms.messages_to("linxw")) == 1 and len(platforms.messages_to("chensq")) == 1
    assert sorted(ReminderLog.objects.values_list("state", "attempts")) == [
        ("sent", 1),
        ("sent", 2),
    ]
