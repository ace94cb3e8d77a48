"""Twee 3 import / export of role-play scenarios, as plain Python (no database)."""

import json
import re
import textwrap
import uuid
from pathlib import Path

import pytest

from roleplays import engine
from roleplays.twee import (
    ParseResult,
    Story,
    TweeProblem,
    _HeaderError,
    _parse_header,
    export_twee,
    parse_twee,
)

FIXTURES = Path(__file__).parent / "fixtures"

HEAD = """\
:: StoryTitle
测试故事


:: StoryData
{
  "ifid": "11111111-2222-4333-8444-555555555555",
  "format": "Harlowe",
  "format-version": "3.3.9",
  "start": "开场"
}


:: 设定 [kefu-setting]
owner: 张先生，2栋业主
situation: 张先生来前台咨询停车费。
"""

GOOD_END = """\
:: 好结局 [ending pass]
张先生满意地离开了。
"""


def story(*passages: str, head: str = HEAD) -> str:
    """A whole Twee file: the head above, then the passages (dedented), Twine's spacing."""
    parts = [head] + [textwrap.dedent(p).strip("\n") + "\n" for p in passages]
    return "\n\n".join(parts)


def line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.split("\n"), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def ok(text: str) -> Story:
    result = parse_twee(text)
    assert result.problems == [], [str(p) for p in result.problems]
    assert result.story is not None
    return result.story


def problems(text: str) -> list[TweeProblem]:
    result = parse_twee(text)
    assert result.story is None
    assert result.problems
    return result.problems


def has(
    found: list[TweeProblem], *, fragment: str, line: int | None = None, passage: str | None = None
) -> TweeProblem:
    for p in found:
        if (
            fragment in p.message
            and (line is None or p.line == line)
            and (passage is None or p.passage == passage)
        ):
            return p
    raise AssertionError(
        f"no problem {fragment!r} at line {line} / {passage}: " + "\n".join(map(str, found))
    )


def node(s: Story, key: str) -> dict:
    return next(n for n in s.graph["nodes"] if n["key"] == key)


# --- links ----------------------------------------------------------------------------------


class TestLinks:
    def test_the_four_twine_forms(self):
        s = ok(
            story(
                """
            :: 开场
            您好。
            [[文字一->好结局]]
            [[好结局<-文字二]]
            [[文字三|好结局]]
            [[好结局]]
        """,
                GOOD_END,
            )
        )
        choices = node(s, "开场")["choices"]
        assert [(c["key"], c["text"], c["target"]) for c in choices] == [
            ("c1", "文字一", "好结局"),
            ("c2", "文字二", "好结局"),
            ("c3", "文字三", "好结局"),
            ("c4", "好结局", "好结局"),
        ]
        assert node(s, "开场")["text"] == "您好。"

    def test_arrows_inside_the_text(self):
        # Harlowe: the rightmost -> (or |) divides; otherwise the leftmost <-.
        s = ok(
            story(
                """
            :: 开场
            您好。
            [[先说->再说->好结局]]
            [[好结局<-左边<-右边]]
            [[甲|乙->好结局]]
            [[甲->乙|好结局]]
        """,
                GOOD_END,
            )
        )
        assert [(c["text"], c["target"]) for c in node(s, "开场")["choices"]] == [
            ("先说->再说", "好结局"),
            ("左边<-右边", "好结局"),
            ("甲|乙", "好结局"),
            ("甲->乙", "好结局"),
        ]

    def test_spaces_around_arrows_are_trimmed(self):
        s = ok(
            story(
                """
            :: 开场
            您好。
            [[ 好的，我来处理 -> 好结局 ]]
        """,
                GOOD_END,
            )
        )
        assert node(s, "开场")["choices"][0]["text"] == "好的，我来处理"
        assert node(s, "开场")["choices"][0]["target"] == "好结局"

    def test_links_inside_text_are_choices_and_their_text_stays_in_place(self):
        text = story(
            """
            :: 开场
            您可以[[登记报修->好结局]]或者[[解释原因|好结局]]。
            [[好结局]] [[再说一遍->开场]]
        """,
            GOOD_END,
        )
        start = node(ok(text), "开场")
        assert [(c["text"], c["target"]) for c in start["choices"]] == [
            ("登记报修", "好结局"),
            ("解释原因", "好结局"),
            ("好结局", "好结局"),
            ("再说一遍", "开场"),
        ]
        # As Twine shows it: the link texts in the sentence; a line of links alone is not text.
        assert start["text"] == "您可以登记报修或者解释原因。"

    def test_a_kefu_comment_belongs_to_the_link_before_it(self):
        text = story(
            """
            :: 开场
            您好。[[道歉->好结局]] <!--kefu {"points": {"empathy": 2}} --> [[推诿->好结局]]
        """,
            GOOD_END,
        )
        first, second = node(ok(text), "开场")["choices"]
        assert first["points"] == {"empathy": 2} and second["points"] == {}
        found = problems(
            story(
                """
            :: 开场
            您好 <!--kefu {"points": {"empathy": 1}} --> [[道歉->好结局]]
        """,
                GOOD_END,
            )
        )
        has(found, fragment="kefu 注释要写在链接后面", passage="开场")

    def test_a_sugarcube_setter_is_ignored_and_an_unclosed_link_reported(self):
        text = story(
            """
            :: 开场
            您好。
            [[好的|好结局][$x to 1]]
        """,
            GOOD_END,
        )
        result = parse_twee(text)
        assert node(result.story, "开场")["choices"][0]["target"] == "好结局"
        has(result.ignored, fragment="链接设置器", line=line_of(text, "][$x"))
        found = problems(text.replace("[[好的|好结局][$x to 1]]", "[[好结局"))
        has(found, fragment="无法识别的链接", line=line_of(text, "][$x"))


