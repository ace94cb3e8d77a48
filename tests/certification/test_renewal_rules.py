"""Renewal and requirement progress as plain Python: `certification.rules` (no database)."""

from datetime import date, timedelta

from certification import rules

EXPIRES = date(2027, 3, 10)
OPENS = EXPIRES - timedelta(days=rules.RENEWAL_WINDOW_DAYS)


def held_on(today, *, expires_on=EXPIRES, has_current=True):
    return rules.standing(current_expires_on=expires_on, has_current=has_current, today=today)


def test_the_renewal_window_opens_thirty_days_before_expiry():
    assert rules.RENEWAL_WINDOW_DAYS == 30
    assert rules.renewal_opens(EXPIRES) == date(2027, 2, 8)


def test_standing_before_during_and_after_the_window():
    # None held: every piece of evidence counts, a certificate is due once all are met.
    first = rules.standing(current_expires_on=None, has_current=False, today=EXPIRES)
    assert first == rules.Standing(held=False)
    assert not first.renewing and first.evidence_from is None

    before = held_on(OPENS - timedelta(days=1))
    assert before.held and not before.renewing and before.renew_by == EXPIRES
    assert before.evidence_from is None  # the list shows all evidence; nothing is issued

    for today in (OPENS, EXPIRES):  # the window's first and last day
        during = held_on(today)
        assert during.held and during.renewing and during.evidence_from == OPENS

    after = held_on(EXPIRES + timedelta(days=1))
    assert not after.held and not after.renewing
    assert after.evidence_from == OPENS  # late renewal: still only fresh evidence

    never = held_on(EXPIRES, expires_on=None)
    assert never.held and not never.renewing and never.renew_by is None


def test_the_next_certificate_of_a_renewal_starts_when_the_old_one_ends():
    next_one = rules.next_certificate(
        held_on(OPENS + timedelta(days=3)), today=OPENS, validity_months=12
    )
    assert next_one == rules.NextCertificate(
        valid_from=EXPIRES, expires_on=date(2028, 3, 10), renews=True
    )
    # Renewing on the last day gives the same dates: early renewal loses nothing.
    assert rules.next_certificate(held_on(EXPIRES), today=EXPIRES, validity_months=12) == next_one


def test_no_certificate_is_due_while_one_is_held_outside_its_window():
    assert (
        rules.next_certificate(held_on(OPENS - timedelta(days=1)), today=OPENS, validity_months=12)
        is None
    )
    assert (
        rules.next_certificate(held_on(EXPIRES, expires_on=None), today=EXPIRES, validity_months=12)
        is None
    )


def test_a_first_certificate_and_one_after_expiry_start_today():
    today = date(2027, 5, 31)
    for held in (rules.Standing(held=False), held_on(today)):  # none held; expired in March
        assert rules.next_certificate(
            held, today=today, validity_months=6
        ) == rules.NextCertificate(valid_from=today, expires_on=date(2027, 11, 30), renews=False)
    assert rules.next_certificate(rules.Standing(held=False), today=today, validity_months=0) == (
        rules.NextCertificate(valid_from=today, expires_on=None, renews=False)
    )


LESSONS = rules.Requirement(rules.LESSONS, 5)
QUIZ = rules.Requirement(rules.QUIZ, 7, min_percent=80)
ROLEPLAY = rules.Requirement(rules.ROLEPLAY, 9, min_percent=70)
EMPATHY = rules.Requirement(rules.ROLEPLAY, 9, min_percent=80, dimension="empathy")
OBSERVED = rules.Requirement(rules.OBSERVATION, 0)


def test_progress_of_each_kind_of_requirement():
    nothing = rules.Evidence(module_lessons={5: (0, 5)})
    assert [
        rules.requirement_progress(r, nothing).state for r in (LESSONS, QUIZ, ROLEPLAY, OBSERVED)
    ] == [rules.NOT_STARTED] * 4

    evidence = rules.Evidence(
        module_lessons={5: (3, 5)},
        quiz_best={7: (60.0, False)},
        roleplay_tried={9: 40.0},
    )
    assert rules.requirement_progress(LESSONS, evidence) == rules.Progress(
        rules.IN_PROGRESS, done=3, total=5
    )
    assert rules.requirement_progress(QUIZ, evidence) == rules.Progress(
        rules.IN_PROGRESS, best=60.0
    )
    assert rules.requirement_progress(ROLEPLAY, evidence) == rules.Progress(
        rules.IN_PROGRESS, best=40.0
    )

    done = rules.Evidence(
        completed_modules={5},
        module_lessons={5: (5, 5)},
        quiz_best={7: (85.0, True)},
        roleplay_best={9: (90.0, True)},
        roleplay_tried={9: 90.0},
        roleplay_dimensions={9: {"empathy": 60.0}},
        observation_passed=True,
    )
    assert rules.requirement_progress(LESSONS, done) == rules.Progress(rules.MET, 5, 5)
    assert rules.requirement_progress(QUIZ, done) == rules.Progress(rules.MET, best=85.0)
    assert rules.requirement_progress(ROLEPLAY, done) == rules.Progress(rules.MET, best=90.0)
    assert rules.requirement_progress(OBSERVED, done).met
    # One dimension: its best percentage among passed runs, not the overall one.
    assert rules.requirement_progress(EMPATHY, done) == rules.Progress(rules.IN_PROGRESS, best=60.0)


def test_a_quiz_waiting_for_its_grade_is_awaiting_grading_not_missing():
    evidence = rules.Evidence(quizzes_awaiting_grading={7})
    assert rules.requirement_progress(QUIZ, evidence).state == rules.AWAITING_GRADING
    evidence.quiz_best[7] = (50.0, False)  # an earlier attempt failed: the new one may pass
    assert rules.requirement_progress(QUIZ, evidence) == rules.Progress(
        rules.AWAITING_GRADING, best=50.0
    )
    evidence.quiz_best[7] = (90.0, True)  # passed already: a further attempt changes nothing
    assert rules.requirement_progress(QUIZ, evidence).state == rules.MET


def test_a_holder_sees_a_requirement_added_since_as_needed_for_renewal():
    evidence = rules.Evidence(completed_modules=set(), module_lessons={5: (4, 5)})  # a 5th lesson
    held = held_on(OPENS - timedelta(days=60))
    shown = rules.shown_progress(LESSONS, evidence, held)
    assert shown == rules.Progress(rules.NEEDED_FOR_RENEWAL, done=4, total=5)
    # Met requirements stay met; someone without a certificate simply has it to do.
    assert rules.shown_progress(QUIZ, rules.Evidence(quiz_best={7: (90.0, True)}), held).met
    assert (
        rules.shown_progress(LESSONS, evidence, rules.Standing(held=False)).state
        == rules.IN_PROGRESS
    )
    # In the window the list is the renewal path: what is left to do, not "needed for renewal".
    assert rules.shown_progress(LESSONS, evidence, held_on(OPENS)).state == rules.IN_PROGRESS
