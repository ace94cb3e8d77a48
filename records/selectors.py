"""Reads: one person's evidence per competency, their levels, and a record with its history.

The evidence is read with one query set per kind (modules, quizzes, role-plays,
observations, certificates, practice cards), whatever the number of competencies and content.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from academy.models import Competency
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from . import levels
from .models import CompetencyRecord, Level, Source

if TYPE_CHECKING:
    from practice.selectors import Activity

# Reasons the system writes into the history; stored untranslated, translated when shown.
REASON_NEW_EVIDENCE = gettext_noop("New learning evidence")
REASON_PRACTICE_RECALL = gettext_noop("Sustained recall of the practice cards")
SYSTEM_REASONS = frozenset({REASON_NEW_EVIDENCE, REASON_PRACTICE_RECALL})


def evidence_by_competency(
    user, competencies: list[Competency], *, today: date | None = None
) -> dict[int, levels.CompetencyEvidence]:
    """What `user` has done, per competency id (every competency given has an entry)."""
    from certification.models import Certificate, Observation
    from certification.rules import VALID
    from courses.models import ModulePage
    from courses.selectors import module_summaries_for
    from practice.selectors import recall_by_competency
    from quizzes.models import Quiz
    from quizzes.selectors import quiz_results_for
    from roleplays import engine
    from roleplays.models import Run, RunState

    today = today or timezone.localdate()
    evidence = {c.pk: levels.CompetencyEvidence() for c in competencies}
    by_slug = {c.slug: c.pk for c in competencies}

    modules = list(ModulePage.objects.live().filter(competency__in=list(evidence)).order_by("path"))
    competency_of_module = {m.pk: m.competency_id for m in modules}
    for progress in module_summaries_for(user, modules=modules):
        if progress.status == "completed":
            evidence[competency_of_module[progress.module_id]].completed_modules.append(
                progress.title
            )

    quizzes = {
        pk: (competency_id, title)
        for pk, competency_id, title in Quiz.objects.filter(
            competency__in=list(evidence)
        ).values_list("pk", "competency_id", "title")
    }
    for quiz_id, (percent, passed) in sorted(quiz_results_for(user, list(quizzes)).items()):
        competency_id, title = quizzes[quiz_id]
        evidence[competency_id].quizzes.append(levels.Scored(title, percent or 0, passed))

    # Per scenario, the run that counts (roleplays.engine.best_run).
    scenarios: dict[int, tuple[int, str]] = {}
    runs: defaultdict[int, list[engine.RunResult]] = defaultdict(list)
    for scenario_id, competency_id, title, percent, passed in Run.objects.filter(
        user=user, state=RunState.FINISHED, scenario__competency__in=list(evidence)
    ).values_list(
        "scenario_id", "scenario__competency_id", "scenario__title", "overall_percent", "passed"
    ):
        scenarios[scenario_id] = (competency_id, title)
        runs[scenario_id].append(engine.RunResult(percent or 0, bool(passed)))
    for scenario_id, scenario_runs in runs.items():
        competency_id, title = scenarios[scenario_id]
        best = engine.best_run(scenario_runs)
        evidence[competency_id].roleplays.append(levels.Scored(title, best.percent, best.passed))

    for observed_on, results in Observation.objects.filter(user=user).values_list(
        "observed_on", "results"
    ):
        for slug in levels.observed_competencies(results or {}):
            if slug in by_slug:
                evidence[by_slug[slug]].observations.append(observed_on)

    certificates = (
        Certificate.objects.filter(user=user)
        .with_status(today)
        .filter(status_today=VALID)
        .select_related("program")
        .prefetch_related("program__competencies")
    )
    for certificate in certificates:
        for competency in certificate.program.competencies.all():
            if competency.pk in evidence:
                evidence[competency.pk].certificates.append(certificate.program.name)

    for competency_id, recall in recall_by_competency(user).items():
        if competency_id in evidence:
            evidence[competency_id].practice_cards = recall.cards
            evidence[competency_id].practice_held = recall.held
    return evidence


def derived_levels_for(
    user, competencies: list[Competency] | None = None, *, today: date | None = None
) -> dict[int, levels.Derivation]:
    competencies = list(Competency.objects.all()) if competencies is None else competencies
    return {
        competency_id: levels.derive_level(evidence)
        for competency_id, evidence in evidence_by_competency(
            user, competencies, today=today
        ).items()
    }


@dataclass
class LevelRow:
    """One competency of one person, as the pages show it (0 when there is no record)."""

    competency: Competency
    level: int = levels.NOT_STARTED
    derived_level: int = levels.NOT_STARTED
    source: str = Source.EVIDENCE
    updated_at: datetime | None = None
    evidence: list[str] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    practice_cards: int = 0  # the competency's practice cards (lessons), and …
    practice_held: int = 0  # … how many of them the person holds

    @property
    def label(self) -> str:
        return Level(self.level).label

    @property
    def derived_label(self) -> str:
        return Level(self.derived_level).label

    @property
    def adjusted(self) -> bool:
        return self.source == Source.SUPERVISOR

    @property
    def percent(self) -> int:
        return 100 * self.level // levels.MAX_LEVEL


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str  # empty: the system, from the evidence
    old_level: int | None  # None when the record was created
    new_level: int
    reason: str
    source: str

    @property
    def old_label(self) -> str:
        return Level(self.old_level).label if self.old_level is not None else ""

    @property
    def new_label(self) -> str:
        return Level(self.new_level).label


def competency_levels_for(user) -> list[LevelRow]:
    """The person's level in every competency, in the competencies' order (two queries)."""
    records = {r.competency_id: r for r in CompetencyRecord.objects.filter(user=user)}
    rows = []
    for competency in Competency.objects.all():
        row = LevelRow(competency)
        record = records.get(competency.pk)
        if record is not None:
            row.level, row.derived_level = record.level, record.derived_level
            row.source, row.updated_at = record.source, record.updated_at
        rows.append(row)
    return rows


def levels_by_user(user_ids) -> dict[int, dict[int, int]]:
    """{user id: {competency id: level}} for many people in one query (staff lists)."""
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for user_id, competency_id, level in CompetencyRecord.objects.filter(
        user_id__in=list(user_ids)
    ).values_list("user_id", "competency_id", "level"):
        result[user_id][competency_id] = level
    return result


def _person_name(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return profile.name if profile is not None else (user.get_full_name() or user.username)


def _shown_reason(reason: str | None) -> str:
    reason = reason or ""
    return _(reason) if reason in SYSTEM_REASONS else reason


def history_by_competency(user) -> dict[int, list[HistoryEntry]]:
    """Every change to the person's records, newest first, per competency (one query)."""
    rows = (
        CompetencyRecord.history.filter(user_id=user.pk)
        .select_related("history_user__staff_profile")
        .order_by("competency_id", "history_date", "history_id")
    )
    by_competency: dict[int, list[HistoryEntry]] = defaultdict(list)
    previous: dict[int, int] = {}
    for row in rows:
        by_competency[row.competency_id].append(
            HistoryEntry(
                when=row.history_date,
                who=_person_name(row.history_user),
                old_level=previous.get(row.competency_id),
                new_level=row.level,
                reason=_shown_reason(row.history_change_reason),
                source=row.source,
            )
        )
        previous[row.competency_id] = row.level
    return {key: entries[::-1] for key, entries in by_competency.items()}