# --- passages and headers --------------------------------------------------------------------


class TestHeaders:
    def test_name_tags_and_metadata(self):
        assert _parse_header(':: 开场 [a b] {"position":"600,400","size":"100,100"}') == (
            "开场",
            ["a", "b"],
            {"position": "600,400", "size": "100,100"},
        )
        assert _parse_header("::开场") == ("开场", [], None)
        assert _parse_header(':: 开场 {"position":"1,2"}') == ("开场", [], {"position": "1,2"})
        assert _parse_header(":: 开场   [ ending  pass ]  ") == ("开场", ["ending", "pass"], None)

    def test_escapes(self):
        assert _parse_header(r":: 结局\[一\] \{二\} a\\b [t\]x]")[:2] == (
            "结局[一] {二} a\\b",
            ["t]x"],
        )
        assert _parse_header(r":: \ 前后有空格\  [t]")[0] == " 前后有空格 "
        assert _parse_header(r":: \q")[0] == "q"  # any escaped character yields itself

    def test_chinese_names_and_escaped_names_link_up(self):
        s = ok(
            story(
                r"""
            :: 开场
            欢迎光临。
            [[请进->问候{1}]]
        """,
                r"""
            :: 问候\{1\} [narration]
            张先生走了进来。
            [[好结局]]
        """,
                GOOD_END,
            )
        )
        assert [n["key"] for n in s.graph["nodes"]] == ["开场", "问候{1}", "好结局"]
        assert node(s, "开场")["choices"][0]["target"] == "问候{1}"

    @pytest.mark.parametrize(
        "header, fragment",
        [
            (":: 名字 []", None),
            (":: 名字[a]{}", None),
            (':: 名字 [a] {"x": "a]"}', None),
            (r":: 名字 [a\] b]", None),
            (":: 名字]", "段落名里的“]”"),
            (":: 名字 } [a]", "段落名里的“}”"),
            (":: 名字 [a b", "标签块缺少"),
            (":: 名字 [a{b}]", "标签里的“{”"),
            (":: 名字 [[a]]", "标签里的“[”"),
            (':: 名字 {"position": "1,1"', "不是有效的 JSON"),
            (':: 名字 {"x": 1} [a]', "不是有效的 JSON"),
            (':: 名字 {"x": 1} {"y": 2}', "不是有效的 JSON"),
            (":: 名字 [a] [b]", "无法识别的内容"),
            (":: 名字 [a] 多余", "无法识别的内容"),
            (":: [tag]", "缺少段落名"),
            (":: 名字\\", "反斜杠"),
        ],
    )
    def test_header_forms(self, header, fragment):
        if fragment is None:
            _parse_header(header)
        else:
            with pytest.raises(_HeaderError, match=re.escape(fragment)):
                _parse_header(header)

    def test_unreadable_headers_are_problems_with_their_line(self):
        text = story(
            """
            :: 开场
            您好。
            [[好结局]]
        """,
            GOOD_END,
            """
            :: 坏标题 [ending pass
            正文。
        """,
            """
            :: 坏元数据 {"position":"600,400"
            正文。
        """,
            """
            :: 坏名字] [narration]
            正文。
        """,
        )
        found = problems(text)
        has(found, fragment="标签块缺少“]”", line=line_of(text, ":: 坏标题"))
        has(found, fragment="段落元数据不是有效的 JSON", line=line_of(text, ":: 坏元数据"))
        has(found, fragment="段落名里的“]”", line=line_of(text, ":: 坏名字"))
        assert all(p.message.startswith("无法读取段落标题") for p in found)

    def test_duplicate_names_and_content_before_the_first_header(self):
        text = "这一行在标题前面\n" + story(
            """
            :: 开场
            您好。
            [[好结局]]
        """,
            GOOD_END,
            """
            :: 开场
            又一个开场。
        """,
        )
        found = problems(text)
        has(found, fragment="段落名重复", line=line_of(text, "又一个开场") - 1, passage="开场")
        # Content before the first header is left out, and said so.
        result = parse_twee(text.replace("\n:: 开场\n又一个开场。", ""))
        assert result.story is not None
        has(result.ignored, fragment="之前的内容已忽略", line=1)

    def test_crlf_bom_escaped_colons_and_trailing_blank_lines(self):
        text = story(
            """
            :: 开场
            \\:: 这一行以两个冒号开头
            [[好结局]]



        """,
            GOOD_END,
        )
        s = ok("\ufeff" + text.replace("\n", "\r\n"))
        assert node(s, "开场")["text"] == ":: 这一行以两个冒号开头"
        assert s.title == "测试故事"

    def test_positions_come_from_the_metadata(self):
        s = ok(
            story(
                """
            :: 开场 {"position":"612.5,300","size":"100,200"}
            您好。
            [[好结局]]
        """,
                """
            :: 好结局 [ending pass] {"position":"bad","size":"100,100"}
            张先生满意地离开了。
        """,
            )
        )
        assert s.positions == {"开场": (612.5, 300.0)}


