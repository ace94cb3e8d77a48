"""What the GIFT and Moodle XML importers return. Pure Python: no Django.

A parse never stops at the first mistake: every question that could be read becomes an
`ImportedQuestion`, every mistake an `ImportProblem`, so that a trainer sees all that is wrong
with a file at once.

A problem normally means its question was skipped (`skipped=True`). A few problems only say
that part of a question could not be brought over (for example Moodle's "any other answer"
feedback of a numeric question, or embedded images); the question itself was imported and
`skipped` is False.
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
            where += f"（题目“{self.question}”）"
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
        path = path[len("top/"):]
    parts = [part.strip() for part in path.split("/")]
    path = "/".join(part for part in parts if part)
    return path or None


MAX_NAME_LENGTH = 40
UNNAMED = "未命名题目"
