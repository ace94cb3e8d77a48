"""Certification rules. Pure Python: which requirements a learner meets and how far they
are with each, a certificate's status, when a certificate may be renewed and the dates of
the next one, serial numbers and verification codes."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

LESSONS, QUIZ, ROLEPLAY, OBSERVATION = "lessons", "quiz", "roleplay", "observation"

VALID, EXPIRED, REVOKED, SUPERSEDED = "valid", "expired", "revoked", "superseded"
STATUSES = (VALID, EXPIRED, REVOKED, SUPERSEDED)

# 16 random bytes = 128 bits, written in Crockford-style base32 without look-alike letters.
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 26  # 26 × 5 bits = 130 bits ≥ 128
CODE_RE = re.compile(rf"^[{_ALPHABET}]{{{CODE_LENGTH}}}$")


def new_verification_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str | None:
    """A code as typed or scanned (spaces, dashes, lower case) → canonical, or None."""
    code = re.sub(r"[\s-]", "", text or "").upper()
    return code if CODE_RE.match(code) else None


SERIAL_PREFIX = "KF"


def serial_number(year: int, sequence: int) -> str:
    return f"{SERIAL_PREFIX}-{year}-{sequence:06d}"


# Dashes people type for "-": hyphens, figure / en / em dashes, minus signs, and the
# full-width and small forms a Chinese input method gives (NFKC folds some of these already).
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_TYPED_SERIAL_RE = re.compile(rf"{SERIAL_PREFIX}-*([0-9]{{4}})-*([0-9]{{1,9}})")


def normalise_serial(text: str) -> str | None:
    """A serial number as typed from a printed certificate → canonical (`serial_number`:
    "KF-2026-000005"), or None when it is not one. Forgiving of how people type it: any
    case, spaces anywhere, full-width letters and digits (NFKC), any dash or none (a Chinese
    input method turns "-" into "－" or "——"), and the sequence without its leading zeros.
    Nothing else. At most 15 characters without its dashes, a serial is never mistaken for a
    verification code (26), so one form takes either."""
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(rf"[{_DASHES}]", "-", text)
    text = re.sub(r"\s+", "", text).upper()
    match = _TYPED_SERIAL_RE.fullmatch(text)
    if match is None:
        return None
    return serial_number(int(match[1]), int(match[2]))


@dataclass(frozen=True)
class Requirement:
    kind: str
    target_id: int  # module page id, quiz id or scenario id; 0 for an observation
    min_percent: float = 0
    label: str = ""
    dimension: str = ""  # role-plays: one dimension's score instead of the overall score


@dataclass
class Evidence:
    """What one learner has achieved, as the requirement checks need it. The fields after
    `observation_passed` only say how far the learner is with a requirement not yet met."""

    completed_modules: set[int] = field(default_factory=set)
    quiz_best: dict[int, tuple[float, bool]] = field(default_factory=dict)
    roleplay_best: dict[int, tuple[float, bool]] = field(default_factory=dict)
    # scenario → dimension → the best percentage in that dimension among passed runs
    roleplay_dimensions: dict[int, dict[str, float]] = field(default_factory=dict)
    observation_passed: bool = False
    module_lessons: dict[int, tuple[int, int]] = field(default_factory=dict)  # (done, total)
    quizzes_awaiting_grading: set[int] = field(default_factory=set)
    roleplay_tried: dict[int, float] = field(default_factory=dict)  # best of any finished run


def requirement_met(requirement: Requirement, evidence: Evidence) -> bool:
    if requirement.kind == LESSONS:
        return requirement.target_id in evidence.completed_modules
    if requirement.kind == QUIZ:
        result = evidence.quiz_best.get(requirement.target_id)
        return bool(result) and result[1] and result[0] >= requirement.min_percent
    if requirement.kind == ROLEPLAY and requirement.dimension:
        best = evidence.roleplay_dimensions.get(requirement.target_id, {})
        return best.get(requirement.dimension, -1) >= requirement.min_percent
    if requirement.kind == ROLEPLAY:
        result = evidence.roleplay_best.get(requirement.target_id)
        return bool(result) and result[1] and result[0] >= requirement.min_percent
    if requirement.kind == OBSERVATION:
        return evidence.observation_passed
    return False


def missing(requirements: list[Requirement], evidence: Evidence) -> list[Requirement]:
    """The requirements still to meet, in the program's order."""
    return [r for r in requirements if not requirement_met(r, evidence)]


