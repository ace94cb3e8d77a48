"""Moodle XML question files → question specs (quizzes/spec.py). Pure Python: no Django imports.

Reads what Moodle 4.x writes when a question bank is exported as "Moodle XML format":

    <quiz>
      <question type="category"><category><text>$course$/top/客服入门</text></category></question>
      <question type="multichoice">
        <name><text>…</text></name>
        <questiontext format="html"><text><![CDATA[<p>…</p>]]></text></questiontext>
        <generalfeedback format="html"><text>…</text></generalfeedback>
        <defaultgrade>1</defaultgrade>
        <single>true</single>
        <answer fraction="100" format="html"><text>…</text>
          <feedback format="html"><text>…</text></feedback></answer>
        <tags><tag><text>…</text></tag></tags>
      </question>
    </quiz>

Question types: multichoice (<single>false</single> → multiple), truefalse, shortanswer
(<usecase>), numerical (<tolerance>), matching (<subquestion>), essay, description and
qtype_ordering's ordering (items in document order, as Moodle reads them). An essay's rubric
comes from its grader information when that is a list of "3 | criterion" lines.

Every other type (cloze, calculated, drag-and-drop, random, …) is reported as a problem naming
the question and its type; so are questions whose content does not make a valid spec. Parts
the spec has no place for are dropped with a problem that says so (`skipped=False`): a numeric
question's "any other answer" (*), units, embedded files. Combined feedback, hints, penalties
and shuffling settings are Moodle presentation details and are ignored.

The file is parsed with defusedxml: entity declarations and external references are refused.
Elements may nest to any depth (they are walked with a loop); a <defaultgrade> above
999.99 does not fit the question bank and is a problem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

import defusedxml
import defusedxml.sax
from academy import limits

from . import spec as kinds
from .imported import (
    MAX_DEFAULT_MARK,
    MAX_NAME_LENGTH,
    UNNAMED,
    ImportedQuestion,
    ImportProblem,
    ParseResult,
    clean_category,
    quoted,
)
from .textformat import (
    HTML,
    MARKDOWN,
    MOODLE,
    PLAIN,
    TextTooComplex,
    html_to_plain,
    normalise_format,
    plain_one_line,
    to_html,
)

# Types Moodle knows and we cannot import, with the names trainers see in Moodle's Chinese UI.
_UNSUPPORTED = {
    "cloze": "完形填空（嵌入式答案）",
    "multianswer": "完形填空（嵌入式答案）",
    "calculated": "计算题",
    "calculatedsimple": "简单计算题",
    "calculatedmulti": "计算型选择题",
    "ddwtos": "拖放到文本",
    "ddimageortext": "拖放到图像",
    "ddmarker": "拖放标记",
    "gapselect": "选择缺失的单词",
    "randomsamatch": "随机简答匹配题",
    "random": "随机题",
    "multichoiceset": "全对或全错多选题",
}
# Not `\s*分?\s*`: two neighbouring `\s*` retry a long run of spaces in quadratic time.
_RUBRIC_LINE = re.compile(r"^(\d+)\s*(?:分\s*)?[|｜]\s*(.+)$")
_DECLARED_ENCODING = re.compile(
    rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']"""
)
_EXPAT_ENCODINGS = {
    "utf-8",
    "utf8",
    "utf-16",
    "utf16",
    "iso-8859-1",
    "latin-1",
    "latin1",
    "us-ascii",
    "ascii",
}
_XML_DECLARATION = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


@dataclass
class _Node:
    """An element with the line it starts on (ElementTree keeps no line numbers)."""

    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def child(self, tag: str) -> _Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[_Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, *path: str) -> str | None:
        """The text of the element at `path` below this one, or None if it is missing."""
        node: _Node | None = self
        for tag in path:
            node = node.child(tag) if node else None
        return node.text if node else None

    def walk(self) -> Iterator[_Node]:
        """This element and all below it, in document order; a loop, not recursion, for a
        file may nest elements a hundred thousand deep."""
        pending = [self]
        while pending:
            node = pending.pop()
            yield node
            pending.extend(reversed(node.children))


class _TreeBuilder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.locator: Locator | None = None
        self.root: _Node | None = None
        self.stack: list[_Node] = []

    # camelCase: these are the SAX API's own method names.
    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs) -> None:
        line = self.locator.getLineNumber() if self.locator else 0
        node = _Node(name, dict(attrs.items()), line)
        if self.stack:
            self.stack[-1].children.append(node)
        else:
            self.root = node
        self.stack.append(node)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].parts.append(content)


