"""Every write of the quiz engine: question versions, imports, attempts, answers, grades.

Each function is atomic. Attempt writes lock the attempt row first, so a double click, two
tabs or a retry never score an attempt twice.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from academy import limits
from academy.errors import Kind, Refused
from academy.imports import import_record
from academy.models import ImportKind
from academy.signals import announce_evidence
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import drawing, grading, rules
from . import spec as kinds
from .authoring import spec_to_fields
from .imported import ImportProblem
from .models import (
    Attempt,
    AttemptQuestion,
    AttemptState,
    Question,
    QuestionCategory,
    QuestionVersion,
    Quiz,
)

DEFAULT_CATEGORY = "默认"


class QuizError(Refused):
    """Refused by this app (see academy.errors.Refused)."""


class AttemptNotFound(QuizError):
    def __init__(self):
        super().__init__(_("No such attempt."), Kind.NOT_FOUND)


class TimeUp(QuizError):
    """The attempt's time ran out before these answers came: it was submitted with the
    answers saved in time."""

    def __init__(self):
        super().__init__(
            _(
                "Time is up: the attempt was submitted with the answers saved "
                "before the time limit."
            ),
            Kind.CONFLICT,
        )


class ImportFailed(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# --- question bank -------------------------------------------------------------------------


def question_save_version(
    *, question: Question, user=None, spec: dict | None = None
) -> QuestionVersion | None:
    """Snapshot the question as a new version if it changed since the last one. `spec` is
    an import's, stored exactly as parsed; by default the spec of the fields as saved."""
    spec = question.to_spec() if spec is None else kinds.assign_ids(spec)
    current = question.current_version
    if current is not None and current.spec == spec:
        return None
    with transaction.atomic():
        Question.objects.select_for_update().filter(pk=question.pk).first()
        number = (question.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = QuestionVersion.objects.create(
            question=question, number=number, spec=spec, created_by=user
        )
        Question.objects.filter(pk=question.pk).update(current_version=version)
    question.current_version = version
    return version


def question_create(
    *,
    category: QuestionCategory,
    name: str,
    spec: dict,
    competencies=(),
    user=None,
    default_mark: float | None = None,
) -> Question:
    """A new question whose first version is `spec` exactly as given (an import keeps its
    option formatting and every detail; the editable fields are the closest equivalent)."""
    spec = kinds.assign_ids(spec)
    problems = kinds.spec_problems(spec)
    if problems:
        raise ValueError("; ".join(problems))
    with transaction.atomic():
        question = Question(category=category, name=name[:200], **spec_to_fields(spec))
        if default_mark is not None:
            question.default_mark = default_mark
        question.save()
        if competencies:
            question.competencies.set(competencies)
        version = QuestionVersion.objects.create(
            question=question, number=1, spec=spec, created_by=user
        )
        Question.objects.filter(pk=question.pk).update(current_version=version)
        question.current_version = version
    return question


@dataclass(frozen=True)
class ImportReport:
    """What an import did. Questions are named as in the file, in its order."""

    categories: list[str]
    warnings: list[ImportProblem]  # parts of questions that could not be brought over
    new: list[str] = field(default_factory=list)  # created
    updated: list[str] = field(default_factory=list)  # a new version of a question in the bank
    unchanged: list[str] = field(default_factory=list)  # in the bank as they are in the file


def import_size_problem(size: int) -> ImportProblem | None:
    """Why a file of `size` bytes is not read at all (academy.limits.IMPORT_FILE_BYTES)."""
    if size <= limits.IMPORT_FILE_BYTES:
        return None
    return ImportProblem(
        None,
        None,
        _("The file is too large: at most %(size)s.")
        % {"size": f"{limits.IMPORT_FILE_BYTES // 2**20} MB"},
    )


def _encoded_size(data: bytes | str) -> int:
    if isinstance(data, bytes):
        return len(data)
    # A character takes 1 to 4 bytes: encode only when the count alone cannot decide.
    if len(data) > limits.IMPORT_FILE_BYTES or len(data) * 4 <= limits.IMPORT_FILE_BYTES:
        return len(data)
    return len(data.encode("utf-8", "surrogatepass"))


def questions_import(
    *,
    data: bytes | str,
    fmt: str,
    category_name: str | None = None,
    user=None,
    competencies=(),
    file_name: str = "",
) -> ImportReport:
    """Import a GIFT or Moodle XML file: every question, or none if any question has an error.
    An import that went through is recorded (`academy.imports.import_record`, with
    `file_name`) for the trainers' admin home.

    Problems that only drop a detail of a question (Moodle's "any other answer" feedback,
    numeric units) are warnings: the question is imported and the warning reported.

    Importing a file again changes only what changed. A question of the file is *the same
    question* as one already in its target category (`category_name`, else the file's own
    category) when

    * it has the same name (GIFT ::title::, Moodle <name>, or the start of an untitled
      question's text; cut to the bank's 200 characters): unchanged if its spec is equal,
      otherwise *updated* — a new QuestionVersion holding the imported spec, the editable
      fields following it; attempts keep the version they showed, and the question keeps
      its name, category, competencies, mark and archived flag; or
    * it has no namesake there, but the same spec as a question there (the same text,
      answers, grades and feedback: a question renamed in the bank or in the file):
      unchanged.

    Otherwise it is *new*. Specs are compared without option ids, which are random per
    import. Archived questions count like any other; questions missing from the file are
    left alone. Refused, importing nothing: two questions of one name in one target
    category of the file (the name is what recognises a question next time), and a changed
    question whose name its category holds more than once (which one would be updated?).
    """
    from .gift import parse_gift
    from .moodlexml import parse_moodle_xml

    too_large = import_size_problem(_encoded_size(data))
    if too_large:
        raise ImportFailed([too_large])
    if fmt == "gift":
        if isinstance(data, bytes):
            data = _decode_text(data)
        parsed = parse_gift(data)
    elif fmt == "moodlexml":
        parsed = parse_moodle_xml(data)
    else:
        raise ImportFailed([ImportProblem(None, None, _("Unknown format: %s") % fmt)])
    errors = [p for p in parsed.problems if p.skipped]
    if errors:
        raise ImportFailed(parsed.problems)
    if not parsed.questions:
        raise ImportFailed([ImportProblem(None, None, _("The file contains no questions."))])
    too_long = [
        ImportProblem(q.line, q.name, _("The category name is longer than 200 characters."))
        for q in parsed.questions
        if len((category_name or q.category or "").strip()) > 200
    ]
    if too_long:
        raise ImportFailed(too_long)
    targets = [
        (imported, (category_name or imported.category or DEFAULT_CATEGORY).strip())
        for imported in parsed.questions
    ]
    namesakes_in_file = _namesakes_in_file(targets)
    if namesakes_in_file:
        raise ImportFailed(namesakes_in_file)
    used = list(dict.fromkeys(target for _imported, target in targets))
    report = ImportReport(used, [p for p in parsed.problems if not p.skipped])
    with transaction.atomic():
        for name in used:
            QuestionCategory.objects.get_or_create(name=name)
        # Locked: a second import of the same file waits, then finds this one's questions.
        categories = {
            c.name: c for c in QuestionCategory.objects.select_for_update().filter(name__in=used)
        }
        bank = _bank_specs(categories.values())
        plan, ambiguous = [], []
        for imported, target in targets:
            category = categories[target]
            found, namesakes = _same_question(imported, bank[category.pk])
            if found is None and len(namesakes) > 1:
                ambiguous.append(
                    ImportProblem(
                        imported.line,
                        imported.name,
                        _(
                            "The category “%(category)s” holds %(count)d questions of this name: "
                            "which one should be updated? Rename or delete the extra ones first."
                        )
                        % {"category": target, "count": len(namesakes)},
                    )
                )
            plan.append((imported, category, found, namesakes))
        if ambiguous:
            raise ImportFailed(ambiguous)  # the categories made above are rolled back
        for imported, category, found, namesakes in plan:
            if found is not None:
                report.unchanged.append(imported.name)
            elif namesakes:
                _question_import_version(question=namesakes[0], spec=imported.spec, user=user)
                report.updated.append(imported.name)
            else:
                question_create(
                    category=category,
                    name=imported.name,
                    spec=imported.spec,
                    competencies=competencies,
                    user=user,
                    default_mark=imported.default_mark,
                )
                report.new.append(imported.name)
        _record_questions_import(
            report, fmt=fmt, user=user, file_name=file_name, categories=categories
        )
    return report


def _record_questions_import(report, *, fmt, user, file_name, categories) -> None:
    url = reverse("wagtailsnippets_quizzes_question:list")
    if len(categories) == 1:
        url += f"?category={next(iter(categories.values())).pk}"
    import_record(
        kind=ImportKind.QUESTIONS_GIFT if fmt == "gift" else ImportKind.QUESTIONS_MOODLE_XML,
        user=user,
        file_name=file_name,
        counts={
            "new": len(report.new),
            "updated": len(report.updated),
            "unchanged": len(report.unchanged),
        },
        summary="、".join(report.categories),
        result_url=url,
    )


def _comparable(spec: dict | None) -> dict | None:
    """A spec without its option ids (random per import)."""
    if spec is None:
        return None
    key = kinds.OPTION_ID_LISTS.get(spec.get("kind"))
    if key is None:
        return spec
    return {**spec, key: [{k: v for k, v in e.items() if k != "id"} for e in spec.get(key, [])]}


def _namesakes_in_file(targets) -> list[ImportProblem]:
    first_lines: dict[tuple[str, str], int] = {}
    problems = []
    for imported, target in targets:
        key = (target, imported.name[:200])
        if key in first_lines:
            problems.append(
                ImportProblem(
                    imported.line,
                    imported.name,
                    _(
                        "Line %(line)d of the file has a question of the same name: a later import "
                        "recognises questions by their names, so give each its own."
                    )
                    % {"line": first_lines[key]},
                )
            )
        else:
            first_lines[key] = imported.line
    return problems


def _bank_specs(categories) -> dict[int, list[tuple[Question, dict | None]]]:
    """Every question of `categories` with its current spec, comparable (see _comparable)."""
    bank: dict[int, list[tuple[Question, dict | None]]] = defaultdict(list)
    questions = (
        Question.objects.filter(category__in=list(categories))
        .select_related("current_version")
        .order_by("pk")
    )
    for question in questions:
        spec = question.current_version.spec if question.current_version else None
        bank[question.category_id].append((question, _comparable(spec)))
    return bank


def _same_question(imported, in_category) -> tuple[Question | None, list[Question]]:
    """(the question of the bank that is `imported` unchanged, or None; the questions of
    its name) — see questions_import."""
    spec = _comparable(imported.spec)
    namesakes = [q for q, _spec in in_category if q.name == imported.name[:200]]
    candidates = [(q, s) for q, s in in_category if q in namesakes] if namesakes else in_category
    found = next((q for q, s in candidates if s == spec), None)
    return found, namesakes


def _question_import_version(*, question: Question, spec: dict, user) -> None:
    """A changed question of an import: its fields follow the file, and the spec exactly as
    parsed becomes its new version."""
    for name, value in spec_to_fields(spec).items():
        setattr(question, name, value)
    question.save()
    question_save_version(question=question, spec=spec, user=user)


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) as Moodle writes; GB18030 as Chinese Windows editors save."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed([ImportProblem(None, None, _("The file is not UTF-8 or GB18030 text."))])


