"""Moodle GIFT files ⇄ question specs (quizzes/spec.py). Pure Python: no Django imports.

`parse_gift(text)` reads everything Moodle's GIFT format documents
(https://docs.moodle.org/en/GIFT_format) and behaves like Moodle's own importer where the
documentation is silent:

* Questions are separated by blank lines; `// …` lines are comments; `$CATEGORY: path` puts the
  following questions into that category; `::title::` names a question, else the start of
  its text does.
* The answer block `{…}` decides the kind: `{}` essay; no block at all: description; `{#…}`
  numeric; a `~` anywhere: choice; `=` with `->`: matching; `{T}` `{TRUE}` `{F}` `{FALSE}`:
  true/false; anything else: short answer. Text after the block makes a missing-word question:
  the block becomes "_____" in the text.
* Choice questions: a block with an `=` answer is a single-answer question (several `=` are all
  fully right; `~%50%` gives partial credit); a block of `~` answers only is a multiple-answer
  question whose right answers carry positive weights (`~%50%`), exactly as in Moodle. A
  choice block without any right answer is a problem.
* `#` after an answer is its feedback, `####` the general feedback. True/false: `{T#a#b}`
  shows a when the learner's answer is wrong and b when it is right.
* `[html]`, `[markdown]`, `[plain]`, `[moodle]` before the question text set its format (the
  default is moodle); answers and feedback default to the question's format and may carry their
  own prefix. `\\~ \\= \\# \\{ \\} \\:` and `\\\\` are escaped characters, `\\n` a line break.
* Moodle 4's `// [tag:…]` comments become tags (`// [id:…]` is ignored), and qtype_ordering's
  own syntax `{>4 ALL VERTICAL … one item per line}` is read as an ordering question.
* Not importable, and reported: a numeric question's "any other answer" feedback `{#3 ~#…}`
  (dropped, the question is kept), Moodle's cloze syntax `{1:MULTICHOICE:…}`, several answer
  blocks in one question.

Kefu conventions (comment lines directly before a question, i.e. in the same paragraph; Moodle
reads them as comments, so the file still imports into Moodle, as a matching question for the
ordering convention):

    // [ordering]                       a matching block that lists the steps by position;
    ::接听电话::接听电话的步骤是？{ =1 -> 问候客户 =2 -> 询问需求 =3 -> 确认并道别 }
                                        items are sorted by the numbers and, unlike a Moodle
                                        matching answer, are read in the question's format

    // [rubric] 3 | 先安抚客户情绪       an essay's rubric, one criterion per line: points
    // [rubric] 2 | 给出明确的处理时限    (a positive whole number, "3分" works too) | the
    ::投诉处理::客户投诉电梯故障，请写出你的回复。{}     criterion, kept as plain text

    // [template] 您好，……\\n此致      an essay's reply template (plain text, \\n = new line)
    // [case-sensitive]                 a short-answer question that respects upper/lower case

`export_gift(questions)` writes these questions back, every text as `[html]`, so that
`parse_gift(export_gift(questions))` gives the same names, categories, tags and specs (ids
aside). HTML comes back byte for byte when it is in the sanitised form every importer
produces (quizzes/textformat.py); other HTML comes back in that equivalent form. A
description's general feedback cannot be written in GIFT and is left out.

What cannot be imported is reported, never guessed at: every problem in the file becomes an
ImportProblem with its line and question name, and the other questions are still read.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from academy import limits

from . import spec as kinds
from .imported import (
    MAX_NAME_LENGTH,
    NUL_MESSAGE,
    UNNAMED,
    ImportedQuestion,
    ImportProblem,
    ParseResult,
    clean_category,
    quoted,
)
from .textformat import (
    FORMATS,
    MOODLE,
    PLAIN,
    TextTooComplex,
    html_to_plain,
    plain_one_line,
    to_html,
)

BLANK = "_____"

# Escaped characters are swapped for private-use characters while a question is taken apart,
# so that `\=` never splits an answer; `_unescape` puts the real characters back in every
# piece of text at the end.
_PLACEHOLDERS = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PLACEHOLDERS.items()})
_ESCAPE = re.compile(r"\\([\\:#={}~n])")
_PRIVATE = re.compile("[\ue000-\ue006]")
_OPENING, _CLOSING = re.compile("{"), re.compile("}")

_FORMAT_PREFIX = re.compile(r"^\[([A-Za-z_]{2,})\]")
# Moodle reads a weight only where it looks like a number: "~%50%", "=%-33.3%". No two
# neighbouring parts of a pattern here may match the same characters (as `\s*-?\s*` did):
# a long run of spaces was then retried in every split, in quadratic time.
_WEIGHT = re.compile(r"^%\s*(-\s*)?([0-9.]+)\s*%")
_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
_DIRECTIVE = re.compile(r"^\[(ordering|rubric|case-sensitive|template)\]\s*(.*)$", re.IGNORECASE)
_RUBRIC = re.compile(r"^(\d+)\s*(?:分\s*)?[|｜]\s*(.+)$")
# A tag may hold "\]" and "[", but never runs over the next "[tag:": each start of an
# unclosed tag then reads up to the next one only, not to the end of the line.
_TAG = re.compile(r"\[tag:((?:\\\]|\\(?!\])|[^\]\\\[]|\[(?!tag:))+)\]")
# qtype_ordering's first line: "{>4 ALL VERTICAL ABSOLUTE_POSITION SHOW"; the words only set how
# Moodle shows and grades the question, which the spec leaves to us.
# Moodle's cloze (embedded answers) syntax, which GIFT does not have: "{1:MULTICHOICE:=a~b}".
_CLOZE = re.compile(r"^\d*:(MULTICHOICE|MULTIRESPONSE|SHORTANSWER|NUMERICAL|MC|MR|SA|MW|NM)\w*:")
# Possessive (`*+`, `++`): spaces, digits and letters never overlap, so nothing is ever given
# back, and a line of spaces is read once.
_ORDERING_OPTIONS = re.compile(r"^(?:\s*+\d++)?(?:\s++[A-Za-z_]++)*+\s*+$")


def _protect(line: str) -> str:
    def swap(match: re.Match) -> str:
        char = match.group(1)
        return "\\" if char == "\\" else _PLACEHOLDERS[char]

    return _ESCAPE.sub(swap, _PRIVATE.sub("", line))


def _unescape(text: str) -> str:
    # str.translate takes 0.1 s a megabyte even when there is nothing to translate.
    return text.translate(_RESTORE) if _PRIVATE.search(text) else text


class _Skip(Exception):
    """The question cannot be read at all; the problems collected so far explain why."""


@dataclass
class _Directives:
    ordering: bool = False
    case_sensitive: bool = False
    rubric: list[dict] = field(default_factory=list)
    template: str | None = None
    tags: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # directive → line, for messages
    mistakes: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    @property
    def essay_only(self) -> bool:
        return bool(self.rubric) or self.template is not None


def parse_gift(text: str) -> ParseResult:
    """Read a GIFT file; see the module docstring for what is understood."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    questions: list[ImportedQuestion] = []
    problems: list[ImportProblem] = []
    lines = text.split("\n")
    if "\x00" in text:
        problems += [
            ImportProblem(n, None, NUL_MESSAGE)
            for n, line in enumerate(lines, start=1)
            if "\x00" in line
        ]
        lines = [line.replace("\x00", "") for line in lines]
    category: str | None = None
    for block in _blocks(lines):
        category, question, block_problems = _read_block(block, category)
        problems.extend(block_problems)
        if question is not None:
            questions.append(question)
    return ParseResult(questions=questions, problems=problems)


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    """Paragraphs of (line number, line): a blank line ends a question, as in Moodle."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _read_block(
    block: list[tuple[int, str]], category: str | None
) -> tuple[str | None, ImportedQuestion | None, list[ImportProblem]]:
    comments = [(n, line.strip()[2:].strip()) for n, line in block if line.strip().startswith("//")]
    # Comment lines stay in place as empty lines so that offsets still map to file lines.
    content = [(n, "" if line.strip().startswith("//") else _protect(line)) for n, line in block]
    problems: list[ImportProblem] = []

    for index, (number, line) in enumerate(content):
        if not line.strip():
            continue
        if line.strip().startswith("$CATEGORY:"):
            category = clean_category(_unescape(line.strip()[len("$CATEGORY:") :]))
            content[index] = (number, "")
        break

    directives = _read_directives(comments)
    if not any(line.strip() for _, line in content):
        problems += [ImportProblem(n, None, message) for n, message in directives.mistakes]
        if directives.lines:
            first = min(directives.lines.values())
            problems.append(
                ImportProblem(
                    first,
                    None,
                    "“// [ordering]”“// [rubric]”这类标记必须紧挨在题目前面（中间不能有空行）",
                )
            )
        return category, None, problems

    reader = _QuestionReader(content, directives, category)
    question = reader.read()
    problems.extend(reader.problems)
    return category, question, problems


def _read_directives(comments: list[tuple[int, str]]) -> _Directives:
    directives = _Directives()
    for number, comment in comments:
        for raw_tag in _TAG.findall(comment):
            tag = raw_tag.replace("\\]", "]").strip()
            if tag and tag not in directives.tags:
                directives.tags.append(tag)
        match = _DIRECTIVE.match(comment)
        if not match:
            continue
        name, value = match.group(1).lower(), match.group(2).strip()
        directives.lines.setdefault(name, number)
        if name == "ordering":
            directives.ordering = True
        elif name == "case-sensitive":
            directives.case_sensitive = True
        elif name == "template":
            template = _unescape(_protect(value))
            directives.template = (
                template if directives.template is None else directives.template + "\n" + template
            )
        else:
            rubric = _RUBRIC.match(value)
            if not rubric or int(rubric.group(1)) <= 0:
                directives.mistakes.append(
                    (
                        number,
                        f"评分标准“{quoted(value)}”的写法不对，"
                        "应写成“// [rubric] 分值 | 评分标准”，分值为正整数",
                    )
                )
                continue
            criterion = re.sub(r"\s+", " ", _unescape(_protect(rubric.group(2)))).strip()
            directives.rubric.append({"criterion": criterion, "points": int(rubric.group(1))})
    return directives


class _QuestionReader:
    """Takes one question paragraph apart. Problems are collected, not raised, so that a
    question with three mistakes shows all three."""

    def __init__(
        self, content: list[tuple[int, str]], directives: _Directives, category: str | None
    ) -> None:
        self.numbers = [n for n, _ in content]
        self.text = "\n".join(line for _, line in content)
        self.starts: list[int] = []
        offset = 0
        for _, line in content:
            self.starts.append(offset)
            offset += len(line) + 1
        self.directives = directives
        self.category = category
        self.name: str | None = None
        self.problems: list[ImportProblem] = []

    # -- positions and problems --------------------------------------------------------

    def line_at(self, offset: int) -> int:
        return self.numbers[max(0, bisect.bisect_right(self.starts, offset) - 1)]

    def problem(self, offset: int, message: str, *, skipped: bool = True) -> None:
        self.problems.append(ImportProblem(self.line_at(offset), self.name, message, skipped))

    def directive_problem(self, directive: str, message: str) -> None:
        line = self.directives.lines.get(directive)
        self.problems.append(ImportProblem(line, self.name, message))

    # -- the question ----------------------------------------------------------------------

    def read(self) -> ImportedQuestion | None:
        try:
            return self._read()
        except _Skip:
            self.problems = [p for p in self.problems if p.skipped]
            return None

    def _read(self) -> ImportedQuestion | None:
        text = self.text
        start = len(text) - len(text.lstrip())
        first_line = self.line_at(start)
        body_start = start
        if text.startswith("::", start):
            end = text.find("::", start + 2)
            if end < 0:
                self.problem(start, "题目标题缺少结尾的“::”（标题中的冒号要写成 \\:）")
                raise _Skip
            title = re.sub(r"\s+", " ", _unescape(text[start + 2 : end])).strip()
            self.name = title or None
            body_start = end + 2
        if self.name is None:
            # Until the text is read, problems name the question by its first words.
            first_words = _FORMAT_PREFIX.sub("", text[body_start:].split("{", 1)[0].strip())
            first_words = re.sub(r"\s+", " ", _unescape(first_words)).strip()
            self.name = first_words[:MAX_NAME_LENGTH] or None
            untitled = True
        else:
            untitled = False
        for line, message in self.directives.mistakes:
            self.problems.append(ImportProblem(line, self.name, message))

        opening = [m.start() for m in _OPENING.finditer(text, body_start)]
        closing = [m.start() for m in _CLOSING.finditer(text, body_start)]
        if not opening and not closing:
            spec = self._description(text[body_start:], body_start)
            if untitled:
                self.name = plain_one_line(spec["text"], MAX_NAME_LENGTH) or UNNAMED
            return self._finish(first_line, spec)
        self._check_braces(opening, closing)
        block_start, block_end = opening[0], closing[0]

        before, after = text[body_start:block_start], text[block_end + 1 :]
        # Text after the block makes a missing-word question (Moodle: "_____" in its place).
        question_raw = before + BLANK + after if after.strip() else before
        question_html, fmt = self.html(question_raw, MOODLE, body_start, part="text")
        if untitled:
            self.name = plain_one_line(question_html, MAX_NAME_LENGTH) or UNNAMED

        answers = text[block_start + 1 : block_end]
        answers_at = block_start + 1
        general_feedback = ""
        separator = answers.rfind("####")
        if separator >= 0:
            general_feedback, _ = self.html(
                answers[separator + 4 :], fmt, answers_at + separator + 4, part="general_feedback"
            )
            answers = answers[:separator]

        spec = self._answers(answers, answers_at, fmt)
        spec = {
            "kind": spec.pop("kind"),
            "text": question_html,
            "general_feedback": general_feedback,
            **spec,
        }
        return self._finish(first_line, spec)

    def _check_braces(self, opening: list[int], closing: list[int]) -> None:
        if not closing:
            self.problem(
                opening[0],
                "答案部分缺少结尾的“}”（一道题中间不能有空行，题目中的花括号要写成 \\{ 和 \\}）",
            )
            raise _Skip
        if not opening or closing[0] < opening[0]:
            self.problem(closing[0], "有“}”却没有与之对应的“{”（题目中的花括号要写成 \\{ 和 \\}）")
            raise _Skip
        if len(opening) > 1 and opening[1] < closing[0]:
            self.problem(opening[1], "答案部分里不能再有“{”（要写成 \\{）")
            raise _Skip
        if len(opening) > 1 or len(closing) > 1:
            at = opening[1] if len(opening) > 1 else closing[1]
            self.problem(
                at,
                "一道题只能有一个答案部分 {…}；不支持一题多空（Moodle 的完形填空题），"
                "请拆成几道题，或把多余的花括号写成 \\{ 和 \\}",
            )
            raise _Skip

    def _finish(self, first_line: int, spec: dict) -> ImportedQuestion | None:
        spec = kinds.assign_ids(spec)
        if not any(p.skipped for p in self.problems):
            for message in kinds.spec_problems(spec):
                self.problems.append(ImportProblem(first_line, self.name, message))
        if any(p.skipped for p in self.problems):
            # A question that is skipped as a whole needs no notes about parts of it.
            self.problems = [p for p in self.problems if p.skipped]
            return None
        return ImportedQuestion(
            name=self.name or UNNAMED,
            category=self.category,
            spec=spec,
            line=first_line,
            tags=list(self.directives.tags),
        )

    # -- texts -------------------------------------------------------------------------------

    def split_format(self, raw: str, default: str, offset: int) -> tuple[str, str]:
        """(text without a [format] prefix, unescaped and trimmed; its format)."""
        stripped = raw.strip()
        match = _FORMAT_PREFIX.match(stripped)
        if not match:
            return _unescape(stripped).strip(), default
        name = match.group(1).lower()
        if name not in FORMATS:
            self.problem(
                offset,
                f"不支持的文本格式“[{quoted(match.group(1))}]”：只能用 [html]、"
                "[markdown]、[plain] 或 [moodle]",
            )
            return _unescape(stripped[match.end() :]).strip(), default
        return _unescape(stripped[match.end() :]).strip(), name

    def html(self, raw: str, default: str, offset: int, *, part: str = "option") -> tuple[str, str]:
        """The HTML of a text of the question; `part` says which (see spec.too_long)."""
        text, fmt = self.split_format(raw, default, offset)
        return self.converted(text, fmt, offset, part), fmt

    def plain(self, raw: str, offset: int) -> str:
        """A plain-text answer (short answer, matching): a [format] prefix is dropped, as in
        Moodle; an [html] or [markdown] answer is reduced to its text."""
        text, fmt = self.split_format(raw, PLAIN, offset)
        if fmt in (PLAIN, MOODLE):
            return self.converted(text, None, offset, "option")
        return html_to_plain(self.converted(text, fmt, offset, "option"))

    def converted(self, text: str, fmt: str | None, offset: int, part: str) -> str:
        """`text` in HTML (as it is when `fmt` is None), or "" with a problem when it is too
        long — refused before conversion, which costs seconds per megabyte."""
        if len(text) > kinds.text_limit(part):
            self.problem(offset, kinds.too_long(part))
            return ""
        if fmt is None:
            return text
        try:
            return to_html(text, fmt)
        except TextTooComplex as error:
            self.problem(offset, str(error))
            return ""

    # -- kinds -------------------------------------------------------------------------------

    def _description(self, raw: str, offset: int) -> dict:
        self._refuse_directives("description")
        text, _ = self.html(raw, MOODLE, offset, part="text")
        return {"kind": kinds.DESCRIPTION, "text": text, "general_feedback": ""}

    def _answers(self, answers: str, at: int, fmt: str) -> dict:
        content = answers.strip()
        lead = at + len(answers) - len(answers.lstrip())
        if _CLOZE.match(content):
            self.problem(
                lead,
                "不支持的 GIFT 语法：“{1:MULTICHOICE:…}”是 Moodle 完形填空题"
                "（嵌入式答案）的写法，GIFT 里不能用；请拆成几道题",
            )
            raise _Skip
        if not content:
            kind = kinds.ESSAY
        elif content.startswith("#"):
            kind = kinds.NUMERIC
        elif content.startswith(">"):
            kind = kinds.ORDERING
        elif "~" in content:
            kind = "choice"
        elif "=" in content and "->" in content:
            kind = kinds.ORDERING if self.directives.ordering else kinds.MATCHING
        elif content.split("#", 1)[0].strip() in _TRUE_FALSE:
            kind = kinds.TRUE_FALSE
        else:
            kind = kinds.SHORT_ANSWER
        self._refuse_directives(kind)
        if kind == kinds.ESSAY:
            return {
                "kind": kind,
                "rubric": list(self.directives.rubric),
                "reply_template": self.directives.template or "",
            }
        if kind == kinds.NUMERIC:
            return self._numeric(answers, at, fmt)
        if kind == kinds.ORDERING and content.startswith(">"):
            return self._moodle_ordering(answers, at, fmt)
        if kind == kinds.ORDERING:
            return self._ordering(answers, at, fmt)
        if kind == "choice":
            return self._choice(answers, at, fmt)
        if kind == kinds.MATCHING:
            return self._matching(answers, at, fmt)
        if kind == kinds.TRUE_FALSE:
            return self._true_false(content, lead, fmt)
        return self._short_answer(answers, at, fmt)

    def _refuse_directives(self, kind: str) -> None:
        d = self.directives
        if d.ordering and kind != kinds.ORDERING:
            self.directive_problem(
                "ordering",
                "标记为“// [ordering]”的题目，答案要写成“{ =1 -> 第一步 =2 -> 第二步 … }”",
            )
        if d.essay_only and kind != kinds.ESSAY:
            self.directive_problem(
                "rubric" if d.rubric else "template",
                "“// [rubric]”和“// [template]”只能用于问答题（答案部分为 {}）",
            )
        if d.case_sensitive and kind != kinds.SHORT_ANSWER:
            self.directive_problem("case-sensitive", "“// [case-sensitive]”只能用于填空题")

    def check_count(self, answers: str, at: int, markers: str) -> None:
        """Skip a question with more options than a spec may hold, counting them in one pass
        before any is read (600 KB of "~b" took 17 s to read one by one)."""
        count = sum(answers.count(marker) for marker in markers)
        if (
            count >= limits.OPTIONS
            and count + bool(_before_markers(answers, markers).strip()) > limits.OPTIONS
        ):
            self.problem(at, kinds.too_many())
            raise _Skip

    def _choice(self, answers: str, at: int, fmt: str) -> dict:
        self.check_count(answers, at, "~=")
        pieces = _split(answers, at, "~=")
        lead_text, lead_at = pieces[0][1], pieces[0][2]
        if lead_text.strip():
            self.problem(lead_at, f"选项“{quoted(_unescape(lead_text.strip()))}”前面缺少 = 或 ~")
        choices = []
        has_equals = False
        for marker, piece, offset in pieces[1:]:
            has_equals = has_equals or marker == "="
            weight, piece = self.weight(piece, offset)
            fraction = weight if weight is not None else (1.0 if marker == "=" else 0.0)
            text, _, feedback = piece.partition("#")
            html_text, _ = self.html(text, fmt, offset)
            feedback_html, _ = self.html(feedback, fmt, offset)
            choices.append({"text": html_text, "fraction": fraction, "feedback": feedback_html})
        if choices and not any(c["fraction"] > 0 for c in choices):
            self.problem(
                at, "选择题没有正确答案：用“=”标出正确答案，或用“~%50%”这样的权重标出多个正确答案"
            )
        # Moodle: an "=" answer makes a one-answer question; only "~" answers, several answers.
        kind = kinds.SINGLE if has_equals else kinds.MULTIPLE
        return {"kind": kind, "choices": choices}

    def _true_false(self, content: str, at: int, fmt: str) -> dict:
        parts = content.split("#", 2)
        answer = _TRUE_FALSE[parts[0].strip()]
        wrong, _ = self.html(parts[1], fmt, at) if len(parts) > 1 else ("", fmt)
        right, _ = self.html(parts[2], fmt, at) if len(parts) > 2 else ("", fmt)
        # GIFT gives the feedback for a wrong answer first, then for a right one.
        return {
            "kind": kinds.TRUE_FALSE,
            "answer": answer,
            "feedback_true": right if answer else wrong,
            "feedback_false": wrong if answer else right,
        }

    def _short_answer(self, answers: str, at: int, fmt: str) -> dict:
        self.check_count(answers, at, "=")
        accepted = []
        for index, (_, piece, offset) in enumerate(_split(answers, at, "=")):
            if index == 0 and not piece.strip():
                continue  # Moodle allows one answer without "=": "{四}"
            weight, piece = self.weight(piece, offset)
            text, _, feedback = piece.partition("#")
            feedback_html, _ = self.html(feedback, fmt, offset)
            accepted.append(
                {
                    "text": self.plain(text, offset),
                    "fraction": 1.0 if weight is None else weight,
                    "feedback": feedback_html,
                }
            )
        return {
            "kind": kinds.SHORT_ANSWER,
            "answers": accepted,
            "case_sensitive": self.directives.case_sensitive,
        }

    def _numeric(self, answers: str, at: int, fmt: str) -> dict:
        lead = answers.index("#")
        body, body_at = answers[lead + 1 :], at + lead + 1
        tilde = body.find("~")
        if tilde >= 0:
            # Moodle's "any other answer" feedback: the spec has no place for it.
            self.problem(
                body_at + tilde, "数值题“其他答案”的反馈（~#…）无法导入，已忽略", skipped=False
            )
            body = body[:tilde]
        self.check_count(body, body_at, "=")
        values = []
        for index, (_, piece, offset) in enumerate(_split(body, body_at, "=")):
            if index == 0 and not piece.strip():
                continue
            weight, piece = self.weight(piece, offset)
            number, _, feedback = piece.partition("#")
            parsed = self.number_with_tolerance(number, offset)
            feedback_html, _ = self.html(feedback, fmt, offset)
            if parsed is not None:
                values.append(
                    {
                        "value": parsed[0],
                        "tolerance": parsed[1],
                        "fraction": 1.0 if weight is None else weight,
                        "feedback": feedback_html,
                    }
                )
        if not values and not any(p.skipped for p in self.problems):
            self.problem(at, "数值题至少需要一个答案，例如 {#3:0.5} 或 {#1..5}")
        return {"kind": kinds.NUMERIC, "answers": values}

    def number_with_tolerance(self, raw: str, offset: int) -> tuple[float, float] | None:
        # Full-width digits, colon and full stop typed in a Chinese input method count too.
        text = unicodedata.normalize("NFKC", _unescape(raw)).strip()
        if ".." in text[1:]:
            low, high = text.split("..", 1)
            low_value, high_value = _number(low), _number(high)
            if low_value is None or high_value is None:
                self.problem(
                    offset, f"数值题的答案范围“{quoted(text)}”不是“最小值..最大值”这样的数字"
                )
                return None
            middle = (low_value + high_value) / 2
            return middle, round(high_value - middle, 12)
        value_text, colon, tolerance_text = text.partition(":")
        value = _number(value_text)
        tolerance = _number(tolerance_text) if colon else 0.0
        if value is None:
            self.problem(offset, f"数值题的答案“{quoted(value_text or text)}”不是数字")
            return None
        if tolerance is None:
            self.problem(offset, f"数值题的误差“{quoted(tolerance_text)}”不是数字")
            return None
        return value, tolerance

    def _pairs(self, answers: str, at: int) -> list[tuple[str, str, int]]:
        self.check_count(answers, at, "=")
        pairs = []
        for index, (_, piece, offset) in enumerate(_split(answers, at, "=")):
            if index == 0 and not piece.strip():
                continue
            prompt, arrow, answer = piece.partition("->")
            if not arrow:
                self.problem(
                    offset,
                    f"匹配项“{quoted(_unescape(piece.strip()))}”缺少“->”，应写成“=题目 -> 答案”",
                )
                continue
            pairs.append((prompt, answer, offset))
        return pairs

    def _matching(self, answers: str, at: int, fmt: str) -> dict:
        pairs = []
        for prompt, answer, offset in self._pairs(answers, at):
            prompt_html, _ = self.html(prompt, fmt, offset)
            # Moodle reads the answer side as plain text, without any [format].
            pairs.append({"prompt": prompt_html, "answer": _unescape(answer).strip()})
        return {"kind": kinds.MATCHING, "pairs": pairs}

    def _ordering(self, answers: str, at: int, fmt: str) -> dict:
        steps: dict[int, dict] = {}
        for position, step, offset in self._pairs(answers, at):
            number = unicodedata.normalize("NFKC", _unescape(position)).strip()
            if not number.isdigit():
                self.problem(
                    offset, f"排序题的每一步要写成“=序号 -> 步骤”，“{quoted(number)}”不是序号"
                )
                continue
            if int(number) in steps:
                self.problem(offset, f"排序题的序号 {number} 重复了")
                continue
            # Our own convention, so the step may carry the question's format (unlike a
            # matching answer, which Moodle always reads as plain text).
            text, _ = self.html(step, fmt, offset)
            steps[int(number)] = {"text": text}
        return {"kind": kinds.ORDERING, "items": [steps[n] for n in sorted(steps)]}

    def _moodle_ordering(self, answers: str, at: int, fmt: str) -> dict:
        lead = answers.index(">")
        options, *lines = answers[lead + 1 :].split("\n")
        if not _ORDERING_OPTIONS.match(_unescape(options)):
            self.problem(
                at + lead,
                "排序题“{>”后的第一行只能写显示数量和选项，"
                "例如“{>4 ALL VERTICAL”，步骤从第二行起每行一个",
            )
        if sum(1 for line in lines if line.strip()) > limits.OPTIONS:
            self.problem(at + lead, kinds.too_many())
            raise _Skip
        items = []
        offset = at + lead + 1 + len(options) + 1
        for line in lines:
            if line.strip():
                text, _ = self.html(line, fmt, offset)
                items.append({"text": text})
            offset += len(line) + 1
        return {"kind": kinds.ORDERING, "items": items}

    def weight(self, piece: str, offset: int) -> tuple[float | None, str]:
        """("%50%rest") → (0.5, "rest"); no weight → (None, piece)."""
        stripped = piece.lstrip()
        match = _WEIGHT.match(stripped)
        if not match:
            return None, piece
        written = ("-" if match.group(1) else "") + match.group(2)
        value = _number(written)
        if value is None:
            self.problem(offset, f"得分比例“%{quoted(written)}%”不是数字")
            return None, stripped[match.end() :]
        return round(value / 100, 7), stripped[match.end() :]


def _before_markers(text: str, markers: str) -> str:
    """The text before the first marker (what `_split` returns first)."""
    found = [i for i in (text.find(m) for m in markers) if i >= 0]
    return text[: min(found)] if found else text


def _split(text: str, start: int, markers: str) -> list[tuple[str | None, str, int]]:
    """Cut an answer block before every marker: [(marker, text after it, its offset)]; the
    first entry is the text before any marker, with marker None."""
    pieces: list[tuple[str | None, str, int]] = []
    marker: str | None = None
    last = 0
    for index, char in enumerate(text):
        if char in markers:
            pieces.append((marker, text[last:index], start + last))
            marker, last = char, index + 1
    pieces.append((marker, text[last:], start + last))
    return pieces


def _number(text: str) -> float | None:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


# -- export ---------------------------------------------------------------------------------

_RESERVED = str.maketrans(
    {
        "\\": "\\\\",
        "~": "\\~",
        "=": "\\=",
        "#": "\\#",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)


def _escape(text: str) -> str:
    return (text or "").translate(_RESERVED)


def _html(text: str, *, prefix: bool = False) -> str:
    """An HTML text in a question whose format is [html]; a text that itself starts with "["
    gets the prefix again, or "[note]…" would be read as a format."""
    text = (text or "").strip()
    return ("[html]" if prefix or text.startswith("[") else "") + _escape(text)


def _plain(text: str) -> str:
    text = (text or "").strip()
    return ("[plain]" if text.startswith("[") else "") + _escape(text)


def _arrow_safe(html: str) -> str:
    # "->" splits a matching pair; in HTML "-&gt;" shows the same.
    return html.replace("->", "-&gt;")


def _number_text(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _percent(fraction: float) -> str:
    text = f"{round(fraction * 100, 5):.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _feedback(html: str) -> str:
    return "#" + _html(html) if (html or "").strip() else ""


def export_gift(questions: Iterable[ImportedQuestion]) -> str:
    """Write questions as GIFT that Moodle imports and `parse_gift` reads back unchanged."""
    out = [
        "// 客服学院导出的题目，可在 Moodle 题库中按 GIFT 格式导入。",
        "// “// [ordering]”“// [rubric]”等注释是客服学院的扩展标记，Moodle 会当作注释忽略。",
        "",
    ]
    category: str | None = None
    for question in questions:
        if question.category != category:
            out += [f"$CATEGORY: $course$/top/{question.category or ''}".rstrip("/"), ""]
            category = question.category
        out += [_export_question(question), ""]
    return "\n".join(out)


def _export_question(question: ImportedQuestion) -> str:
    spec = question.spec
    kind = spec["kind"]
    lines = ["// [tag:" + tag.replace("]", "\\]") + "]" for tag in question.tags]
    name = re.sub(r"\s+", " ", question.name or "").strip() or UNNAMED
    head = f"::{_escape(name)}::{_html(spec.get('text', ''), prefix=True)}"
    general = spec.get("general_feedback") or ""

    if kind == kinds.DESCRIPTION:
        return "\n".join([*lines, head])
    if kind == kinds.ESSAY:
        return "\n".join(
            [
                *lines,
                *_essay_comments(spec),
                head + ("{####" + _html(general) + "}" if general.strip() else "{}"),
            ]
        )
    if kind == kinds.TRUE_FALSE:
        return "\n".join([*lines, head + "{" + _true_false_block(spec, general) + "}"])
    comments, body = _answer_lines(spec)
    if general.strip():
        body.append(f"\t####{_html(general)}")
    opening = "{#" if kind == kinds.NUMERIC else "{"
    return "\n".join([*lines, *comments, head + opening, *body, "}"])


def _essay_comments(spec: dict) -> list[str]:
    """An essay's rubric and reply template, as our `// [rubric]` / `// [template]` comments."""
    lines = []
    for entry in spec.get("rubric") or []:
        criterion = re.sub(r"\s+", " ", entry["criterion"]).strip()
        lines.append(f"// [rubric] {entry['points']} | {_escape(criterion)}")
    if spec.get("reply_template"):
        lines.append(f"// [template] {_escape(spec['reply_template'])}")
    return lines