def parse_moodle_xml(data: bytes | str) -> ParseResult:
    """Read a Moodle XML file; see the module docstring for what is understood."""
    if isinstance(data, bytes):
        declared = (_declared_encoding(data) or "utf-8").lower().replace("_", "-")
        if declared not in _EXPAT_ENCODINGS:
            # Expat reads only UTF-8/16 and Latin-1; decode a GBK or Big5 file ourselves.
            try:
                data = data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                return _fail(1, f"无法按声明的编码“{declared}”读取文件，请另存为 UTF-8 后再导入")
        elif declared in ("utf-8", "utf8") and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            data = _utf8_or_chinese(data)
    if isinstance(data, str):
        # The text is already decoded: whatever encoding the declaration names, it is UTF-8 now.
        data = _XML_DECLARATION.sub(r"\1\2UTF-8\2", data.lstrip("\ufeff"), count=1).encode()
    builder = _TreeBuilder()
    try:
        defusedxml.sax.parseString(data, builder)
    except SAXParseException as error:
        return _fail(error.getLineNumber(), f"文件不是有效的 XML：{error.getMessage()}")
    except defusedxml.DefusedXmlException:
        return _fail(None, "文件含有实体定义或外部引用，出于安全原因不予导入")
    except ValueError as error:  # e.g. an encoding expat does not know
        return _fail(None, f"文件无法读取：{error}")
    root = builder.root
    if root is None or root.tag != "quiz":
        return _fail(
            root.line if root else None, "这不是 Moodle XML 题目文件：最外层的元素应为 <quiz>"
        )

    questions: list[ImportedQuestion] = []
    problems: list[ImportProblem] = []
    category: str | None = None
    for node in root.all("question"):
        if node.attrs.get("type") == "category":
            category = clean_category(node.value("category", "text"))
            continue
        reader = _QuestionReader(node, category)
        question = reader.read()
        problems.extend(reader.problems)
        if question is not None:
            questions.append(question)
    return ParseResult(questions=questions, problems=problems)


def _declared_encoding(data: bytes) -> str | None:
    match = _DECLARED_ENCODING.match(data[:200])
    return match.group(1).decode("ascii") if match else None