# --- attempts ------------------------------------------------------------------------------


def _lock_user(user) -> None:
    # Serialises one learner's starts: the attempt number and the limits are read and
    # written inside the lock.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def attempt_start(*, user, quiz: Quiz, now: datetime | None = None, rng=None) -> Attempt:
    """The learner's open attempt at `quiz`, or a new one if the rules allow it."""
    now = now or timezone.now()
    rng = rng or random.SystemRandom()
    with transaction.atomic():
        _lock_user(user)
        for open_attempt in Attempt.objects.select_for_update().filter(
            quiz=quiz, user=user, state=AttemptState.IN_PROGRESS
        ):
            if rules.is_past_deadline(open_attempt.ends_at, now):
                _finalise(open_attempt, now=now, late=True)
            else:
                return open_attempt
        previous = Attempt.objects.filter(quiz=quiz, user=user)
        last = previous.order_by("-number").first()
        refusal = rules.start_refusal(
            rules.quiz_rules(quiz),
            attempts_used=previous.count(),
            last_submitted_at=last.submitted_at if last else None,
            now=now,
            awaiting_grading=previous.filter(state=AttemptState.AWAITING_GRADING).exists(),
        )
        if refusal:
            message = refusal.message
            if refusal.retry_at:
                local = timezone.localtime(refusal.retry_at)
                message += " " + _("Next possible start: %s.") % local.strftime("%Y-%m-%d %H:%M")
            raise QuizError(message, Kind.CONFLICT)

        plan = _slot_plans(quiz)
        seen = _questions_seen_by(user)
        try:
            drawn = drawing.draw_questions(plan, seen=seen, shuffle=quiz.shuffle_questions, rng=rng)
        except drawing.NotEnoughQuestions as error:
            raise QuizError(
                _(
                    "This quiz asks for more random questions than its category holds. "
                    "Please tell a trainer."
                ),
                Kind.CONFLICT,
            ) from error
        versions = _current_versions(drawn)
        if not drawn or any(versions[d.question_id] is None for d in drawn):
            raise QuizError(
                _("This quiz has no questions yet. Please tell a trainer."), Kind.CONFLICT
            )
        attempt = Attempt.objects.create(
            quiz=quiz,
            user=user,
            number=(last.number + 1) if last else 1,
            started_at=now,
            deadline=rules.deadline_for(rules.quiz_rules(quiz), now),
            pass_mark=quiz.pass_mark,
        )
        _add_questions(attempt, drawn, versions, shuffle_options=quiz.shuffle_options, rng=rng)
    return attempt


