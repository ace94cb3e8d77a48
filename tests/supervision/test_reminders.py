"""Who is assigned what, re-assigning expiring certificates, and the daily reminder e-mails
(learners, supervisors' digests, once a day, configurable, the command)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from certification.models import Certificate, Program
from certification.services import certificate_issue
from staff.models import Position
from supervision import notifications, reminder_selectors, selectors, services
from supervision import status as st
from supervision.models import Assignment, ReminderLog
from tests.factories import SiteFactory, StaffFactory, TeamFactory


def zh(msgid: str, plural: str | None = None, n: int = 1) -> str:
    """The UI text as the e-mails show it (Chinese once translated)."""
    with translation.override("zh-hans"):
        if plural is None:
            return translation.gettext(msgid)
        return translation.ngettext(msgid, plural, n)


def make_program(name: str, code: str) -> Program:
    return Program.objects.create(name=name, code=code, validity_months=12)


def assign(program, due_on, **target) -> Assignment:
    return Assignment.objects.create(program=program, due_on=due_on, **target)


@pytest.fixture
def today():
    return timezone.localdate()


# --- assignments_for -----------------------------------------------------------------------


def test_a_person_is_covered_by_their_own_team_and_position_assignments(db, today):
    person = StaffFactory(name="林晓雯", position=Position.FRONT_DESK)
    same_team = StaffFactory(team=person.team, position=Position.SERVICE_SPECIALIST)
    own, team, position, neither = (
        make_program(n, c)
        for n, c in (
            ("个人任务", "own"),
            ("班组任务", "team"),
            ("岗位任务", "position"),
            ("别人的", "no"),
        )
    )
    assign(own, today + timedelta(days=20), user=person.user)
    assign(team, today + timedelta(days=10), team=person.team)
    assign(position, today + timedelta(days=5), site=person.site, position=Position.FRONT_DESK)
    assign(neither, today, site=person.site, position=Position.MANAGER)
    assign(neither, today, team=TeamFactory(site=person.site))
    assign(neither, today, site=SiteFactory(), position=Position.FRONT_DESK)

    entries = selectors.assignments_for(person.user, today)

    assert [e.program.name for e in entries] == ["岗位任务", "班组任务", "个人任务"]
    assert [e.days_left for e in entries] == [5, 10, 20]
    assert all(e.status == st.NOT_STARTED and not e.overdue for e in entries)
    assert [e.due_soon for e in entries] == [True, False, False]  # within 7 days
    # Her teammate in another position has the team's program only.
    assert [e.program.name for e in selectors.assignments_for(same_team.user, today)] == [
        "班组任务"
    ]


def test_the_earliest_due_date_of_a_program_wins(db, today):
    person = StaffFactory()
    program = make_program("前台客服上岗认证", "front-desk")
    assign(program, today + timedelta(days=30), user=person.user)
    assign(program, today - timedelta(days=2), team=person.team)
    assign(program, today + timedelta(days=3), site=person.site, position=person.position)

    [entry] = selectors.assignments_for(person.user, today)

    assert entry.due_on == today - timedelta(days=2)
    assert entry.overdue and entry.days_overdue == 2 and not entry.due_soon
    assert entry.needs_reminder


def test_moving_to_another_team_changes_what_covers_a_person(db, today):
    person = StaffFactory()
    new_team = TeamFactory(site=person.site)
    old, new = make_program("旧班组任务", "old"), make_program("新班组任务", "new")
    assign(old, today + timedelta(days=3), team=person.team)
    assign(new, today + timedelta(days=9), team=new_team)
    assert [e.program for e in selectors.assignments_for(person.user, today)] == [old]

    person.team = new_team
    person.save()
    assert [e.program for e in selectors.assignments_for(person.user, today)] == [new]

    # Someone who left keeps only what names them.
    mine = make_program("个人任务", "mine")
    assign(mine, today, user=person.user)
    person.active = False
    person.save()
    assert [e.program for e in selectors.assignments_for(person.user, today)] == [mine]


def test_inactive_programs_and_unassigned_people_have_nothing(db, today):
    person = StaffFactory()
    program = make_program("停用项目", "off")
    program.active = False
    program.save()
    assign(program, today, user=person.user)
    assert selectors.assignments_for(person.user, today) == []
    assert selectors.assignments_for(StaffFactory().user, today) == []


def test_assignments_for_runs_three_queries_whatever_is_assigned(
    db, today, django_assert_num_queries
):
    person = StaffFactory()
    for n in range(6):
        program = make_program(f"项目{n}", f"p{n}")
        assign(program, today + timedelta(days=n), user=person.user)
        assign(program, today + timedelta(days=n + 1), team=person.team)
        assign(program, today + timedelta(days=n + 2), site=person.site, position=person.position)
    with django_assert_num_queries(3):
        entries = selectors.assignments_for(person.user, today)
    assert len(entries) == 6


# --- re-assigning expiring certificates --------------------------------------------------


@pytest.mark.django_db(transaction=True)  # issuing hooks run on commit
def test_expiring_certificates_are_reassigned_once(program, today):
    holder = StaffFactory(name="林晓雯")
    certificate = certificate_issue(
        user=holder.user, program=program, today=today - timedelta(days=350)
    )
    assert today < certificate.expires_on <= st.expiring_limit(today)
    # Not yet expiring, revoked, or already planned by a supervisor: left alone.
    later = StaffFactory()
    certificate_issue(user=later.user, program=program, today=today - timedelta(days=200))
    revoked = StaffFactory()
    Certificate.objects.filter(
        pk=certificate_issue(
            user=revoked.user, program=program, today=today - timedelta(days=350)
        ).pk
    ).update(revoked_at=timezone.now())
    planned = StaffFactory()
    certificate_issue(user=planned.user, program=program, today=today - timedelta(days=340))
    assign(program, today + timedelta(days=60), team=planned.team)

    assert services.assignments_reassign_expiring(today=today) == 1
    made = Assignment.objects.get(automatic=True)
    assert (made.user, made.program, made.due_on) == (holder.user, program, certificate.expires_on)
    assert made.history.count() == 1  # kept in the assignment's history like any other
    assert services.assignments_reassign_expiring(today=today) == 0
    assert services.assignments_reassign_expiring(today=today + timedelta(days=1)) == 0
    assert Assignment.objects.filter(automatic=True).count() == 1

    [entry] = selectors.assignments_for(holder.user, today)
    assert entry.automatic and entry.status == st.EXPIRING and not entry.needs_reminder


# --- learner reminders ---------------------------------------------------------------------


def test_a_late_learner_is_reminded_once_a_day_in_chinese(db, today, settings):
    settings.PUBLIC_BASE_URL = "https://academy.example.cn"
    person = StaffFactory(name="林晓雯", user__email="lin@example.cn")
    program = make_program("前台客服上岗认证", "front-desk")
    assign(program, today - timedelta(days=3), team=person.team)

    assert notifications.learner_reminders_send(today=today) == 1
    [message] = mail.outbox
    assert message.to == ["lin@example.cn"]
    assert message.subject == zh(
        "Kefu Academy: %(count)d assigned program needs your attention",
        "Kefu Academy: %(count)d assigned programs need your attention",
    ) % {"count": 1}
    assert message.subject.startswith("客服学院")
    body = message.body
    assert "林晓雯" in body and "前台客服上岗认证" in body
    assert (today - timedelta(days=3)).isoformat() in body
    assert "未开始" in body  # the status, in the site language
    assert zh("%(days)d day overdue", "%(days)d days overdue", 3) % {"days": 3} in body
    assert "https://academy.example.cn/" in body
    assert "https://academy.example.cn/certificates/" in body
    [(html, kind)] = message.alternatives
    assert kind == "text/html" and "林晓雯" in html and "未开始" in html

    # A second run the same day sends nothing; the next day reminds again.
    assert notifications.learner_reminders_send(today=today) == 0
    assert len(mail.outbox) == 1
    assert notifications.learner_reminders_send(today=today + timedelta(days=1)) == 1
    assert (
        ReminderLog.objects.filter(user=person.user, kind=reminder_selectors.LEARNER).count() == 2
    )


@pytest.mark.django_db(transaction=True)  # issuing hooks run on commit
def test_only_late_or_soon_due_people_who_are_not_certified_are_reminded(program, today, settings):
    def person(name, **kwargs):
        return StaffFactory(name=name, user__email=f"{name}@example.cn", **kwargs)

    late, soon, later = person("late"), person("soon"), person("later")
    certified, no_email, left = person("certified"), StaffFactory(), person("left", active=False)
    for who in (late, certified, no_email, left):
        assign(program, today - timedelta(days=1), user=who.user)
    assign(program, today + timedelta(days=7), user=soon.user)
    assign(program, today + timedelta(days=8), user=later.user)
    certificate_issue(user=certified.user, program=program, today=today - timedelta(days=5))

    assert notifications.learner_reminders_send(today=today) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["late@example.cn", "soon@example.cn"]
    soon_mail = next(m for m in mail.outbox if m.to == ["soon@example.cn"])
    assert zh("Due in %(days)d day", "Due in %(days)d days", 7) % {"days": 7} in soon_mail.body

    mail.outbox.clear()
    settings.REMINDERS = {**settings.REMINDERS, "due_soon_days": 3}
    assert notifications.learner_reminders_send(today=today + timedelta(days=1)) == 1  # late only
    assert mail.outbox[0].to == ["late@example.cn"]


def test_reminders_can_be_switched_off(db, today, settings, org):
    supervisor, mine, _colleague, _other = org
    for user in (supervisor.user, mine.user):
        user.email = f"{user.username}@example.cn"
        user.save()
    assign(
        make_program("前台客服上岗认证", "front-desk"), today - timedelta(days=1), team=mine.team
    )

    settings.REMINDERS = {"enabled": False}
    assert notifications.learner_reminders_send(today=today) == 0
    assert notifications.supervisor_digests_send(today=today) == 0
    assert mail.outbox == [] and not ReminderLog.objects.exists()

    settings.REMINDERS = {"enabled": True, "supervisor_digest": False}
    # The supervisor is on the team too.
    assert notifications.learner_reminders_send(today=today) == 2
    assert notifications.supervisor_digests_send(today=today) == 0


# --- supervisors' digests ------------------------------------------------------------------


def test_a_supervisor_digest_covers_only_their_own_sites(db, today, org, monkeypatch):
    supervisor, mine, colleague, other = org
    supervisor.user.email = "wang@example.cn"
    supervisor.user.save()
    elsewhere = StaffFactory(
        name="另一主管",
        user__roles=["learner", "supervisor"],
        user__email="boss2@example.cn",
        site=other.site,
        team=other.team,
    )
    elsewhere.supervised_sites.add(other.site)
    program = make_program("前台客服上岗认证", "front-desk")
    assign(program, today - timedelta(days=5), user=mine.user)
    assign(program, today - timedelta(days=1), user=colleague.user)
    assign(program, today - timedelta(days=1), user=other.user)
    quiet = make_program("安全培训", "safety")  # nothing to report: left out
    assign(quiet, today + timedelta(days=60), team=mine.team)

    assert notifications.supervisor_digests_send(today=today) == 2
    mails = {m.to[0]: m for m in mail.outbox}
    mine_mail, their_mail = mails["wang@example.cn"], mails["boss2@example.cn"]
    for text in (mine_mail.body, mine_mail.alternatives[0][0]):
        assert "林晓雯" in text and "陈思琪" in text and "前台客服上岗认证" in text
        assert "外场员工" not in text and "安全培训" not in text
    assert (
        zh("%(counter)s person overdue", "%(counter)s people overdue", 2) % {"counter": 2}
        in mine_mail.body
    )
    assert mine_mail.body.index("林晓雯") < mine_mail.body.index("陈思琪")  # most overdue first
    assert "外场员工" in their_mail.body and "林晓雯" not in their_mail.body
    assert "/supervision/?program=" in mine_mail.body
    assert notifications.supervisor_digests_send(today=today) == 0  # once a day

    # Long lists are cut, and say how many more there are.
    monkeypatch.setattr(reminder_selectors, "DIGEST_NAMES", 1)
    mail.outbox.clear()
    assert notifications.supervisor_digests_send(today=today + timedelta(days=1)) == 2
    body = next(m.body for m in mail.outbox if m.to == ["wang@example.cn"])
    assert "林晓雯" in body and "陈思琪" not in body
    assert zh("and %(counter)s more", "and %(counter)s more", 1) % {"counter": 1} in body


def test_supervisors_with_nothing_to_report_or_no_address_get_no_digest(db, today, org):
    supervisor, mine, _colleague, _other = org
    program = make_program("前台客服上岗认证", "front-desk")
    assign(program, today - timedelta(days=1), user=mine.user)
    assert notifications.supervisor_digests_send(today=today) == 0  # no e-mail address
    supervisor.user.email = "wang@example.cn"
    supervisor.user.save()
    mine.user.email = "lin@example.cn"  # reachable: not listed in the digest as unreachable
    mine.user.save()
    for assignment in Assignment.objects.all():  # re-dated one by one, as the platform does
        assignment.due_on = today + timedelta(days=1)
        assignment.save()
    # Nothing overdue, expiring or expired.
    assert notifications.supervisor_digests_send(today=today) == 0
    assert mail.outbox == []


# --- the task and the command --------------------------------------------------------------


def test_the_command_runs_the_daily_task_and_prints_the_counts(db, today, org):
    supervisor, mine, _colleague, _other = org
    for user in (supervisor.user, mine.user):
        user.email = f"{user.username}@example.cn"
        user.save()
    assign(
        make_program("前台客服上岗认证", "front-desk"), today - timedelta(days=1), user=mine.user
    )

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().splitlines() == [
        "Re-assigned 0, reminded 1 learners, sent 1 digests",
        "Messages by channel: email 2",
    ]

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue().strip() == "Re-assigned 0, reminded 0 learners, sent 0 digests"

    # Next day her address is gone: she is counted, and her supervisor's digest names her.
    mine.user.email = ""
    mine.user.save()
    out = StringIO()
    call_command("send_reminders", "--date", (today + timedelta(days=1)).isoformat(), stdout=out)
    assert out.getvalue().splitlines() == [
        "Re-assigned 0, reminded 0 learners, sent 1 digests",
        "Messages by channel: email 1",
        "1 people needing a reminder have no channel: their supervisors' digests and "
        "dashboards list them",
    ]
    assert len(mail.outbox) == 3
    assert "无法提醒：没有邮箱" in mail.outbox[-1].body and "林晓雯" in mail.outbox[-1].body


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_reminders", "--date", "2026-13-01")
