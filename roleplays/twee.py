"""Role-play scenarios as Twee 3: import a story written in Twine 2, export a scenario to Twine.

Any Twine story imports
=======================

A story written in Twine 2 must import — as Twee 3 ("Export as Twee") or as the HTML that
"Publish to File" writes (`<tw-storydata>`, read by the same rules) — and becomes a draft;
export then import gives the same graph. Read as Twine reads it: ``StoryTitle``, ``StoryData``
and its ``"start"`` are optional (start: the passage called ``Start``, else the first
passage), a passage without links is an ending, and story-format code is left out and
listed (`ParseResult.ignored`, by passage and line), never fatal. What only stops publishing
(no setting, endings not marked pass / fail, unreachable passages, …) is left to the draft's
checklist (`roleplays.checklist`, `DRAFT_PROBLEMS`). The file is refused, every problem
listed by line, only when it cannot be a story: not Twee (no passage header) or HTML without
a story, StoryData that is not JSON, a start or a link naming a passage that does not exist,
a passage header that cannot be read, two passages of one name, sizes beyond
`academy.limits`, and Kefu annotations (below) that do not read.

Kefu Twee 3 conventions (optional: they make a story complete on import)
-----------------------------------------------------------------------

Twee 3 spec: https://github.com/iftechfoundation/twine-specs/blob/master/twee-3-specification.md

- ``:: StoryTitle`` → the scenario title (its body, one line).
- ``:: StoryData`` → JSON; its ``"start"`` names the start passage; ``"ifid"`` is kept;
  ``"format"``, ``"format-version"``, ``"tag-colors"``, ``"zoom"`` are accepted and ignored.
- Passage header: ``:: Name [tag1 tag2] {"position":"600,400","size":"100,100"}`` (tags and
  metadata optional). The passage name is the node key. Names may be Chinese.
- A passage tagged ``kefu-setting`` (one per story; any name) holds the scenario's setting as
  ``key: value`` lines (full-width colon ``：`` also accepted):

  - ``owner:`` who the owner (业主) is, e.g. ``王女士，5栋902业主，退休教师``
  - ``situation:`` what happened (one paragraph)
  - ``channel:`` one of ``front_desk`` (前台), ``phone`` (电话), ``door_to_door`` (上门) — the
    Chinese words are accepted too
  - ``pass_mark:`` overall percent needed to pass (integer, default
    ``engine.DEFAULT_PASS_MARK``, 70)
  - ``immediate_feedback:`` ``yes`` / ``no`` (show the expert's feedback right after each
    choice; default yes)
  - ``competency:`` optional competency code (etiquette / phrases / complaints / emergency)
  - ``summary:`` optional one-line summary

- Every other passage (except StoryTitle, StoryData, and passages tagged ``kefu-setting``) is
  a node:

  - tags: ``narration`` → a narration node (no speaker); ``ending`` together with ``pass`` or
    ``fail`` → an ending (its text is the outcome); otherwise an owner node.
  - optional metadata lines at the top of the body: ``@speaker: 王女士`` and ``@mood: angry``
    (moods: calm, worried, annoyed, angry, furious, relieved, satisfied).
  - the remaining non-link text is the node's text (paragraphs kept, separated by blank lines).
  - every link is a choice, written on its own line, in any Twine form: ``[[text->target]]``,
    ``[[target<-text]]``, ``[[text|target]]``, ``[[target]]`` (the text is the target name).
  - a choice's scoring and feedback ride in an HTML comment right after the link on the same
    line (Twine story formats do not display HTML comments, so the story still plays in
    Twine)::

      [[我非常理解您的心情，先跟您道个歉。->了解情况]] <!--kefu {"points": {"empathy": 2,
      "phrasing": 1}, "feedback": "先致歉、表达理解，业主的情绪才会降下来。"} -->

    (usually written on one line; wrapped here, which is allowed too.)

    Keys: ``points`` (dimension → integer, dimensions: empathy 同理心, phrasing 规范用语,
    process 流程, resolution 解决问题; negative points allowed), ``feedback`` (the expert's
    comment), ``if`` (a list of conditions, all must hold for the choice to be offered):
    ``{"kind": "score_at_least", "dimension": "empathy", "value": 2}``,
    ``{"kind": "score_below", "dimension": "empathy", "value": 1}``,
    ``{"kind": "visited", "node": "PassageName"}``,
    ``{"kind": "not_visited", "node": "PassageName"}`` (one condition object on its own is
    read as a list of one).

- Story-format code is not run by Kefu Academy: it is taken out of the text and reported
  as ignored (passage and line), never silently dropped. Harlowe macros ``(set: …)`` go, a
  hook's text after one ``(if: …)[…]`` stays (also over several lines), named hooks lose
  their names; SugarCube ``<<…>>`` and ``<<script>>`` blocks, Snowman ``<% … %>``, Chapbook's
  vars section (``name: value`` lines up to ``--``), inserts ``{…}`` and modifier lines
  ``[after 2s]``, ``$`` / ``_`` variables, ``<script>`` / ``<style>`` blocks and HTML tags go.
  Passages tagged ``script`` / ``stylesheet``, SugarCube's special passages (StoryInit,
  PassageHeader, …) and Harlowe's ``header`` / ``footer`` / ``startup`` passages are not
  dialogue: left out and reported.

Details (how the rules above are read)
--------------------------------------

- Any problem means nothing is imported, so every problem in the file is reported at once,
  each with its line and passage where there is one. A header line that cannot be read
  (a ``]`` or ``}`` in a name that is not escaped as ``\\]`` / ``\\}``, a tag block without
  its ``]``, metadata that is not a JSON object, anything after the metadata) is a problem.
- JSON (StoryData, passage metadata, kefu comments) may nest at most ``JSON_DEPTH`` levels
  (academy.limits); deeper nesting, a whole number beyond 2**53 − 1 and a NUL character
  (anywhere in the file, or written ``\\u0000``) are problems with their line.
- Names and tags are unescaped as the spec says (``\\x`` gives ``x``); ``\\::`` at the start of
  a body line stands for ``::``. Trailing blank lines of a passage are ignored.
- At most one setting passage. A passage name may appear once only. Without a title the
  story is called 未命名的故事 (reported).
- Setting keys are English (``pass-mark`` and ``Pass_Mark`` read as ``pass_mark``); a line
  that does not start with ``word:`` continues the value of the key above it (so a long
  situation may span several lines). Unknown keys are problems. ``channel`` accepts the codes
  and 前台 / 电话 / 上门; ``pass_mark`` an integer 0–100 (``70%`` too); ``immediate_feedback``
  yes / no / true / false / 是 / 否 / 1 / 0. An empty ``owner`` / ``situation`` is left to the
  checklist.
- Tags other than the ones above are allowed and ignored (use them for colours in Twine).
  An ending (tagged ``ending``, or any passage without links) passes with ``pass``, fails
  with ``fail``, and is not decided with neither or both (``passed`` None: the checklist
  asks); ``pass`` / ``fail`` on a passage with links is ignored and reported.
- ``@speaker`` / ``@mood`` lines come first in the body (blank lines before them are fine);
  any other ``@word:`` line there is a problem, and so is an ``@speaker:`` / ``@mood:`` line
  further down. Moods may also be written 平静 / 担心 / 不耐烦 / 生气 / 愤怒 / 放心 / 满意.
  Points' dimensions and conditions' dimensions may be written in Chinese too (同理心,
  规范用语, 流程, 解决问题); they are stored as the English codes.
- Links follow Harlowe: the rightmost ``->`` or ``|`` divides text from target, otherwise the
  leftmost ``<-`` (so ``[[A->B->C]]`` is text ``A->B``, target ``C``). Text and target are
  trimmed. Links may sit inside text, several on a line: each is a choice, and a line that
  says more than its links stays in the node's text with each link's text in place (as Twine
  shows it). A SugarCube setter ``[[text|target][$x to 1]]`` is ignored (reported). Choice
  keys are ``c1``, ``c2``, … in link order within each passage.
- The kefu comment belongs to the link before it on its line; it may continue over several
  lines but must start on the link's line, after the link. An empty ``<!--kefu -->`` is
  allowed. Other HTML comments are notes for the author: they are left out of the node's
  text, as Twine leaves them out when playing.
- An ending's body is its outcome; its own ``text`` is empty (learners never see an ending's
  text, only its outcome).
- Positions come from the headers' ``"position"`` metadata (``size`` is ignored). An unreadable
  position is ignored: it only decides where Twine draws the passage.
- Graph problems come from the engine's own validation; those that make the file no story
  (a link to a passage that does not exist) are named by passage and, for a link, its line.
- Twine's HTML: ``<tw-storydata name startnode ifid>`` gives the title, the start (by
  ``pid``) and the IFID; each ``<tw-passagedata name tags position>`` is a passage whose
  lines are counted from its tag; the story's ``<style>`` / ``<script>`` are reported as
  ignored, and the story format's code outside ``<tw-storydata>`` is passed over. An archive
  of several stories is refused: import one at a time.

Export writes what Twine 2.6's "Export as Twee" writes: StoryTitle, StoryData (pretty JSON),
the setting passage, then every node in graph order, two blank lines between passages. The
setting passage keeps the name it was imported under (the one name in ``positions`` that is
not a node), otherwise it is called 场景设定. Passages without a stored position are laid out
by their distance from the start (x = 100 + depth × 250, y = 100 + index × 150); the setting
passage sits under the start. What a Twee file cannot carry is not exported: choice keys
(re-numbered ``c1``, ``c2``, … on import), an ending's text, and a non-ending's outcome / pass.
Nor can a link carry a choice text with ``]`` or ``[[`` in it, or a target whose name holds
``]``, ``->``, ``<-`` or ``|``: keep such characters out of node keys. Text that looks like
story-format code (``$name``, ``(word:``, ``<<``) is written as it is and left out on import.
An ending not yet decided is written with the ``ending`` tag alone.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser

from academy.limits import CHOICES_PER_NODE, JSON_DEPTH, SCENARIO_NODES

from . import engine

SETTING_TAG = "kefu-setting"
TAG_NARRATION, TAG_ENDING, TAG_PASS, TAG_FAIL = "narration", "ending", "pass", "fail"
DEFAULT_SETTING_NAME = "场景设定"
START_KEY_MAX = 80  # Scenario.start's max_length
IFID_MAX = 64  # Scenario.ifid's max_length (an IFID is a UUID: 36 characters)
SETTING_LINE_MAX = 255  # Scenario.owner's and Scenario.summary's max_length

CHANNELS = {
    "front_desk": "front_desk",
    "phone": "phone",
    "door_to_door": "door_to_door",
    "前台": "front_desk",
    "电话": "phone",
    "上门": "door_to_door",
}
DEFAULT_SETTING = {
    "owner": "",
    "situation": "",
    "channel": "front_desk",
    "pass_mark": engine.DEFAULT_PASS_MARK,
    "immediate_feedback": True,
    "competency": "",
    "summary": "",
}
YES = {"yes", "y", "true", "1", "是", "开", "on"}
NO = {"no", "n", "false", "0", "否", "关", "off"}
DIMENSION_ALIASES = {
    "同理心": "empathy",
    "规范用语": "phrasing",
    "流程": "process",
    "解决问题": "resolution",
}
MOOD_ALIASES = {
    "平静": "calm",
    "担心": "worried",
    "不耐烦": "annoyed",
    "生气": "angry",
    "愤怒": "furious",
    "放心": "relieved",
    "满意": "satisfied",
}
KEFU_KEYS = ("points", "feedback", "if")
NOT_RUN = "客服学院不运行故事格式的代码"
DEFAULT_START = "Start"  # Twine's start passage when StoryData names none
UNTITLED = "未命名的故事"
# Passages a story format reads by name or tag (SugarCube's special passages, Harlowe's
# header / footer / startup tags, SugarCube widgets, Twine's media passages): not dialogue.
STORY_FORMAT_PASSAGES = {
    "StoryInit",
    "StoryCaption",
    "StoryMenu",
    "StoryBanner",
    "StorySubtitle",
    "StoryAuthor",
    "StoryShare",
    "StoryInterface",
    "PassageReady",
    "PassageDone",
    "PassageHeader",
    "PassageFooter",
}
STORY_FORMAT_TAGS = {
    "header",
    "footer",
    "startup",
    "debug-header",
    "debug-footer",
    "debug-startup",
    "widget",
    "Twine.image",
    "Twine.audio",
    "Twine.video",
    "Twine.vtt",
}
# Engine problems that leave a story importable as a draft: the draft's checklist lists
# them, and publishing refuses them. Every other problem (a link to no passage, a text
# too long, …) means the file cannot be read as a scenario.
DRAFT_PROBLEMS = {
    "empty",
    "no_outcome",
    "no_verdict",
    "ending_with_choices",
    "dead_end",
    "empty_choice",
    "unreachable",
    "no_ending",
    "no_passing_ending",
    "cannot_finish",
    "stuck",
    "no_best_path",
}

# The four Twine link forms, plus SugarCube's setter component `[[…][…]]`. A link's body
# never runs over a "[[", so that a line of unclosed "[[a" is read once, not once per "[[".
LINK_RE = re.compile(r"\[\[(?!\[)(?P<body>(?:[^\]\[]|\[(?!\[))*)\](?:\[(?P<setter>[^\]]*)\])?\]")
KEFU_RE = re.compile(r"\s*kefu\b", re.I)
PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")
# The value is trimmed in code: a trailing `\s*$` after a lazy `(.*?)` retries every space
# of a long run of spaces (quadratic).
META_RE = re.compile(r"^\s*@([A-Za-z_][A-Za-z0-9_-]*)\s*[:：](.*)$")
SETTING_RE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*[:：](.*)$")
HARLOWE_MACRO_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9_-]*):(?!//)")
HARLOWE_HOOK_RE = re.compile(r"\|[A-Za-z_][A-Za-z0-9_-]*>\[|\]<[A-Za-z_][A-Za-z0-9_-]*\|")
VARIABLE_RE = re.compile(r"(?<![\w$])([$_][A-Za-z][A-Za-z0-9_]*)")
SUGARCUBE_RE = re.compile(r"<<")
SUGARCUBE_NAME_RE = re.compile(r"\s*(/?[A-Za-z_=-][\w-]*)?")
SNOWMAN_RE = re.compile(r"<%")
# Chapbook: a vars section's `name (condition): value` lines, inserts `{back link}`, and
# modifiers alone on their line `[after 2s]`.
CHAPBOOK_VAR_RE = re.compile(r"^\s*[A-Za-z_$][\w.$]*\s*(?:\([^)]*\))?\s*:")
CHAPBOOK_INSERT_RE = re.compile(r"\{\s*[A-Za-z_$][\w.$]*(?:[ \t]+[A-Za-z_][\w]*)*\s*(?::[^{}]*)?\}")
CHAPBOOK_MODIFIER_RE = re.compile(
    r"^\s*\[(?:after|align|append|cont|cont'd|continue|else|if|unless|note|note to|fork|"
    r"javascript|css|transition)\b[^\[\]]*\]\s*$",
    re.I,
)
HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
TW_STORYDATA_RE = re.compile(r"<tw-storydata\b", re.I)
WORD_RE = re.compile(r"\w")
LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")
JSON_SPECIAL_RE = re.compile(r'[\[\]{}"\\]')
# Twine reads story JSON in a browser, where whole numbers beyond this are not exact; Python
# would refuse one of more than 4300 digits with a ValueError of its own.
JSON_SAFE_INTEGER = 2**53 - 1
NUL = "\x00"  # PostgreSQL stores no NUL character, and the reader uses it as a marker


# --- public data ---------------------------------------------------------------------------


@dataclass
class TweeProblem:
    line: int | None
    passage: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None and self.passage:
            return f"第 {self.line} 行（段落“{_short(self.passage)}”）：{self.message}"
        if self.line is not None:
            return f"第 {self.line} 行：{self.message}"
        if self.passage:
            return f"段落“{_short(self.passage)}”：{self.message}"
        return self.message


@dataclass
class Story:
    title: str
    ifid: str
    # owner, situation, channel (front_desk|phone|door_to_door), pass_mark (int),
    # immediate_feedback (bool), competency (str), summary (str)
    setting: dict
    graph: dict  # engine Graph.to_dict() shape; node keys are passage names
    positions: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass
class ParseResult:
    story: Story | None
    problems: list[TweeProblem]  # why nothing can be imported; empty when `story` is read
    # What was left out because Kefu Academy does not run it (story-format code, scripts,
    # stylesheets, HTML markup), each with its passage and line.
    ignored: list[TweeProblem] = field(default_factory=list)


# --- reading -------------------------------------------------------------------------------


class _HeaderError(ValueError):
    pass


@dataclass
class _Passage:
    name: str
    tags: list[str]
    position: tuple[float, float] | None
    line: int  # the header's line number
    body: list[str]  # content lines, `\::` unescaped, trailing blank lines dropped
    body_line: int | None = None  # the body's first line when not the one after the header

    @property
    def first_line(self) -> int:
        return self.body_line if self.body_line is not None else self.line + 1


@dataclass
class _StoryParts:
    """The passages of a story sorted by what they are, and what StoryTitle and StoryData say."""

    title: str | None = None
    ifid: str = ""
    start: str | None = None
    start_line: int | None = None  # StoryData's header line
    settings: list[_Passage] = field(default_factory=list)
    nodes: list[_Passage] = field(default_factory=list)


@dataclass
class _ChoiceSource:
    line: int
    conditions_nodes: list[str]


def parse_twee(text: str) -> ParseResult:
    """Read a Twee 3 story, or the HTML Twine 2 publishes (`<tw-storydata>`). Any problem
    means `story` is None; every problem is listed. What was ignored is listed either way."""
    return _Reader(text).read()


def is_twine_html(text: str) -> bool:
    """Whether `text` is HTML rather than Twee: Twine 2's published file or archive."""
    if not text.lstrip("\ufeff \t\r\n").startswith("<"):
        return False
    return TW_STORYDATA_RE.search(text) is not None or re.search("^::", text, re.M) is None