# --- @ metadata and tags ----------------------------------------------------------------------


class TestNodes:
    def test_speaker_and_mood(self):
        s = ok(
            story(
                """
            :: 开场

            @speaker: 王女士
            @mood：生气
            你们物业怎么回事！

            第二段。
            [[中间]]
        """,
                """
            :: 中间 [narration]
            @mood: worried
            旁白。
            [[好结局]]
        """,
                GOOD_END,
            )
        )
        start = node(s, "开场")
        assert (start["speaker"], start["mood"], start["kind"]) == ("王女士", "angry", "owner")
        assert start["text"] == "你们物业怎么回事！\n\n第二段。"

    def test_bad_metadata_lines(self):
        text = story(
            """
            :: 开场
            @speaker: 王女士
            @mood: sleepy
            @age: 60
            你好。
            @speaker: 李先生
            [[好结局]]
        """,
            GOOD_END,
        )
        found = problems(text)
        has(found, fragment="未知的情绪“sleepy”", line=line_of(text, "sleepy"), passage="开场")
        has(found, fragment="未知的元数据 @age", line=line_of(text, "@age"))
        has(found, fragment="必须写在段落开头", line=line_of(text, "李先生"))

    def test_tags_give_the_kind(self):
        s = ok(
            story(
                """
            :: 开场 [colour-me 重要]
            你好。
            [[旁白一下]]
            [[坏结局]]
        """,
                """
            :: 旁白一下 [narration]
            张先生看了看表。
            [[好结局]]
        """,
                GOOD_END,
                """
            :: 坏结局 [fail ending]
            张先生
            生气地走了。
        """,
            )
        )
        assert node(s, "开场")["kind"] == "owner"
        assert node(s, "旁白一下")["kind"] == "narration"
        good, bad = node(s, "好结局"), node(s, "坏结局")
        assert (good["kind"], good["passed"], good["outcome"], good["text"]) == (
            "ending",
            True,
            "张先生满意地离开了。",
            "",
        )
        assert (bad["kind"], bad["passed"], bad["outcome"]) == (
            "ending",
            False,
            "张先生\n生气地走了。",
        )

    def test_tags_decide_an_ending_or_leave_it_undecided(self):
        text = story(
            """
            :: 开场
            你好。
            [[甲]]
            [[乙]]
            [[丙]]
            [[丁]]
            [[好结局]]
        """,
            GOOD_END,
            """
            :: 甲 [ending]
            没有 pass 或 fail。
        """,
            """
            :: 乙 [ending pass fail]
            两个都有。
        """,
            """
            :: 丙 [pass]
            不是结局。
            [[好结局]]
        """,
            """
            :: 丁 [fail]
            没有链接、标了 fail 的段落是未通过的结局。
        """,
        )
        result = parse_twee(text)
        s = result.story
        assert node(s, "甲")["kind"] == "ending" and node(s, "甲")["passed"] is None
        assert node(s, "乙")["kind"] == "ending" and node(s, "乙")["passed"] is None
        assert node(s, "丙")["kind"] == "owner"
        assert node(s, "丁")["kind"] == "ending" and node(s, "丁")["passed"] is False
        has(result.ignored, fragment="同时标记了 pass 和 fail", passage="乙")
        has(result.ignored, fragment="标签已忽略", passage="丙", line=line_of(text, ":: 丙"))

    def test_stylesheets_scripts_and_story_format_passages_are_ignored(self):
        base = story(
            """
            :: 开场
            你好。
            [[好结局]]
        """,
            GOOD_END,
            """
            :: StoryStylesheet [stylesheet]
            tw-story { background: white; }
        """,
            """
            :: StoryScript [script]
            window.alert(1);
        """,
            """
            :: StoryInit
            <<set $anger to 0>>
        """,
            """
            :: 页眉 [header]
            (print: $anger)
        """,
        )
        result = parse_twee(base)
        assert [n["key"] for n in result.story.graph["nodes"]] == ["开场", "好结局"]
        has(result.ignored, fragment="样式表", passage="StoryStylesheet")
        has(result.ignored, fragment="脚本", passage="StoryScript")
        has(result.ignored, fragment="特殊段落名", passage="StoryInit")
        has(result.ignored, fragment="“header”标签", passage="页眉")


# --- the setting ------------------------------------------------------------------------------


def with_setting(setting: str, *passages: str) -> str:
    head = HEAD.split(":: 设定")[0] + ":: 设定 [kefu-setting]\n" + textwrap.dedent(setting)
    return story(
        *(
            passages
            or (
                """
        :: 开场
        你好。
        [[好结局]]
    """,
                GOOD_END,
            )
        ),
        head=head,
    )


