"""Text formats of imported questions → the HTML a question spec stores. Pure Python: no Django.

Moodle marks every text with a format; the importers hand each text here with its format name:

moodle    Moodle's "auto-format": the text is escaped, line breaks become <br>, blank lines
          separate paragraphs. (Moodle itself lets HTML tags through in this format; we escape
          them, so a trainer who wants markup writes [html] and gets it sanitised instead.)
html      kept, but sanitised: no <script>/<style>/<iframe> and the like, no on* event
          attributes, no javascript: URLs
markdown  rendered with the `markdown` package, then sanitised like html
plain     escaped; line breaks become <br>

The Moodle XML names of the formats (moodle_auto_format, plain_text) are accepted as well.

Hostile input stays cheap: each function here takes time roughly proportional to its text
(see `_defuse_unclosed_tags`, `_defuse_brackets` and the order `sanitise_html` works in). A
text nested deeper than academy.limits.MARKUP_DEPTH raises `TextTooComplex`, which the
importers report: BeautifulSoup compares elements recursively when it writes a tree out, so
deeper nesting costs quadratic time and, beyond ~1,000 levels, a RecursionError.
"""

from __future__ import annotations

import html
import re

import markdown as markdown_lib
from academy.limits import MARKUP_DEPTH
from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.dammit import EntitySubstitution
from bs4.element import PreformattedString
from bs4.exceptions import ParserRejectedMarkup
from bs4.formatter import HTMLFormatter

MOODLE = "moodle"
HTML = "html"
MARKDOWN = "markdown"
PLAIN = "plain"
FORMATS = (MOODLE, HTML, MARKDOWN, PLAIN)

# Moodle XML's names (the `format` attribute) → ours.
_ALIASES = {
    "moodle_auto_format": MOODLE,
    "plain_text": PLAIN,
    "html": HTML,
    "markdown": MARKDOWN,
    "moodle": MOODLE,
    "plain": PLAIN,
}

# Elements removed together with everything inside them: they run code, restyle the whole
# page, pull in other documents, or take input.
_DROPPED_ELEMENTS = frozenset(
    {
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "link",
        "meta",
        "noscript",
        "template",
        "svg",
        "math",
        "form",
        "input",
        "button",
        "select",
        "textarea",
        "option",
        "optgroup",
        "datalist",
        "output",
        "dialog",
        "portal",
        "audio",
        "video",
        "source",
        "track",
        "canvas",
        "map",
        "area",
    }
)
# The markup a question may keep, and each element's allowed attributes.
_COMMON = frozenset({"lang", "dir", "title"})
_ALLOWED_ELEMENTS: dict[str, frozenset[str]] = {
    **{
        tag: _COMMON
        for tag in (
            "p",
            "br",
            "b",
            "strong",
            "i",
            "em",
            "u",
            "s",
            "sub",
            "sup",
            "small",
            "mark",
            "code",
            "pre",
            "kbd",
            "blockquote",
            "q",
            "cite",
            "ul",
            "ol",
            "li",
            "dl",
            "dt",
            "dd",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "span",
            "div",
            "table",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "caption",
            "figure",
            "figcaption",
            "ruby",
            "rt",
            "rp",
            "abbr",
            "del",
            "ins",
        )
    },
    "th": _COMMON | {"colspan", "rowspan", "scope"},
    "td": _COMMON | {"colspan", "rowspan"},
    "a": _COMMON | {"href"},
    "img": _COMMON | {"src", "alt", "width", "height"},
}
_SAFE_SCHEMES = ("http", "https", "mailto", "tel")
# Attributes that hold a URL, where javascript: (and friends) would run code on a click or load.
_URL_ATTRIBUTES = frozenset(
    {
        "href",
        "src",
        "action",
        "formaction",
        "background",
        "poster",
        "cite",
        "data",
        "srcset",
        "xlink:href",
        "lowsrc",
        "dynsrc",
        "longdesc",
        "ping",
    }
)
# Browsers ignore control characters and whitespace inside a URL scheme ("java\tscript:").
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)


def _safe_url(value: str) -> bool:
    """http(s), mailto, tel, or a relative URL; Moodle's @@PLUGINFILE@@ paths are relative."""
    scheme = _SCHEME.match(_URL_NOISE.sub("", value))
    return scheme is None or scheme.group(1).lower() in _SAFE_SCHEMES


# <br> rather than <br/>, as people and editors write HTML; &, < and > (and " in attributes)
# always escaped.
_FORMATTER = HTMLFormatter(
    entity_substitution=EntitySubstitution.substitute_xml, void_element_close_prefix=None
)