def _questions_seen_by(user) -> set[int]:
    """Every question the learner was shown, in any attempt at any quiz: random slots draw
    the questions they have not seen first."""
    return set(
        AttemptQuestion.objects.filter(attempt__user=user).values_list(
            "version__question_id", flat=True
        )
    )


def _current_versions(drawn: list[drawing.Drawn]) -> dict[int, QuestionVersion | None]:
    """Each drawn question's current version, by question id."""
    return {
        q.pk: q.current_version
        for q in Question.objects.filter(pk__in=[d.question_id for d in drawn]).select_related(
            "current_version"
        )
    }


def _add_questions(
    attempt: Attempt,
    drawn: list[drawing.Drawn],
    versions: dict[int, QuestionVersion],
    *,
    shuffle_options: bool,
    rng,
) -> None:
    """The attempt's questions in the drawn order, each with the order its options are shown
    in, and the attempt's maximum points (questions that are not scored count nothing)."""
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            position=position,
            version=versions[d.question_id],
            mark=d.mark,
            option_order=drawing.option_order(
                versions[d.question_id].spec, shuffle=shuffle_options, rng=rng
            ),
        )
        for position, d in enumerate(drawn, start=1)
    )
    attempt.max_points = sum(
        d.mark for d in drawn if versions[d.question_id].spec["kind"] not in kinds.UNSCORED
    )
    attempt.save(update_fields=["max_points"])


