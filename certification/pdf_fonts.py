"""Fonts for certificate PDFs, cut down to the characters certificates show.

Why: a CJK font holds about 65,000 glyphs. WeasyPrint subsets the fonts it embeds but keeps
their glyph numbers, so every CJK face still costs about 75 KB per PDF, and older versions
spent seconds in the subsetter. HarfBuzz cuts a face down to the hundred-odd characters a
certificate uses in a few milliseconds, renumbered, about 15 KB a face; WeasyPrint then
embeds that small font as it is.

What is cut: for the page's text other than the holder's name (`fixed_characters`, the same
on every certificate of a design and program), faces cut to it (`cut_faces`); for names,
slices of every installed face (`name_slices`), so that fonts are prepared once per process
(`pdf._PreparedFonts`) instead of once per certificate.

Names may use any GB18030 character. Noto CJK SC covers GBK and nearly all of CJK Extension A;
characters it lacks (Extensions B–F, a few symbols) come from fallback faces (HanaMin,
DejaVu) found through fontconfig.
"""

from __future__ import annotations

import base64
import logging
import shutil
import subprocess  # noqa: S404 - fc-match with fixed arguments, no shell
from array import array
from bisect import bisect_left
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


def _printable(character: str) -> bool:
    return character.isprintable() or character == "\u00a0"


@dataclass(frozen=True)
class CutFace:
    """A face cut to some characters, ready to embed under its own family name."""

    family: str
    weight: int
    data: bytes


@dataclass(frozen=True)
class CutFaces:
    faces: tuple[CutFace, ...]
    families: tuple[str, ...]  # the font-family order
    uncovered: frozenset[str]  # characters no installed face has (drawn as boxes)


def cut_faces(text: str, family: str = FAMILY) -> CutFaces:
    """Faces covering `text`: the main faces, then fallbacks for what they lack."""
    needed = {ord(c) for c in text if _printable(c)} | {0x20}
    faces, families = [], [family]
    remaining = set(needed)
    for pattern, weight in MAIN_FACES:
        face = locate(pattern)
        if face is None:
            continue
        covered = needed & _loaded(face)[1]
        faces.append(CutFace(family, weight, subset(face, covered)))
        remaining -= covered
    for number, name in enumerate(FALLBACK_FACES):
        face = locate(name) if remaining else None
        if face is None:
            continue
        covered = remaining & _loaded(face)[1]
        if covered:
            fallback = f"{family}Fallback{number}"
            faces.append(CutFace(fallback, 400, subset(face, covered)))
            families.append(fallback)
            remaining -= covered
    if remaining:
        logger.warning("No installed font has %s", "".join(sorted(map(chr, remaining))))
    return CutFaces(tuple(faces), tuple(families), frozenset(map(chr, remaining)))


def font_face_rule(face: CutFace, url: str) -> str:
    return (
        f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
        f"src: url({url}); }}"
    )


def css_families(families) -> str:
    return ", ".join(f'"{family}"' for family in families)


@dataclass(frozen=True)
class Fonts:
    css: str  # @font-face rules with the subset fonts embedded
    families: str  # the CSS font-family list to use
    uncovered: frozenset[str]  # characters no installed face has (drawn as boxes)


def fonts_for(text: str) -> Fonts:
    """Subset fonts covering `text`, embedded in CSS as data: URLs: how each PDF was drawn
    before fonts were prepared once per process, kept as the reference tests and the
    benchmark compare with."""
    cut = cut_faces(text)
    rules = [
        font_face_rule(face, f"data:font/otf;base64,{base64.b64encode(face.data).decode('ascii')}")
        for face in cut.faces
    ]
    return Fonts("\n".join(rules), css_families(cut.families), cut.uncovered)


ASCII = frozenset(map(chr, range(0x20, 0x7F)))


def fixed_characters(page_text: str, holder: str) -> frozenset[str]:
    """What a certificate shows besides its holder's name, with all of printable ASCII for
    the serial, dates and link: the same on every certificate of one design and program, so
    faces cut to it serve them all.

    Taking out one occurrence of the name leaves the rest of the page's characters wherever
    the name stands, even if its characters appear elsewhere too.
    """
    rest = page_text.replace(holder, "", 1) if holder else page_text
    return frozenset(c for c in rest if _printable(c)) | ASCII


