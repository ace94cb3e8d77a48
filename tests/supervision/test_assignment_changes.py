"""Editing, extending and withdrawing assignments: who may, what is refused (and then nothing
is written), the reason kept in the history, and what follows — due dates, the learner's
list, reminders, re-assigning — on SQLite and PostgreSQL alike."""

from datetime import timedelta

import pytest
from academy.errors import Kind
from django.db.models import Q
from django.utils import timezone

from certification.models import Program
from certification.services import certificate_issue
from supervision import reminder_selectors, selectors, services
from supervision.models import Assignment, ProgramProgress
from supervision.services import SupervisionError
from tests.factories import StaffFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def day(n: int):
    return timezone.localdate() + timedelta(days=n)


@pytest.fixture
def world(org):
    supervisor, mine, colleague, other = org
    main = Program.objects.create(name="前台客服上岗认证", code="front-desk")
    spare = Program.objects.create(name="投诉处理专项认证", code="complaints")
    assignments = {
        "mine": Assignment.objects.create(program=main, user=mine.user, due_on=day(10)),
        "team": Assignment.objects.create(program=main, team=mine.team, due_on=day(20)),
        "site": Assignment.objects.create(
            program=spare, site=mine.site, position="front_desk", due_on=day(30)
        ),
        "other": Assignment.objects.create(program=main, user=other.user, due_on=day(10)),
        "other team": Assignment.objects.create(program=main, team=other.team, due_on=day(10)),
        "boss": Assignment.objects.create(program=main, user=supervisor.user, due_on=day(10)),
    }
    return {"org": org, "programs": (main, spare), "a": assignments}


def due_of(profile, program):
    return ProgramProgress.objects.get(user=profile.user, program=program).due_on


def history_of(assignment):
    return list(assignment.history.order_by("history_date", "history_id"))


# --- services ------------------------------------------------------------------------------


def test_extending_moves_the_due_date_and_keeps_who_and_why(world):
    supervisor, mine, colleague, _other = world["org"]
    main, _spare = world["programs"]
    assert due_of(mine, main) == day(10) and due_of(colleague, main) == day(20)

    services.assignment_extend(
        by=supervisor.user, assignment=world["a"]["mine"], due_on=day(40), reason="病假两周"
    )
    # Now the team's assignment (20) is the earliest covering her.
    assert due_of(mine, main) == day(20)
    assigned = {e.program: e.due_on for e in selectors.assignments_for(mine.user, day(0))}
    assert assigned[main] == day(20)
    services.assignment_extend(
        by=supervisor.user, assignment=world["a"]["team"], due_on=day(25), reason="旺季人手紧"
    )
    assert due_of(mine, main) == due_of(colleague, main) == day(25)
    latest = history_of(world["a"]["team"])[-1]
    assert latest.due_on == day(25) and latest.history_change_reason == "旺季人手紧"
    assert latest.history_user == supervisor.user


@pytest.mark.parametrize(
    ("due", "reason", "message"),
    [
        (40, "", "请填写延期的原因。"),
        (40, "   \n ", "请填写延期的原因。"),
        (-1, "补考", "新的截止日期已过，请选择今天或以后的日期。"),
        (10, "补考", f"延期后的截止日期必须晚于当前截止日期 {day(10).isoformat()}。"),
        (5, "补考", f"延期后的截止日期必须晚于当前截止日期 {day(10).isoformat()}。"),
        (40, "因" * 501, "最多 500 个字符"),
    ],
)
def test_a_refused_extension_changes_nothing(world, due, reason, message):
    supervisor, mine, _colleague, _other = world["org"]
    assignment = world["a"]["mine"]
    before = len(history_of(assignment))
    with pytest.raises(SupervisionError) as refused:
        services.assignment_extend(
            by=supervisor.user, assignment=assignment, due_on=day(due), reason=reason
        )
    assert refused.value.kind is Kind.INVALID and message in refused.value.message
    assignment.refresh_from_db()
    assert assignment.due_on == day(10) and len(history_of(assignment)) == before
    assert due_of(mine, world["programs"][0]) == day(10)


def test_editing_moves_the_assignment_to_another_program_and_date(world):
    supervisor, mine, _colleague, _other = world["org"]
    main, spare = world["programs"]
    services.assignment_edit(
        by=supervisor.user,
        assignment=world["a"]["mine"],
        program=spare,
        due_on=day(3),
        reason="分错了项目",
    )
    assert due_of(mine, main) == day(20)  # the team's assignment is left in the old program
    assert due_of(mine, spare) == day(3)
    with pytest.raises(SupervisionError) as unchanged:
        services.assignment_edit(
            by=supervisor.user,
            assignment=world["a"]["mine"],
            program=spare,
            due_on=day(3),
            reason="再保存一次",
        )
    assert unchanged.value.kind is Kind.INVALID
    main.active = False
    main.save()
    with pytest.raises(SupervisionError):
        services.assignment_edit(
            by=supervisor.user,
            assignment=world["a"]["mine"],
            program=main,
            due_on=day(3),
            reason="换回去",
        )