def _slot_plans(quiz: Quiz) -> list[drawing.SlotPlan]:
    plans = []
    slots = list(quiz.slots.all())
    category_ids = {s.category_id for s in slots if s.category_id}
    pools: dict[int, list[int]] = {c: [] for c in category_ids}
    for question_id, category_id in Question.objects.filter(
        category_id__in=category_ids, archived=False, current_version__isnull=False
    ).values_list("pk", "category_id"):
        pools[category_id].append(question_id)
    for slot in slots:
        if slot.question_id:
            plans.append(drawing.SlotPlan(mark=float(slot.mark), question_id=slot.question_id))
        else:
            plans.append(
                drawing.SlotPlan(
                    mark=float(slot.mark), candidates=pools[slot.category_id], count=slot.count
                )
            )
    return plans


def _locked_own_attempt(user, attempt_id: int) -> Attempt:
    attempt = Attempt.objects.select_for_update().filter(pk=attempt_id, user=user).first()
    if attempt is None:
        raise AttemptNotFound()
    return attempt


def _locked_open_attempt(user, attempt_id: int) -> Attempt:
    """The learner's own attempt, locked, refused once submitted: every change to answers
    starts here, so two tabs cannot both change or submit it."""
    attempt = _locked_own_attempt(user, attempt_id)
    if not attempt.is_open:
        raise QuizError(_("This attempt has already been submitted."), Kind.CONFLICT)
    return attempt