# --- how far a learner is with one requirement -----------------------------------------------

MET, AWAITING_GRADING, IN_PROGRESS, NOT_STARTED = (
    "met",
    "awaiting_grading",
    "in_progress",
    "not_started",
)
# A requirement the holder's valid certificate did not need (a lesson added to a module
# since, say): the certificate stands; the requirement is needed for the next one.
NEEDED_FOR_RENEWAL = "needed_for_renewal"


@dataclass(frozen=True)
class Progress:
    """Where a learner stands with one requirement: `state`, and what is done and what it
    takes (lessons done of the module's; the best percentage so far)."""

    state: str
    done: int = 0
    total: int = 0
    best: float | None = None

    @property
    def met(self) -> bool:
        return self.state == MET


def requirement_progress(requirement: Requirement, evidence: Evidence) -> Progress:
    """Met (`requirement_met`), else: a quiz whose latest submitted attempt waits for a
    trainer's grade is awaiting grading; anything begun (a lesson done, a quiz or role-play
    finished, an observation recorded) is in progress; otherwise not started. Lessons carry
    done / total, quizzes and role-plays the best percentage so far."""
    met = requirement_met(requirement, evidence)
    target = requirement.target_id
    if requirement.kind == LESSONS:
        done, total = evidence.module_lessons.get(target, (0, 0))
        state = MET if met else (IN_PROGRESS if done else NOT_STARTED)
        return Progress(state, done=done, total=total)
    if requirement.kind == QUIZ:
        result = evidence.quiz_best.get(target)
        best = result[0] if result else None
        if met:
            return Progress(MET, best=best)
        if target in evidence.quizzes_awaiting_grading:
            return Progress(AWAITING_GRADING, best=best)
        return Progress(IN_PROGRESS if result else NOT_STARTED, best=best)
    if requirement.kind == ROLEPLAY:
        if requirement.dimension:
            best = evidence.roleplay_dimensions.get(target, {}).get(requirement.dimension)
        else:
            passed = evidence.roleplay_best.get(target)
            best = passed[0] if passed else evidence.roleplay_tried.get(target)
        tried = target in evidence.roleplay_tried or target in evidence.roleplay_best
        return Progress(MET if met else (IN_PROGRESS if tried else NOT_STARTED), best=best)
    return Progress(MET if met else NOT_STARTED)


# --- renewal -------------------------------------------------------------------------------

# A certificate may be renewed from this many days before it expires; the program is
# assigned again on the same day (`supervision.status.EXPIRING_DAYS` is this constant).
RENEWAL_WINDOW_DAYS = 30


def renewal_opens(expires_on: date) -> date:
    """The first day a certificate expiring on `expires_on` may be renewed."""
    return expires_on - timedelta(days=RENEWAL_WINDOW_DAYS)


@dataclass(frozen=True)
class Standing:
    """A person's standing in a program, from their current certificate (not revoked, not
    superseded; valid or expired) if any, as the requirement list and issuing read it.

    - `held`: a valid certificate today; `renew_by`: its expiry, when it expires.
    - `renewing`: held, and the renewal window is open (`renewal_opens` ≤ today).
    - `evidence_from`: evidence earned on or after this day counts toward the next
      certificate (None: all evidence). For a first certificate all evidence counts; once
      one was held, only evidence from the day its renewal window opened (also after it
      expired: an expired certificate is renewed late, with fresh evidence all the same).
    """

    held: bool
    renew_by: date | None = None
    renewal_opens: date | None = None
    evidence_from: date | None = None

    @property
    def renewing(self) -> bool:
        return self.held and self.evidence_from is not None


def standing(*, current_expires_on: date | None, has_current: bool, today: date) -> Standing:
    """See `Standing`. While a valid certificate is held and its window is not open yet,
    `evidence_from` is None: the requirement list shows all evidence (a requirement added
    since it was issued is `NEEDED_FOR_RENEWAL`), and nothing is issued."""
    if not has_current:
        return Standing(held=False)
    if current_expires_on is None:
        return Standing(held=True)
    opens = renewal_opens(current_expires_on)
    if today > current_expires_on:
        return Standing(held=False, renewal_opens=opens, evidence_from=opens)
    return Standing(
        held=True,
        renew_by=current_expires_on,
        renewal_opens=opens,
        evidence_from=opens if today >= opens else None,
    )