def _true_false_block(spec: dict, general: str) -> str:
    """`TRUE` or `FALSE`, then GIFT's feedback for a wrong answer and for a right one (an empty
    wrong one is written when a right one follows), then the general feedback."""
    answer = bool(spec["answer"])
    right = spec.get("feedback_true" if answer else "feedback_false") or ""
    wrong = spec.get("feedback_false" if answer else "feedback_true") or ""
    block = "TRUE" if answer else "FALSE"
    if wrong.strip() or right.strip():
        block += "#" + _html(wrong)
    if right.strip():
        block += "#" + _html(right)
    if general.strip():
        block += "####" + _html(general)
    return block


def _answer_lines(spec: dict) -> tuple[list[str], list[str]]:
    """The comments that go before the question (`// [case-sensitive]`, `// [ordering]`) and
    one line per answer inside its braces, for the kinds with a list of answers."""
    kind = spec["kind"]
    comments: list[str] = []
    body: list[str] = []
    if kind in (kinds.SINGLE, kinds.MULTIPLE):
        for choice in spec["choices"]:
            text, fraction = choice["text"].strip(), choice["fraction"]
            explicit = text.startswith("%")  # would otherwise be read as a weight
            if kind == kinds.SINGLE and math.isclose(fraction, 1) and not explicit:
                marker = "="
            elif fraction == 0 and not explicit:
                marker = "~"
            else:
                marker = f"~%{_percent(fraction)}%"
            body.append(f"\t{marker}{_html(text)}{_feedback(choice.get('feedback', ''))}")
    elif kind == kinds.SHORT_ANSWER:
        if spec.get("case_sensitive"):
            comments.append("// [case-sensitive]")
        for answer in spec["answers"]:
            body.append(
                f"\t=%{_percent(answer['fraction'])}%{_plain(answer['text'])}"
                f"{_feedback(answer.get('feedback', ''))}"
            )
    elif kind == kinds.NUMERIC:
        for answer in spec["answers"]:
            body.append(
                f"\t=%{_percent(answer['fraction'])}%{_number_text(answer['value'])}:"
                f"{_number_text(answer.get('tolerance', 0))}"
                f"{_feedback(answer.get('feedback', ''))}"
            )
    elif kind == kinds.MATCHING:
        for pair in spec["pairs"]:
            prompt = _html(_arrow_safe(pair.get("prompt", "")))
            body.append(f"\t={prompt} -> {_escape(pair['answer'].strip())}")
    elif kind == kinds.ORDERING:
        comments.append("// [ordering]")
        for position, item in enumerate(spec["items"], start=1):
            body.append(f"\t={position} -> {_html(item['text'])}")
    else:
        raise ValueError(f"unknown question kind: {kind!r}")
    return comments, body