def test_withdrawing_keeps_the_assignment_and_stops_its_due_date_and_reminders(world):
    supervisor, mine, colleague, _other = world["org"]
    main, _spare = world["programs"]

    def reminded():
        """Who the daily run would remind today (everyone reachable), of which due dates."""
        return {
            r.user.pk: [e.due_on for e in r.entries]
            for r in reminder_selectors.learners_to_remind(day(0), due_soon_days=60, reachable=Q())
        }

    assert reminded()[mine.user_id] == [day(10), day(30)]
    services.assignment_withdraw(by=supervisor.user, assignment=world["a"]["mine"], reason="调岗")
    services.assignment_withdraw(by=supervisor.user, assignment=world["a"]["team"], reason="重复")
    withdrawn = Assignment.objects.get(pk=world["a"]["mine"].pk)
    assert withdrawn.withdrawn_at is not None and withdrawn.withdrawn_by == supervisor.user
    assert withdrawn.withdraw_reason == "调岗"
    assert history_of(withdrawn)[-1].history_change_reason == "调岗"
    # Nothing of the main program covers her or her colleague now.
    assert due_of(mine, main) is None and due_of(colleague, main) is None
    assert [e.program for e in selectors.assignments_for(mine.user, day(0))] == [
        world["programs"][1]
    ]
    assert reminded().get(mine.user_id) == [day(30)]  # the position's assignment only

    with pytest.raises(SupervisionError) as again:
        services.assignment_extend(
            by=supervisor.user, assignment=withdrawn, due_on=day(50), reason="再延期"
        )
    assert again.value.kind is Kind.CONFLICT


def test_a_withdrawn_renewal_is_not_made_again_the_next_day(org, program):
    supervisor, mine, _colleague, _other = org
    certificate_issue(user=mine.user, program=program, today=day(-350))
    assert services.assignments_reassign_expiring(today=day(0)) == 1
    renewal = Assignment.objects.get(automatic=True)
    services.assignment_withdraw(by=supervisor.user, assignment=renewal, reason="已离开前台岗位")
    assert services.assignments_reassign_expiring(today=day(1)) == 0
    assert Assignment.objects.filter(automatic=True).count() == 1


@pytest.mark.parametrize("name", ["other", "other team", "boss"])
def test_a_supervisor_cannot_change_assignments_outside_their_sites_and_teams(world, name):
    supervisor, _mine, _colleague, _other = world["org"]
    assignment = world["a"][name]
    for change in (
        lambda: services.assignment_extend(
            by=supervisor.user, assignment=assignment, due_on=day(40), reason="延期"
        ),
        lambda: services.assignment_withdraw(
            by=supervisor.user, assignment=assignment, reason="撤销"
        ),
    ):
        with pytest.raises(SupervisionError) as refused:
            change()
        assert refused.value.kind is Kind.NOT_FOUND
    assignment.refresh_from_db()
    assert assignment.due_on == day(10) and assignment.withdrawn_at is None


def test_learners_cannot_and_trainers_can_change_any_assignment(world):
    _supervisor, mine, _colleague, other = world["org"]
    with pytest.raises(SupervisionError) as refused:
        services.assignment_withdraw(by=mine.user, assignment=world["a"]["mine"], reason="不想学")
    assert refused.value.kind is Kind.NOT_FOUND
    trainer = UserFactory(roles=["trainer"])
    services.assignment_extend(
        by=trainer, assignment=world["a"]["other"], due_on=day(45), reason="培训推迟"
    )
    assert due_of(other, world["programs"][0]) == day(10)  # other team's assignment, still 10
    assert Assignment.objects.get(pk=world["a"]["other"].pk).due_on == day(45)


def test_a_supervisor_of_one_team_changes_that_teams_assignments_only(world):
    _supervisor, mine, _colleague, _other = world["org"]
    lead = StaffFactory(user__roles=["learner", "supervisor"], team=TeamFactory(site=mine.site))
    lead.supervised_teams.add(mine.team)
    services.assignment_extend(
        by=lead.user, assignment=world["a"]["team"], due_on=day(22), reason="班组培训排期"
    )
    with pytest.raises(SupervisionError):  # a position at the site: the site's supervisor's
        services.assignment_withdraw(by=lead.user, assignment=world["a"]["site"], reason="撤")


# --- pages ---------------------------------------------------------------------------------