class _Reader:
    def __init__(self, text: str):
        self.text = text.lstrip("\ufeff")
        self.problems: list[TweeProblem] = []
        self.ignored: list[TweeProblem] = []
        self.node_lines: dict[str, int] = {}
        self.choice_sources: dict[tuple[str, str], _ChoiceSource] = {}
        self.html: _HtmlStory | None = None

    def add(self, line: int | None, passage: str | None, message: str) -> None:
        self.problems.append(TweeProblem(line, passage, message))

    def ignore(self, line: int | None, passage: str | None, message: str) -> None:
        self.ignored.append(TweeProblem(line, passage, message))

    # the file as passages

    def passages(self) -> list[_Passage]:
        passages: list[_Passage] = []
        current: _Passage | None = None
        seen_header = False
        for number, line in enumerate(LINE_BREAK_RE.split(self.text), start=1):
            if NUL in line:
                self.add(
                    number, current.name if current else None, "这一行有空字符（U+0000），请删除"
                )
                line = line.replace(NUL, "")
            if line.startswith("::"):
                seen_header = True
                try:
                    name, tags, meta = _parse_header(line)
                except _HeaderError as error:
                    self.add(number, None, f"无法读取段落标题：{error}")
                    current = None  # its body belongs to no passage
                    continue
                current = _Passage(name, tags, _position(meta), number, [])
                passages.append(current)
            elif current is not None:
                current.body.append(line[1:] if line.startswith("\\:") else line)
            elif line.strip() and not seen_header:
                seen_header = True  # reported once
                self.ignore(number, None, "第一个段落标题（以 :: 开头的行）之前的内容已忽略")
        if not passages and not self.problems:
            self.add(
                None,
                None,
                "这不是 Twee 故事：没有任何段落标题（以 :: 开头的行）。请在 Twine 里用"
                "“导出为 Twee”或“发布到文件”得到故事文件",
            )
        for passage in passages:
            while passage.body and not passage.body[-1].strip():
                passage.body.pop()
        return passages

    # the whole story

    def read(self) -> ParseResult:
        if is_twine_html(self.text):
            self.html = _read_html(self.text, self)
            passages = self.html.passages if self.html else []
        else:
            passages = self.passages()
        if not passages:
            return self.result(None)
        self.check_unique_names(passages)
        parts = self.sort_passages(passages)
        setting = self.story_setting(parts.settings)
        if not parts.nodes:
            self.add(None, None, "故事里没有可以当作对话的段落")
            return self.result(None)
        if len(parts.nodes) > SCENARIO_NODES:
            # The engine refuses the story whatever the passages say: read none of them.
            self.add(None, None, str(engine.too_many_nodes().message))
            return self.result(None)
        nodes = [self.node(p) for p in parts.nodes]
        names = {n["key"] for n in nodes}
        positions = {
            p.name: p.position
            for p in [*parts.settings[:1], *parts.nodes]
            if p.position is not None
        }
        start_ok = self.check_start(parts, [n["key"] for n in nodes])
        self.check_condition_targets(names)
        graph = engine.Graph.from_dict({"start": parts.start or "", "nodes": nodes})
        if start_ok:
            self.graph_problems(graph)
        return self.result(
            Story(
                title=parts.title or "",
                ifid=parts.ifid,
                setting=setting,
                graph=graph.to_dict(),
                positions=positions,
            )
        )

    def result(self, story: Story | None) -> ParseResult:
        """The story if nothing was wrong, else every problem in line order."""
        self.problems.sort(key=lambda p: (p.line is None, p.line or 0))
        self.ignored.sort(key=lambda p: (p.line is None, p.line or 0))
        if self.problems:
            return ParseResult(None, self.problems, self.ignored)
        return ParseResult(story, [], self.ignored)

    def check_unique_names(self, passages: list[_Passage]) -> None:
        seen: dict[str, int] = {}
        for p in passages:
            if p.name in seen:
                self.add(p.line, p.name, f"段落名重复：第 {seen[p.name]} 行已有同名段落")
            else:
                seen[p.name] = p.line

    def sort_passages(self, passages: list[_Passage]) -> _StoryParts:
        """Read StoryTitle and StoryData, leave scripts, stylesheets and the story format's
        own passages out (reported as ignored), and sort the other passages into setting and
        node passages. A duplicate StoryTitle or StoryData is skipped (its name is reported as
        a duplicate)."""
        parts = _StoryParts()
        if self.html is not None:
            parts.title, parts.ifid = self.html.title, self.html.ifid
            parts.start, parts.start_line = self.html.start, self.html.line
        for p in passages:
            format_tags = sorted(set(p.tags) & STORY_FORMAT_TAGS)
            if p.name == "StoryTitle" and self.html is None:
                if parts.title is None:
                    parts.title = self.story_title(p)
            elif p.name == "StoryData" and self.html is None:
                if parts.start_line is None:
                    parts.start_line = p.line
                    parts.ifid, parts.start = self.story_data(p)
            elif "script" in p.tags or "stylesheet" in p.tags:
                kind = "脚本（script）" if "script" in p.tags else "样式表（stylesheet）"
                if any(line.strip() for line in p.body):
                    self.ignore(p.line, p.name, f"{kind}段落已忽略：{NOT_RUN}")
            elif p.name in STORY_FORMAT_PASSAGES or format_tags:
                what = f"“{format_tags[0]}”标签" if format_tags else "特殊段落名"
                self.ignore(p.line, p.name, f"故事格式的{what}段落已忽略：{NOT_RUN}")
            elif SETTING_TAG in p.tags:
                parts.settings.append(p)
            else:
                parts.nodes.append(p)
        if not parts.title:
            self.ignore(None, None, f"故事没有标题：暂定为“{UNTITLED}”，可在编辑页修改")
            parts.title = UNTITLED
        return parts

    def story_title(self, p: _Passage) -> str:
        lines = [line.strip() for line in p.body if line.strip()]
        if len(lines) > 1:
            self.ignore(p.first_line + 1, p.name, "StoryTitle 只取第一行，其余已忽略")
        return lines[0] if lines else ""

    def story_setting(self, passages: list[_Passage]) -> dict:
        """The setting read from the one setting passage (the defaults if there is none: the
        trainer writes it in the editor)."""
        for extra in passages[1:]:
            self.add(
                extra.line,
                extra.name,
                f"只能有一个 {SETTING_TAG} 段落（第 {passages[0].line} 行已有）",
            )
        return self.setting(passages[0]) if passages else dict(DEFAULT_SETTING)

    def check_start(self, parts: _StoryParts, names: list[str]) -> bool:
        """Whether StoryData's start names a node passage (one whose name fits `Scenario.start`
        is reported, but counts as found so the graph is still checked). Without a start, as
        in Twine: the passage called `Start`, else the first passage; `parts.start` is set."""
        start = parts.start
        if start is None:
            start = parts.start = DEFAULT_START if DEFAULT_START in names else names[0]
        if start in names:
            if len(start) > START_KEY_MAX:
                self.add(
                    parts.start_line,
                    "StoryData",
                    f"起始段落名“{_short(start)}”太长（最多 {START_KEY_MAX} 个字符）",
                )
            return True
        if parts.settings and start == parts.settings[0].name:
            self.add(parts.start_line, "StoryData", "起始段落不能是设定段落")
        else:
            self.add(parts.start_line, "StoryData", f"起始段落“{_short(start)}”不存在")
        return False

    def check_condition_targets(self, names: set[str]) -> None:
        for (node_key, _choice), source in self.choice_sources.items():
            for target in source.conditions_nodes:
                if target not in names:
                    self.add(source.line, node_key, f"条件引用了不存在的段落“{_short(target)}”")

    def story_data(self, p: _Passage) -> tuple[str, str | None]:
        raw = "\n".join(p.body)
        try:
            data = _load_json(raw)
        except json.JSONDecodeError as error:
            self.add(
                p.first_line + error.lineno - 1,
                p.name,
                f"StoryData 不是有效的 JSON（{error.msg}，第 {error.colno} 列）",
            )
            return "", None
        except _JsonRefused as refused:
            self.add(
                p.first_line + raw.count("\n", 0, refused.position),
                p.name,
                f"StoryData 的 {refused.message}",
            )
            return "", None
        if not isinstance(data, dict):
            self.add(p.line, p.name, "StoryData 必须是一个 JSON 对象 {…}")
            return "", None
        ifid = data.get("ifid")
        ifid = ifid if isinstance(ifid, str) else ""
        if len(ifid) > IFID_MAX:
            self.add(
                p.line,
                p.name,
                f"StoryData 的 ifid 太长（最多 {IFID_MAX} 个字符；Twine 写的是 36 个字符的 UUID）",
            )
            ifid = ""
        start = data.get("start")
        if start is not None and not isinstance(start, str):
            self.add(p.line, p.name, 'StoryData 的 "start" 必须是段落名（一段文字）')
        return ifid, (start if isinstance(start, str) and start.strip() else None)

    # the setting passage

    def setting(self, p: _Passage) -> dict:
        """The scenario's setting from its setting passage: DEFAULT_SETTING, overridden by
        every value that reads well; a value that does not is a problem on its key's line."""
        text, key_lines = self.setting_values(p)
        setting = dict(DEFAULT_SETTING)
        for key in ("owner", "situation", "competency", "summary"):
            if key in text:
                setting[key] = text[key]
        if "channel" in text:
            channel = CHANNELS.get(text["channel"].lower().replace("-", "_").replace(" ", "_"))
            if channel is None:
                self.add(
                    key_lines["channel"],
                    p.name,
                    f"未知的渠道“{_short(text['channel'])}”（可用：front_desk 前台、"
                    "phone 电话、door_to_door 上门）",
                )
            else:
                setting["channel"] = channel
        if "pass_mark" in text:
            raw = text["pass_mark"].rstrip("%％").strip()
            if re.fullmatch(r"\d{1,3}", raw) and int(raw) <= 100:
                setting["pass_mark"] = int(raw)
            else:
                self.add(
                    key_lines["pass_mark"],
                    p.name,
                    f"pass_mark 必须是 0 到 100 之间的整数，而不是“{_short(text['pass_mark'])}”",
                )
        for problem in engine.setting_problems(setting):
            self.add(key_lines.get("situation", p.line), p.name, str(problem.message))
        for key in ("owner", "summary"):
            if len(setting[key]) > SETTING_LINE_MAX:
                self.add(key_lines[key], p.name, f"{key} 太长（最多 {SETTING_LINE_MAX} 个字符）")
        if "immediate_feedback" in text:
            raw = text["immediate_feedback"].lower()
            if raw in YES or raw in NO:
                setting["immediate_feedback"] = raw in YES
            else:
                self.add(
                    key_lines["immediate_feedback"],
                    p.name,
                    "immediate_feedback 只能是 "
                    f"yes 或 no，而不是“{_short(text['immediate_feedback'])}”",
                )
        return setting

    def setting_values(self, p: _Passage) -> tuple[dict[str, str], dict[str, int]]:
        """The setting passage's `key: value` lines as {key: value} (a value may continue over
        the lines below its key), and the line each key is on."""
        values: dict[str, list[str]] = {}
        key_lines: dict[str, int] = {}
        current: str | None = None
        lines, _kefu = self.without_comments(p)
        for offset, line in enumerate(self.without_code(p, lines)):
            number = p.first_line + offset
            if line is None:
                continue
            if PLACEHOLDER_RE.search(line):
                self.add(number, p.name, "设定段落里不能有 kefu 注释")
            if LINK_RE.search(line):
                self.add(number, p.name, "设定段落里不能有链接")
                continue
            m = SETTING_RE.match(line)
            if m:
                key = m.group(1).lower().replace("-", "_")
                if key not in DEFAULT_SETTING:
                    self.add(
                        number,
                        p.name,
                        f"未知的设定项“{_short(m.group(1))}”（可用：{'、'.join(DEFAULT_SETTING)}）",
                    )
                    current = None
                    continue
                if key in values:
                    self.add(number, p.name, f"设定项 {key} 写了两次（第 {key_lines[key]} 行）")
                    current = None
                    continue
                current = key
                key_lines[key] = number
                values[key] = [m.group(2).strip()]
            elif current is not None:
                values[current].append(line)
            elif line.strip():
                self.add(number, p.name, "设定段落的每一项要写成“键: 值”，例如 owner: 王女士")
        return {k: "\n".join(v).strip() for k, v in values.items()}, key_lines

    # node passages

    def without_comments(self, p: _Passage) -> tuple[list[str], list[tuple[int, str]]]:
        """The body's lines with HTML comments taken out (line numbers kept); kefu comments
        leave a placeholder `\\x00N\\x00` behind, N indexing the (line, raw JSON) list."""
        text = "\n".join(p.body)
        kefu: list[tuple[int, str]] = []
        out: list[str] = []
        pos, line = 0, p.first_line  # `line` is the line `pos` is on
        # str.find rather than a regex: a regex retried at each of 25,000 unclosed "<!--"
        # scans to the end of the passage every time.
        while (opened := text.find("<!--", pos)) >= 0:
            line += text.count("\n", pos, opened)
            closed = text.find("-->", opened + 4)
            if closed < 0:
                self.add(line, p.name, "HTML 注释 <!-- 没有用 --> 结束")
                out.append(text[pos:opened] + "\n" * text.count("\n", opened))
                return "".join(out).split("\n"), kefu
            out.append(text[pos:opened])
            inner = text[opened + 4 : closed]
            k = KEFU_RE.match(inner)
            if k:
                out.append(f"\x00{len(kefu)}\x00")
                kefu.append((line, inner[k.end() :]))
            out.append("\n" * inner.count("\n"))
            line += inner.count("\n")
            pos = closed + 3
        out.append(text[pos:])
        return "".join(out).split("\n"), kefu

    def node(self, p: _Passage) -> dict:
        self.node_lines[p.name] = p.line
        lines, kefu = self.without_comments(p)
        lines = self.without_code(p, lines)
        meta: dict[str, str] = {}
        kept: list[str | None] = []  # None where code, a metadata or link line was taken out
        choices: list[dict] = []
        at_top = True
        for offset, line in enumerate(lines):
            number = p.first_line + offset
            if line is None:
                kept.append(None)
                continue
            m = META_RE.match(line)
            if m and at_top:
                self.meta(p, number, m, meta)
                kept.append(None)
                continue
            if line.strip():
                at_top = False
            if m and m.group(1).lower() in ("speaker", "mood"):
                self.add(number, p.name, f"@{m.group(1)} 必须写在段落开头（正文之前）")
                kept.append(None)
                continue
            links = list(LINK_RE.finditer(line))
            if links:
                kept.append(self.link_line(p, number, line, links, kefu, choices))
            else:
                kept.append(self.text_line(p, number, line))
        kind, passed = self.kind(p, has_links=bool(choices))
        mood = self.mood(p, lines, meta.get("mood", ""))
        body = _join_text(kept)
        return {
            "key": p.name,
            "kind": kind,
            "text": "" if kind == engine.ENDING else body,
            "speaker": meta.get("speaker", ""),
            "mood": mood,
            "outcome": body if kind == engine.ENDING else "",
            "passed": passed,
            "choices": choices,
        }

    def meta(self, p: _Passage, number: int, m: re.Match, meta: dict[str, str]) -> None:
        """Keep an `@speaker:` / `@mood:` line at the top of a node passage in `meta`."""
        key = m.group(1).lower()
        if key not in ("speaker", "mood"):
            self.add(number, p.name, f"未知的元数据 @{_short(m.group(1))}（可用：@speaker、@mood）")
        elif key in meta:
            self.add(number, p.name, f"@{key} 写了两次")
        else:
            meta[key] = m.group(2).strip()

    def text_line(self, p: _Passage, number: int, line: str) -> str:
        """A line of the node's text (one without a link), kefu comments left out."""
        if PLACEHOLDER_RE.search(line):
            self.add(number, p.name, "kefu 注释必须紧跟在链接后面，写在链接的同一行")
            line = PLACEHOLDER_RE.sub("", line)
        if "[[" in line or "]]" in line:
            self.add(number, p.name, "无法识别的链接：链接要写成 [[文字->目标段落]]")
        return line

    def link_line(
        self,
        p: _Passage,
        number: int,
        line: str,
        links: list[re.Match],
        kefu: list[tuple[int, str]],
        choices: list[dict],
    ) -> str | None:
        """Add the choices of a line with links to `choices`: a kefu comment after a link
        gives its points, feedback and conditions. Returns the line as node text when it says
        more than its links (Twine shows a link's text in place: "您可以[[道歉->A]]。"), else
        None."""
        placeholders = list(PLACEHOLDER_RE.finditer(line))
        comments: dict[int, tuple[int, str]] = {}  # link index → its kefu comment
        for placeholder in placeholders:
            before = [i for i, link in enumerate(links) if link.end() <= placeholder.start()]
            if not before:
                self.add(number, p.name, "kefu 注释要写在链接后面")
            elif before[-1] in comments:
                self.add(number, p.name, "一个链接只能跟一个 kefu 注释")
            else:
                comments[before[-1]] = kefu[int(placeholder.group(1))]
        for index, link in enumerate(links):
            if len(choices) > CHOICES_PER_NODE:
                continue  # already one too many for the engine to refuse; read no more
            choices.append(self.choice(p, link, number, len(choices) + 1, comments.get(index)))
        residue = PLACEHOLDER_RE.sub("", LINK_RE.sub("", line))
        if not WORD_RE.search(residue):
            return None
        return PLACEHOLDER_RE.sub(
            "", LINK_RE.sub(lambda m: _split_link(m.group("body"))[0], line)
        ).rstrip()

    def mood(self, p: _Passage, lines: list[str | None], written: str) -> str:
        """The engine's mood code for an `@mood:` value (Chinese or English); "" if none."""
        if not written:
            return ""
        mood = MOOD_ALIASES.get(written, written.lower())
        if mood not in engine.MOODS:
            self.add(
                self.meta_line(p, lines, "mood"),
                p.name,
                f"未知的情绪“{_short(written)}”（可用：{', '.join(engine.MOODS)}）",
            )
            return ""
        return mood

    @staticmethod
    def meta_line(p: _Passage, lines: list[str | None], key: str) -> int:
        for offset, line in enumerate(lines):
            m = META_RE.match(line or "")
            if m and m.group(1).lower() == key:
                return p.first_line + offset
        return p.line

    def kind(self, p: _Passage, *, has_links: bool) -> tuple[str, bool | None]:
        """A passage without links is an ending, as one tagged `ending` is; `pass` / `fail`
        tags decide it (None: not decided yet, the draft's checklist asks for it)."""
        tags = set(p.tags)
        has_pass, has_fail = TAG_PASS in tags, TAG_FAIL in tags
        if TAG_ENDING in tags or not has_links:
            if has_pass and has_fail:
                self.ignore(
                    p.line, p.name, "结局同时标记了 pass 和 fail：两个标签都已忽略，请在编辑页决定"
                )
            if has_pass != has_fail:
                return engine.ENDING, has_pass
            return engine.ENDING, None
        if has_pass or has_fail:
            self.ignore(p.line, p.name, "pass / fail 标签只用于结局；这个段落有链接，标签已忽略")
        return (engine.NARRATION if TAG_NARRATION in tags else engine.OWNER), False

    def choice(
        self, p: _Passage, link: re.Match, line: int, index: int, kefu: tuple[int, str] | None
    ) -> dict:
        key = f"c{index}"
        if link.group("setter") is not None:
            self.ignore(
                line,
                p.name,
                f"SugarCube 链接设置器 [{_short(link.group('setter'))}] 已忽略：{NOT_RUN}",
            )
        text, target = _split_link(link.group("body"))
        if not target:
            self.add(line, p.name, "链接没有目标段落")
        choice = {
            "key": key,
            "text": text,
            "target": target,
            "points": {},
            "feedback": "",
            "conditions": [],
        }
        if kefu is not None:
            choice.update(self.kefu(p, *kefu))
        self.choice_sources[(p.name, key)] = _ChoiceSource(
            line, [c["node"] for c in choice["conditions"] if "node" in c]
        )
        return choice

    def kefu(self, p: _Passage, line: int, raw: str) -> dict:
        raw = raw.strip()
        if not raw:
            return {}
        try:
            data = _load_json(raw)
        except _JsonRefused as refused:
            self.add(
                line + raw.count("\n", 0, refused.position),
                p.name,
                f"kefu 注释的 {refused.message}",
            )
            return {}
        except json.JSONDecodeError as error:
            near = raw[max(0, error.pos - 12) : error.pos + 3]
            self.add(
                line + error.lineno - 1,
                p.name,
                f"kefu 注释不是有效的 JSON（{error.msg}，出错处附近：“{near}”）；键和文字要用"
                '英文双引号 "…"，项与项之间用英文逗号',
            )
            return {}
        if not isinstance(data, dict):
            self.add(line, p.name, "kefu 注释的内容必须是 JSON 对象 {…}")
            return {}
        result: dict = {}
        unknown = [k for k in data if k not in KEFU_KEYS]
        if unknown:
            self.add(
                line,
                p.name,
                f"kefu 注释里有未知的键：{_short('、'.join(map(str, unknown)))}"
                f"（可用：{'、'.join(KEFU_KEYS)}）",
            )
        if "points" in data:
            result["points"] = self.points(p, line, data["points"])
        if "feedback" in data:
            if isinstance(data["feedback"], str):
                result["feedback"] = data["feedback"]
            else:
                self.add(line, p.name, "feedback 必须是一段文字（用双引号括起来）")
        if "if" in data:
            result["conditions"] = self.conditions(p, line, data["if"])
        return result

    def dimension(self, p: _Passage, line: int, name) -> str | None:
        code = DIMENSION_ALIASES.get(name, name) if isinstance(name, str) else None
        if code in engine.DIMENSIONS:
            return code
        self.add(
            line,
            p.name,
            f"未知的能力维度“{_short(name)}”（可用：empathy 同理心、"
            "phrasing 规范用语、process 流程、resolution 解决问题）",
        )
        return None

    def points(self, p: _Passage, line: int, value) -> dict[str, int]:
        if not isinstance(value, dict):
            self.add(line, p.name, 'points 必须写成 {"维度": 分数, …}')
            return {}
        points: dict[str, int] = {}
        for name, number in value.items():
            code = self.dimension(p, line, name)
            if not _is_int(number):
                self.add(
                    line,
                    p.name,
                    f"“{_short(name)}”的分数必须是整数，而不是 {_short(json.dumps(number))}",
                )
            elif code is not None:
                points[code] = points.get(code, 0) + number
        return points

    def conditions(self, p: _Passage, line: int, value) -> list[dict]:
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            self.add(line, p.name, "if 必须是条件的列表 [{…}, …]")
            return []
        found = []
        for item in value:
            if not isinstance(item, dict):
                self.add(line, p.name, "if 里的每个条件必须是 JSON 对象 {…}")
                continue
            kind = item.get("kind")
            if kind in (engine.SCORE_AT_LEAST, engine.SCORE_BELOW):
                allowed = {"kind", "dimension", "value"}
            elif kind in (engine.VISITED, engine.NOT_VISITED):
                allowed = {"kind", "node"}
            else:
                self.add(
                    line,
                    p.name,
                    f"未知的条件类型“{_short(kind)}”（可用：{'、'.join(engine.CONDITION_KINDS)}）",
                )
                continue
            extra = [k for k in item if k not in allowed]
            if extra:
                self.add(
                    line, p.name, f"{kind} 条件里有未知的键：{_short('、'.join(map(str, extra)))}"
                )
                continue
            if "node" in allowed:
                node = item.get("node")
                if not isinstance(node, str) or not node.strip():
                    self.add(line, p.name, f'{kind} 条件要写明段落："node": "段落名"')
                    continue
                found.append({"kind": kind, "node": node.strip()})
            else:
                if "dimension" not in item or "value" not in item:
                    self.add(line, p.name, f'{kind} 条件要写明 "dimension" 和 "value"')
                    continue
                code = self.dimension(p, line, item["dimension"])
                if not _is_int(item["value"]):
                    self.add(line, p.name, "条件的 value 必须是整数")
                    continue
                if code is not None:
                    found.append({"kind": kind, "dimension": code, "value": item["value"]})
        return found

    # story-format code

    def without_code(self, p: _Passage, lines: list[str]) -> list[str | None]:
        """The passage's lines with story-format code taken out (line numbers kept; None for
        a line that was code only), each thing left out reported as ignored with its line.
        Kefu Academy runs none of it: a Harlowe or SugarCube conditional's text stays (the
        trainer decides what to keep), the macros go. kefu placeholders are never taken out."""
        stripper = _CodeStripper()
        out: list[str | None] = []
        for offset, line in enumerate(self.without_chapbook_vars(p, lines)):
            if line is None:
                out.append(None)
                continue
            cleaned, found = stripper.strip(line)
            for message in found:
                self.ignore(p.first_line + offset, p.name, message)
            out.append(cleaned if cleaned.strip() or not line.strip() else None)
        return out

    def without_chapbook_vars(self, p: _Passage, lines: list[str]) -> list[str | None]:
        """Chapbook's vars section: `name: value` lines at the top of a passage, ended by a
        line of `--`."""
        end = next((i for i, line in enumerate(lines) if line.strip() == "--"), None)
        if end is None:
            return lines
        section = [line for line in lines[:end] if line.strip()]
        if not section or not all(CHAPBOOK_VAR_RE.match(line) for line in section):
            return lines
        self.ignore(p.first_line, p.name, f"Chapbook 变量段（到 -- 为止）已忽略：{NOT_RUN}")
        return [None] * (end + 1) + lines[end + 1 :]

    # the graph

    def graph_problems(self, graph: engine.Graph) -> None:
        """Report what makes the graph unreadable (a link to no passage, sizes); what only
        stops it from being published is left to the draft's checklist (DRAFT_PROBLEMS)."""
        for problem in engine.problems(graph):
            if problem.code in ("bad_dimension", "bad_condition", "bad_mood", "no_start"):
                continue  # already reported, with its line, while reading
            if problem.code in DRAFT_PROBLEMS:
                continue
            node = problem.node or None
            source = self.choice_sources.get((problem.node, problem.choice))
            line = source.line if source else self.node_lines.get(problem.node)
            message = _engine_message(problem, graph)
            self.add(line, node, message)


