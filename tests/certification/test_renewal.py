"""Renewing a certificate before it expires: fresh evidence in the window issues the next
certificate, valid from the day the old one ends; older evidence never counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from certification import rules, services
from certification.models import Certificate
from certification.selectors import my_certification
from quizzes.models import Attempt
from supervision import status as st
from supervision.models import ProgramProgress
from supervision.selectors import progress_status
from tests.certification.test_issuing import pass_quiz
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)  # issuing runs after commit


def expiring_in(certificate: Certificate, days: int) -> Certificate:
    """Moves a certificate's dates so that it expires `days` from today."""
    expires_on = timezone.localdate() + timedelta(days=days)
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=rules.add_months(expires_on, -12), expires_on=expires_on
    )
    certificate.refresh_from_db()
    return certificate


def backdate_attempts(user, days: int) -> None:
    Attempt.objects.filter(user=user).update(
        submitted_at=timezone.now() - timedelta(days=days),
        finished_at=timezone.now() - timedelta(days=days),
    )


def test_a_pass_in_the_window_renews_from_the_day_the_old_certificate_ends(program):
    person = StaffFactory()
    quiz = program.requirements.get().quiz
    pass_quiz(person.user, quiz)
    old = expiring_in(Certificate.objects.get(), days=10)
    backdate_attempts(person.user, days=40)  # before the window opened (20 days ago)
    today = timezone.localdate()

    # The old pass does not renew it.
    assert services.certificate_issue_if_eligible(user=person.user, program=program) is None
    assert Certificate.objects.count() == 1
    entry = my_certification(person.user, today)["programs"][0]
    assert entry.held and entry.standing.renewing
    assert entry.standing.renew_by == old.expires_on
    assert [row.progress.state for row in entry.rows] == [rules.NOT_STARTED]  # to do again

    pass_quiz(person.user, quiz)  # in the window: issues the next certificate at once

    new = Certificate.objects.exclude(pk=old.pk).get()
    old.refresh_from_db()
    assert new.issued_on == today
    assert new.valid_from == new.starts_on == old.expires_on  # no day lost, none uncovered
    assert new.expires_on == rules.add_months(old.expires_on, 12)
    assert new.serial != old.serial and new.version == 1  # a new certificate, not a correction
    assert old.superseded_by == new and old.status(today) == rules.SUPERSEDED
    assert new.status(today) == rules.VALID and new.renewed_early
    # Counted as compliant throughout: the progress row points at the new certificate.
    progress = ProgramProgress.objects.select_related("certificate").get(user=person.user)
    assert progress.certificate == new
    assert progress_status(progress, today) == st.CERTIFIED
    assert progress_status(progress, old.expires_on + timedelta(days=1)) == st.CERTIFIED
    # Once renewed, nothing more is issued.
    pass_quiz(person.user, quiz)
    assert Certificate.objects.count() == 2


def test_nothing_is_renewed_before_the_window_opens(program):
    person = StaffFactory()
    quiz = program.requirements.get().quiz
    pass_quiz(person.user, quiz)
    expiring_in(Certificate.objects.get(), days=rules.RENEWAL_WINDOW_DAYS + 1)
    pass_quiz(person.user, quiz)
    assert Certificate.objects.count() == 1


def test_after_expiry_only_fresh_evidence_certifies_again(program):
    person = StaffFactory()
    quiz = program.requirements.get().quiz
    pass_quiz(person.user, quiz)
    old = expiring_in(Certificate.objects.get(), days=-5)
    backdate_attempts(person.user, days=60)  # before that certificate's window opened
    assert services.certificate_issue_if_eligible(user=person.user, program=program) is None

    pass_quiz(person.user, quiz)

    new = Certificate.objects.exclude(pk=old.pk).get()
    today = timezone.localdate()
    assert (new.issued_on, new.starts_on) == (today, today)  # not back-dated to the expiry
    assert not new.renewed_early and new.valid_from == today
    old.refresh_from_db()
    assert old.superseded_by == new


def test_a_correction_of_a_renewal_keeps_its_dates(program):
    trainer = UserFactory(roles=["trainer"])
    person = StaffFactory()
    quiz = program.requirements.get().quiz
    pass_quiz(person.user, quiz)
    expiring_in(Certificate.objects.get(), days=3)
    pass_quiz(person.user, quiz)
    renewal = Certificate.objects.current().get()
    corrected = services.certificate_reissue(certificate=renewal, by=trainer, reason="改名")
    assert (corrected.serial, corrected.version) == (renewal.serial, 2)
    assert (corrected.valid_from, corrected.expires_on) == (renewal.valid_from, renewal.expires_on)
