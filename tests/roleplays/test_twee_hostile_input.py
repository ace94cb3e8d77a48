"""Hostile or broken Twee files: every one is a reported problem with its line, never an
exception, and reading one never takes long. Plain Python (no database)."""

import pytest
from academy.limits import JSON_DEPTH

from roleplays import engine
from roleplays.twee import parse_twee
from tests.cpu_time import cpu_budget
from tests.roleplays.test_twee import GOOD_END, line_of, problems, story

DEEP = "[" * 50_000


def opening(body: str) -> str:
    """A story whose start passage says hello, then `body` (links, comments, …)."""
    return story(":: 开场\n你好。\n" + body + "\n", GOOD_END)


class TestDeepJson:
    def test_a_deep_kefu_comment_is_a_problem_on_its_line(self):
        text = opening('[[好结局]] <!--kefu {"if": ' + DEEP + " } -->")
        found = problems(text)
        assert [str(p) for p in found if "嵌套太深" in p.message] == [
            f"第 {line_of(text, '[[好结局]]')} 行（段落“开场”）：kefu 注释的 JSON 嵌套太深"
            f"（最多 {JSON_DEPTH} 层）"
        ]

    def test_deep_story_data_is_a_problem_on_its_line(self):
        text = opening("[[好结局]]").replace(
            '  "start": "开场"', '  "start": "开场",\n  "x": ' + DEEP
        )
        found = problems(text)
        assert any(
            p.line == line_of(text, '"x":')
            and p.passage == "StoryData"
            and p.message == f"StoryData 的 JSON 嵌套太深（最多 {JSON_DEPTH} 层）"
            for p in found
        ), [str(p) for p in found]

    def test_deep_passage_metadata_is_a_problem_on_its_header_line(self):
        text = opening("[[好结局]]").replace(":: 开场", ':: 开场 {"position": ' + DEEP)
        found = problems(text)
        assert any(p.line == line_of(text, ":: 开场") and "嵌套太深" in p.message for p in found), [
            str(p) for p in found
        ]

    def test_as_deep_as_allowed_is_read_as_json(self):
        nested = "[" * (JSON_DEPTH - 2) + "]" * (JSON_DEPTH - 2)
        text = opening('[[好结局]] <!--kefu {"if": [' + nested + "]} -->")
        found = problems(text)
        assert not any("嵌套太深" in p.message for p in found)
        assert any("每个条件必须是 JSON 对象" in p.message for p in found)

    def test_brackets_inside_a_string_are_text_not_nesting(self):
        brackets = "[" * 3000  # deeper than JSON_DEPTH, shorter than a feedback may be
        text = opening('[[好结局]] <!--kefu {"feedback": "' + brackets + '\\"]]"} -->')
        result = parse_twee(text)
        assert result.problems == []
        assert result.story.graph["nodes"][0]["choices"][0]["feedback"] == brackets + '"]]'


class TestNumbersAndCharacters:
    def test_a_number_with_thousands_of_digits_is_a_problem(self):
        text = opening('[[好结局]] <!--kefu {"points": {"empathy": ' + "9" * 5000 + "}} -->")
        found = problems(text)
        assert any(
            p.line == line_of(text, "[[好结局]]") and "数字太大" in p.message for p in found
        ), [str(p) for p in found]

    def test_a_pass_mark_with_thousands_of_digits_is_a_problem(self):
        text = opening("[[好结局]]").replace(
            "situation:", "pass_mark: " + "9" * 5000 + "\nsituation:"
        )
        found = problems(text)
        assert any("pass_mark 必须是 0 到 100 之间的整数" in p.message for p in found)
        assert all(len(str(p)) < 300 for p in found)  # the figure is not echoed whole

    @pytest.mark.parametrize("where", ["[[好结局]] \x000\x00", "你\x00好。"])
    def test_a_nul_character_is_a_problem_on_its_line(self, where):
        text = opening(where)
        found = problems(text)
        assert any(p.line == line_of(text, where) and "空字符" in p.message for p in found)

    def test_a_nul_escaped_in_json_is_a_problem(self):
        text = opening('[[好结局]] <!--kefu {"feedback": "a\\u0000b"} -->')
        assert any("空字符" in p.message for p in problems(text))


def read_quickly(text: str, seconds: float = 2.0):
    """Read a story, failing if it takes long: every hostile line below took from 15 s to
    several minutes before the reader scanned each line once (100 KB takes ~0.05 s now)."""
    with cpu_budget(seconds):
        result = parse_twee(text)
    return result


LONG = 100_000


class TestReadingTime:
    @pytest.mark.parametrize("unit", ["[[a", "<!--", "$a ", "|a>[", "<<>>", "(a:)"])
    def test_a_long_line_of_unfinished_syntax(self, unit):
        text = opening(unit * (LONG // len(unit)))
        result = read_quickly(text)
        # Story-format code is left out (reported as ignored), broken syntax refused: one
        # report per kind of thing and line, not one per repetition.
        found = result.problems + result.ignored
        assert 0 < len(found) < 10, [str(p) for p in found[:12]]

    def test_a_value_padded_with_spaces(self):
        text = opening("[[好结局]]").replace("你好。", "@speaker: 王" + " " * LONG + "女士\n你好。")
        assert read_quickly(text).story.graph["nodes"][0]["speaker"] == "王" + " " * LONG + "女士"
        text = opening("[[好结局]]").replace("situation: ", "situation: 停" + " " * LONG + "电")
        # read quickly, and refused for its length (academy.limits.SCENARIO_TEXT)
        assert [p.message for p in read_quickly(text).problems] == [
            str(m.message) for m in engine.setting_problems({"situation": " " * LONG})
        ]

    def test_many_comments(self):
        text = opening("<!-- 备注 -->\n" * (LONG // 10) + "[[好结局]]")
        assert read_quickly(text).problems == []


class TestWhatTheDatabaseHolds:
    def test_an_ifid_longer_than_its_column_is_a_problem(self):
        text = opening("[[好结局]]").replace("11111111-2222-4333-8444-555555555555", "X" * 65)
        found = problems(text)
        assert any(p.passage == "StoryData" and "ifid" in p.message for p in found)
