"""The certificate PDF: Chinese text in any GB18030 name, small fonts, a QR code of the
verification link, the trainer's design."""

from dataclasses import replace
from datetime import date

import pytest

from certification import pdf
from certification.pdf import CertificateContent, Design, certificate_html, render_pdf
from certification.pdf_fonts import fixed_characters, fonts_for, uncovered
from tests.pdftext import pdf_page_image, pdf_qr_codes, pdf_text

CONTENT = CertificateContent(
    holder="林晓雯",
    program="前台客服上岗认证",
    serial="KF-2026-000123",
    version=1,
    issued_on=date(2026, 11, 23),
    expires_on=date(2027, 11, 23),
    verify_url="https://academy.example.cn/verify/ABCDEFGHJKLMNPQRSTUVWXYZ23/",
    code="ABCDEFGHJKLMNPQRSTUVWXYZ23",
    competencies=["服务礼仪", "规范用语"],
)


def gbk_hanzi() -> str:
    """Every Han character of GB18030's two-byte part (GBK)."""
    found = []
    for first in range(0x81, 0xFF):
        for second in [*range(0x40, 0x7F), *range(0x80, 0xFF)]:
            try:
                character = bytes([first, second]).decode("gb18030")
            except UnicodeDecodeError:
                continue
            if "\u4e00" <= character <= "\u9fff" or "\u3400" <= character <= "\u4dbf":
                found.append(character)
    return "".join(found)


def han_range(first: int, last: int) -> str:
    return "".join(chr(c) for c in range(first, last + 1))


def test_every_gb18030_han_character_has_a_font():
    """GBK, Extension A (four-byte in GB18030) and Extensions B–F (GB18030-2022's level 3).
    Not covered: the 19 characters Unicode 13 appended to Extensions A and B in 2020."""
    assert len(gbk_hanzi()) > 20_000
    rare = (
        han_range(0x3400, 0x4DB5)
        + han_range(0x20000, 0x2A6D6)
        + han_range(0x2A700, 0x2B734)
        + han_range(0x2B740, 0x2B81D)
        + han_range(0x2B820, 0x2CEA1)
        + han_range(0x2CEB0, 0x2EBE0)
    )
    assert uncovered(gbk_hanzi() + rare) == set()


def test_fonts_are_cut_to_the_text():
    small = fonts_for("林晓雯")
    large = fonts_for(gbk_hanzi()[:2000])
    assert len(small.css) < 40_000 < len(large.css)  # base64 of two small faces
    assert small.families == '"KefuCertificate"' and not small.uncovered
    # A name beyond the main font pulls in a fallback face for those characters only.
    assert "Fallback" in fonts_for("𠀀田明").families


def test_pdf_shows_the_chinese_name_dates_serial_and_link():
    data = render_pdf(CONTENT, Design(signatory_name="王芳", signatory_title="培训主管"))
    text = pdf_text(data)
    for expected in (
        "林晓雯",
        "前台客服上岗认证",
        "KF-2026-000123",
        "2026年11月23日",
        "2027年11月23日",
        "服务礼仪",
        "王芳",
        "上 岗 资 格 证 书",
    ):
        assert expected in text, expected
    assert CONTENT.verify_url in text.replace("\n", "").replace(" ", "")
    assert data.startswith(b"%PDF") and len(data) < 100_000


def test_a_rare_name_renders_in_a_fallback_font():
    from dataclasses import replace

    text = pdf_text(render_pdf(replace(CONTENT, holder="𠀀野䶮"), Design()))
    assert "𠀀野䶮" in text


