"""Issuing on new evidence, serials, recertification, revoking, verification."""

from datetime import date, timedelta

import pytest
from academy import limits
from academy.errors import Kind
from django.utils import timezone

from certification import rules, services
from certification.models import Certificate
from quizzes import services as quiz_services
from quizzes.models import Attempt
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db(transaction=True)  # issuing runs after commit

RIGHT = {1: "c-three", 2: ["m-hello", "m-thanks"], 3: "50", 4: "false"}


def pass_quiz(user, quiz, answers=RIGHT):
    attempt = quiz_services.attempt_start(user=user, quiz=quiz)
    return quiz_services.attempt_submit(user=user, attempt_id=attempt.pk, answers=answers)


def test_passing_the_last_requirement_issues_the_certificate_once(program):
    person = StaffFactory(name="𠮷田明")
    quiz = program.requirements.get().quiz
    pass_quiz(person.user, quiz, answers={1: "c-five"})  # failed: nothing issued
    assert not Certificate.objects.exists()
    pass_quiz(person.user, quiz)
    certificate = Certificate.objects.get()
    assert certificate.holder_name == "𠮷田明" and certificate.serial.startswith("KF-")
    # Issued today where the academy is (Asia/Shanghai), valid for the program's 12 months;
    # the dates add_months gives are checked in the test below.
    assert certificate.issued_on == timezone.localdate()
    assert certificate.expires_on == rules.add_months(certificate.issued_on, 12)
    pass_quiz(person.user, quiz)  # again: still one certificate
    assert Certificate.objects.count() == 1


def test_a_certificate_expires_validity_months_after_its_issue_day(program):
    # The same day that many months later, or the last day of a shorter month.
    for months, issued_on, expires_on in [
        (12, date(2026, 11, 23), date(2027, 11, 23)),
        (12, date(2027, 1, 31), date(2028, 1, 31)),
        (12, date(2028, 2, 29), date(2029, 2, 28)),  # 2029 has no 29 February
        (12, date(2028, 12, 31), date(2029, 12, 31)),
        (6, date(2027, 8, 31), date(2028, 2, 29)),  # a leap year's February
        (6, date(2028, 8, 31), date(2029, 2, 28)),
    ]:
        program.validity_months = months
        program.save(update_fields=["validity_months"])
        certificate = services.certificate_issue(
            user=StaffFactory().user, program=program, today=issued_on
        )
        assert (certificate.issued_on, certificate.expires_on) == (issued_on, expires_on)


def test_serials_are_gap_free_per_year(program):
    quiz = program.requirements.get().quiz
    for _ in range(3):
        pass_quiz(StaffFactory().user, quiz)
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    year = timezone.localdate().year
    assert serials == [f"KF-{year}-{n:06d}" for n in (1, 2, 3)]


def test_an_expired_certificate_is_superseded_by_recertification(program):
    person = StaffFactory()
    quiz = program.requirements.get().quiz
    pass_quiz(person.user, quiz)
    old = Certificate.objects.get()
    today = timezone.localdate()
    Certificate.objects.filter(pk=old.pk).update(
        issued_on=today - timedelta(days=400), expires_on=today - timedelta(days=35)
    )
    # The pass that earned it is older than its renewal window: it does not certify again.
    Attempt.objects.filter(user=person.user).update(
        submitted_at=timezone.now() - timedelta(days=400)
    )
    assert services.certificate_issue_if_eligible(user=person.user, program=program) is None
    pass_quiz(person.user, quiz)  # a fresh pass does
    new = Certificate.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert old.superseded_by == new and old.status(today) == "superseded"
    assert Certificate.objects.count() == 2  # both on record


def test_revoking_needs_a_reason_and_is_kept_in_history(program):
    supervisor = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    supervisor.supervised_sites.add(supervisor.site)
    person = StaffFactory(site=supervisor.site)
    pass_quiz(person.user, program.requirements.get().quiz)
    certificate = Certificate.objects.get()
    with pytest.raises(services.CertificationError):
        services.certificate_revoke(certificate=certificate, by=supervisor.user, reason="  ")
    outsider = StaffFactory(user__roles=["learner", "supervisor"], position="supervisor")
    outsider.supervised_sites.add(outsider.site)
    with pytest.raises(services.CertificationError) as refused:
        services.certificate_revoke(certificate=certificate, by=outsider.user, reason="不合格")
    assert refused.value.kind is Kind.NOT_FOUND
    with pytest.raises(services.CertificationError) as refused:
        services.certificate_revoke(
            certificate=certificate, by=supervisor.user, reason="作" * (limits.REASON + 1)
        )
    assert (
        refused.value.kind is Kind.INVALID
        and f"最多 {limits.REASON} 个字符" in refused.value.message
    )
    assert Certificate.objects.get().revoked_at is None
    services.certificate_revoke(certificate=certificate, by=supervisor.user, reason="考核作弊")
    certificate.refresh_from_db()
    assert certificate.status(timezone.localdate()) == "revoked"
    assert certificate.history.first().history_change_reason == "考核作弊"