class TestSetting:
    def test_every_key(self):
        s = ok(
            with_setting("""\
            owner: 王女士，5栋902业主，退休教师
            situation：王女士家漏水三天。
            楼上联系不上。
            channel: 电话
            pass_mark: 80%
            immediate_feedback: 否
            competency: complaints
            Summary: 安抚与报修
        """)
        )
        assert s.setting == {
            "owner": "王女士，5栋902业主，退休教师",
            "situation": "王女士家漏水三天。\n楼上联系不上。",
            "channel": "phone",
            "pass_mark": 80,
            "immediate_feedback": False,
            "competency": "complaints",
            "summary": "安抚与报修",
        }

    def test_defaults(self):
        s = ok(with_setting("owner: 王女士\nsituation: 漏水。\n"))
        assert s.setting == {
            "owner": "王女士",
            "situation": "漏水。",
            "channel": "front_desk",
            "pass_mark": 70,
            "immediate_feedback": True,
            "competency": "",
            "summary": "",
        }

    @pytest.mark.parametrize(
        "written, code",
        [
            ("前台", "front_desk"),
            ("电话", "phone"),
            ("上门", "door_to_door"),
            ("front_desk", "front_desk"),
            ("phone", "phone"),
            ("door-to-door", "door_to_door"),
        ],
    )
    def test_channels(self, written, code):
        s = ok(with_setting(f"owner：王女士\nsituation：漏水。\nchannel：{written}\n"))
        assert s.setting["channel"] == code

    def test_bad_setting(self):
        text = with_setting("""\
            这一行没有键
            owner:
            situation: 漏水。
            channel: 微信
            pass_mark: 很高
            immediate_feedback: 也许
            mood: angry
            situation: 又写一遍
        """)
        found = problems(text)
        for fragment, needle in [
            ("键: 值", "这一行没有键"),
            ("未知的渠道“微信”", "微信"),
            ("pass_mark 必须是", "很高"),
            ("immediate_feedback 只能是", "也许"),
            ("未知的设定项“mood”", "mood:"),
            ("写了两次", "又写一遍"),
        ]:
            has(found, fragment=fragment, line=line_of(text, needle), passage="设定")

    def test_no_setting_passage_and_two_of_them(self):
        no_setting = story(
            """
            :: 开场
            你好。
            [[好结局]]
        """,
            GOOD_END,
            head=HEAD.split(":: 设定")[0].rstrip() + "\n",
        )
        # No setting: the draft's checklist asks for it (roleplays.checklist).
        assert ok(no_setting).setting["owner"] == "" == ok(no_setting).setting["situation"]
        two = story(
            """
            :: 开场
            你好。
            [[好结局]]
        """,
            GOOD_END,
            """
            :: 又一个设定 [kefu-setting]
            owner: 李先生
            situation: 别的事。
        """,
        )
        has(problems(two), fragment="只能有一个 kefu-setting", passage="又一个设定")


# --- the kefu comment -------------------------------------------------------------------------


