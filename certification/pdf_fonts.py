"""Fonts for certificate PDFs, cut down to the characters of one certificate.

Why: a CJK font holds about 65,000 glyphs. WeasyPrint subsets the fonts it embeds but keeps
their glyph numbers, so every CJK face still costs about 75 KB per PDF, and older versions
spent seconds in the subsetter. HarfBuzz cuts a face down to the hundred-odd characters a
certificate uses in a few milliseconds, renumbered, about 15 KB a face; WeasyPrint then
embeds that small font as it is.

Names may use any GB18030 character. Noto CJK SC covers GBK and nearly all of CJK Extension A;
characters it lacks (Extensions B–F, a few symbols) come from fallback faces (HanaMin,
DejaVu) found through fontconfig.
"""

from __future__ import annotations

import base64
import logging
import shutil
import subprocess  # noqa: S404 - fc-match with fixed arguments, no shell
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb

logger = logging.getLogger(__name__)

FAMILY = "KefuCertificate"
# (fontconfig pattern, CSS weight) of the main faces, then fallbacks for what they lack.
MAIN_FACES = (("Noto Serif CJK SC:weight=regular", 400), ("Noto Serif CJK SC:weight=bold", 700))
FALLBACK_FACES = ("HanaMinA", "HanaMinB", "DejaVu Sans")


@dataclass(frozen=True)
class Face:
    path: str
    index: int
    family: str


@lru_cache(maxsize=32)
def locate(pattern: str) -> Face | None:
    """The font file fontconfig picks for `pattern`, if it really is that family."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    found = subprocess.run(  # noqa: S603 - fixed executable, pattern is ours
        [fc_match, "-f", "%{file}\t%{index}\t%{family}", pattern],
        capture_output=True,
        text=True,
        check=False,
        timeout=10,
    ).stdout
    try:
        path, index, families = found.split("\t")
    except ValueError:
        return None
    wanted = pattern.split(":")[0]
    if wanted not in families.split(","):
        return None  # fontconfig substituted another family: not what we asked for
    return Face(path, int(index), wanted)


@lru_cache(maxsize=16)
def _loaded(face: Face) -> tuple[hb.Face, frozenset[int]]:
    """The parsed face and the characters it has; loaded once per process."""
    loaded = hb.Face(hb.Blob.from_file_path(face.path), face.index)
    return loaded, frozenset(loaded.unicodes)


def subset(face: Face, characters: set[int]) -> bytes:
    loaded, _covered = _loaded(face)
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(characters)
    wanted.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    return hb.subset(loaded, wanted).blob.data


def _font_face_rule(family: str, weight: int, data: bytes) -> str:
    source = base64.b64encode(data).decode("ascii")
    return (
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
        f"src: url(data:font/otf;base64,{source}); }}"
    )


@dataclass(frozen=True)
class Fonts:
    css: str  # @font-face rules with the subset fonts embedded
    families: str  # the CSS font-family list to use
    uncovered: frozenset[str]  # characters no installed face has (drawn as boxes)


def fonts_for(text: str) -> Fonts:
    """Subset fonts covering `text`: the main faces, then fallbacks for what they lack."""
    needed = {ord(c) for c in text if c.isprintable() or c == "\u00a0"} | {0x20}
    rules, families = [], [FAMILY]
    remaining = set(needed)
    for pattern, weight in MAIN_FACES:
        face = locate(pattern)
        if face is None:
            continue
        covered = needed & _loaded(face)[1]
        rules.append(_font_face_rule(FAMILY, weight, subset(face, covered)))
        remaining -= covered
    for number, name in enumerate(FALLBACK_FACES):
        face = locate(name) if remaining else None
        if face is None:
            continue
        covered = remaining & _loaded(face)[1]
        if covered:
            family = f"{FAMILY}Fallback{number}"
            rules.append(_font_face_rule(family, 400, subset(face, covered)))
            families.append(family)
            remaining -= covered
    if remaining:
        logger.warning("No installed font has %s", "".join(sorted(map(chr, remaining))))
    return Fonts(
        "\n".join(rules), ", ".join(f'"{f}"' for f in families), frozenset(map(chr, remaining))
    )


def uncovered(text: str) -> set[str]:
    """Characters of `text` that no face (main or fallback) can draw."""
    remaining = {ord(c) for c in text if c.isprintable() and not c.isspace()}
    for pattern in [p for p, _w in MAIN_FACES] + list(FALLBACK_FACES):
        face = locate(pattern)
        if face is not None:
            remaining -= _loaded(face)[1]
    return {chr(c) for c in remaining}
