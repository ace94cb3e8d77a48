"""The certificate PDF: an HTML page rendered by WeasyPrint with fonts cut to its text,
prepared once per process (`_PreparedFonts`).

Pure rendering: takes what goes on the certificate, returns PDF bytes. Storing the file and
deciding when to render live in `services` and `tasks`.
"""

from __future__ import annotations

import atexit
import base64
import gc
import html as html_entities
import re
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from academy.qr import qr_data_uri
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from . import pdf_fonts

SYSTEM_FAMILY = "Noto Serif CJK SC"
ACCENT_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Design:
    """What a trainer can change on the certificate (see CertificateDesign)."""

    title: str = "上岗资格证书"
    statement: str = "兹证明 {holder} 已完成「{program}」全部培训与考核，成绩合格，特发此证。"
    issuer: str = "客服学院"
    signatory_name: str = ""
    signatory_title: str = ""
    accent: str = "#9a2a2a"
    seal_png: bytes | None = None

    def __post_init__(self):
        # The colour goes into a style sheet, where HTML escaping does not protect.
        if not ACCENT_RE.match(self.accent or ""):
            object.__setattr__(self, "accent", Design.accent)

    def statement_parts(self, program: str) -> tuple[str, str]:
        """The statement around the holder's name, which is set in large type."""
        before, _holder, after = self.statement.partition("{holder}")
        return before.replace("{program}", program), after.replace("{program}", program)


@dataclass(frozen=True)
class CertificateContent:
    holder: str
    program: str
    serial: str
    version: int
    issued_on: date
    expires_on: date | None
    verify_url: str
    code: str
    competencies: list[str] = field(default_factory=list)
    sample: bool = False  # a preview: marked 样本 / SAMPLE across the page


def sample_content(*, program: str, competencies: list[str], verify_url: str) -> CertificateContent:
    """What a design's preview shows: an invented holder and serial, marked as a sample."""
    return CertificateContent(
        holder="张晓明",
        program=program,
        serial="KF-样本-000000",
        version=1,
        issued_on=date(2026, 1, 15),
        expires_on=date(2027, 1, 15),
        verify_url=verify_url,
        code="SAMPLE",
        competencies=competencies,
        sample=True,
    )


def certificate_html(content: CertificateContent, design: Design) -> str:
    """The certificate page, without fonts (see render_pdf)."""
    before, after = design.statement_parts(content.program)
    seal = (
        f"data:image/png;base64,{base64.b64encode(design.seal_png).decode('ascii')}"
        if design.seal_png
        else ""
    )
    return render_to_string(
        "certification/pdf/certificate.html",
        {
            "c": content,
            "design": design,
            "statement_before": before,
            "statement_after": after,
            "qr": qr_data_uri(content.verify_url),
            "seal": seal,
        },
    )


def visible_text(page_html: str) -> str:
    body = page_html.split("<body", 1)[-1]
    return html_entities.unescape(strip_tags("<body" + body))


def _data_urls_only(url: str):
    """The page embeds everything it shows: no file or network access while rendering."""
    from weasyprint.urls import URLFetcher

    if not url.startswith("data:"):
        raise ValueError(f"Certificates only load embedded resources, not {url[:40]}")
    return URLFetcher().fetch(url)


def _release(font_config) -> None:
    """Give back the fontconfig configuration of a WeasyPrint FontConfiguration.

    Pango before 1.54 (Debian 12 has 1.50.12) never drops the configuration a font map was
    handed (fixed by pango commit ceb9689b), so every FontConfiguration left to the garbage
    collector kept its whole font list, ~230 KB: the growth of issue 14. Taking the
    configuration back releases it; with a fixed pango it is just as right.
    """
    from weasyprint.text.ffi import ffi, pangoft2

    pangoft2.pango_fc_font_map_set_config(
        ffi.cast("PangoFcFontMap *", font_config.font_map), ffi.NULL
    )


