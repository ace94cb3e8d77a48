"""Turn the demo content files into StreamField data. Pure: reads YAML, touches no database."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).resolve().parent / "content"
BLOCK_KEYS = {
    "heading": None,
    "paragraph": None,
    "phrase_card": {"situation", "say", "never_say", "why"},
    "do_dont": {"title", "rows"},
    "procedure": {"title", "steps"},
    "callout": {"kind", "title", "text"},
}
CALLOUT_KINDS = {"tip", "rule", "warning", "info"}
NUMBERED = re.compile(r"^\d+[.、] ?")
NUMBERED_FILE = re.compile(r"^\d+-")


class DemoContentError(Exception):
    pass


@dataclass(frozen=True)
class LessonData:
    title: str
    slug: str
    summary: str
    minutes: int
    body: list[dict]


@dataclass(frozen=True)
class ModuleData:
    title: str
    slug: str
    competency: str
    summary: str
    intro_html: str
    lessons: tuple[LessonData, ...]
    emergency_cards: bool = False  # shown on the emergency cards page (/emergency/)


def text_to_html(text: str) -> str:
    """The small text format of the content files → rich-text HTML.

    Blank lines separate paragraphs; `- ` lines make a bulleted list, `1. ` lines a numbered
    list; `**bold**` is bold. Everything else is escaped.
    """
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{_inline(line[2:])}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif all(NUMBERED.match(line) for line in lines):
            items = "".join(f"<li>{_inline(NUMBERED.sub('', line))}</li>" for line in lines)
            out.append(f"<ol>{items}</ol>")
        else:
            out.append(f"<p>{'<br/>'.join(_inline(line) for line in lines)}</p>")
    return "".join(out)


def _inline(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(text, quote=False))


def _list_items(values: list) -> list:
    # ListBlock accepts a plain list of item values and assigns item ids itself.
    return list(values)


def stream_data(blocks: list[dict], source: str) -> list[dict]:
    """Content-file blocks → the raw JSON form of `courses.blocks.LessonBodyBlock`."""
    raw: list[dict] = []
    for n, block in enumerate(blocks, start=1):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind not in BLOCK_KEYS:
            raise DemoContentError(f"{source}: block {n} has unknown type {kind!r}")
        value = block.get("value")
        allowed = BLOCK_KEYS[kind]
        if allowed is not None:
            if not isinstance(value, dict) or not set(value) <= allowed:
                raise DemoContentError(f"{source}: block {n} ({kind}) needs keys from {allowed}")
        if kind == "heading":
            raw_value: object = str(value)
        elif kind == "paragraph":
            raw_value = text_to_html(str(value))
        elif kind == "phrase_card":
            raw_value = {
                "situation": value["situation"],
                "say": _list_items(value["say"]),
                "never_say": _list_items(value.get("never_say") or []),
                "why": value.get("why", ""),
            }
        elif kind == "do_dont":
            raw_value = {
                "title": value.get("title", ""),
                "rows": _list_items(
                    [{"do": r["do"], "dont": r.get("dont", "")} for r in value["rows"]]
                ),
            }
        elif kind == "procedure":
            raw_value = {
                "title": value["title"],
                "steps": _list_items(
                    [
                        {"text": s["text"], "time_limit": s.get("time_limit", "")}
                        for s in value["steps"]
                    ]
                ),
            }
        else:  # callout
            if value.get("kind", "tip") not in CALLOUT_KINDS:
                raise DemoContentError(f"{source}: block {n} has unknown callout kind")
            raw_value = {
                "kind": value.get("kind", "tip"),
                "title": value.get("title", ""),
                "text": text_to_html(str(value["text"])),
            }
        raw.append({"type": kind, "value": raw_value})
    return raw


def load_organisation(content_dir: Path = CONTENT_DIR) -> dict:
    return yaml.safe_load((content_dir / "organisation.yaml").read_text(encoding="utf-8"))


def load_modules(content_dir: Path = CONTENT_DIR) -> list[ModuleData]:
    modules = []
    for folder in sorted(p for p in (content_dir / "modules").iterdir() if p.is_dir()):
        meta = yaml.safe_load((folder / "module.yaml").read_text(encoding="utf-8"))
        lessons = []
        for path in sorted(folder.glob("*.yaml")):
            if path.name == "module.yaml":
                continue
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            source = f"{folder.name}/{path.name}"
            missing = {"title", "slug", "summary", "minutes", "body"} - set(data)
            if missing:
                raise DemoContentError(f"{source}: missing {sorted(missing)}")
            lessons.append(
                LessonData(
                    title=data["title"],
                    slug=data["slug"],
                    summary=data["summary"],
                    minutes=int(data["minutes"]),
                    body=stream_data(data["body"], source),
                )
            )
        modules.append(
            ModuleData(
                title=meta["title"],
                slug=meta["slug"],
                competency=meta["competency"],
                summary=meta.get("summary", ""),
                intro_html=text_to_html(meta.get("intro", "")),
                lessons=tuple(lessons),
                emergency_cards=bool(meta.get("emergency_cards", False)),
            )
        )
    return modules


def load_quizzes(content_dir: Path = CONTENT_DIR) -> list[dict]:
    """The demo quiz settings, each with the text of its GIFT file under `gift`."""
    folder = content_dir / "quizzes"
    quizzes = yaml.safe_load((folder / "quizzes.yaml").read_text(encoding="utf-8"))
    for quiz in quizzes:
        quiz["gift"] = (folder / quiz["file"]).read_text(encoding="utf-8")
    return quizzes


def load_roleplays(content_dir: Path = CONTENT_DIR) -> list[tuple[str, str]]:
    """Each demo role-play as (slug, Twee 3 text), in file-name order. The slug is the file
    name without its number and extension: `01-ceiling-leak.twee` → `ceiling-leak`."""
    return [
        (NUMBERED_FILE.sub("", path.stem), path.read_text(encoding="utf-8"))
        for path in sorted((content_dir / "roleplays").glob("*.twee"))
    ]
