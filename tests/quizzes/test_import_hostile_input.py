"""Hostile or broken GIFT and Moodle XML files and the texts in them: each is a reported
problem with its line, never an exception, and reading one never takes long. Plain Python
(no database)."""

import pytest
from academy.limits import MARKUP_DEPTH

from quizzes.gift import parse_gift
from quizzes.moodlexml import parse_moodle_xml
from quizzes.textformat import TextTooComplex, html_to_plain, sanitise_html, to_html
from tests.cpu_time import cpu_budget
from tests.quizzes.test_moodlexml import question, quiz

LONG = 100_000


def read_quickly(parse, data, seconds: float = 2.0):
    """Parse, failing if it takes long: each input below took from 2 s to minutes (or
    raised) before the readers were bounded; each takes well under 0.2 s now."""
    with cpu_budget(seconds):
        result = parse(data)
    return result


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


class TestGiftRegexes:
    @pytest.mark.parametrize(
        "gift",
        [
            "::题::问{=%" + " " * LONG + "x ~b}",  # a weight padded with spaces
            "// [rubric] 3" + " " * LONG + "x\n::题::问{}",  # a rubric line padded with spaces
            "// " + "[tag:" * (LONG // 5) + "\n::题::问{=a ~b}",  # unclosed tags
            "::题::问{1:MC" + "V" * LONG + "x}",  # cloze-like
            "::题::问{>" + " " * LONG + "]\n甲\n乙\n}",  # ordering options padded with spaces
        ],
        ids=["weight", "rubric", "tags", "cloze", "ordering-options"],
    )
    def test_pathological_lines_are_read_in_linear_time(self, gift):
        read_quickly(parse_gift, gift)

    @pytest.mark.parametrize(
        "answer", ["#" + "9" * LONG, "#1.." + "9" * LONG, "=%" + "9" * LONG + "%a ~b", "#1e999999"]
    )
    def test_huge_numbers_are_problems_quoted_briefly(self, answer):
        result = read_quickly(parse_gift, "::题::问{" + answer + "}")
        assert result.questions == [] and result.problems
        assert all(len(m) < 200 for m in messages(result)), messages(result)[0][:300]

    def test_a_nul_character_is_a_problem_on_its_line(self):
        result = parse_gift("::题::问\n答\x00案{=a ~b}")
        assert any(p.line == 2 and "空字符" in p.message for p in result.problems)


class TestGiftTexts:
    def test_deep_html_in_an_untitled_question_is_a_problem(self):
        result = read_quickly(parse_gift, "[html]" + "<b>" * 3000 + "问{=a ~b}")
        assert result.questions == []
        assert any(
            p.line == 1 and f"最多套 {MARKUP_DEPTH} 层" in p.message for p in result.problems
        ), messages(result)

    @pytest.mark.parametrize("text", ["- " * 4000 + "x", "> " * 4000 + "x"])
    def test_deep_markdown_is_a_problem(self, text):
        result = read_quickly(parse_gift, "::题::[markdown]" + text + "{=a ~b}")
        assert result.questions == []
        assert any("嵌套太深" in p.message for p in result.problems), messages(result)


def converts_quickly(text: str, fmt: str, seconds: float = 1.0) -> None:
    """Each text below took 1 to 25 s (or raised RecursionError) before; well under 0.3 s now."""
    with cpu_budget(seconds):
        try:
            to_html(text, fmt)
        except TextTooComplex:
            pass


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

    @pytest.mark.parametrize(
        "text", ["[" * 9000, "[[" * 4500, "[a](" * 2000, "[" * 4500 + "]" * 4500, "<a " * 3000]
    )
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
            '<code>a[0</code> 与 <a href="http://x.cn">链接</a>'
        )


class TestMoodleXml:
    def test_deeply_nested_elements_in_a_question_are_read(self):
        xml = quiz(question("essay", "<x>" * LONG + "</x>" * LONG))
        result = read_quickly(parse_moodle_xml, xml.encode())
        assert len(result.questions) == 1

    def test_deep_html_in_an_unnamed_question_is_a_problem(self):
        xml = quiz(
            question("essay", "", text="<b>" * 3000 + "问").replace(
                "<name><text>题目</text></name>", ""
            )
        )
        result = read_quickly(parse_moodle_xml, xml.encode())
        assert result.questions == []
        assert any(f"最多套 {MARKUP_DEPTH} 层" in p.message for p in result.problems)

    def test_a_rubric_line_padded_with_spaces(self):
        grader = '<graderinfo format="plain_text"><text>3' + " " * LONG + "x</text></graderinfo>"
        read_quickly(parse_moodle_xml, quiz(question("essay", grader)).encode())

    @pytest.mark.parametrize("grade", ["1000", "999.999", "99999999999"])
    def test_a_default_mark_beyond_what_is_stored_is_a_problem(self, grade):
        xml = quiz(question("essay", f"<defaultgrade>{grade}</defaultgrade>"))
        result = parse_moodle_xml(xml)
        assert result.questions == []
        assert any("999.99" in p.message for p in result.problems), messages(result)

    def test_the_largest_default_mark_stored(self):
        xml = quiz(question("essay", "<defaultgrade>999.99</defaultgrade>"))
        assert parse_moodle_xml(xml).questions[0].default_mark == 999.99

    def test_huge_numbers_are_problems_quoted_briefly(self):
        body = f'<answer fraction="{"9" * LONG}"><text>{"9" * LONG}</text></answer>'
        result = read_quickly(parse_moodle_xml, quiz(question("numerical", body)))
        assert result.questions == [] and result.problems
        assert all(len(m) < 200 for m in messages(result))