class TestKefuComment:
    def test_points_feedback_and_conditions(self):
        s = ok(
            story(
                """
            :: 开场
            你好。<!-- 给作者看的备注，不是正文 -->
            [[我理解您。->中间]] <!--kefu {"points": {"empathy": 2, "规范用语": 1, "process": 0}, "feedback": "先共情。"} -->
            [[中间]] <!--kefu {"points": {"resolution": -1}} -->
            [[直接结束->好结局]] <!--kefu -->
        """,
                """
            :: 中间
            还有呢？
            [[好结局]] <!--kefu {"if": [{"kind": "score_at_least", "dimension": "同理心", "value": 2},
                {"kind": "visited", "node": "开场"}, {"kind": "not_visited", "node": "好结局"},
                {"kind": "score_below", "dimension": "process", "value": 1}],
                "feedback": "条件都满足才出现。"} -->
            [[好结局<-兜底]]
        """,
                GOOD_END,
            )
        )
        first = node(s, "开场")
        assert first["text"] == "你好。"
        c1, c2, c3 = first["choices"]
        assert (c1["points"], c1["feedback"]) == ({"empathy": 2, "phrasing": 1}, "先共情。")
        assert (c2["points"], c2["feedback"], c2["conditions"]) == ({"resolution": -1}, "", [])
        assert (c3["points"], c3["feedback"]) == ({}, "")
        conditional = node(s, "中间")["choices"][0]
        assert conditional["conditions"] == [
            {"kind": "score_at_least", "dimension": "empathy", "value": 2},
            {"kind": "visited", "node": "开场"},
            {"kind": "not_visited", "node": "好结局"},
            {"kind": "score_below", "dimension": "process", "value": 1},
        ]
        assert conditional["feedback"] == "条件都满足才出现。"
        # and the engine honours it
        graph = engine.Graph.from_dict(s.graph)
        state = engine.State.start(graph)
        state, _ = engine.choose(graph, state, "c1")
        assert [c.key for c in engine.offered_choices(graph, state)] == ["c1", "c2"]

    def test_bad_comments(self):
        text = story(
            """
            :: 开场
            你好。 <!--kefu {"points": {"empathy": 1}} -->
            [[甲->好结局]] <!--kefu {"points": {"empathy": 1,}} -->
            [[乙->好结局]] <!--kefu {“points”: {}} -->
            [[丙->好结局]] <!--kefu {"points": {"empathy": 1}, "tone": "冷淡", "score": 2} -->
            [[丁->好结局]] <!--kefu {"points": {"empathy": 1.5, "charm": 2}, "feedback": 3} -->
            [[戊->好结局]] <!--kefu {"if": [{"kind": "visited", "node": "没有这段"}, {"kind": "maybe"}, {"kind": "score_at_least", "dimension": "empathy"}]} -->
            [[己->好结局]] <!--kefu [1, 2] -->
            <!--kefu {} --> [[庚->好结局]]
        """,
            GOOD_END,
        )
        found = problems(text)
        has(found, fragment="kefu 注释必须紧跟在链接后面", line=line_of(text, "你好。"))
        has(found, fragment="不是有效的 JSON", line=line_of(text, "甲->"), passage="开场")
        has(found, fragment="英文双引号", line=line_of(text, "乙->"))
        has(found, fragment="未知的键：tone、score", line=line_of(text, "丙->"))
        has(found, fragment="分数必须是整数", line=line_of(text, "丁->"))
        has(found, fragment="未知的能力维度“charm”", line=line_of(text, "丁->"))
        has(found, fragment="feedback 必须是一段文字", line=line_of(text, "丁->"))
        has(found, fragment="条件引用了不存在的段落“没有这段”", line=line_of(text, "戊->"))
        has(found, fragment="未知的条件类型“maybe”", line=line_of(text, "戊->"))
        has(found, fragment='要写明 "dimension" 和 "value"', line=line_of(text, "戊->"))
        has(found, fragment="必须是 JSON 对象", line=line_of(text, "己->"))
        has(found, fragment="要写在链接后面", line=line_of(text, "庚->"))

    def test_unclosed_comment(self):
        text = story(
            """
            :: 开场
            你好。<!-- 忘了结束
            [[好结局]]
        """,
            GOOD_END,
        )
        has(problems(text), fragment="没有用 --> 结束", line=line_of(text, "忘了结束"))


# --- story-format code ------------------------------------------------------------------------


class TestStoryFormatCode:
    def test_code_is_left_out_and_reported_with_its_line(self):
        text = story(
            """
            :: 开场
            (set: $anger to 3)
            (if: $anger > 2)[王女士很生气。]
            <<set $score to 0>><<if _temp>>嗯<</if>>
            <% s.visits++ %>
            你的分数是 $score，临时变量 _count。
            [[好的 $name->好结局]]
            |tip>[隐藏的字]
        """,
            GOOD_END,
        )
        result = parse_twee(text)
        found = result.ignored
        has(found, fragment="Harlowe 宏 (set:)", line=line_of(text, "(set:"), passage="开场")
        has(found, fragment="Harlowe 宏 (if:)，其后 […] 里的文字保留", line=line_of(text, "(if:"))
        has(found, fragment="SugarCube 宏 <<set>>", line=line_of(text, "<<set"))
        has(found, fragment="SugarCube 宏 <<if>>", line=line_of(text, "<<set"))
        has(found, fragment="SugarCube 宏 <</if>>", line=line_of(text, "<<set"))
        has(found, fragment="Snowman 代码", line=line_of(text, "<%"))
        has(found, fragment="故事变量 $score", line=line_of(text, "你的分数"))
        has(found, fragment="故事变量 _count", line=line_of(text, "你的分数"))
        has(found, fragment="故事变量 $name", line=line_of(text, "$name"))
        has(found, fragment="命名钩子", line=line_of(text, "|tip>"))
        # a variable inside a macro is part of that macro, not one more line in the report
        assert not [p for p in found if p.line == line_of(text, "(set:") and "变量" in p.message]
        assert str(has(found, fragment="(set:)")).startswith(
            f"第 {line_of(text, '(set:')} 行（段落“开场”）：已忽略 Harlowe 宏 (set:)"
        )
        # What the code showed stays; the code goes.
        start = node(result.story, "开场")
        assert start["text"] == "王女士很生气。\n嗯\n你的分数是 ，临时变量 。\n隐藏的字"
        assert start["choices"][0]["text"] == "好的"

    def test_hooks_over_several_lines_chapbook_and_html(self):
        text = story(
            """
            :: 开场
            anger: 3
            mood (anger > 2): 'angry'
            --
            (if: $anger > 2)[
            业主：<b>你们</b>到底管不管？
            ](else:)[
            业主：请问能帮我看看吗？
            ]
            [after 2s]
            {back link}
            <script>
            alert(1);
            </script>
            [[好结局]]
        """,
            GOOD_END,
        )
        result = parse_twee(text)
        assert (
            node(result.story, "开场")["text"] == "业主：你们到底管不管？\n业主：请问能帮我看看吗？"
        )
        has(result.ignored, fragment="Chapbook 变量段", line=line_of(text, "anger: 3"))
        has(result.ignored, fragment="Chapbook 修饰符", line=line_of(text, "[after 2s]"))
        has(result.ignored, fragment="Chapbook 插入", line=line_of(text, "{back link}"))
        has(result.ignored, fragment="HTML 标记 <b>", line=line_of(text, "<b>"))
        has(result.ignored, fragment="<script> 代码", line=line_of(text, "<script>"))
        has(result.ignored, fragment="(else:)", line=line_of(text, "](else:)["))

    def test_ordinary_text_is_not_code(self):
        s = ok(
            story(
                """
            :: 开场
            营业时间（9:00-18:00），(10:30) 前到，费用 $100，网址 (https://example.com)。
            邮箱 zhang_san@example.com，《业主手册》第3条。
            [[好结局]]
        """,
                GOOD_END,
            )
        )
        assert "营业时间" in node(s, "开场")["text"]

    def test_code_in_the_setting_is_left_out_too(self):
        text = with_setting("owner: 王女士 $owner\nsituation: (set: $x to 1)漏水\n")
        result = parse_twee(text)
        has(result.ignored, fragment="$owner", passage="设定")
        has(result.ignored, fragment="(set:)", passage="设定")
        assert result.story.setting["situation"] == "漏水"