# Elements after which html_to_plain starts a new line.
_BLOCK_ELEMENTS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "dd",
        "dt",
        "dl",
        "hr",
    }
)


class TextTooComplex(ValueError):
    """A text that cannot be converted (its message, in Chinese, says why)."""

    @classmethod
    def too_deep(cls) -> TextTooComplex:
        return cls(f"文本嵌套太深：HTML 元素（或 Markdown 的列表、引用）最多套 {MARKUP_DEPTH} 层")


def normalise_format(fmt: str | None) -> str | None:
    """Our name for a format name from GIFT or Moodle XML; None if unknown."""
    if fmt is None:
        return None
    return _ALIASES.get(fmt.strip().lower())


def to_html(text: str, fmt: str) -> str:
    """`text` written in format `fmt` → safe HTML. Raises ValueError for an unknown format."""
    name = normalise_format(fmt)
    if name is None:
        raise ValueError(f"unknown text format: {fmt!r}")
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    if name == HTML:
        return sanitise_html(text)
    if name == MARKDOWN:
        try:
            rendered = markdown_lib.markdown(_defuse_unclosed_tags(_defuse_brackets(text)))
        except RecursionError:
            # Python-Markdown recurses once per nested list ("- - - - …"); only the
            # interpreter bounds it.
            raise TextTooComplex.too_deep() from None
        return _unwrap_single_paragraph(sanitise_html(rendered))
    if name == PLAIN:
        escaped = html.escape(text, quote=False).replace("\n", "<br>")
    else:
        escaped = _auto_format(text)
    # One serialisation for every format (<br>, quoting), so that importing the result again
    # as [html] gives exactly the same text.
    return sanitise_html(escaped)


def _auto_format(text: str) -> str:
    paragraphs = [p.strip() for p in re.split(r"\n[ \t]*\n+", text) if p.strip()]
    escaped = [html.escape(p, quote=False).replace("\n", "<br>") for p in paragraphs]
    if len(escaped) == 1:
        # A one-line text (an option, a feedback) stays a bare string, not a <p>.
        return escaped[0]
    return "".join(f"<p>{p}</p>" for p in escaped)


# Python's HTML parser rescans the rest of the text for each "<" that no ">" follows, and
# Python-Markdown for each "[" or "(" without a partner: a few cost nothing, thousands take
# seconds (10,000 characters of "<a " took 1.3 s, of "[" 18 s). Beyond this many, they are
# escaped first; they could only ever be text. Below it, texts convert exactly as before.
_RESCANS_ALLOWED = 20


def _defuse_unclosed_tags(text: str) -> str:
    """Escape the "<" that no ">" follows, when there are more than _RESCANS_ALLOWED."""
    last = text.rfind(">")
    tail = text[last + 1 :]
    if tail.count("<") <= _RESCANS_ALLOWED:
        return text
    return text[: last + 1] + tail.replace("<", "&lt;")


_MARKDOWN_NESTING = 2  # brackets inside a link's text: "[see [1]](url)" is as deep as it gets


def _defuse_brackets(text: str) -> str:
    """Backslash-escape the "[" and "(" that cannot start a Markdown link or its address —
    the unmatched ones and those nested deeper than _MARKDOWN_NESTING — when there are more
    than _RESCANS_ALLOWED. Escaped, they show the same character (inside a `code span` the
    backslash would show too: only ever in such hostile text)."""
    if text.count("[") + text.count("(") <= _RESCANS_ALLOWED:
        return text
    escape: set[int] = set()
    for opening, closing in ("[]", "()"):
        stack: list[int] = []
        index = 0
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2  # an escaped character is no bracket
                continue
            if char == opening:
                stack.append(index)
                if len(stack) > _MARKDOWN_NESTING:
                    escape.add(index)
            elif char == closing and stack:
                if len(stack) > _MARKDOWN_NESTING:
                    escape.add(index)
                stack.pop()
            index += 1
        escape.update(stack)  # never closed
    if len(escape) <= _RESCANS_ALLOWED:
        return text
    return "".join("\\" + char if i in escape else char for i, char in enumerate(text))


def _unwrap_single_paragraph(fragment: str) -> str:
    """Markdown wraps even a one-word option in <p>; unwrap it so options stay inline text."""
    match = re.fullmatch(r"<p>(.*)</p>", fragment.strip(), re.DOTALL)
    if match and "<p" not in match.group(1) and "</p>" not in match.group(1):
        return match.group(1)
    return fragment