def _engine_message(problem: engine.Problem, graph: engine.Graph) -> str:
    node = graph.nodes.get(problem.node)
    choice = next((c for c in node.choices if c.key == problem.choice), None) if node else None
    messages = {
        "empty": "段落没有正文",
        "no_outcome": "结局段落没有写结果（结局段落的正文就是结局的结果说明）",
        "ending_with_choices": "结局段落里不能有链接：结局就是对话的终点",
        "dead_end": "这个段落既不是结局（ending 标签），也没有任何链接：对话在这里走不下去",
        "empty_choice": "链接没有文字",
        "no_target": f"链接指向不存在的段落“{_short(choice.target) if choice else ''}”",
        "unreachable": "从起始段落出发到不了这个段落",
        "no_ending": "从起始段落出发到不了任何结局",
        "no_passing_ending": "从起始段落出发到不了任何通过的结局（ending pass）：没有人能通过",
        "cannot_finish": "从这个段落出发走不到任何结局（绕圈出不来）",
    }
    return messages.get(problem.code, str(problem.message))


class _JsonRefused(ValueError):
    """JSON that is well-formed but that we do not read; `position` is its offset in the text."""

    def __init__(self, message: str, position: int = 0):
        super().__init__(message)
        self.message, self.position = message, position


def _load_json(raw: str):
    """`json.loads` for JSON written in a story, refusing what would break the reader or the
    database: nesting deeper than JSON_DEPTH (checked before parsing, which would otherwise
    recurse until Python gives up), whole numbers beyond JSON_SAFE_INTEGER and NUL characters
    written as \\u0000. Raises `_JsonRefused` for those, `json.JSONDecodeError` for bad JSON."""
    too_deep = _json_too_deep_at(raw)
    if too_deep is not None:
        raise _JsonRefused(f"JSON 嵌套太深（最多 {JSON_DEPTH} 层）", too_deep)
    data = _JSON_DECODER.decode(raw)
    if _holds_nul(data):
        raise _JsonRefused("JSON 里有空字符（\\u0000），请删除")
    return data