# --- StoryData and the graph ------------------------------------------------------------------


class TestStoryAndGraph:
    def test_broken_link_names_the_passage_and_line(self):
        text = story(
            """
            :: 开场
            你好。
            [[好的->好结局]]
            [[去前台->前台接待]]
        """,
            GOOD_END,
        )
        found = problems(text)
        p = has(found, fragment="链接指向不存在的段落“前台接待”", passage="开场")
        assert p.line == line_of(text, "去前台")
        assert str(p) == f"第 {p.line} 行（段落“开场”）：链接指向不存在的段落“前台接待”"

    def test_what_only_stops_publishing_is_left_to_the_checklist(self):
        """A passage nobody reaches, endings without a verdict, no passing ending: the story
        imports as a draft; `roleplays.checklist` lists these (see test_checklist.py)."""
        text = story(
            """
            :: 开场
            你好。
            [[死路]]
        """,
            """
            :: 死路
            没有链接：这是一个结局。
        """,
            """
            :: 孤岛 [ending fail]
            没人到得了。
        """,
        )
        s = ok(text)
        assert node(s, "死路")["kind"] == "ending" and node(s, "死路")["passed"] is None
        graph = engine.Graph.from_dict(s.graph)
        codes = {p.code for p in engine.problems(graph)}
        assert {"no_verdict", "unreachable", "no_passing_ending"} <= codes

    def test_bad_story_data(self):
        text = story(
            """
            :: 开场
            你好。
            [[好结局]]
        """,
            GOOD_END,
        ).replace('"start": "开场"', '"start": "开场",')
        has(
            problems(text),
            fragment="StoryData 不是有效的 JSON",
            line=line_of(text, '"start"') + 1,
            passage="StoryData",
        )

    def test_the_start_title_and_story_data_as_twine_reads_them(self):
        body = (
            """
            :: 开场
            你好。
            [[好结局]]
        """,
            GOOD_END,
        )
        wrong = story(*body).replace('"start": "开场"', '"start": "Begin"')
        has(problems(wrong), fragment="起始段落“Begin”不存在", line=line_of(wrong, ":: StoryData"))
        # No start: the passage called Start, else the first passage.
        first = ok(story(*body).replace('"start": "开场"', '"zoom": 1'))
        assert first.graph["start"] == "开场"
        named = ok(
            story(*body, ":: Start\n欢迎。\n[[开场]]").replace('"start": "开场"', '"zoom": 1')
        )
        assert named.graph["start"] == "Start"
        # No StoryData, no StoryTitle: a story still (Twine gives it an IFID on import).
        no_data = re.sub(r":: StoryData\n\{.*?\n\}\n", "", story(*body), flags=re.S)
        assert ok(no_data).ifid == "" and ok(no_data).graph["start"] == "开场"
        no_title = parse_twee(story(*body).replace(":: StoryTitle\n测试故事\n", ""))
        assert no_title.story.title == "未命名的故事"
        has(no_title.ignored, fragment="故事没有标题")

    def test_what_is_not_a_story_is_refused(self):
        has(problems("你好，这只是一段文字。\n没有段落。"), fragment="这不是 Twee 故事")
        has(problems(""), fragment="这不是 Twee 故事")
        has(problems("<html><body><p>网页</p></body></html>"), fragment="没有 <tw-storydata>")
        only_special = story(head=HEAD.split(":: 设定")[0].rstrip() + "\n")
        has(problems(only_special), fragment="没有可以当作对话的段落")

    def test_many_problems_in_one_file(self):
        text = (FIXTURES / "broken.twee").read_text(encoding="utf-8")
        result = parse_twee(text)
        assert isinstance(result, ParseResult) and result.story is None
        found = result.problems
        expected = [
            ("未知的渠道“微信”", "channel: 微信", "设定"),
            ("未知的设定项“mood”", "mood: angry", "设定"),
            ("未知的键：tone", "这个我们也管不了", "开场"),
            ("链接指向不存在的段落“结束”", "这个我们也管不了", "开场"),
            ("kefu 注释不是有效的 JSON", "您再等等吧", "开场"),
            ("无法读取段落标题", ":: 坏标题", None),
        ]
        for fragment, needle, passage in expected:
            has(found, fragment=fragment, line=line_of(text, needle), passage=passage)
        # Story-format code is reported as ignored, even when the story is refused.
        for fragment, needle, passage in [
            ("Harlowe 宏 (set:)", "(set: $anger", "开场"),
            ("SugarCube 宏 <<if>>", "<<if $anger", "联系车主"),
            ("故事变量 $wait", "$wait", "等待"),
        ]:
            has(result.ignored, fragment=fragment, line=line_of(text, needle), passage=passage)
        assert len(found) == len(expected)
        lines = [p.line for p in found if p.line is not None]
        assert lines == sorted(lines)


