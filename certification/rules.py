"""Certification rules. Pure Python: which requirements a learner meets, a certificate's
status, serial numbers and verification codes."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass, field
from datetime import date

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
    """What one learner has achieved, as the requirement checks need it."""

    completed_modules: set[int] = field(default_factory=set)
    quiz_best: dict[int, tuple[float, bool]] = field(default_factory=dict)
    roleplay_best: dict[int, tuple[float, bool]] = field(default_factory=dict)
    # scenario → dimension → the best percentage in that dimension among passed runs
    roleplay_dimensions: dict[int, dict[str, float]] = field(default_factory=dict)
    observation_passed: bool = False


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