def _json_too_deep_at(raw: str) -> int | None:
    """The offset of the first bracket nested deeper than JSON_DEPTH, brackets inside strings
    aside; None if the nesting is within the limit. One pass over the special characters."""
    depth = 0
    in_string = False
    escaped_at = -1
    for match in JSON_SPECIAL_RE.finditer(raw):
        index = match.start()
        if index == escaped_at:
            continue
        char = raw[index]
        if in_string:
            if char == "\\":
                escaped_at = index + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > JSON_DEPTH:
                return index
        elif char in "]}":
            depth -= 1
    return None


def _safe_integer(text: str) -> int:
    # Digits are counted first: int() itself refuses (with a ValueError) beyond 4300 of them.
    if len(text) > _SAFE_INTEGER_DIGITS + 1 or abs(value := int(text)) > JSON_SAFE_INTEGER:
        raise _JsonRefused(f"JSON 里的数字太大（“{_short(text)}”）")
    return value


_SAFE_INTEGER_DIGITS = len(str(JSON_SAFE_INTEGER))
_JSON_DECODER = json.JSONDecoder(parse_int=_safe_integer)


def _holds_nul(value) -> bool:
    # The depth is bounded by JSON_DEPTH, so recursing is safe here.
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _parse_header(line: str) -> tuple[str, list[str], dict | None]:
    """Name, tags and metadata of a `::` header line; `_HeaderError` when unreadable."""
    s = line[2:]
    name, i = _header_name(s)
    tags, i = _header_tags(s, i)
    meta, i = _header_meta(s, i)
    if s[i:].strip():
        raise _HeaderError(f"标题末尾有无法识别的内容“{s[i:].strip()[:20]}”")
    return name, tags, meta