# --- the Twine fixture and round trips ------------------------------------------------------


class TestFixture:
    def test_the_twine_story(self):
        s = ok((FIXTURES / "twine_story.twee").read_text(encoding="utf-8"))
        assert s.title == "楼上漏水，业主第三次来前台"
        assert s.ifid == "8F3C2A1E-5B7D-4C9A-9E21-6D0F4B8A7C35"
        assert s.setting["channel"] == "front_desk"
        assert s.setting["competency"] == "complaints"
        assert s.graph["start"] == "开场"
        graph = engine.Graph.from_dict(s.graph)
        assert len(graph.nodes) == 8 - 1  # the setting passage is no node
        assert sorted(k for k, n in graph.nodes.items() if n.is_ending) == ["投诉升级", "满意离开"]
        assert graph.nodes["联系楼上"].kind == "narration"
        conditional = [c for n in graph.nodes.values() for c in n.choices if c.conditions]
        assert len(conditional) == 1 and conditional[0].conditions[0].dimension == "empathy"
        assert node(s, "业主更生气")["choices"][1]["target"] == "投诉升级"  # the <- form
        assert node(s, "了解情况")["choices"][0]["target"] == "安排维修"  # the | form
        assert s.positions["安排维修"] == (612.5, 100.0)
        assert s.positions["场景设定"] == (100.0, 300.0)
        assert engine.problems(graph) == []
        best = engine.best_path(graph)
        assert best is not None and best.ending == "满意离开"

    @pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.twee")), ids=lambda p: p.name)
    def test_round_trip_of_every_fixture(self, path):
        result = parse_twee(path.read_text(encoding="utf-8"))
        if result.story is None:
            # a fixture of problems: exported nothing, and says so
            assert result.problems
            return
        s = result.story
        again = ok(export_twee(s))
        assert (again.title, again.setting, again.graph) == (s.title, s.setting, s.graph)
        # A story without a setting passage (a plain Twine story) gets one on export.
        assert again.ifid == s.ifid and {k: again.positions[k] for k in s.positions} == s.positions
        assert export_twee(again) == export_twee(s)

    def test_there_is_a_valid_fixture(self):
        assert any(parse_twee(p.read_text(encoding="utf-8")).story for p in FIXTURES.glob("*.twee"))


def handmade_graph() -> dict:
    return engine.Graph.from_dict(
        {
            "start": "N1",
            "nodes": [
                {
                    "key": "N1",
                    "kind": "owner",
                    "text": "第一段。\n\n\n第二段，三个换行。\n:: 不是标题",
                    "speaker": "王女士",
                    "mood": "angry",
                    "choices": [
                        {
                            "key": "c1",
                            "text": "A->B 也是文字",
                            "target": "问{候}",
                            "points": {"empathy": 2, "process": -1},
                            "feedback": "第一行\n第二行，含 --> 也不怕",
                            "conditions": [],
                        },
                        {
                            "key": "c2",
                            "text": "竖线|文字",
                            "target": "N3 结局",
                            "conditions": [{"kind": "not_visited", "node": "问{候}"}],
                        },
                        {"key": "c3", "text": "N3 结局", "target": "N3 结局"},
                    ],
                },
                {
                    "key": "问{候}",
                    "kind": "narration",
                    "text": "旁白 a\\b",
                    "choices": [
                        {
                            "key": "c1",
                            "text": "回去",
                            "target": "N1",
                            "conditions": [
                                {"kind": "score_below", "dimension": "empathy", "value": 5},
                                {"kind": "visited", "node": "N1"},
                            ],
                        },
                        {
                            "key": "c2",
                            "text": "结束",
                            "target": "N3 结局",
                            "conditions": [
                                {"kind": "score_at_least", "dimension": "resolution", "value": 0}
                            ],
                        },
                        {"key": "c3", "text": "失败", "target": "N4"},
                    ],
                },
                {
                    "key": "N3 结局",
                    "kind": "ending",
                    "outcome": "圆满解决。\n第二行。",
                    "passed": True,
                },
                {
                    "key": "N4",
                    "kind": "ending",
                    "outcome": "投诉。",
                    "passed": False,
                    "speaker": "王女士",
                    "mood": "furious",
                },
            ],
        }
    ).to_dict()