class _PreparedFonts:
    """One WeasyPrint font configuration for many certificates. For each design and program,
    the first time it is drawn, faces cut to what its certificates show besides the holder's
    name (`pdf_fonts.fixed_characters`); for names, slices of the installed faces, each cut
    and registered the first time a name needs it (`pdf_fonts.name_slices`). A render then
    parses no font CSS and loads no font unless it is the first to need one.

    Fonts are handed to WeasyPrint as bytes through a fetcher, not as base64 in the CSS.
    """

    def __init__(self):
        from weasyprint.text.fonts import FontConfiguration

        self.font_config = FontConfiguration()
        self._files = 0
        self._texts: dict[frozenset[str], tuple[str, ...]] = {}  # fixed text: its families
        self._slices: dict[pdf_fonts.NameSlice, None] = {}  # registered, in order
        self._sheets: dict[frozenset[str], tuple[int, object]] = {}  # with slices known
        # The slices of the characters nearly every name is written with, cut now rather than
        # over the first hundred certificates: a worker's memory is then what it will stay.
        self._add_slices(pdf_fonts.name_slices(pdf_fonts.COMMON_NAME_CHARACTERS))

    def __len__(self) -> int:
        return len(self._texts)

    def __contains__(self, fixed: frozenset[str]) -> bool:
        return fixed in self._texts

    def sheet_for(self, fixed: frozenset[str], holder: str):
        """The style sheet naming the families for this page, every face it needs registered."""
        families = self._texts.get(fixed)
        if families is None:
            cut = pdf_fonts.cut_faces(
                "".join(sorted(fixed)), family=f"{pdf_fonts.FAMILY}{len(self._texts)}"
            )
            self._register(cut.faces)
            families = self._texts[fixed] = cut.families
        self._add_slices(pdf_fonts.name_slices(set(holder) - fixed))
        # The family list names every slice registered so far, so a sheet is rebuilt (a
        # line of CSS) when slices were added since.
        made_with, sheet = self._sheets.get(fixed, (-1, None))
        if made_with != len(self._slices):
            from weasyprint import CSS

            every = [*families, *(piece.family for piece in self._slices)]
            sheet = CSS(string=f"body {{ font-family: {pdf_fonts.css_families(every)}; }}")
            self._sheets[fixed] = (len(self._slices), sheet)
        return sheet

    def _add_slices(self, pieces) -> None:
        new = [piece for piece in pieces if piece not in self._slices]
        if new:
            self._register([pdf_fonts.cut_slice(piece) for piece in new])
            self._slices.update(dict.fromkeys(new))

    def _register(self, faces) -> None:
        from weasyprint import CSS

        files, rules = {}, []
        for face in faces:
            self._files += 1
            url = f"kefu-font:{self._files}"  # unique: WeasyPrint names its copy after the rule
            files[url] = face.data
            rules.append(pdf_fonts.font_face_rule(face, url))
        CSS(string="\n".join(rules), url_fetcher=_serving(files), font_config=self.font_config)

    def close(self) -> None:
        self._sheets.clear()
        _release(self.font_config)


def _serving(files: dict[str, bytes]):
    def fetch(url: str):
        from weasyprint.urls import URLFetcherResponse

        if url not in files:
            raise ValueError(f"Certificates only load their own fonts, not {url[:40]}")
        return URLFetcherResponse(url, files.pop(url), {"Content-Type": "font/otf"})

    return fetch


# Designs and programs whose faces one configuration holds before it starts over: each adds
# two small faces to fontconfig, and a long-lived worker may see many. (Name slices need no
# limit: each installed character is in one slice, a few hundred slices in all.)
PREPARED_TEXTS = 16
_prepared: _PreparedFonts | None = None
# A font configuration (a Pango font map) is not for two threads at once; the development
# server and the browser tests draw certificates in request threads.
_rendering = threading.Lock()


def _prepared_sheet(fixed: frozenset[str], holder: str):
    global _prepared
    if _prepared is not None and len(_prepared) >= PREPARED_TEXTS and fixed not in _prepared:
        _forget_prepared()
    if _prepared is None:
        _prepared = _PreparedFonts()
        atexit.register(_forget_prepared)
    return _prepared.font_config, _prepared.sheet_for(fixed, holder)


def _forget_prepared() -> None:
    """Release the configuration. WeasyPrint deletes its copies of the font files when the
    configuration is collected, which at interpreter exit comes too late to work."""
    global _prepared
    if _prepared is not None:
        _prepared.close()
        _prepared = None
        atexit.unregister(_forget_prepared)
        gc.collect()  # the last document may still point at the configuration in a cycle


def render_pdf(content: CertificateContent, design: Design, *, subset_fonts: bool = True) -> bytes:
    """The PDF. `subset_fonts=False` leaves the system CJK font to WeasyPrint (the naive
    way, kept for the benchmark)."""
    from weasyprint import CSS, HTML  # heavy; only processes that render load it
    from weasyprint.text.fonts import FontConfiguration

    page_html = certificate_html(content, design)
    page = HTML(string=page_html, url_fetcher=_data_urls_only)
    if not subset_fonts:
        font_config = FontConfiguration()
        try:
            sheet = CSS(
                string=f'body {{ font-family: "{SYSTEM_FAMILY}"; }}', font_config=font_config
            )
            return page.write_pdf(stylesheets=[sheet], font_config=font_config)
        finally:
            _release(font_config)
    fixed = pdf_fonts.fixed_characters(visible_text(page_html), content.holder)
    with _rendering:
        font_config, sheet = _prepared_sheet(fixed, content.holder)
        return page.write_pdf(stylesheets=[sheet], font_config=font_config)


PNG_TIMEOUT_SECONDS = 20


def pdf_to_png(pdf_bytes: bytes, *, dpi: int = 60) -> bytes | None:
    """The first page as a PNG (poppler's `pdftoppm`; WeasyPrint writes PDF only), or None
    where poppler is not installed."""
    binary = shutil.which("pdftoppm")
    if binary is None:
        return None
    # Poppler 22 reads and writes files only (no stdin / stdout).
    with tempfile.TemporaryDirectory(prefix="kefu-preview-") as folder:
        source, target = Path(folder) / "page.pdf", Path(folder) / "page"
        source.write_bytes(pdf_bytes)
        result = subprocess.run(  # noqa: S603 - a fixed binary, arguments and our own file
            [binary, "-png", "-r", str(dpi), "-singlefile", str(source), str(target)],
            capture_output=True,
            timeout=PNG_TIMEOUT_SECONDS,
            check=False,
        )
        png = target.with_suffix(".png")
        return png.read_bytes() if result.returncode == 0 and png.exists() else None