def drawn_with_its_own_fonts(content: CertificateContent, design: Design) -> bytes:
    """The certificate drawn with faces cut to its own text, as every PDF was before the
    fonts were prepared once per process: the reference for what a page must look like."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    page_html = certificate_html(content, design)
    fonts = fonts_for(pdf.visible_text(page_html))
    font_config = FontConfiguration()
    sheet = CSS(
        string=f"{fonts.css}\nbody {{ font-family: {fonts.families}; }}",
        url_fetcher=pdf._data_urls_only,
        font_config=font_config,
    )
    try:
        return HTML(string=page_html, url_fetcher=pdf._data_urls_only).write_pdf(
            stylesheets=[sheet], font_config=font_config
        )
    finally:
        pdf._release(font_config)


def differing_pixels(first: bytes, second: bytes) -> int:
    from PIL import ImageChops

    difference = ImageChops.difference(pdf_page_image(first), pdf_page_image(second))
    return sum(difference.point(lambda grey: 255 if grey > 64 else 0).histogram()[255:])


@pytest.mark.parametrize(
    "holder",
    [
        "林晓雯",  # GB2312
        "张燊",  # beyond GB2312, in the main font
        "李㵘䶮",  # CJK Extension A
        "阿依古丽·买买提",  # a middle dot, seven characters
        "𠀀野䶮",  # Extension B: an installed fallback font
    ],
)
def test_a_name_is_drawn_as_with_fonts_cut_to_its_certificate(holder):
    """The fonts prepared once per process draw every name exactly as fonts cut to that one
    certificate did (a name drawn from the wrong face would show blanks or other glyphs),
    and the file stays small."""
    content = replace(CONTENT, holder=holder)
    design = Design(signatory_name="王芳", signatory_title="培训主管")
    render_pdf(replace(CONTENT, holder="预先"), design)  # another name drawn first
    data = render_pdf(content, design)
    assert differing_pixels(data, drawn_with_its_own_fonts(content, design)) < 20
    assert len(data) < 60_000  # the whole main font would cost ~75 KB a face


def test_fonts_prepared_for_many_programs_start_over_and_still_draw_right(monkeypatch):
    monkeypatch.setattr(pdf, "PREPARED_TEXTS", 2)
    pdf._forget_prepared()
    drawn = []
    for program in ("前台客服上岗认证", "投诉处理专项认证", "夜间值班服务认证"):
        content = replace(CONTENT, program=program, holder="欧阳娜娜")
        drawn.append((content, render_pdf(content, Design())))
    assert len(pdf._prepared) == 1  # the third program started the fonts over
    for content, data in drawn:
        assert differing_pixels(data, drawn_with_its_own_fonts(content, Design())) < 20


def test_the_fixed_text_is_the_same_for_every_holder_of_a_program():
    """What fonts are prepared for: the page without its holder's name, whatever the serial,
    dates or version number, even when the name shares characters with the page."""

    def fixed(content):
        return fixed_characters(
            pdf.visible_text(certificate_html(content, Design())), content.holder
        )

    first = fixed(replace(CONTENT, holder="李芳", serial="KF-2026-000001"))
    other = replace(CONTENT, holder="书证", serial="KF-2027-999999", issued_on=date(2027, 1, 2))
    assert fixed(other) == first
    assert "李" not in first and "证" in first and "书" in first


def test_the_qr_code_on_the_pdf_reads_as_the_verification_link():
    assert pdf_qr_codes(render_pdf(CONTENT, Design())) == [CONTENT.verify_url]


def test_the_design_changes_the_words_and_holder_name_is_escaped():
    from dataclasses import replace

    design = Design(
        title="投诉处理专项证书",
        statement="{holder} 同志通过「{program}」考核。",
        issuer="示范物业 客服学院",
    )
    html = certificate_html(replace(CONTENT, holder="<b>王</b>"), design)
    assert "投诉处理专项证书" in html and "示范物业 客服学院" in html
    assert "通过「前台客服上岗认证」考核" in html and "&lt;b&gt;王&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "statement, message",
    [
        ("兹证明某人完成培训", "{holder}"),
        ("兹证明 {holder} 完成 {course}", "{course}"),
        ("{holder}：兹证明 {holder} 完成培训", "{holder}"),
    ],
)
def test_a_design_statement_needs_the_holder_and_known_placeholders(statement, message):
    from django.core.exceptions import ValidationError

    from certification.models import CertificateDesign

    design = CertificateDesign(name="x", statement=statement)
    with pytest.raises(ValidationError) as refused:
        design.clean()
    assert message in str(refused.value)


def test_a_bad_accent_colour_cannot_reach_the_style_sheet():
    design = Design(accent="red; } body { display: none")
    assert design.accent == Design.accent
    assert "display: none" not in certificate_html(CONTENT, design)


def test_rendering_loads_nothing_from_files_or_the_network(tmp_path):
    from certification.pdf import _data_urls_only

    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for certificates")
    for url in (f"file://{secret}", "http://169.254.169.254/latest/meta-data/"):
        with pytest.raises(ValueError):
            _data_urls_only(url)
    assert _data_urls_only("data:text/plain;base64,5L2g5aW9").read() == "你好".encode()


def test_fonts_for_common_names_are_prepared_with_the_process():
    """A worker's font memory is set when it prepares its fonts, not grown certificate by
    certificate: a name in common characters needs no new font; a rare one adds its slice."""
    pdf._forget_prepared()
    render_pdf(replace(CONTENT, holder="预先"), Design())
    prepared = len(pdf._prepared._slices)
    for holder in ("林晓雯", "欧阳娜娜", "诸葛亮", "王建国"):
        render_pdf(replace(CONTENT, holder=holder), Design())
    assert len(pdf._prepared._slices) == prepared
    render_pdf(replace(CONTENT, holder="𠀀野"), Design())  # Extension B: a fallback face
    assert len(pdf._prepared._slices) == prepared + 1
