"""The certificate PDF: an HTML page rendered by WeasyPrint with fonts cut to its text.

Pure rendering: takes what goes on the certificate, returns PDF bytes. Storing the file and
deciding when to render live in `services` and `tasks`.
"""

from __future__ import annotations

import base64
import html as html_entities
import re
from dataclasses import dataclass, field
from datetime import date

from academy.qr import qr_data_uri
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from .pdf_fonts import fonts_for

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


def render_pdf(content: CertificateContent, design: Design, *, subset_fonts: bool = True) -> bytes:
    """The PDF. `subset_fonts=False` leaves the system CJK font to WeasyPrint (the naive
    way, kept for the benchmark)."""
    from weasyprint import CSS, HTML  # heavy; only processes that render load it
    from weasyprint.text.fonts import FontConfiguration

    page_html = certificate_html(content, design)
    if subset_fonts:
        fonts = fonts_for(visible_text(page_html))
        font_css = f"{fonts.css}\nbody {{ font-family: {fonts.families}; }}"
    else:
        font_css = f'body {{ font-family: "{SYSTEM_FAMILY}"; }}'
    font_config = FontConfiguration()  # @font-face rules in a separate sheet need one
    return HTML(string=page_html, url_fetcher=_data_urls_only).write_pdf(
        stylesheets=[CSS(string=font_css, url_fetcher=_data_urls_only, font_config=font_config)],
        font_config=font_config,
    )