def shown_progress(requirement: Requirement, evidence: Evidence, held: Standing) -> Progress:
    """What the requirement list shows: `requirement_progress` over the evidence that
    counts (`Standing.evidence_from`), except that a holder whose renewal window is not open
    yet sees a requirement they do not meet as `NEEDED_FOR_RENEWAL` next to their
    certificate, never as simply missing (the certificate stands)."""
    progress = requirement_progress(requirement, evidence)
    if held.held and not held.renewing and not progress.met:
        return Progress(NEEDED_FOR_RENEWAL, progress.done, progress.total, progress.best)
    return progress


@dataclass(frozen=True)
class NextCertificate:
    """The dates of the next certificate to issue; `renews`: it follows one still valid,
    which it supersedes when issued."""

    valid_from: date
    expires_on: date | None
    renews: bool


def expiry(valid_from: date, validity_months: int) -> date | None:
    """A certificate valid from `valid_from` expires `validity_months` later (0: never)."""
    return add_months(valid_from, validity_months) if validity_months else None


def next_certificate(
    held: Standing, *, today: date, validity_months: int
) -> NextCertificate | None:
    """The certificate to issue now, once every requirement is met by the evidence counting
    from `held.evidence_from`; None while a valid certificate is held outside its renewal
    window (or never expires).

    A renewal (issued within the window) is valid from the day the current one expires,
    not from today, so renewing early loses no time and the holder is covered every day:
    certificates count their days inclusively (`status`), so the old one's last day is the
    new one's first, as the first certificate's issue day and expiry day both count. Its
    expiry is `validity_months` after that day, so the renewal dates never drift. Anything
    else (a first certificate, or after expiry) is valid from today."""
    if held.held and not held.renewing:
        return None
    if held.renewing and held.renew_by is not None:
        start = held.renew_by
        return NextCertificate(start, expiry(start, validity_months), renews=True)
    return NextCertificate(today, expiry(today, validity_months), renews=False)


def status(*, expires_on: date | None, revoked: bool, superseded: bool, today: date) -> str:
    if revoked:
        return REVOKED
    if superseded:
        return SUPERSEDED
    if expires_on is not None and today > expires_on:
        return EXPIRED
    return VALID


def pdf_downloadable(*, current: bool, by_holder: bool, by_overseer: bool) -> bool:
    """Who may download a certificate's stored PDF: its overseers (trainers, and whoever may
    act on the holder: their supervisors) every version; the holder their current version,
    valid or expired, but not one revoked or replaced by a newer version."""
    return by_overseer or (by_holder and current)


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the last day of a shorter month)."""
    import calendar

    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def gettext_noop(text: str) -> str:
    """Marks a label for translation (makemessages finds it) while this module stays free of
    Django; the views translate it."""
    return text


# On-the-job observation checklist, from the seed service standards.
OBSERVATION_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("uniform_badge", gettext_noop("Uniform as required, name badge straight on the left chest")),
    (
        "greet_in_sight",
        gettext_noop("Stands, smiles and greets as soon as an owner comes into sight"),
    ),
    (
        "phone_three_rings",
        gettext_noop(
            "Answers the phone within three rings, greets and gives the company and own name"
        ),
    ),
    ("stand_to_receive", gettext_noop("Stands to receive a visitor and puts other work aside")),
    (
        "courtesy_phrases",
        gettext_noop("Says hello, please, sorry, thank you and goodbye; no forbidden phrases"),
    ),
    (
        "listen_record",
        gettext_noop("Listens without interrupting, notes the request and repeats it back"),
    ),
    ("see_out", gettext_noop("Stands to say goodbye and sees the visitor to the door")),
)


def observation_unmet(results: dict[str, bool]) -> list[tuple[str, str]]:
    """The checklist items (key, untranslated label) an observation did not see met, in the
    checklist's order: an item not ticked, or missing from the results, was not met."""
    return [(key, label) for key, label in OBSERVATION_CHECKLIST if not results.get(key)]


def observation_passed(results: dict[str, bool]) -> bool:
    """An observation passes when every checklist item was observed as met."""
    return not observation_unmet(results)