def _header_name(s: str) -> tuple[str, int]:
    """The passage name at the start of `s` (unescaped, unescaped spaces around it trimmed)
    and the index of the `[` or `{` after it (the end if none)."""
    i, n = 0, len(s)
    chars: list[tuple[str, bool]] = []  # (character, escaped)
    while i < n and s[i] not in "[{":
        c = s[i]
        if c == "\\":
            if i + 1 >= n:
                raise _HeaderError("行末多了一个反斜杠 \\")
            chars.append((s[i + 1], True))
            i += 2
            continue
        if c in "]}":
            raise _HeaderError(f"段落名里的“{c}”要写成“\\{c}”")
        chars.append((c, False))
        i += 1
    while chars and chars[0][0].isspace() and not chars[0][1]:
        chars.pop(0)
    while chars and chars[-1][0].isspace() and not chars[-1][1]:
        chars.pop()
    name = "".join(c for c, _escaped in chars)
    if not name:
        raise _HeaderError("缺少段落名")
    return name, i


def _header_tags(s: str, i: int) -> tuple[list[str], int]:
    """The tags of a `[tag1 tag2]` block at `i` (none if there is no block there) and the
    index after it and the spaces that follow."""
    n = len(s)
    tags: list[str] = []
    if not (i < n and s[i] == "["):
        return tags, i
    i += 1
    tag: list[str] = []
    closed = False
    while i < n:
        c = s[i]
        if c == "\\" and i + 1 < n:
            tag.append(s[i + 1])
            i += 2
            continue
        i += 1
        if c == "]":
            closed = True
            break
        if c in "[{}":
            raise _HeaderError(f"标签里的“{c}”要写成“\\{c}”")
        if c.isspace():
            if tag:
                tags.append("".join(tag))
            tag = []
        else:
            tag.append(c)
    if not closed:
        raise _HeaderError("标签块缺少“]”")
    if tag:
        tags.append("".join(tag))
    while i < n and s[i].isspace():
        i += 1
    return tags, i


