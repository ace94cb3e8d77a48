"""Competency levels: the rule that turns one person's evidence for one competency into a
level from 0 to 4, and says why. Pure Python (no Django), tested without a database.

The levels, and what each needs (every level needs what the one below it needs, except that
a certificate stands on its own for level 3):

0 未学 Not started — no evidence at all.
1 了解 Aware — every lesson of a module of this competency completed, any finished quiz
  attempt or role-play of this competency (passed or not), or an observation in which it
  was met: the person has met the material.
2 掌握 Competent — the knowledge is checked: a quiz of this competency passed (its grade
  as the quiz's grading method decides: highest, latest, …), *or* sustained recall of its
  practice cards (below).
3 熟练 Proficient — level 2 *and* the knowledge applied: a role-play of this competency
  passed, or an on-the-job observation in which every checklist item belonging to this
  competency was met; *or* a valid certificate whose program covers the competency (the
  organisation has formally certified it, whatever its requirements were).
4 可带教 Can coach — a valid certificate covering it *and* a passed quiz of it at 90 % or
  more *and* either a passed role-play of it at 90 % or more or a met observation of it.
  Coaching others needs the formal certificate plus top marks in both knowing and doing.
  Practice never stands in for any of these three.

Sustained recall (daily practice): a competency with at least `MIN_PRACTICE_CARDS` active
lesson cards (the cards its modules' lessons make; not the cards of a learner's own wrong
quiz answers), of which the learner holds at least `RECALL_SHARE_PERCENT` % — held as
`practice.schedule.is_held` says: past the learning steps with an FSRS stability of at
least three weeks, which takes several successful reviews spread over weeks — has its
knowledge checked as a passed quiz has. So recall alone is level 2, and recall plus a
passed role-play or a met observation is level 3 without any quiz; level 4 still needs the
certificate and the 90 % quiz. Too few cards prove little, so a competency with fewer has
no recall evidence. A card that is forgotten again (rated 忘了) is no longer held, so the
level follows the learner's memory down as well as up. `Derivation.by_practice` says when
recall alone lifted the level (the history names it as the reason).

Observations: the checklist (certification.rules.OBSERVATION_CHECKLIST) is mapped item by
item to competencies in `OBSERVATION_COMPETENCIES`. An observation counts for a competency
when every item of *that* competency was met, even if another item (of another competency)
was missed: someone who greeted and saw out the owner perfectly has shown etiquette even if
the phone rang four times. Competencies without checklist items are never observed.

A quiz counts for the competency set on the quiz (`Quiz.competency`), not for the
competencies its individual questions are tagged with: passing a phrases quiz that contains
one etiquette question does not show etiquette.

`derive_level` also returns the evidence behind the level it reached (`Derivation.reasons`)
so the record page can show why; the caller turns the reason kinds into words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

NOT_STARTED, AWARE, COMPETENT, PROFICIENT, CAN_COACH = 0, 1, 2, 3, 4
MIN_LEVEL, MAX_LEVEL = NOT_STARTED, CAN_COACH
LEVELS = (NOT_STARTED, AWARE, COMPETENT, PROFICIENT, CAN_COACH)

COACH_PERCENT = 90  # the quiz (and role-play) mark that level 4 needs

MIN_PRACTICE_CARDS = 5  # a competency's lesson cards needed before recall counts
RECALL_SHARE_PERCENT = 80  # the share of them the learner must hold

# Observation checklist item → the competency (slug) it shows. One place for the mapping.
OBSERVATION_COMPETENCIES: dict[str, str] = {
    "uniform_badge": "etiquette",
    "greet_in_sight": "etiquette",
    "stand_to_receive": "etiquette",
    "see_out": "etiquette",
    "phone_three_rings": "phrases",
    "courtesy_phrases": "phrases",
    "listen_record": "phrases",
}

# Kinds of evidence a reason can name.
MODULE_COMPLETED = "module_completed"
QUIZ_FINISHED = "quiz_finished"
QUIZ_PASSED = "quiz_passed"
ROLEPLAY_FINISHED = "roleplay_finished"
ROLEPLAY_PASSED = "roleplay_passed"
OBSERVATION_MET = "observation_met"
CERTIFICATE_VALID = "certificate_valid"
PRACTICE_RECALLED = "practice_recalled"


@dataclass(frozen=True)
class Scored:
    """A quiz's grade or a role-play's best run: what it was, the percentage, passed or not."""

    title: str
    percent: float
    passed: bool


@dataclass
class CompetencyEvidence:
    """Everything one person has done that bears on one competency."""

    completed_modules: list[str] = field(default_factory=list)  # module titles
    quizzes: list[Scored] = field(default_factory=list)  # one grade per quiz with a result
    roleplays: list[Scored] = field(default_factory=list)  # one (best) result per scenario
    observations: list[date] = field(default_factory=list)  # days the competency was met
    certificates: list[str] = field(default_factory=list)  # valid certificates' programs
    practice_cards: int = 0  # the competency's active lesson cards
    practice_held: int = 0  # how many of them the learner holds


@dataclass(frozen=True)
class Reason:
    """One piece of evidence behind a level."""

    kind: str
    subject: str = ""  # module, quiz, scenario or program name
    percent: float | None = None
    on: date | None = None
    held: int | None = None  # practice: cards held …
    cards: int | None = None  # … of the competency's cards


@dataclass(frozen=True)
class Derivation:
    level: int
    reasons: tuple[Reason, ...] = ()
    by_practice: bool = False  # without the practice evidence the level would be lower


def is_level(value: object) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and (MIN_LEVEL <= value <= MAX_LEVEL)
    )


def observed_competencies(results: Mapping[str, bool]) -> set[str]:
    """The competencies (slugs) one observation shows: those whose every item was met."""
    items_by_competency: dict[str, list[str]] = {}
    for item, slug in OBSERVATION_COMPETENCIES.items():
        items_by_competency.setdefault(slug, []).append(item)
    return {
        slug
        for slug, items in items_by_competency.items()
        if all(results.get(item) for item in items)
    }


def _best(results: Iterable[Scored]) -> Scored | None:
    passed = [r for r in results if r.passed]
    return max(passed, key=lambda r: r.percent) if passed else None


def _scored(kind: str, result: Scored) -> Reason:
    return Reason(kind, result.title, result.percent)


def recalled(cards: int, held: int) -> bool:
    """Sustained recall: enough cards, and at least `RECALL_SHARE_PERCENT` % of them held
    (in whole numbers: 4 of 5 is exactly 80 %)."""
    return cards >= MIN_PRACTICE_CARDS and held * 100 >= RECALL_SHARE_PERCENT * cards


def derive_level(evidence: CompetencyEvidence) -> Derivation:
    """The level the evidence supports, with the evidence that supports it, and whether
    practice alone made the difference."""
    derivation = _derive(evidence)
    if derivation.level > NOT_STARTED and recalled(evidence.practice_cards, evidence.practice_held):
        without = _derive(replace(evidence, practice_held=0))
        if without.level < derivation.level:
            return replace(derivation, by_practice=True)
    return derivation


def _derive(evidence: CompetencyEvidence) -> Derivation:
    certificates = [Reason(CERTIFICATE_VALID, name) for name in evidence.certificates]
    observations = [
        Reason(OBSERVATION_MET, on=day) for day in sorted(evidence.observations, reverse=True)[:1]
    ]
    best_quiz = _best(evidence.quizzes)
    best_roleplay = _best(evidence.roleplays)
    # The knowledge checked: the best passed quiz, and sustained recall of the cards.
    checked = [_scored(QUIZ_PASSED, best_quiz)] if best_quiz else []
    if recalled(evidence.practice_cards, evidence.practice_held):
        checked.append(
            Reason(PRACTICE_RECALLED, held=evidence.practice_held, cards=evidence.practice_cards)
        )

    if certificates and best_quiz and best_quiz.percent >= COACH_PERCENT:
        if best_roleplay and best_roleplay.percent >= COACH_PERCENT:
            return Derivation(
                CAN_COACH,
                (
                    *certificates,
                    _scored(QUIZ_PASSED, best_quiz),
                    _scored(ROLEPLAY_PASSED, best_roleplay),
                ),
            )
        if observations:
            return Derivation(
                CAN_COACH, (*certificates, _scored(QUIZ_PASSED, best_quiz), *observations)
            )

    if checked and (best_roleplay or observations):
        applied = [_scored(ROLEPLAY_PASSED, best_roleplay)] if best_roleplay else observations
        return Derivation(PROFICIENT, (*certificates, *checked, *applied))
    if certificates:
        return Derivation(PROFICIENT, (*certificates, *checked))

    if checked:
        return Derivation(COMPETENT, tuple(checked))

    met = [Reason(MODULE_COMPLETED, title) for title in evidence.completed_modules]
    met += [_scored(QUIZ_FINISHED, q) for q in evidence.quizzes]
    met += [
        _scored(ROLEPLAY_PASSED if r.passed else ROLEPLAY_FINISHED, r) for r in evidence.roleplays
    ]
    met += observations
    if met:
        return Derivation(AWARE, tuple(met))
    return Derivation(NOT_STARTED)