def evidence_lines(derivation: levels.Derivation) -> list[str]:
    """The evidence behind a level, in words."""
    lines = []
    for reason in derivation.reasons:
        values = {
            "subject": reason.subject,
            "percent": f"{reason.percent:.0f}" if reason.percent is not None else "",
        }
        if reason.kind == levels.MODULE_COMPLETED:
            lines.append(_("Completed every lesson of the module “%(subject)s”") % values)
        elif reason.kind == levels.QUIZ_PASSED:
            lines.append(_("Passed the quiz “%(subject)s” (%(percent)s%%)") % values)
        elif reason.kind == levels.QUIZ_FINISHED:
            lines.append(_("Took the quiz “%(subject)s” (%(percent)s%%, not passed)") % values)
        elif reason.kind == levels.ROLEPLAY_PASSED:
            lines.append(_("Passed the role-play “%(subject)s” (%(percent)s%%)") % values)
        elif reason.kind == levels.ROLEPLAY_FINISHED:
            lines.append(
                _("Finished the role-play “%(subject)s” (%(percent)s%%, not passed)") % values
            )
        elif reason.kind == levels.OBSERVATION_MET:
            lines.append(
                _("Observed at work on %(day)s: every item of this competency met")
                % {"day": reason.on.isoformat() if reason.on else ""}
            )
        elif reason.kind == levels.CERTIFICATE_VALID:
            lines.append(_("Holds a valid certificate: %(subject)s") % values)
        elif reason.kind == levels.PRACTICE_RECALLED:
            lines.append(
                _("Sustained recall in daily practice: held %(held)d of %(cards)d cards")
                % {"held": reason.held or 0, "cards": reason.cards or 0}
            )
    return lines