def attempt_save_answer(
    *, user, attempt_id: int, position: int, raw, now: datetime | None = None
) -> AttemptQuestion:
    """Autosave one answer of an open attempt."""
    now = now or timezone.now()
    late = False
    with transaction.atomic():
        attempt = _locked_open_attempt(user, attempt_id)
        if rules.is_past_deadline(attempt.ends_at, now):
            _finalise(attempt, now=now, late=True)
            late = True
        else:
            question = attempt.questions.select_related("version").filter(position=position).first()
            if question is None:
                raise QuizError(_("This attempt has no such question."), Kind.INVALID)
            try:
                question.response = grading.clean_response(question.version.spec, raw)
            except grading.InvalidResponse as error:
                raise QuizError(str(error), Kind.INVALID) from error
            question.answered_at = now
            question.save(update_fields=["response", "answered_at"])
    if late:
        raise TimeUp()
    return question


def attempt_save_page(
    *,
    user,
    attempt_id: int,
    answers: dict[int, object],
    flags: dict[int, bool],
    now: datetime | None = None,
) -> Attempt:
    """Save the answers and flags of one page of an open attempt (the learner moves to
    another page, or on to the submit confirmation).

    Once the time is up the attempt is submitted here and now: with these answers while
    they still come within `rules.SUBMIT_GRACE`, otherwise with the answers saved in time
    (and `TimeUp` says so). The returned attempt is then no longer open.
    """
    now = now or timezone.now()
    late = False
    with transaction.atomic():
        attempt = _locked_open_attempt(user, attempt_id)
        questions = list(attempt.questions.select_related("version"))
        ends_at = attempt.ends_at
        if rules.is_past_deadline(ends_at, now):
            late = True
            _finalise(attempt, now=now, late=True, questions=questions)
        else:
            by_position = {q.position: q for q in questions}
            if (set(answers) | set(flags)) - set(by_position):
                raise QuizError(_("This attempt has no such question."), Kind.INVALID)
            changed = _apply_answers(by_position, answers, now=now)
            for position, flagged in flags.items():
                if by_position[position].flagged != flagged:
                    by_position[position].flagged = flagged
                    changed.add(position)
            AttemptQuestion.objects.bulk_update(
                [by_position[p] for p in changed], ["response", "answered_at", "flagged"]
            )
            if rules.is_time_up(ends_at, now):
                _finalise(attempt, now=now, late=True, questions=questions)
    if late:
        raise TimeUp()
    return attempt


def _apply_answers(
    by_position: dict[int, AttemptQuestion], answers: dict[int, object], *, now: datetime
) -> set[int]:
    """Clean each posted answer onto its question (unsaved); the positions that changed.
    An answer that does not fit its question refuses them all."""
    changed = set()
    for position, raw in answers.items():
        question = by_position[position]
        try:
            response = grading.clean_response(question.version.spec, raw)
        except grading.InvalidResponse as error:
            raise QuizError(
                _("Question %(n)d: %(problem)s") % {"n": position, "problem": error},
                Kind.INVALID,
            ) from error
        if response != question.response:
            question.response = response
            question.answered_at = now
            changed.add(position)
    return changed


def attempt_submit(
    *,
    user,
    attempt_id: int,
    answers: dict[int, object] | None = None,
    now: datetime | None = None,
) -> Attempt:
    """Save the posted answers, grade the attempt and finish it — exactly once.

    After the time limit (and its grace) the posted answers are refused; the attempt is
    graded with the answers autosaved in time, and the caller hears why (`TimeUp`). Sent
    once the time is up but within the grace (the page's countdown submitting), they count,
    and the attempt is marked as submitted by the clock.
    """
    now = now or timezone.now()
    answers = answers or {}
    late = False
    with transaction.atomic():
        attempt = _locked_open_attempt(user, attempt_id)
        questions = list(attempt.questions.select_related("version"))
        ends_at = attempt.ends_at
        if rules.is_past_deadline(ends_at, now):
            late = True
        else:
            by_position = {q.position: q for q in questions}
            if set(answers) - set(by_position):
                raise QuizError(_("This attempt has no such question."), Kind.INVALID)
            _apply_answers(by_position, answers, now=now)
        _finalise(
            attempt, now=now, late=late or rules.is_time_up(ends_at, now), questions=questions
        )
    if late:
        raise TimeUp()
    return attempt