def test_verification_page_and_json(client, program):
    person = StaffFactory(name="林晓雯")
    pass_quiz(person.user, program.requirements.get().quiz)
    certificate = Certificate.objects.get()
    page = client.get(f"/verify/{certificate.code}/").content.decode()
    assert "林晓雯" in page and "前台客服上岗认证" in page and certificate.serial in page
    assert person.employee_number not in page
    data = client.get(f"/verify/{certificate.code.lower()}/", HTTP_ACCEPT="application/json").json()
    assert data == {
        "holder": "林晓雯",
        "program": "前台客服上岗认证",
        "serial": certificate.serial,
        "issued_on": certificate.issued_on.isoformat(),
        "valid_from": certificate.issued_on.isoformat(),  # a renewal: the old one's expiry
        "expires_on": certificate.expires_on.isoformat(),
        "status": "valid",
    }
    assert client.get(f"/verify/{certificate.code[:-2]}/").status_code == 404  # truncated
    forged = "A" * len(certificate.code)
    assert client.get(f"/verify/{forged}/", HTTP_ACCEPT="application/json").status_code == 404
    typed = client.get("/verify/", {"code": certificate.code.lower()})
    assert typed.status_code == 200 and "林晓雯" in typed.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "a/b",
        "<script>x</script>",
        "../../admin/",
        "%00",
        "\x00",
        "x" * 5000,
        "KF-2026-000001/",
        "?code=1",
    ],
)
def test_anything_typed_into_the_verify_form_is_just_not_a_certificate(client, typed):
    response = client.get("/verify/", {"code": typed})
    assert response.status_code == 404
    page = response.content.decode()
    assert "没有与此验证码对应的证书" in page and "<script>x" not in page
    assert (
        client.get("/verify/", {"code": typed}, HTTP_ACCEPT="application/json").status_code == 404
    )


@pytest.mark.usefixtures("frozen_rate_window")
def test_the_verify_form_is_rate_limited_like_the_code_view(client):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get("/verify/", {"code": f"a/{n}"}).status_code for n in range(20)]
    statuses += [client.get("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/").status_code for _ in range(15)]
    assert statuses[0] == 404 and statuses[29] == 404 and statuses[30:] == [429] * 5
    assert client.get("/verify/").status_code == 200  # the empty form is no look-up


@pytest.mark.usefixtures("frozen_rate_window")
def test_verification_is_rate_limited(client):
    from django.core.cache import cache

    cache.clear()
    statuses = [client.get("/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/").status_code for _ in range(35)]
    assert statuses[0] == 404 and statuses[-1] == 429


def test_my_certificates_shows_what_is_missing_then_the_certificate(client, program):
    person = StaffFactory(name="林晓雯")
    client.force_login(person.user)
    page = client.get("/certificates/").content.decode()
    assert "前台客服上岗认证" in page and "○" in page
    pass_quiz(person.user, program.requirements.get().quiz)
    certificate = Certificate.objects.get()
    page = client.get("/certificates/").content.decode()
    assert certificate.serial in page and f"/verify/{certificate.code}/" in page


def test_a_role_play_dimension_requirement_counts_that_dimension(db):
    from certification.models import Program, ProgramRequirement
    from roleplays import services as roleplay_services
    from tests.factories import build_scenario, ensure_tree_roots
    from tests.roleplays.test_engine import leak_graph

    ensure_tree_roots()
    scenario = build_scenario(leak_graph().to_dict(), pass_mark=40)
    program = Program.objects.create(name="投诉处理专项认证", code="complaints")
    requirement = ProgramRequirement.objects.create(
        program=program, kind="roleplay", scenario=scenario, min_percent=100, dimension="resolution"
    )
    assert str(requirement).endswith("（解决问题）")
    person = StaffFactory()

    def play(*choices):
        run = roleplay_services.run_start(user=person.user, scenario=scenario)
        for key in choices:
            run = roleplay_services.run_choose(
                user=person.user, run_id=run.pk, node=run.current_node, choice=key
            )
        return run

    run = play("a", "d", "e")  # passed, empathy full, resolution 0 %
    assert run.passed and not Certificate.objects.exists()
    play("a", "c")  # the expert's path: resolution 100 %
    assert Certificate.objects.get().program == program
