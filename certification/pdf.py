"""The certificate PDF: an HTML page rendered by WeasyPrint with fonts cut to its text.

Pure rendering: takes what goes on the certificate, returns PDF bytes. Storing the file and
deciding when to render live in `services` and `tasks`.
"""

from __future__ import annotations

import base64
import html as html_entities
from dataclasses import dataclass, field
from datetime import date

import segno
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from .pdf_fonts import fonts_for

FONTS_MARKER = "/* fonts */"
SYSTEM_FAMILY = "Noto Serif CJK SC"


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


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").svg_data_uri(border=0, dark="#222")


def certificate_html(content: CertificateContent, design: Design, *,
                     subset_fonts: bool = True) -> str:
    """The certificate page. `subset_fonts=False` leaves the system CJK font to WeasyPrint
    (the naive way, kept for the benchmark)."""
    before, after = design.statement_parts(content.program)
    seal = (f"data:image/png;base64,{base64.b64encode(design.seal_png).decode('ascii')}"
            if design.seal_png else "")
    html = render_to_string("certification/pdf/certificate.html", {
        "c": content, "design": design, "statement_before": before, "statement_after": after,
        "qr": qr_data_uri(content.verify_url), "seal": seal, "fonts_marker": FONTS_MARKER,
    })
    if not subset_fonts:
        return html.replace("font-family: serif", f'font-family: "{SYSTEM_FAMILY}"', 1)
    fonts = fonts_for(html_entities.unescape(strip_tags(html.split("</style>", 1)[-1])))
    return (html.replace(FONTS_MARKER, fonts.css, 1)
            .replace("font-family: serif", f"font-family: {fonts.families}", 1))


def render_pdf(content: CertificateContent, design: Design) -> bytes:
    from weasyprint import HTML  # heavy; only processes that render load it

    return HTML(string=certificate_html(content, design)).write_pdf()