def sanitise_html(fragment: str) -> str:
    """Keep only allow-listed markup: text formatting, lists, tables, links and images.

    Unknown elements are unwrapped (their text stays); elements that run code, embed other
    documents or take input (script, iframe, svg, math, form controls …) are removed with
    their content; attributes outside the allow-list go, and URLs must use http(s), mailto,
    tel or a relative path. Question text sits inside the learner's answer form, so a
    question must never be able to add fields to it or send it elsewhere.

    The result is stable: sanitising it again returns it unchanged, so a question exported
    and imported again keeps exactly the same text.
    """
    soup = _parse(fragment)
    if _nested_deeper_than(soup, MARKUP_DEPTH):
        raise TextTooComplex.too_deep()
    # Comments, <!DOCTYPE>, <?…?> and CDATA: nothing a reader sees, and old IE ran
    # conditional comments.
    for special in soup.find_all(string=lambda s: isinstance(s, PreformattedString)):
        special.extract()
    # Last element first: its descendants are done before it, so removing or unwrapping it
    # never walks them again and no removed element is visited (asking bs4 whether one was
    # removed searches its whole subtree: 10,000 nested tags took 5 s).
    for element in reversed(soup.find_all(True)):
        name = element.name.lower()
        if name in _DROPPED_ELEMENTS:
            element.decompose()
            continue
        allowed = _ALLOWED_ELEMENTS.get(name)
        if allowed is None:
            element.unwrap()
            continue
        for attribute in list(element.attrs):
            value = element.attrs[attribute]
            value = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower() not in allowed:
                del element.attrs[attribute]
            elif attribute.lower() in _URL_ATTRIBUTES and not _safe_url(value):
                del element.attrs[attribute]
    cleaned = _serialise(soup)
    # html.parser normalises some whitespace between tags only on a second reading (e.g. the
    # text nodes left around a removed <script>); read until nothing changes any more.
    for _ in range(3):
        again = _serialise(BeautifulSoup(cleaned, "html.parser"))
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _parse(fragment: str) -> BeautifulSoup:
    try:
        return BeautifulSoup(_defuse_unclosed_tags(fragment), "html.parser")
    except ParserRejectedMarkup:
        # Python's parser gives up on a "<![" it does not know ("<![x"): read it as text.
        return BeautifulSoup(
            _defuse_unclosed_tags(fragment.replace("<![", "&lt;![")), "html.parser"
        )


def _nested_deeper_than(root: Tag, limit: int) -> bool:
    pending = [(root, 0)]
    while pending:
        element, depth = pending.pop()
        if depth > limit:
            return True
        pending.extend((child, depth + 1) for child in element.contents if isinstance(child, Tag))
    return False


def _serialise(soup: BeautifulSoup) -> str:
    return soup.decode(formatter=_FORMATTER).strip()


def html_to_plain(fragment: str) -> str:
    """The text a reader sees in an HTML fragment: tags dropped, <br> and blocks as line breaks,
    entities decoded, runs of spaces collapsed."""
    if not fragment:
        return ""
    soup = _parse(fragment)
    text = "".join(_text_parts(soup)).replace("\xa0", " ")
    lines = [re.sub(r"[ \t\f\v]+", " ", line).strip() for line in text.split("\n")]
    # One line break between paragraphs: Moodle's editor makes a <p> of every line typed.
    return re.sub(r"\n{2,}", "\n", "\n".join(lines)).strip()


def _text_parts(root: Tag) -> list[str]:
    """The text pieces and line breaks of `root`, in reading order. A loop with its own stack,
    not recursion: imported HTML may nest thousands of elements."""
    parts: list[str] = []
    # Each entry: a node to read, or a line break to add once an element's children are read.
    pending: list[object] = list(reversed(root.contents))
    while pending:
        child = pending.pop()
        if isinstance(child, str) and not isinstance(child, NavigableString):
            parts.append(child)  # the line break closing a block element
        elif isinstance(child, PreformattedString):
            continue
        elif isinstance(child, NavigableString):
            # Source line breaks inside HTML are only whitespace to a reader.
            parts.append(re.sub(r"\s+", " ", str(child)))
        elif isinstance(child, Tag):
            name = child.name.lower()
            if name in _DROPPED_ELEMENTS:
                continue
            if name == "br":
                parts.append("\n")
                continue
            if name in _BLOCK_ELEMENTS:
                parts.append("\n")
                pending.append("\n")
            pending.extend(reversed(child.contents))
    return parts


def plain_one_line(fragment: str, limit: int | None = None) -> str:
    """html_to_plain on one line (for names), cut to `limit` characters with an ellipsis."""
    text = re.sub(r"\s+", " ", html_to_plain(fragment)).strip()
    if limit is not None and len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return text