def _finalise(attempt: Attempt, *, now: datetime, late: bool, questions=None) -> None:
    """Grade every question of a locked, open attempt and close it."""
    questions = (
        questions if questions is not None else list(attempt.questions.select_related("version"))
    )
    for question in questions:
        try:
            result = grading.grade(question.version.spec, question.response)
        except grading.InvalidResponse:
            # Stored responses were cleaned on save; a changed shape can only mean a bug.
            result = grading.Grade(0.0, grading.WRONG)
        question.fraction = result.fraction
        question.state = result.state
    AttemptQuestion.objects.bulk_update(questions, ["response", "answered_at", "fraction", "state"])
    attempt.submitted_at = now
    attempt.submitted_late = late
    _apply_totals(attempt, questions, now=now)


def _apply_totals(attempt: Attempt, questions, *, now: datetime) -> None:
    totals = grading.attempt_totals(
        [(q.mark, q.fraction, q.version.spec["kind"]) for q in questions]
    )
    attempt.points = totals.points
    attempt.max_points = totals.max_points
    attempt.percent = round(totals.percent, 2)
    attempt.passed = totals.passed(attempt.pass_mark)
    if totals.pending:
        attempt.state = AttemptState.AWAITING_GRADING
    else:
        attempt.state = AttemptState.FINISHED
        attempt.finished_at = now
        announce_evidence("quizzes", attempt.user)
    attempt.save()


def attempt_close_if_overdue(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """Submit an open attempt whose time ran out (the learner closed the tab, say)."""
    now = now or timezone.now()
    if not attempt.is_open or not rules.is_past_deadline(attempt.ends_at, now):
        return attempt
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.is_open:
            _finalise(locked, now=now, late=True)
    attempt.refresh_from_db()
    return attempt


def attempt_question_grade(
    *,
    grader,
    attempt_question_id: int,
    awarded: list[int] | None = None,
    percent: float | None = None,
    comment: str = "",
    now: datetime | None = None,
    regrade: bool = False,
) -> AttemptQuestion:
    """A trainer grades a written reply against its rubric; the attempt's result follows."""
    now = now or timezone.now()
    with transaction.atomic():
        question = (
            AttemptQuestion.objects.select_related("version", "attempt")
            .filter(pk=attempt_question_id)
            .first()
        )
        if question is None or question.version.spec["kind"] not in kinds.MANUALLY_GRADED:
            raise QuizError(_("No such answer to grade."), Kind.NOT_FOUND)
        attempt = Attempt.objects.select_for_update().get(pk=question.attempt_id)
        if attempt.is_open:
            raise QuizError(_("The learner has not submitted this attempt yet."), Kind.CONFLICT)
        if grader.pk == attempt.user_id:
            raise QuizError(_("You cannot grade your own answer."), Kind.NOT_ALLOWED)
        if len(comment) > limits.GRADER_COMMENT:
            raise QuizError(comment_too_long(), Kind.INVALID)
        if question.fraction is not None and not regrade:
            # Two trainers working the queue must not overwrite each other unknowingly.
            raise QuizError(_("This reply has already been graded."), Kind.CONFLICT)
        try:
            fraction = grading.rubric_fraction(question.version.spec, awarded, percent)
        except grading.InvalidResponse as error:
            raise QuizError(str(error), Kind.INVALID) from error
        question.fraction = fraction
        question.state = (
            grading.CORRECT
            if fraction >= 1
            else (grading.WRONG if fraction <= 0 else grading.PARTIAL)
        )
        question.rubric_points = awarded
        question.grader_comment = comment.strip()
        question.graded_by = grader
        question.graded_at = now
        question.save()
        _apply_totals(attempt, list(attempt.questions.select_related("version")), now=now)
    return question


def comment_too_long() -> str:
    return _("The comment is too long: at most %(limit)d characters.") % {
        "limit": limits.GRADER_COMMENT
    }


def attempt_start_or_existing(*, user, quiz: Quiz, now=None) -> Attempt:
    """`attempt_start`, tolerating the race where another request opened the attempt first."""
    try:
        return attempt_start(user=user, quiz=quiz, now=now)
    except IntegrityError:
        existing = Attempt.objects.filter(
            quiz=quiz, user=user, state=AttemptState.IN_PROGRESS
        ).first()
        if existing is None:
            raise
        return existing