SETTING = {
    "owner": "王女士，5栋902业主",
    "situation": "漏水三天。\n楼上联系不上。",
    "channel": "door_to_door",
    "pass_mark": 65,
    "immediate_feedback": False,
    "competency": "",
    "summary": "一句话",
}


class TestExport:
    def test_exported_then_imported_gives_the_same_graph(self):
        s = Story(
            title="手工故事", ifid="ABC", setting=SETTING, graph=handmade_graph(), positions={}
        )
        assert engine.problems(engine.Graph.from_dict(s.graph)) == []
        again = ok(export_twee(s))
        assert again.graph == s.graph
        assert again.setting == s.setting
        assert again.title == s.title and again.ifid == "ABC"

    def test_what_the_export_looks_like(self):
        s = Story(
            title="手工故事",
            ifid="ABC",
            setting=SETTING,
            graph=handmade_graph(),
            positions={"N4": (900, 40.5)},
        )
        text = export_twee(s)
        assert text == export_twee(s)  # deterministic
        assert text.startswith(':: StoryTitle\n手工故事\n\n\n:: StoryData\n{\n  "ifid": "ABC",')
        data = json.loads(text.split(":: StoryData\n")[1].split("\n\n\n")[0])
        assert (data["format"], data["format-version"], data["start"]) == ("Harlowe", "3.3.9", "N1")
        headers = [line for line in text.split("\n") if line.startswith(":: ")]
        assert headers == [
            ":: StoryTitle",
            ":: StoryData",
            ':: 场景设定 [kefu-setting] {"position":"100,250","size":"100,100"}',
            ':: N1 {"position":"100,100","size":"100,100"}',
            ':: 问\\{候\\} [narration] {"position":"350,100","size":"100,100"}',
            ':: N3 结局 [ending pass] {"position":"350,250","size":"100,100"}',
            ':: N4 [ending fail] {"position":"900,40.5","size":"100,100"}',
        ]
        assert "\n\\:: 不是标题\n" in text
        assert "\n[[N3 结局]]\n" in text and "\n[[竖线|文字->N3 结局]] <!--kefu " in text
        assert (
            '<!--kefu {"points": {"empathy": 2, "process": -1}, '
            '"feedback": "第一行\\n第二行，含 --\\u003e 也不怕"} -->'
        ) in text
        assert "\n[[失败->N4]]\n" in text  # no comment when there is nothing to say
        assert text.endswith(
            ':: N4 [ending fail] {"position":"900,40.5","size":"100,100"}\n'
            "@speaker: 王女士\n@mood: furious\n投诉。\n"
        )
        assert "\n\n\n:: N1 " in text  # two blank lines between passages, as Twine writes

    def test_a_missing_ifid_is_generated(self):
        s = Story(title="T", ifid="", setting=SETTING, graph=handmade_graph(), positions={})
        ifid = json.loads(export_twee(s).split(":: StoryData\n")[1].split("\n\n\n")[0])["ifid"]
        assert ifid == ifid.upper() and uuid.UUID(ifid).version == 4

    def test_the_layout_is_layered_from_the_start(self):
        s = Story(title="T", ifid="X", setting=SETTING, graph=handmade_graph(), positions={})
        again = ok(export_twee(s))
        assert again.positions == {
            "场景设定": (100.0, 250.0),
            "N1": (100.0, 100.0),
            "问{候}": (350.0, 100.0),
            "N3 结局": (350.0, 250.0),
            "N4": (600.0, 100.0),
        }

    def test_the_setting_passage_keeps_its_name(self):
        text = (
            (FIXTURES / "twine_story.twee")
            .read_text(encoding="utf-8")
            .replace(":: 场景设定", ":: Setting")
        )
        s = ok(text)
        assert ":: Setting [kefu-setting]" in export_twee(s)
        s.positions = {}
        assert ":: 场景设定 [kefu-setting]" in export_twee(s)

    def test_names_needing_escapes_round_trip(self):
        graph = {
            "start": " 开 始",
            "nodes": [
                {
                    "key": " 开 始",
                    "kind": "owner",
                    "text": "你好",
                    "choices": [{"key": "c1", "text": "走", "target": "结局\\一"}],
                },
                {"key": "结局\\一", "kind": "ending", "outcome": "好", "passed": True},
            ],
        }
        s = Story(
            title="T",
            ifid="X",
            setting=SETTING,
            graph=engine.Graph.from_dict(graph).to_dict(),
            positions={},
        )
        text = export_twee(s)
        assert ":: \\ 开 始 {" in text and ":: 结局\\\\一 [ending pass]" in text
        assert ok(text).graph == s.graph


class TestProblemText:
    def test_str(self):
        assert (
            str(TweeProblem(12, "了解情况", "未知的宏")) == "第 12 行（段落“了解情况”）：未知的宏"
        )
        assert str(TweeProblem(3, None, "坏标题")) == "第 3 行：坏标题"
        assert str(TweeProblem(None, "开场", "没有正文")) == "段落“开场”：没有正文"
        assert str(TweeProblem(None, None, "没有结局")) == "没有结局"