def _utf8_or_chinese(data: bytes) -> bytes | str:
    """A file saved from Windows Notepad or Excel in China is often GBK whatever its XML
    declaration says; read it as such rather than fail on the first Chinese character."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass  # neither: let the parser report the line
    return data


class _Skip(Exception):
    """The question cannot be read at all; the problems collected so far explain why."""


def _fail(line: int | None, message: str) -> ParseResult:
    return ParseResult(questions=[], problems=[ImportProblem(line, None, message)])


class _QuestionReader:
    def __init__(self, node: _Node, category: str | None) -> None:
        self.node = node
        self.category = category
        self.type = node.attrs.get("type", "").strip()
        name = re.sub(r"\s+", " ", node.value("name", "text") or "").strip()
        self.name: str | None = name or None
        self.problems: list[ImportProblem] = []

    def problem(self, message: str, *, line: int | None = None, skipped: bool = True) -> None:
        self.problems.append(ImportProblem(line or self.node.line, self.name, message, skipped))

    # -- texts -------------------------------------------------------------------------------

    def format_of(self, node: _Node | None, default: str) -> str:
        fmt = normalise_format(node.attrs.get("format")) if node is not None else None
        # Moodle treats a format it does not know (e.g. the old "wiki_like") as its own.
        return fmt or (default if node is None or "format" not in node.attrs else MOODLE)

    def rich(self, node: _Node | None, default: str = MOODLE, *, part: str = "option") -> str:
        """The HTML of a <questiontext>, <answer>, <feedback>… element (its <text> child);
        `part` says which text of the question it is (see spec.too_long)."""
        if node is None:
            return ""
        text = node.value("text") or ""
        return self.converted(node, text, self.format_of(node, default), part)

    def plain(self, node: _Node | None, *, part: str = "option") -> str:
        """The plain text of an element whose <text> Moodle compares or shows as text."""
        if node is None:
            return ""
        text = node.value("text") or ""
        fmt = self.format_of(node, PLAIN)
        if fmt in (HTML, MARKDOWN):
            return html_to_plain(self.converted(node, text, fmt, part)).strip()
        return self.converted(node, text.strip(), None, part)

    def converted(self, node: _Node, text: str, fmt: str | None, part: str) -> str:
        """`text` in HTML (as it is when `fmt` is None), or "" with a problem when it is too
        long — refused before conversion, which costs seconds per megabyte."""
        if len(text) > kinds.text_limit(part):
            self.problem(kinds.too_long(part), line=node.line)
            return ""
        if fmt is None:
            return text
        try:
            return to_html(text, fmt)
        except TextTooComplex as error:
            self.problem(str(error), line=node.line)
            return ""

    # -- the question ------------------------------------------------------------------------

    def read(self) -> ImportedQuestion | None:
        node = self.node
        readers = {
            "multichoice": self._choice,
            "truefalse": self._true_false,
            "shortanswer": self._short_answer,
            "numerical": self._numeric,
            "matching": self._matching,
            "essay": self._essay,
            "description": lambda fmt: {"kind": kinds.DESCRIPTION},
            "ordering": self._ordering,
        }
        if self.type not in readers:
            if self.name is None:
                self.name = (
                    plain_one_line(
                        self.rich(node.child("questiontext"), part="text"), MAX_NAME_LENGTH
                    )
                    or None
                )
            label = _UNSUPPORTED.get(self.type)
            kind = (
                f"“{self.type}”（{label}）" if label else f"“{quoted(self.type) or '（未注明）'}”"
            )
            self.problem(f"不支持的 Moodle 题型{kind}，已跳过")
            return None

        text_node = node.child("questiontext")
        fmt = self.format_of(text_node, MOODLE)
        text = self.rich(text_node, part="text")
        if self.name is None:
            self.name = plain_one_line(text, MAX_NAME_LENGTH) or UNNAMED
        try:
            answers = readers[self.type](fmt)
        except _Skip:
            self.problems = [p for p in self.problems if p.skipped]
            return None
        spec = {
            "kind": answers.pop("kind"),
            "text": text,
            "general_feedback": self.rich(
                node.child("generalfeedback"), fmt, part="general_feedback"
            ),
            **answers,
        }
        spec = kinds.assign_ids(spec)
        default_mark = self._default_mark()
        if not any(p.skipped for p in self.problems):
            for message in kinds.spec_problems(spec):
                self.problem(message)
        if any(p.skipped for p in self.problems):
            # A question that is skipped as a whole needs no notes about parts of it.
            self.problems = [p for p in self.problems if p.skipped]
            return None
        self._warn_about_files()
        return ImportedQuestion(
            name=self.name,
            category=self.category,
            spec=spec,
            line=node.line,
            tags=self._tags(),
            default_mark=default_mark,
        )

    def _tags(self) -> list[str]:
        tags: list[str] = []
        container = self.node.child("tags")
        for tag in container.all("tag") if container else []:
            text = (tag.value("text") or "").strip()
            if text and text not in tags:
                tags.append(text)
        return tags

    def _default_mark(self) -> float | None:
        raw = self.node.value("defaultgrade")
        value = _number(raw)
        if value is not None and round(value, 2) > MAX_DEFAULT_MARK:
            self.problem(
                f"默认分值（defaultgrade）“{quoted(raw.strip())}”太大：最多 {MAX_DEFAULT_MARK}",
                line=self.node.child("defaultgrade").line,
            )
            return None
        return value if value is not None and value >= 0 else None

    def _warn_about_files(self) -> None:
        has_files = any(n.tag == "file" for n in self.node.walk()) or any(
            "@@PLUGINFILE@@" in "".join(n.parts) for n in self.node.walk()
        )
        if has_files:
            self.problem("题目中的图片等嵌入文件无法导入，已忽略；请导入后重新上传", skipped=False)

    def counted(self, tag: str) -> list[_Node]:
        """The question's <answer> or <subquestion> elements; a question with more than a
        spec may hold is skipped before any of them is read."""
        found = self.node.all(tag)
        if len(found) > limits.OPTIONS:
            self.problem(kinds.too_many())
            raise _Skip
        return found

    def fraction(self, answer: _Node) -> float:
        raw = answer.attrs.get("fraction", "0")
        value = _number(raw)
        if value is None:
            self.problem(f"答案的得分比例“{quoted(raw)}”不是数字", line=answer.line)
            return 0.0
        return round(value / 100, 7)

    # -- kinds -------------------------------------------------------------------------------

    def _choice(self, fmt: str) -> dict:
        single = (self.node.value("single") or "true").strip().lower() not in ("false", "0", "")
        choices = [
            {
                "text": self.rich(answer, fmt),
                "fraction": self.fraction(answer),
                "feedback": self.rich(answer.child("feedback"), fmt),
            }
            for answer in self.counted("answer")
        ]
        return {"kind": kinds.SINGLE if single else kinds.MULTIPLE, "choices": choices}

    def _true_false(self, fmt: str) -> dict:
        spec: dict = {"kind": kinds.TRUE_FALSE, "feedback_true": "", "feedback_false": ""}
        for index, answer in enumerate(self.node.all("answer")[:2]):
            word = (answer.value("text") or "").strip().lower()
            if word not in ("true", "false"):
                word = "true" if index == 0 else "false"  # old files: true first, as Moodle
            right = self.fraction(answer) >= 1
            spec[f"feedback_{word}"] = self.rich(answer.child("feedback"), fmt)
            if word == "true":
                spec["answer"] = right
            elif "answer" not in spec:
                spec["answer"] = not right
        return spec

    def _short_answer(self, fmt: str) -> dict:
        usecase = (self.node.value("usecase") or "0").strip().lower()
        answers = [
            {
                "text": self.plain(answer),
                "fraction": self.fraction(answer),
                "feedback": self.rich(answer.child("feedback"), fmt),
            }
            for answer in self.counted("answer")
        ]
        return {
            "kind": kinds.SHORT_ANSWER,
            "answers": answers,
            "case_sensitive": usecase in ("1", "true", "yes"),
        }

    def _numeric(self, fmt: str) -> dict:
        answers = []
        for answer in self.counted("answer"):
            raw = (answer.value("text") or "").strip()
            fraction = self.fraction(answer)
            feedback = self.rich(answer.child("feedback"), fmt)
            if raw in ("*", ""):
                if feedback or fraction:
                    self.problem(
                        "数值题的“其他答案（*）”无法导入，已忽略", line=answer.line, skipped=False
                    )
                continue
            value = _number(raw)
            tolerance = _number(answer.value("tolerance") or "0")
            if value is None or tolerance is None:
                self.problem(f"数值题的答案“{quoted(raw)}”或其误差不是数字", line=answer.line)
                continue
            answers.append(
                {
                    "value": value,
                    "tolerance": abs(tolerance),
                    "fraction": fraction,
                    "feedback": feedback,
                }
            )
        container = self.node.child("units")
        units = [
            (unit.value("unit_name") or "").strip()
            for unit in (container.all("unit") if container else [])
        ]
        if any(units):
            written = quoted("、".join(u for u in units if u))
            self.problem(f"数值题的单位（{written}）无法导入，已忽略", skipped=False)
        return {"kind": kinds.NUMERIC, "answers": answers}

    def _matching(self, fmt: str) -> dict:
        pairs = []
        for sub in self.counted("subquestion"):
            prompt = self.rich(sub, fmt)
            answer = (sub.value("answer", "text") or "").strip()
            if prompt or answer:
                pairs.append({"prompt": prompt, "answer": answer})
        return {"kind": kinds.MATCHING, "pairs": pairs}

    def _essay(self, fmt: str) -> dict:
        grader_node = self.node.child("graderinfo")
        template_node = self.node.child("responsetemplate")
        grader_info = (grader_node.value("text") or "") if grader_node else ""
        if len(grader_info) > limits.QUESTION_TEXT:
            # Only read for a rubric, which is far shorter; converting costs time.
            self.problem(
                f"评分说明（graderinfo）太长：最多 {limits.QUESTION_TEXT} 个字符",
                line=grader_node.line,
            )
            grader_node = None
        return {
            "kind": kinds.ESSAY,
            "rubric": _rubric(self.rich(grader_node, fmt) if grader_node else ""),
            "reply_template": (
                self.plain(template_node, part="reply_template") if template_node else ""
            ),
        }

    def _ordering(self, fmt: str) -> dict:
        # Moodle reads the items in document order (the fraction only repeats the position).
        items = [{"text": self.rich(answer, fmt)} for answer in self.counted("answer")]
        return {"kind": kinds.ORDERING, "items": items}


def _rubric(grader_info_html: str) -> list[dict]:
    """ "3 | 先安抚客户情绪" lines → rubric entries; anything else in the text → no rubric."""
    lines = [line.strip() for line in html_to_plain(grader_info_html).split("\n") if line.strip()]
    rubric = []
    for line in lines:
        match = _RUBRIC_LINE.match(line)
        if not match or int(match.group(1)) <= 0:
            return []
        rubric.append({"criterion": match.group(2).strip(), "points": int(match.group(1))})
    return rubric


def _number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None
