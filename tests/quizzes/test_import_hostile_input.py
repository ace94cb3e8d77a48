"""Hostile text in imported questions: converting it never raises anything but a
TextTooComplex the importers report, and never takes long. Plain Python (no database)."""

import time

import pytest
from academy.limits import MARKUP_DEPTH

from quizzes.textformat import TextTooComplex, html_to_plain, sanitise_html, to_html


def converts_quickly(text: str, fmt: str, seconds: float = 1.0) -> None:
    """Each text below took 1 to 25 s (or raised RecursionError) before; well under 0.3 s now."""
    started = time.perf_counter()
    try:
        to_html(text, fmt)
    except TextTooComplex:
        pass
    elapsed = time.perf_counter() - started
    assert elapsed < seconds, f"{elapsed:.1f} s"


class TestTextFormat:
    def test_nesting_as_deep_as_allowed_is_kept(self):
        html = "<b>" * MARKUP_DEPTH + "x" + "</b>" * MARKUP_DEPTH
        assert sanitise_html(html) == html
        assert html_to_plain(html) == "x"

    def test_deeper_nesting_is_refused(self):
        with pytest.raises(TextTooComplex, match=f"最多套 {MARKUP_DEPTH} 层"):
            to_html("<b>" * (MARKUP_DEPTH + 1) + "x", "html")

    def test_stored_html_of_any_depth_reads_as_text(self):
        assert html_to_plain("<b>" * 5000 + "x") == "x"  # no RecursionError

    @pytest.mark.parametrize("unit", ["<x>", "<b>", "<p>", "<li>", "<a ", "<x/>", "<svg>"])
    def test_ten_thousand_characters_of_tags_convert_quickly(self, unit):
        converts_quickly(unit * (10_000 // len(unit)), "html")

    @pytest.mark.parametrize("text", ["[" * 9000, "[[" * 4500, "[a](" * 2000,
                                      "[" * 4500 + "]" * 4500, "<a " * 3000])
    def test_markdown_of_unmatched_brackets_or_tags_converts_quickly(self, text):
        converts_quickly(text, "markdown")

    @pytest.mark.parametrize("text", ["- " * 4000 + "x", "> " * 4000 + "x"])
    def test_deep_markdown_is_refused(self, text):
        with pytest.raises(TextTooComplex, match="嵌套太深"):
            to_html(text, "markdown")

    def test_html_the_html_parser_rejects_is_text(self):
        assert to_html("问<![x 吗", "html") == "问&lt;![x 吗"

    def test_a_few_unmatched_brackets_convert_exactly_as_before(self):
        # Defusing starts only beyond a handful, so that `a[i]` in code stays as written.
        assert to_html("`a[0` 与 [链接](http://x.cn)", "markdown") == (
            '<code>a[0</code> 与 <a href="http://x.cn">链接</a>')