def _header_meta(s: str, i: int) -> tuple[dict | None, int]:
    """The JSON object from `i` to the end of the line (None if it does not start with `{`)
    and the index after what was read."""
    if not (i < len(s) and s[i] == "{"):
        return None, i
    raw = s[i:].strip()
    try:
        meta = _load_json(raw)
    except json.JSONDecodeError as error:
        raise _HeaderError(f"段落元数据不是有效的 JSON（{error.msg}）") from None
    except _JsonRefused as refused:
        raise _HeaderError(f"段落元数据的 {refused.message}") from None
    if not isinstance(meta, dict):
        raise _HeaderError("段落元数据必须是 JSON 对象 {…}")
    return meta, len(s)


def _position(meta: dict | None) -> tuple[float, float] | None:
    if not meta or not isinstance(meta.get("position"), str):
        return None
    parts = meta["position"].split(",")
    if len(parts) != 2:
        return None
    try:
        return float(parts[0]), float(parts[1])
    except ValueError:
        return None


def _split_link(body: str) -> tuple[str, str]:
    """(text, target) of a link's inside, as Harlowe reads it: the rightmost `->` or `|`,
    else the leftmost `<-`, else the whole is both text and target."""
    arrow, pipe = body.rfind("->"), body.rfind("|")
    if arrow >= 0 or pipe >= 0:
        if arrow > pipe:
            return body[:arrow].strip(), body[arrow + 2 :].strip()
        return body[:pipe].strip(), body[pipe + 1 :].strip()
    left = body.find("<-")
    if left >= 0:
        return body[left + 2 :].strip(), body[:left].strip()
    return body.strip(), body.strip()


