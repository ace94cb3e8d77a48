"""Records follow the real evidence (lessons, quizzes, role-plays, observations,
certificates); a supervisor's adjustment is kept with who and why; bad input is refused."""

import io

import pytest
from academy.errors import Kind
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certification.models import Program, ProgramRequirement
from certification.rules import OBSERVATION_CHECKLIST
from certification.services import observation_record
from courses.models import LessonPage, ModulePage
from quizzes import services as quiz_services
from records.models import CompetencyRecord
from records.selectors import competency_levels_for, person_record
from records.services import RecordsError, record_adjust, records_recompute_for
from roleplays import services as roleplay_services
from tests.factories import build_course, build_quiz, build_scenario, complete_lesson
from tests.roleplays.test_engine import leak_graph

pytestmark = pytest.mark.django_db

RIGHT = {1: "c-three", 2: ["m-hello", "m-thanks"], 3: "50", 4: "false"}
WRONG = {1: "c-five", 2: ["m-wei"], 3: "90", 4: "true"}


@pytest.fixture
def evidence_recorded(django_capture_on_commit_callbacks):
    """Run what the services announce after commit (certification and records listen)."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def take_quiz(user, quiz, answers):
    attempt = quiz_services.attempt_start(user=user, quiz=quiz)
    return quiz_services.attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


def play_well(user, scenario):
    run = roleplay_services.run_start(user=user, scenario=scenario)
    run = roleplay_services.run_choose(user=user, run_id=run.pk, node="N1", choice="a")
    return roleplay_services.run_choose(user=user, run_id=run.pk, node="N2", choice="c")


def levels_of(user) -> dict[str, int]:
    return {row.competency.slug: row.level for row in competency_levels_for(user)}


def all_met() -> dict[str, bool]:
    return {key: True for key, _label in OBSERVATION_CHECKLIST}


def test_levels_follow_the_real_evidence(org, competencies, evidence_recorded):
    person, supervisor = org["mine"], org["supervisor"]
    user = person.user
    assert levels_of(user) == {"etiquette": 0, "phrases": 0, "complaints": 0, "emergency": 0}

    build_course(modules=2, lessons_per_module=2)
    ModulePage.objects.filter(slug="module-1").update(competency=competencies["etiquette"])
    for lesson in LessonPage.objects.filter(slug__startswith="lesson-1-"):
        evidence_recorded(complete_lesson, user=user, lesson=lesson)
    assert levels_of(user)["etiquette"] == 1

    quiz = build_quiz(competency=competencies["phrases"])
    program = Program.objects.create(name="规范用语认证", code="phrases", validity_months=12)
    program.competencies.add(competencies["phrases"])
    ProgramRequirement.objects.create(program=program, kind="quiz", quiz=quiz, min_percent=80)
    evidence_recorded(take_quiz, user, quiz, WRONG)
    assert levels_of(user)["phrases"] == 1
    evidence_recorded(take_quiz, user, quiz, RIGHT)  # passed, 100 %: the certificate follows
    assert levels_of(user)["phrases"] == 3

    scenario = build_scenario(leak_graph().to_dict(), competency=competencies["complaints"])
    evidence_recorded(play_well, user, scenario)
    assert levels_of(user)["complaints"] == 1  # practice without the quiz

    # Every item met: phrases now has certificate + 100 % quiz + observation.
    evidence_recorded(
        observation_record, observer=supervisor.user, person=person, results=all_met()
    )
    assert levels_of(user) == {"etiquette": 1, "phrases": 4, "complaints": 1, "emergency": 0}

    record = CompetencyRecord.objects.get(user=user, competency=competencies["phrases"])
    history = list(record.history.order_by("history_date", "history_id"))
    assert [h.level for h in history] == [1, 3, 4]
    assert {h.history_user for h in history} == {None}  # the evidence, not a person
    assert {h.history_change_reason for h in history} == {"New learning evidence"}
    row = next(r for r in person_record(person) if r.competency.slug == "phrases")
    assert any("规范用语认证" in line for line in row.evidence)
    assert any("100%" in line for line in row.evidence)


def test_recompute_is_idempotent(org, competencies):
    user = org["mine"].user
    quiz = build_quiz(competency=competencies["phrases"])
    take_quiz(user, quiz, RIGHT)  # announced, but not run: nothing listens outside commit
    changed = records_recompute_for(user)
    assert [r.competency.slug for r in changed] == ["phrases"]
    histories = CompetencyRecord.history.count()
    assert records_recompute_for(user) == []
    assert records_recompute_for(user) == []
    assert CompetencyRecord.history.count() == histories == 1
    assert CompetencyRecord.objects.count() == 1  # no record for competencies without evidence


def test_recompute_reads_evidence_in_constant_queries(org, competencies):
    user = org["mine"].user
    build_quiz(title="测验一", competency=competencies["phrases"])
    records_recompute_for(user)
    with CaptureQueriesContext(connection) as few:
        records_recompute_for(user)
    for n in range(3):
        quiz = build_quiz(title=f"更多测验{n}", competency=competencies["etiquette"])
        take_quiz(user, quiz, WRONG)
    records_recompute_for(user)
    with CaptureQueriesContext(connection) as many:
        records_recompute_for(user)
    assert len(many) == len(few)


def test_an_adjustment_is_kept_with_who_and_why_until_the_evidence_changes(
    org, competencies, evidence_recorded
):
    person, supervisor = org["mine"], org["supervisor"]
    quiz = build_quiz(competency=competencies["phrases"])
    evidence_recorded(take_quiz, person.user, quiz, RIGHT)
    assert levels_of(person.user)["phrases"] == 2

    record = record_adjust(
        by=supervisor.user,
        person=person,
        competency=competencies["phrases"],
        level="3",
        reason="现场接待多次表现熟练",
    )
    assert (record.level, record.derived_level, record.source) == (3, 2, "supervisor")
    latest = record.history.first()
    assert latest.history_user == supervisor.user
    assert latest.history_change_reason == "现场接待多次表现熟练"
    # The same adjustment again (double click) is written once.
    record_adjust(
        by=supervisor.user,
        person=person,
        competency=competencies["phrases"],
        level=3,
        reason="现场接待多次表现熟练",
    )
    assert record.history.count() == 2

    assert records_recompute_for(person.user) == []  # same evidence: the adjustment stands
    assert levels_of(person.user)["phrases"] == 3

    scenario = build_scenario(leak_graph().to_dict(), competency=competencies["phrases"])
    evidence_recorded(play_well, person.user, scenario)  # quiz + role-play: derived 3
    record.refresh_from_db()
    assert (record.level, record.derived_level, record.source) == (3, 3, "evidence")
    assert record.history.first().history_change_reason == "New learning evidence"
    assert record.history.count() == 3

    entries = next(r for r in person_record(person) if r.competency.slug == "phrases").history
    assert [(e.old_level, e.new_level) for e in entries] == [(3, 3), (2, 3), (None, 2)]
    assert entries[1].who == "王建国" and entries[1].reason == "现场接待多次表现熟练"
    assert entries[0].who == "" and entries[0].reason == "新的学习证据"


def test_a_supervisor_can_set_a_level_without_evidence(org, competencies):
    person = org["mine"]
    record = record_adjust(
        by=org["supervisor"].user,
        person=person,
        competency=competencies["emergency"],
        level=1,
        reason="参加过消防演练",
    )
    assert (record.level, record.derived_level) == (1, 0)
    assert records_recompute_for(person.user) == []
    assert levels_of(person.user)["emergency"] == 1


@pytest.mark.parametrize("level", [5, -1, "abc", "", "2.5", None, True, 4.0])
def test_a_level_outside_0_to_4_is_refused(org, competencies, level):
    with pytest.raises(RecordsError) as refused:
        record_adjust(
            by=org["supervisor"].user,
            person=org["mine"],
            competency=competencies["phrases"],
            level=level,
            reason="理由",
        )
    assert refused.value.kind is Kind.INVALID
    assert refused.value.message == "等级必须是 0 到 4 之间的整数。"
    assert not CompetencyRecord.objects.exists() and not CompetencyRecord.history.exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_an_adjustment_without_a_reason_is_refused(org, competencies, reason):
    with pytest.raises(RecordsError) as refused:
        record_adjust(
            by=org["supervisor"].user,
            person=org["mine"],
            competency=competencies["phrases"],
            level=2,
            reason=reason,
        )
    assert refused.value.kind is Kind.INVALID and refused.value.message == "请填写调整等级的原因。"
    assert not CompetencyRecord.history.exists()


def test_an_adjustment_reason_over_the_limit_is_refused(org, competencies):
    from academy import limits

    with pytest.raises(RecordsError) as refused:
        record_adjust(
            by=org["supervisor"].user,
            person=org["mine"],
            competency=competencies["phrases"],
            level=2,
            reason="因" * (limits.REASON + 1),
        )
    assert refused.value.kind is Kind.INVALID
    assert refused.value.message == (
        f"原因太长：最多 {limits.REASON} 个字符，现在有 {limits.REASON + 1} 个。"
    )
    assert not CompetencyRecord.history.exists()


def test_only_the_persons_supervisor_may_adjust(org, competencies):
    cases = [
        (org["other_supervisor"].user, org["mine"]),  # another site's supervisor
        (org["mine"].user, org["mine"]),  # a learner, even about themselves
        (org["stranger"].user, org["mine"]),  # a learner about someone else
        (org["supervisor"].user, org["supervisor"]),  # a supervisor about themselves
        (org["supervisor"].user, org["stranger"]),  # outside the supervisor's sites
    ]
    for by, person in cases:
        with pytest.raises(RecordsError) as refused:
            record_adjust(
                by=by, person=person, competency=competencies["phrases"], level=3, reason="理由"
            )
        assert refused.value.kind is Kind.NOT_FOUND
    assert not CompetencyRecord.history.exists()


def test_a_team_supervisor_may_adjust_their_team(org, competencies):
    lead = org["other_supervisor"]
    lead.supervised_sites.clear()
    lead.supervised_teams.add(org["mine"].team)
    record = record_adjust(
        by=lead.user,
        person=org["mine"],
        competency=competencies["phrases"],
        level=2,
        reason="班组长考核",
    )
    assert record.level == 2


def test_the_recompute_command_catches_up_and_is_idempotent(org, competencies):
    quiz = build_quiz(competency=competencies["phrases"])
    take_quiz(org["mine"].user, quiz, RIGHT)  # after-commit announcement not run here
    out = io.StringIO()
    call_command("recompute_records", stdout=out)
    assert "1 records changed" in out.getvalue()
    assert levels_of(org["mine"].user)["phrases"] == 2
    out = io.StringIO()
    call_command("recompute_records", stdout=out)
    assert "0 records changed" in out.getvalue()
