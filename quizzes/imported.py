"""What the GIFT and Moodle XML importers return. Pure Python: no Django.

A parse never stops at the first mistake: every question that could be read becomes an
`ImportedQuestion`, every mistake an `ImportProblem`, so that a trainer sees all that is wrong
with a file at once.

A problem normally means its question was skipped (`skipped=True`). A few problems only say
that part of a question could not be brought over (for example Moodle's "any other answer"
feedback of a numeric question, or embedded images); the question itself was imported and
`skipped` is False.

Whatever a file holds, reading it never raises and never takes long: a NUL character
(PostgreSQL stores none), text nested deeper than academy.limits.MARKUP_DEPTH and numbers
that are no numbers are problems like any other, and a value quoted in a problem is cut at
30 characters (`quoted`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class ImportedQuestion:
    name: str  # GIFT ::title:: or <name>; else the start of the question text
    category: str | None  # e.g. "客服入门/接听电话": context prefix and "top/" removed
    spec: dict  # the canonical spec (quizzes/spec.py); passes spec_problems()
    line: int  # 1-based line where the question starts in the file
    tags: list[str] = field(default_factory=list)
    default_mark: float | None = None  # Moodle XML <defaultgrade>; None when not given


@dataclass
class ImportProblem:
    line: int | None
    question: str | None  # the question's name when known
    message: str  # in Chinese, without the line and question (see __str__)
    skipped: bool = True  # False: the question was imported, only a part of it was dropped

    def __str__(self) -> str:
        where = f"第 {self.line} 行" if self.line else ""
        if self.question:
            where += f"（题目“{quoted(self.question, MAX_NAME_LENGTH)}”）"
        return f"{where}：{self.message}" if where else self.message


@dataclass
class ParseResult:
    questions: list[ImportedQuestion]
    problems: list[ImportProblem]


# Moodle writes a category path with the context first: "$course$/top/客服入门/接听电话",
# "$system$/top/…", "$module$/…", "$coursecategory$/…"; "top" is the hidden root of every context.
_CONTEXT_PREFIX = re.compile(r"^\$[a-z]+\$(/|$)")


def clean_category(path: str | None) -> str | None:
    """A Moodle category path without its context prefix and "top/"; None if nothing is left."""
    if path is None:
        return None
    path = _CONTEXT_PREFIX.sub("", path.strip()).strip().strip("/").strip()
    if path == "top":
        return None
    if path.startswith("top/"):
        path = path[len("top/") :]
    parts = [part.strip() for part in path.split("/")]
    path = "/".join(part for part in parts if part)
    return path or None


MAX_NAME_LENGTH = 40
MAX_DEFAULT_MARK = 999.99  # Question.default_mark holds five digits, two after the point
UNNAMED = "未命名题目"
NUL_MESSAGE = "这一行有空字符（U+0000），请删除"  # PostgreSQL stores no NUL character


def quoted(text: str, limit: int = 30) -> str:
    """A value quoted in a problem, cut so that a hostile file cannot make the report huge."""
    return text if len(text) <= limit else text[:limit] + "…"