def test_the_list_offers_the_actions_and_a_change_returns_with_a_confirmation(client, world):
    supervisor, _mine, _colleague, _other = world["org"]
    client.force_login(supervisor.user)
    page = client.get("/supervision/assignments/").content.decode()
    mine, foreign = world["a"]["mine"], world["a"]["other"]
    assert f"/supervision/assignments/{mine.pk}/extend/" in page
    assert f"/supervision/assignments/{foreign.pk}/" not in page  # not theirs: not listed
    form = client.get(f"/supervision/assignments/{mine.pk}/extend/?next=/supervision/assignments/")
    assert form.status_code == 200 and "新的截止日期" in form.content.decode()
    done = client.post(
        f"/supervision/assignments/{mine.pk}/extend/",
        {"due_on": day(40).isoformat(), "reason": "病假", "next": "/supervision/assignments/"},
        follow=True,
    )
    assert done.redirect_chain == [("/supervision/assignments/", 302)]
    html = done.content.decode()
    assert f"已将 林晓雯 的前台客服上岗认证延期至 {day(40).isoformat()}。" in html
    history = client.get(f"/supervision/assignments/{mine.pk}/").content.decode()
    assert "原因：病假" in history and "王建国" in history
    assert f"{day(10).isoformat()} → {day(40).isoformat()}" in history


@pytest.mark.parametrize(
    ("action", "posted", "status", "shown"),
    [
        ("extend", {"due_on": "DAY40", "reason": ""}, 400, "请填写延期的原因。"),
        ("extend", {"due_on": "DAY-2", "reason": "补考"}, 400, "新的截止日期已过"),
        ("extend", {"due_on": "DAY5", "reason": "补考"}, 400, "必须晚于当前截止日期"),
        ("extend", {"due_on": "明天", "reason": "补考"}, 400, "有效的日期"),
        ("withdraw", {"reason": " "}, 400, "请填写撤销分配的原因。"),
        ("edit", {"program": "MAIN", "due_on": "DAY10", "reason": "改"}, 400, "没有任何修改"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    client, world, action, posted, status, shown
):
    supervisor, _mine, _colleague, _other = world["org"]
    assignment = world["a"]["mine"]
    values = {
        key: day(int(value[3:])).isoformat()
        if value.startswith("DAY")
        else (str(world["programs"][0].pk) if value == "MAIN" else value)
        for key, value in posted.items()
    }
    client.force_login(supervisor.user)
    page = client.post(f"/supervision/assignments/{assignment.pk}/{action}/", values)
    assert page.status_code == status
    assert shown in page.content.decode()
    assignment.refresh_from_db()
    assert assignment.due_on == day(10) and assignment.withdrawn_at is None
    assert assignment.history.count() == 1


def test_foreign_withdrawn_and_unknown_assignments(client, world):
    supervisor, mine, _colleague, _other = world["org"]
    client.force_login(supervisor.user)
    for name in ("other", "other team", "boss"):
        pk = world["a"][name].pk
        assert client.get(f"/supervision/assignments/{pk}/").status_code == 404
        assert (
            client.post(f"/supervision/assignments/{pk}/withdraw/", {"reason": "撤"}).status_code
            == 404
        )
    assert (
        client.get(f"/supervision/assignments/{world['a']['mine'].pk}/delete/").status_code == 404
    )
    services.assignment_withdraw(by=supervisor.user, assignment=world["a"]["mine"], reason="调岗")
    page = client.post(
        f"/supervision/assignments/{world['a']['mine'].pk}/extend/",
        {"due_on": day(40).isoformat(), "reason": "延期"},
    )
    assert page.status_code == 409 and "该分配已撤销" in page.content.decode()
    # An address elsewhere is not followed: back to the list instead.
    done = client.post(
        f"/supervision/assignments/{world['a']['team'].pk}/extend/",
        {"due_on": day(40).isoformat(), "reason": "延期", "next": "https://evil.example/"},
    )
    assert done["Location"] == "/supervision/assignments/"
    client.force_login(mine.user)
    assert client.get("/supervision/assignments/").status_code == 404


def test_the_person_record_lists_their_assignments_with_the_actions(client, world):
    supervisor, mine, _colleague, _other = world["org"]
    services.assignment_withdraw(by=supervisor.user, assignment=world["a"]["team"], reason="重复")
    client.force_login(supervisor.user)
    page = client.get(f"/people/{mine.pk}/").content.decode()
    section = page[
        page.index('id="assignments"') : page.index("</section>", page.index('id="assignments"'))
    ]
    mine_pk, team_pk, site_pk = (world["a"][n].pk for n in ("mine", "team", "site"))
    assert f"/supervision/assignments/{mine_pk}/withdraw/?next=/people/{mine.pk}/" in section
    assert f"/supervision/assignments/{site_pk}/extend/" in section
    assert f"/supervision/assignments/{team_pk}/extend/" not in section  # withdrawn
    assert "已撤销" in section and "原因：重复" in section
    # Her own record: what she is assigned, nothing to change.
    client.force_login(mine.user)
    page = client.get(f"/people/{mine.pk}/").content.decode()
    assert "前台客服上岗认证" in page and "/withdraw/" not in page