def person_record(person, *, today: date | None = None) -> list[LevelRow]:
    """A staff member's record: per competency the level, the evidence behind it and its
    change history."""
    rows = competency_levels_for(person.user)
    evidence = evidence_by_competency(person.user, [row.competency for row in rows], today=today)
    history = history_by_competency(person.user)
    for row in rows:
        found = evidence[row.competency.pk]
        row.evidence = evidence_lines(levels.derive_level(found))
        row.history = history.get(row.competency.pk, [])
        row.practice_cards, row.practice_held = found.practice_cards, found.practice_held
    return rows


# --- practice on the person record ----------------------------------------------------------

# How a day of the 30-day strip is shaded, by its ratings: none, some, half a session (10),
# a full session (`practice.schedule.SESSION_CARDS`, 20) or more.
STRIP_STEPS = (1, 10, 20)


def strip_intensity(reviews: int) -> int:
    """0–3: how dark a day of the practice strip is."""
    return sum(reviews >= step for step in STRIP_STEPS)


@dataclass(frozen=True)
class StripDay:
    day: date
    reviews: int
    intensity: int  # 0–3 (`strip_intensity`)


@dataclass(frozen=True)
class CompetencyRecall:
    competency: Competency
    held: int
    cards: int
    counts: bool  # sustained recall by the level rule (`levels.recalled`)


@dataclass
class PracticeRecord:
    """What a person's record shows of their practice: how often and how well
    (`practice.selectors.Activity`), per competency how many cards they hold; never which
    card got which rating."""

    activity: Activity
    remembered_percent: int | None  # ratings other than 忘了 in the last 30 days
    strip: list[StripDay]
    competencies: list[CompetencyRecall]

    recall_share: int = levels.RECALL_SHARE_PERCENT
    min_cards: int = levels.MIN_PRACTICE_CARDS

    @property
    def practised(self) -> bool:
        return self.activity.cards_rated > 0 or self.activity.last_practised is not None

    @property
    def first_day(self) -> date | None:
        return self.strip[0].day if self.strip else None

    @property
    def last_day(self) -> date | None:
        return self.strip[-1].day if self.strip else None


def practice_record(user, rows: list[LevelRow], *, today: date | None = None) -> PracticeRecord:
    """The practice section of a person's record, from `practice.selectors.activity_for`
    (three queries) and the practice figures `person_record` already put on `rows`."""
    from practice.selectors import activity_for

    activity = activity_for(user, today)
    return PracticeRecord(
        activity=activity,
        remembered_percent=(
            round(100 * activity.recall_last_30) if activity.recall_last_30 is not None else None
        ),
        strip=[StripDay(day, n, strip_intensity(n)) for day, n in activity.by_day],
        competencies=[
            CompetencyRecall(
                row.competency,
                row.practice_held,
                row.practice_cards,
                levels.recalled(row.practice_cards, row.practice_held),
            )
            for row in rows
            if row.practice_cards
        ],
    )
