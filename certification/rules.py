"""Certification rules. Pure Python: which requirements a learner meets, a certificate's
status, serial numbers and verification codes."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date

LESSONS, QUIZ, ROLEPLAY, OBSERVATION = "lessons", "quiz", "roleplay", "observation"

VALID, EXPIRED, REVOKED, SUPERSEDED = "valid", "expired", "revoked", "superseded"

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


def serial_number(year: int, sequence: int) -> str:
    return f"KF-{year}-{sequence:06d}"


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


def add_months(start: date, months: int) -> date:
    """The same day `months` later (the last day of a shorter month)."""
    import calendar

    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# On-the-job observation checklist, from the seed service standards.
OBSERVATION_CHECKLIST: tuple[tuple[str, str], ...] = (
    ("uniform_badge", "按规定着装，工牌端正佩戴在左胸"),
    ("greet_in_sight", "业主进入视线即主动起身、微笑问好"),
    ("phone_three_rings", "电话铃响三声之内接起，先问好并报单位和姓名"),
    ("stand_to_receive", "业主来访时站立接待，停下手头工作"),
    ("courtesy_phrases", "使用“您好、请、对不起、谢谢、再见”，不说服务禁语"),
    ("listen_record", "耐心倾听、不打断，记录诉求并复述确认"),
    ("see_out", "业主离开时起身道别、送至门口"),
)


def observation_passed(results: dict[str, bool]) -> bool:
    """An observation passes when every checklist item was observed as met."""
    return all(results.get(key) for key, _label in OBSERVATION_CHECKLIST)
