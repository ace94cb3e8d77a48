"""The learning events stored in the other apps, read as `statements.Event`s.

One reader serves live sending (the events of one learner after new evidence) and the
history export (everything since a date): the statements come from the rows, never from
the moment, so both give the same ids and the same content.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import Q

from certification.models import Certificate, Observation
from courses.models import LessonProgress
from quizzes.models import Attempt, AttemptQuestion, AttemptState
from roleplays.models import Run, RunState, RunStep

from .statements import Config, Event, Learner, Score, statement_id


def config() -> Config:
    public_url = settings.PUBLIC_BASE_URL
    return Config(
        public_url=public_url,
        home_page=settings.XAPI["home_page"] or public_url,
        use_mbox=settings.XAPI["actor_mbox"],
    )


def learner(user) -> Learner:
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        return Learner(staff_id=profile.employee_number, name=profile.name, email=user.email)
    return Learner(staff_id=f"user-{user.pk}", name=user.get_full_name(), email=user.email)


def _since(field: str, since: datetime | None, user_ids: Iterable[int] | None, user="user"):
    q = Q()
    if since is not None:
        q &= Q(**{f"{field}__gte": since})
    if user_ids is not None:
        q &= Q(**{f"{user}_id__in": list(user_ids)})
    return q


def lesson_events(since=None, user_ids=None) -> Iterator[Event]:
    rows = LessonProgress.objects.filter(
        _since("completed_at", since, user_ids), completed_at__isnull=False
    ).select_related("user__staff_profile", "lesson")
    for row in rows.order_by("completed_at", "pk"):
        yield Event(
            kind="lesson-completed",
            key=row.pk,
            learner=learner(row.user),
            verb="completed",
            activity=("lesson", row.lesson_id),
            activity_type="lesson",
            name=row.lesson.title,
            timestamp=row.completed_at,
            completion=True,
        )


def _finished_attempts(since, user_ids):
    return Attempt.objects.filter(
        _since("finished_at", since, user_ids),
        state=AttemptState.FINISHED,
        finished_at__isnull=False,
        percent__isnull=False,
    )


def attempt_events(since=None, user_ids=None) -> Iterator[Event]:
    attempts = _finished_attempts(since, user_ids).select_related("user__staff_profile", "quiz")
    for attempt in attempts.order_by("finished_at", "pk"):
        who = learner(attempt.user)
        score = Score(raw=attempt.points or 0.0, max=attempt.max_points or 0.0)
        common = {
            "learner": who,
            "activity": ("quiz", attempt.quiz_id),
            "activity_type": "assessment",
            "name": attempt.quiz.title,
            "timestamp": attempt.finished_at,
            "score": score,
            "extensions": {"attempt": attempt.number},
        }
        yield Event(
            kind="attempt-completed", key=attempt.pk, verb="completed", completion=True, **common
        )
        yield Event(
            kind="attempt-result",
            key=attempt.pk,
            verb="passed" if attempt.passed else "failed",
            success=bool(attempt.passed),
            **common,
        )
    questions = (
        AttemptQuestion.objects.filter(
            attempt__in=_finished_attempts(since, user_ids), answered_at__isnull=False
        )
        .select_related("attempt__user__staff_profile", "attempt__quiz", "version__question")
        .order_by("attempt__finished_at", "attempt_id", "position")
    )
    for row in questions:
        attempt = row.attempt
        yield Event(
            kind="attempt-answered",
            key=row.pk,
            learner=learner(attempt.user),
            verb="answered",
            activity=("question", row.version.question_id),
            activity_type="question",
            name=row.version.question.name,
            timestamp=row.answered_at,
            score=Score(raw=round((row.fraction or 0.0) * row.mark, 4), max=row.mark),
            success=None if row.fraction is None else row.fraction >= 1.0,
            parent=("quiz", attempt.quiz_id, attempt.quiz.title),
            extensions={"attempt": attempt.number, "position": row.position},
        )


def _finished_runs(since, user_ids):
    return Run.objects.filter(
        _since("finished_at", since, user_ids),
        state=RunState.FINISHED,
        finished_at__isnull=False,
    )


def roleplay_events(since=None, user_ids=None) -> Iterator[Event]:
    runs = _finished_runs(since, user_ids).select_related("user__staff_profile", "scenario")
    for run in runs.order_by("finished_at", "pk"):
        yield Event(
            kind="run-result",
            key=run.pk,
            learner=learner(run.user),
            verb="passed" if run.passed else "failed",
            activity=("roleplay", run.scenario_id),
            activity_type="simulation",
            name=run.scenario.title,
            timestamp=run.finished_at,
            score=Score(raw=round(run.overall_percent or 0.0, 2), max=100.0),
            success=bool(run.passed),
            completion=True,
            extensions={"ending": run.ending, "dimensions": run.scores},
        )
    steps = (
        RunStep.objects.filter(run__in=_finished_runs(since, user_ids))
        .select_related("run__user__staff_profile", "run__scenario")
        .order_by("run__finished_at", "run_id", "number")
    )
    for step in steps:
        run = step.run
        yield Event(
            kind="run-choice",
            key=step.pk,
            learner=learner(run.user),
            verb="responded",
            activity=("roleplay", f"{run.scenario_id}/{step.node}"),
            activity_type="interaction",
            name=f"{run.scenario.title} · {step.node}",
            timestamp=step.created_at,
            response=step.choice,
            parent=("roleplay", run.scenario_id, run.scenario.title),
            extensions={
                "node": step.node,
                "choice": step.choice,
                "target": step.target,
                "dimensions": step.points,
            },
        )


def observation_events(since=None, user_ids=None) -> Iterator[Event]:
    rows = Observation.objects.filter(_since("created_at", since, user_ids)).select_related(
        "user__staff_profile", "observer__staff_profile"
    )
    for row in rows.order_by("created_at", "pk"):
        yield Event(
            kind="observation-recorded",
            key=row.pk,
            learner=learner(row.user),
            verb="passed" if row.passed else "failed",
            activity=("observation", "checklist"),
            activity_type="performance",
            name="岗位观察",
            timestamp=row.created_at,
            success=row.passed,
            instructor=learner(row.observer),
            extensions={"observed_on": row.observed_on.isoformat(), "checklist": row.results},
        )


def certificate_events(since=None, user_ids=None) -> Iterator[Event]:
    issued = Certificate.objects.filter(_since("created_at", since, user_ids)).select_related(
        "user__staff_profile", "program"
    )
    for cert in issued.order_by("created_at", "pk"):
        yield Event(
            kind="certificate-issued",
            key=cert.pk,
            learner=learner(cert.user),
            verb="earned",
            activity=("program", cert.program_id),
            activity_type="certificate",
            name=cert.program.name,
            timestamp=cert.created_at,
            extensions={"serial": cert.serial, "version": cert.version},
        )
    revoked = Certificate.objects.filter(
        _since("revoked_at", since, user_ids), revoked_at__isnull=False
    ).select_related("user__staff_profile", "program")
    for cert in revoked.order_by("revoked_at", "pk"):
        yield Event(
            kind="certificate-revoked",
            key=cert.pk,
            learner=learner(cert.user),
            verb="voided",
            activity=("program", cert.program_id),
            activity_type="certificate",
            name=cert.program.name,
            timestamp=cert.revoked_at,
            voids=statement_id("certificate-issued", cert.pk),
        )


READERS = (lesson_events, attempt_events, roleplay_events, observation_events, certificate_events)


def all_events(*, since: datetime | None = None, user_ids=None) -> Iterator[Event]:
    for read in READERS:
        yield from read(since=since, user_ids=user_ids)