def _gb2312_level_one() -> frozenset[str]:
    """GB 2312's first level: the 3,755 most used hanzi, rows 16-55 of the standard."""
    found = set()
    for row in range(0xB0, 0xD8):
        for cell in range(0xA1, 0xFF):
            try:
                found.add(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:  # the last row ends early
                pass
    return frozenset(found)


# Nearly every name is written with these: their slices are cut when a process prepares its
# fonts (43 slices, about 15 MB of font data, 0.6 s), the rest as names need them.
COMMON_NAME_CHARACTERS = _gb2312_level_one()

NAME_FAMILY = "KefuName"
NAME_WEIGHT = 700  # the holder's name is set in bold (certificate.html, .holder)
SLICE = 500  # characters per slice


def _name_faces() -> list[tuple[str, int]]:
    """(fontconfig pattern, CSS weight) of the faces a name is drawn from, in order. The
    fallbacks have no bold and are emboldened, as in `cut_faces`."""
    bold = next(pattern for pattern, weight in MAIN_FACES if weight == NAME_WEIGHT)
    return [(bold, NAME_WEIGHT), *((name, 400) for name in FALLBACK_FACES)]


@lru_cache(maxsize=8)
def _name_part(number: int) -> tuple[Face | None, int, array[int]]:
    """The characters the `number`th name face has that no face before it has, in order.
    Computed the first time a name needs the face."""
    faces = _name_faces()
    pattern, weight = faces[number]
    face = locate(pattern)
    if face is None:
        return None, weight, array("I")
    own = set(_loaded(face)[1])
    for earlier, _weight in faces[:number]:
        if (found := locate(earlier)) is not None:
            own -= _loaded(found)[1]
    return face, weight, array("I", sorted(own))


@dataclass(frozen=True, order=True)
class NameSlice:
    """SLICE consecutive characters of one face's part (see `_name_part`), a family of its
    own: WeasyPrint tells embedded fonts apart by family, weight and size only, so slices
    sharing a family would be drawn with one another's glyphs."""

    part: int
    number: int

    @property
    def family(self) -> str:
        return f"{NAME_FAMILY}{self.part}-{self.number}"


def name_slices(characters: set[str]) -> list[NameSlice]:
    """The slices that draw these characters (none for what no face has).

    Why slices: a name may hold any of ~100,000 characters. Cutting a face to each name means
    a new font configuration per certificate; embedding the installed font costs ~75 KB a
    face per PDF, as WeasyPrint keeps glyph numbers. A slice is cut once per process, the
    first time a name needs it, and within a slice glyph numbers stay below SLICE: a name
    adds a few kilobytes to its PDF. Each character is in exactly one slice.
    """
    found, missing = set(), set()
    for character in characters:
        code = ord(character)
        for part in range(len(_name_faces())):
            own = _name_part(part)[2]
            at = bisect_left(own, code)
            if at < len(own) and own[at] == code:
                found.add(NameSlice(part, at // SLICE))
                break
        else:
            if _printable(character) and not character.isspace():
                missing.add(character)
    if missing:
        logger.warning("No installed font has %s", "".join(sorted(missing)))
    return sorted(found)


def cut_slice(piece: NameSlice) -> CutFace:
    face, weight, own = _name_part(piece.part)
    start = piece.number * SLICE
    return CutFace(piece.family, weight, subset(face, set(own[start : start + SLICE])))


def uncovered(text: str) -> set[str]:
    """Characters of `text` that no face (main or fallback) can draw."""
    remaining = {ord(c) for c in text if c.isprintable() and not c.isspace()}
    for pattern in [p for p, _w in MAIN_FACES] + list(FALLBACK_FACES):
        face = locate(pattern)
        if face is not None:
            remaining -= _loaded(face)[1]
    return {chr(c) for c in remaining}