def _join_text(kept: list[str | None]) -> str:
    """The node's text: kept lines joined; blank lines left doubled by a line taken out
    between them are folded into one."""
    out: list[str] = []
    gap = False
    for line in kept:
        if line is None:
            gap = True
            continue
        if not line.strip():
            if gap and out and not out[-1].strip():
                continue
        else:
            gap = False
        out.append(line)
    return "\n".join(out).strip()


def _pairs(line: str, opener: str, closer: str) -> dict[int, int]:
    """Each bracket of the line that is closed on it → the index of its closing bracket
    (one pass, so that a line of ten thousand nested macros is read in linear time)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, char in enumerate(line):
        if char == opener:
            stack.append(index)
        elif char == closer and stack:
            pairs[stack.pop()] = index
    return pairs


class _CodeStripper:
    """Takes story-format code out of one passage, a line at a time, naming each kind of
    thing taken out once per line. Remembers what spans lines: Harlowe hooks left open and
    blocks of code (<script>, <style>, SugarCube's <<script>>, Snowman's <% %>)."""

    def __init__(self):
        self.open_hooks = 0
        self.until: str | None = None  # the closing mark of a block of code left open

    def strip(self, line: str) -> tuple[str, list[str]]:
        messages: list[str] = []
        drop = bytearray(len(line))
        lower = line.lower()

        def cut(start: int, end: int, message: str | None = None) -> None:
            drop[start:end] = b"\x01" * (end - start)
            if message and message not in messages:
                messages.append(message)

        start = 0
        if self.until is not None:
            close = lower.find(self.until)
            if close < 0:
                cut(0, len(line))
                return self.kept(line, drop), messages
            start = close + len(self.until)
            cut(0, start)
            self.until = None
        if self.open_hooks and (m := re.match(r"\s*\]", line[start:])):
            cut(start + m.end() - 1, start + m.end())
            self.open_hooks -= 1
        if CHAPBOOK_MODIFIER_RE.match(line):
            cut(0, len(line), f"已忽略 Chapbook 修饰符 {_short(line.strip())}：{NOT_RUN}")
        if line.strip() in ("{", "}"):
            cut(0, len(line))  # Harlowe's collapsed-whitespace markup
        for opener, closer, message in (
            ("<script", "</script>", "已忽略 <script> 代码"),
            ("<style", "</style>", "已忽略 <style> 样式"),
            ("<<script>>", "<</script>>", "已忽略 SugarCube 宏 <<script>>"),
            ("<%", "%>", "已忽略 Snowman 代码 <% … %>"),
        ):
            at = lower.find(opener, start)
            while at >= 0:
                close = lower.find(closer, at + len(opener))
                if close < 0:
                    cut(at, len(line), f"{message}：{NOT_RUN}")
                    self.until = closer
                    break
                cut(at, close + len(closer), f"{message}：{NOT_RUN}")
                at = lower.find(opener, close + len(closer))
        parens, brackets = _pairs(line, "(", ")"), _pairs(line, "[", "]")
        for m in HARLOWE_MACRO_RE.finditer(line, start):
            if drop[m.start()]:
                continue
            end = parens.get(m.start(), len(line) - 1) + 1
            after = end
            while after < len(line) and line[after] == " ":
                after += 1
            name = _short(m.group(1))
            if after < len(line) and line[after] == "[" and not line.startswith("[[", after):
                cut(m.start(), end, f"已忽略 Harlowe 宏 ({name}:)，其后 […] 里的文字保留")
                self.hook(after, brackets, cut)
            else:
                cut(m.start(), end, f"已忽略 Harlowe 宏 ({name}:)：{NOT_RUN}")
        for m in HARLOWE_HOOK_RE.finditer(line, start):
            if drop[m.start()]:
                continue
            if m.group(0).startswith("|"):  # |name>[…]
                cut(m.start(), m.end() - 1, f"已忽略 Harlowe 命名钩子 {_short(m.group(0))}")
                self.hook(m.end() - 1, brackets, cut)
            else:  # […]<name|
                cut(m.start() + 1, m.end(), f"已忽略 Harlowe 命名钩子 {_short(m.group(0))}")
                opening = next((o for o, c in brackets.items() if c == m.start()), None)
                cut(m.start(), m.start() + 1)
                if opening is not None:
                    cut(opening, opening + 1)
        for m in SUGARCUBE_RE.finditer(line, start):
            if drop[m.start()]:
                continue
            close = line.find(">>", m.end())
            end = len(line) if close < 0 else close + 2
            name = SUGARCUBE_NAME_RE.match(line, m.end()).group(1) or ""
            cut(m.start(), end, f"已忽略 SugarCube 宏 <<{_short(name)}>>：{NOT_RUN}")
        for regex, what in (
            (HTML_TAG_RE, "HTML 标记"),
            (CHAPBOOK_INSERT_RE, "Chapbook 插入"),
            (VARIABLE_RE, "故事变量"),
        ):
            for m in regex.finditer(line, start):
                if not drop[m.start()]:
                    cut(m.start(), m.end(), f"已忽略{what} {_short(m.group(0), 20)}")
        return self.kept(line, drop), messages

    def hook(self, at: int, brackets: dict[int, int], cut) -> None:
        """Take out the brackets of the hook opening at `at`, keeping its text."""
        cut(at, at + 1)
        close = brackets.get(at)
        if close is None:
            self.open_hooks += 1
        else:
            cut(close, close + 1)

    @staticmethod
    def kept(line: str, drop: bytearray) -> str:
        if not any(drop):
            return line
        for m in PLACEHOLDER_RE.finditer(line):  # a kefu comment is never code
            drop[m.start() : m.end()] = bytes(m.end() - m.start())
        return "".join(c for c, d in zip(line, drop, strict=True) if not d)


# --- Twine 2 HTML ----------------------------------------------------------------------------


@dataclass
class _HtmlStory:
    title: str
    ifid: str
    start: str | None
    line: int  # the <tw-storydata> tag's line
    passages: list[_Passage]


class _TwineHtmlParser(HTMLParser):
    """The story elements of Twine 2's published HTML (or archive): <tw-storydata>, its
    <tw-passagedata> and its user <style> / <script>. The story format's own code, outside
    <tw-storydata>, is passed over (html.parser reads a <script>'s content as text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stories: list[tuple[dict, int]] = []
        self.passages: list[tuple[dict, int, int, list[str]]] = []
        self.user_code: list[tuple[str, int, list[str]]] = []
        self.in_story = False
        self.chunks: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = {k: v or "" for k, v in attrs}
        if tag == "tw-storydata":
            self.stories.append((values, line))
            self.in_story = len(self.stories) == 1
        elif self.in_story and tag == "tw-passagedata":
            body_line = line + (self.get_starttag_text() or "").count("\n")
            self.chunks = []
            self.passages.append((values, line, body_line, self.chunks))
        elif self.in_story and tag in ("style", "script"):
            self.chunks = []
            self.user_code.append((tag, line, self.chunks))

    def handle_endtag(self, tag):
        if tag in ("tw-passagedata", "style", "script"):
            self.chunks = None
        elif tag == "tw-storydata":
            self.in_story = False

    def handle_data(self, data):
        if self.chunks is not None:
            self.chunks.append(data)


def _read_html(text: str, reader: _Reader) -> _HtmlStory | None:
    """The story of a Twine 2 HTML file as passages for `reader`; problems go to it."""
    parser = _TwineHtmlParser()
    parser.feed(text)
    parser.close()
    if not parser.stories:
        reader.add(
            None,
            None,
            "这不是 Twine 故事文件：HTML 里没有 <tw-storydata>。请在 Twine 里用“发布到文件”"
            "或“导出为 Twee”得到故事文件",
        )
        return None
    if len(parser.stories) > 1:
        reader.add(
            parser.stories[1][1],
            None,
            f"文件里有 {len(parser.stories)} 个故事（Twine 的“存档”）：请一次导入一个故事",
        )
        return None
    attrs, story_line = parser.stories[0]
    passages, start = [], None
    for values, line, body_line, chunks in parser.passages:
        name = values.get("name", "").strip()
        if not name:
            reader.add(line, None, "段落缺少名字（tw-passagedata 的 name）")
            continue
        body = LINE_BREAK_RE.split("".join(chunks))
        for offset, content in enumerate(body):
            if NUL in content:
                reader.add(body_line + offset, name, "这一行有空字符（U+0000），请删除")
                body[offset] = content.replace(NUL, "")
        while body and not body[-1].strip():
            body.pop()
        passages.append(
            _Passage(
                name,
                values.get("tags", "").split(),
                _position({"position": values.get("position")}),
                line,
                body,
                body_line=body_line,
            )
        )
        if values.get("pid") and values.get("pid") == attrs.get("startnode"):
            start = name
    for tag, line, chunks in parser.user_code:
        if "".join(chunks).strip():
            what = "样式表 <style>" if tag == "style" else "脚本 <script>"
            reader.ignore(line, None, f"已忽略故事的{what}：{NOT_RUN}")
    ifid = attrs.get("ifid", "")
    return _HtmlStory(
        title=attrs.get("name", "").strip(),
        ifid=ifid if len(ifid) <= IFID_MAX else "",
        start=start,
        line=story_line,
        passages=passages,
    )


def _short(value: object, limit: int = 30) -> str:
    """A value quoted in a problem (any JSON value), cut so that a hostile file cannot make
    the report huge."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# --- writing -------------------------------------------------------------------------------


def export_twee(story: Story) -> str:
    """The story as Twine 2.6 writes Twee 3; deterministic (but for a generated IFID)."""
    graph = engine.Graph.from_dict(story.graph)
    setting = {**DEFAULT_SETTING, **(story.setting or {})}
    positions = dict(story.positions or {})
    setting_name = _setting_name(graph, positions)
    layout = _layout(graph, setting_name)

    def position(name: str) -> tuple[float, float]:
        given = positions.get(name)
        if given is not None and len(given) == 2:
            return float(given[0]), float(given[1])
        return layout[name]

    data = {
        "ifid": story.ifid or str(uuid.uuid4()).upper(),
        "format": "Harlowe",
        "format-version": "3.3.9",
        "start": graph.start,
        "tag-colors": {
            TAG_ENDING: "purple",
            TAG_FAIL: "red",
            SETTING_TAG: "yellow",
            TAG_NARRATION: "blue",
            TAG_PASS: "green",
        },
        "zoom": 1,
    }
    parts = [
        f":: StoryTitle\n{_escape_text(story.title)}\n",
        f":: StoryData\n{json.dumps(data, ensure_ascii=False, indent=2)}\n",
        _passage(setting_name, [SETTING_TAG], position(setting_name), _setting_lines(setting)),
    ]
    for node in graph.nodes.values():
        parts.append(_passage(node.key, _tags(node), position(node.key), _node_lines(node)))
    return "\n\n".join(parts)


def _setting_name(graph: engine.Graph, positions: dict) -> str:
    taken = set(graph.nodes) | {"StoryTitle", "StoryData"}
    others = sorted(k for k in positions if k not in taken)
    if others:
        return others[0]
    name, n = DEFAULT_SETTING_NAME, 1
    while name in taken:
        n += 1
        name = f"{DEFAULT_SETTING_NAME} {n}"
    return name


def _layout(graph: engine.Graph, setting_name: str) -> dict[str, tuple[float, float]]:
    """Layers by distance from the start; the setting under the start; the rest last."""
    depth = engine.distances(graph, graph.start)
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for key, steps in depth.items():  # insertion order is breadth-first order
        layers[steps].append(key)
    rest = [k for k in graph.nodes if k not in depth]
    if rest:
        layers.append(rest)
    if not layers:
        layers.append([])
    layers[0].append(setting_name)
    return {
        key: (100.0 + d * 250, 100.0 + i * 150)
        for d, layer in enumerate(layers)
        for i, key in enumerate(layer)
    }


def _tags(node: engine.Node) -> list[str]:
    if node.is_ending:
        if node.passed is None:  # not decided yet: a draft's ending
            return [TAG_ENDING]
        return [TAG_ENDING, TAG_PASS if node.passed else TAG_FAIL]
    if node.kind == engine.NARRATION:
        return [TAG_NARRATION]
    return []


def _setting_lines(setting: dict) -> list[str]:
    lines = [
        f"owner: {setting['owner']}",
        f"situation: {setting['situation']}",
        f"channel: {setting['channel']}",
        f"pass_mark: {int(setting['pass_mark'])}",
        f"immediate_feedback: {'yes' if setting['immediate_feedback'] else 'no'}",
    ]
    for key in ("competency", "summary"):
        if setting.get(key):
            lines.append(f"{key}: {setting[key]}")
    return lines


def _node_lines(node: engine.Node) -> list[str]:
    lines = []
    if node.speaker:
        lines.append(f"@speaker: {node.speaker}")
    if node.mood:
        lines.append(f"@mood: {node.mood}")
    text = (node.outcome if node.is_ending else node.text).strip()
    if text:
        lines.extend(text.split("\n"))
    if node.choices:
        if text:
            lines.append("")
        lines.extend(_choice_line(c) for c in node.choices)
    return lines


def _choice_line(choice: engine.Choice) -> str:
    line = _link(choice.text, choice.target)
    data: dict = {}
    if choice.points:
        data["points"] = dict(choice.points)
    if choice.feedback:
        data["feedback"] = choice.feedback
    if choice.conditions:
        data["if"] = [c.to_dict() for c in choice.conditions]
    if data:
        raw = json.dumps(data, ensure_ascii=False).replace("-->", "--\\u003e")
        line += f" <!--kefu {raw} -->"
    return line


def _link(text: str, target: str) -> str:
    forms = [f"[[{text}->{target}]]", f"[[{target}<-{text}]]", f"[[{text}|{target}]]"]
    if text == target:
        forms.insert(0, f"[[{target}]]")
    for form in forms:
        m = LINK_RE.fullmatch(form)
        if m and m.group("setter") is None and _split_link(m.group("body")) == (text, target):
            return form
    return forms[0]


def _passage(name: str, tags: list[str], position: tuple[float, float], lines: list[str]) -> str:
    header = f":: {_escape_name(name)}"
    if tags:
        header += " [" + " ".join(_escape_header(t) for t in tags) + "]"
    meta = json.dumps(
        {"position": f"{_number(position[0])},{_number(position[1])}", "size": "100,100"},
        separators=(",", ":"),
    )
    body = "\n".join(_escape_text(line) for line in lines)
    return f"{header} {meta}\n{body}\n" if body else f"{header} {meta}\n"


def _escape_header(value: str) -> str:
    return re.sub(r"([\[\]{}])", r"\\\1", value.replace("\\", "\\\\"))


def _escape_name(name: str) -> str:
    escaped = _escape_header(name)
    lead = len(escaped) - len(escaped.lstrip())
    trail = len(escaped) - len(escaped.rstrip())
    return "\\ " * lead + escaped[lead : len(escaped) - trail] + "\\ " * trail


def _escape_text(text: str) -> str:
    return re.sub(r"^::", r"\\::", text, flags=re.M)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
