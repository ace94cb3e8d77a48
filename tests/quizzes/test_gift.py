"""GIFT import and export (quizzes/gift.py) and the text formats they use (quizzes/textformat.py).

Plain Python: no database. spec_problems() messages are translated by Django, so tests check
that such a problem is reported (line, question), not its wording.
"""

from pathlib import Path

import pytest

from quizzes import spec as kinds
from quizzes.gift import export_gift, parse_gift
from quizzes.imported import ImportedQuestion, ImportProblem, clean_category
from quizzes.textformat import html_to_plain, sanitise_html, to_html

FIXTURES = Path(__file__).parent / "fixtures"


def only(text: str) -> ImportedQuestion:
    """The one question in `text`, which must parse without problems."""
    result = parse_gift(text)
    assert result.problems == [], [str(p) for p in result.problems]
    assert len(result.questions) == 1
    return result.questions[0]


def problems_of(text: str) -> list[ImportProblem]:
    return parse_gift(text).problems


def without_ids(value):
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def same_questions(first: list[ImportedQuestion], second: list[ImportedQuestion]) -> None:
    assert [q.name for q in second] == [q.name for q in first]
    assert [q.category for q in second] == [q.category for q in first]
    assert [q.tags for q in second] == [q.tags for q in first]
    for a, b in zip(first, second, strict=True):
        assert without_ids(b.spec) == without_ids(a.spec), a.name


# -- the sample file -----------------------------------------------------------------------


@pytest.fixture
def sample():
    return parse_gift((FIXTURES / "moodle_sample.gift").read_text(encoding="utf-8"))


def test_sample_file_imports_without_problems(sample):
    assert [str(p) for p in sample.problems] == []
    assert [q.name for q in sample.questions] == [
        "接听电话",
        "铃响几声",
        "多选-安抚",
        "隐私",
        "夜间报修",
        "电梯困人",
        "数值-上门时限",
        "数值-满意度",
        "匹配-部门",
        "排序-投诉处理",
        "问答-电梯投诉",
        "说明-案例背景",
        "转义字符",
        "html-feedback",
    ]
    for question in sample.questions:
        assert kinds.spec_problems(question.spec) == []


def test_sample_categories_and_lines(sample):
    by_name = {q.name: q for q in sample.questions}
    assert by_name["接听电话"].category == "客服入门/接听电话"
    assert by_name["多选-安抚"].category == "客服入门/接听电话"
    assert by_name["隐私"].category == "客服入门/报修处理"
    assert by_name["问答-电梯投诉"].category == "客服入门/综合"
    # The line of the question itself, not of the comments above it.
    assert by_name["接听电话"].line == 8
    assert by_name["排序-投诉处理"].line == 52
    assert by_name["问答-电梯投诉"].line == 65


def test_sample_kinds(sample):
    assert [q.spec["kind"] for q in sample.questions] == [
        "single",
        "single",
        "multiple",
        "truefalse",
        "truefalse",
        "shortanswer",
        "numeric",
        "numeric",
        "matching",
        "ordering",
        "essay",
        "description",
        "single",
        "single",
    ]


def test_sample_every_kind_has_its_details(sample):
    by_name = {q.name: q.spec for q in sample.questions}
    phone = by_name["接听电话"]
    assert phone["general_feedback"] == "接听电话的标准：三声内接起，先问候再报身份。"
    assert [c["fraction"] for c in phone["choices"]] == [1, 0, 0, 0]
    assert phone["choices"][3]["feedback"] == "不要让客户等待。"
    assert by_name["铃响几声"]["text"] == "电话铃响 _____ 声以内必须接起。"
    assert by_name["多选-安抚"]["text"] == "<p>客户情绪激动时，哪些做法是<b>正确</b>的？</p>"
    assert by_name["数值-满意度"]["answers"] == [
        {"value": 90, "tolerance": 2, "fraction": 1, "feedback": "正确。"},
        {"value": 90, "tolerance": 5, "fraction": 0.5, "feedback": "接近了。"},
    ]
    assert [i["text"] for i in by_name["排序-投诉处理"]["items"]] == [
        "倾听并安抚客户",
        "记录投诉内容",
        "转交责任部门",
        "回访客户",
    ]
    essay = by_name["问答-电梯投诉"]
    assert essay["rubric"] == [
        {"criterion": "先安抚业主情绪，表达理解", "points": 3},
        {"criterion": "说明处理流程和时限", "points": 2},
        {"criterion": "用语礼貌，没有推诿", "points": 1},
    ]
    assert essay["reply_template"] == "您好，\n……\n幸福里物业客服中心"
    assert by_name["说明-案例背景"]["text"] == (
        "<strong>案例背景</strong>：以下两题基于业主张先生的来电。"
    )
    assert by_name["转义字符"]["text"] == (
        "物业费账单的格式为“楼号:房号”，例如 3:1201。合同中 {甲方} 指的是？"
    )
    html_question = by_name["html-feedback"]
    assert html_question["choices"][0]["text"] == "<em>先道歉</em>，再了解情况"
    assert html_question["choices"][0]["feedback"] == "道歉 &lt;不等于&gt; 认错。"
    assert html_question["general_feedback"] == "<p>先处理心情，再处理事情。</p>"


def test_sample_round_trip(sample):
    exported = export_gift(sample.questions)
    again = parse_gift(exported)
    assert again.problems == []
    same_questions(sample.questions, again.questions)


# -- structure: categories, titles, comments, blank lines -------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$course$/top/客服入门/接听电话", "客服入门/接听电话"),
        ("$system$/top/公共题库", "公共题库"),
        ("$module$/top/测验专用", "测验专用"),
        ("top/客服入门", "客服入门"),
        ("客服入门/ 投诉 /", "客服入门/投诉"),
        ("$course$/top", None),
        ("", None),
    ],
)
def test_category_prefixes_are_removed(path, expected):
    assert clean_category(path) == expected


def test_category_applies_to_following_questions_until_changed():
    result = parse_gift(
        "::无分类::题目一{T}\n\n"
        "$CATEGORY: $course$/top/甲\n\n"
        "::甲1::题目二{T}\n\n"
        "::甲2::题目三{F}\n\n"
        "// 切换分类\n$CATEGORY: $course$/top/乙/丙\n\n"
        "::丙::题目四{T}\n"
    )
    assert result.problems == []
    assert [(q.name, q.category) for q in result.questions] == [
        ("无分类", None),
        ("甲1", "甲"),
        ("甲2", "甲"),
        ("丙", "乙/丙"),
    ]


def test_category_line_directly_above_a_question():
    question = only("$CATEGORY: $course$/top/客服入门\n::标题::题目{T}")
    assert question.category == "客服入门"
    assert question.line == 2


def test_title_and_default_name():
    assert only("::接听电话::您好{T}").name == "接听电话"
    long_text = "客户来电投诉楼上邻居每天夜里装修，噪音很大，已经影响到休息，而且多次沟通无果，请问你应该怎么处理"
    question = only(long_text + "{}")
    assert question.name == long_text[:40] + "…"
    assert only("[html]<p>请<b>先</b>问候</p>{T}").name == "请先问候"


def test_comments_are_ignored_everywhere():
    question = only("// 第一题\n::题::选哪个？{\n// 正确答案\n=甲\n  // 错误答案\n~乙\n}\n// 结束")
    assert [c["text"] for c in question.spec["choices"]] == ["甲", "乙"]


def test_blank_lines_separate_questions_and_crlf_and_bom_are_read():
    result = parse_gift("\ufeff::一::甲{T}\r\n\r\n\r\n::二::乙{F}\r\n")
    assert result.problems == []
    assert [(q.name, q.line) for q in result.questions] == [("一", 1), ("二", 4)]


def test_multiline_question_keeps_its_start_line():
    result = parse_gift("\n\n::题::第一行\n第二行\n{=对\n~错}\n")
    assert result.questions[0].line == 3
    assert result.questions[0].spec["text"] == "第一行<br>第二行"


# -- multiple choice ----------------------------------------------------------------------------


def test_single_choice_with_feedback_and_general_feedback():
    spec = only(
        "::题::客户来电应该？{\n"
        "  =先问候#对，先问候。\n"
        "  ~直接问事#太急了。\n"
        "  ~沉默\n"
        "  ####问候是礼貌的第一步。\n"
        "}"
    ).spec
    assert spec["kind"] == kinds.SINGLE
    assert spec["general_feedback"] == "问候是礼貌的第一步。"
    assert without_ids(spec["choices"]) == [
        {"text": "先问候", "fraction": 1.0, "feedback": "对，先问候。"},
        {"text": "直接问事", "fraction": 0.0, "feedback": "太急了。"},
        {"text": "沉默", "fraction": 0.0, "feedback": ""},
    ]
    assert len({c["id"] for c in spec["choices"]}) == 3


def test_single_choice_on_one_line():
    spec = only("谁负责维修水管？{~秩序部 =工程部 ~财务部}").spec
    assert [c["fraction"] for c in spec["choices"]] == [0, 1, 0]


def test_weights_make_a_multiple_answer_question():
    spec = only("::多选::哪些做法正确？{~%50%倾听 ~%50%复述 ~%-25%打断 ~%-100%挂电话}").spec
    assert spec["kind"] == kinds.MULTIPLE
    assert [c["fraction"] for c in spec["choices"]] == [0.5, 0.5, -0.25, -1.0]


def test_decimal_weights():
    spec = only("选？{~%33.33333%甲 ~%33.33333%乙 ~%33.33333%丙 ~丁}").spec
    assert spec["kind"] == kinds.MULTIPLE
    assert [c["fraction"] for c in spec["choices"]] == [0.3333333] * 3 + [0]


def test_multiple_answers_with_a_single_right_one_stays_multiple():
    # Moodle: no "=" answer → a multiple-answer question, even if only one option is right.
    spec = only("选？{~%100%甲 ~乙 ~丙}").spec
    assert spec["kind"] == kinds.MULTIPLE


def test_equals_with_partial_credit_stays_single():
    spec = only("选？{=%100%甲 ~%50%乙 ~丙}").spec
    assert spec["kind"] == kinds.SINGLE
    assert [c["fraction"] for c in spec["choices"]] == [1, 0.5, 0]


def test_choice_without_right_answer_is_a_problem():
    [problem] = problems_of("::没有答案::选哪个？{~甲 ~乙}")
    assert problem.line == 1
    assert problem.question == "没有答案"
    assert "没有正确答案" in problem.message


def test_single_choice_whose_best_answer_is_partial_fails_the_spec():
    result = parse_gift("::半对::选？{=%50%甲 ~乙}")
    assert result.questions == []
    assert [(p.line, p.question) for p in result.problems] == [(1, "半对")]


def test_text_before_the_first_marker_is_a_problem():
    [problem] = problems_of("::漏写::选？{甲 =乙 ~丙}")
    assert "“甲”前面缺少 = 或 ~" in problem.message


def test_missing_word_question():
    spec = only("物业费 {~按年 =按月 ~按天} 收取一次。").spec
    assert spec["kind"] == kinds.SINGLE
    assert spec["text"] == "物业费 _____ 收取一次。"


def test_answer_block_at_the_start_is_a_missing_word_too():
    spec = only("{=三 ~五} 声以内接起电话。").spec
    assert spec["text"] == "_____ 声以内接起电话。"


def test_missing_word_works_for_other_kinds():
    spec = only("客服热线是 {=96333} ，全天有人接听。").spec
    assert spec["kind"] == kinds.SHORT_ANSWER
    assert spec["text"] == "客服热线是 _____ ，全天有人接听。"


# -- true / false -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "answer"), [("{T}", True), ("{TRUE}", True), ("{F}", False), ("{FALSE}", False)]
)
def test_true_false(block, answer):
    spec = only("物业费可以按月交。" + block).spec
    assert spec["kind"] == kinds.TRUE_FALSE
    assert spec["answer"] is answer
    assert spec["feedback_true"] == spec["feedback_false"] == ""


def test_true_false_feedback_when_the_answer_is_true():
    # GIFT: first the feedback for a wrong answer, then for a right one.
    spec = only("客服要先问候。{T#不对，要先问候。#对！}").spec
    assert spec["feedback_true"] == "对！"  # learner answered true: right
    assert spec["feedback_false"] == "不对，要先问候。"


def test_true_false_feedback_when_the_answer_is_false():
    spec = only("可以透露业主电话。{FALSE#错！这是隐私。#对，不能透露。####隐私第一}").spec
    assert spec["answer"] is False
    assert spec["feedback_true"] == "错！这是隐私。"  # learner answered true: wrong
    assert spec["feedback_false"] == "对，不能透露。"
    assert spec["general_feedback"] == "隐私第一"


def test_lower_case_true_is_a_short_answer_as_in_moodle():
    assert only("答案是？{true}").spec["kind"] == kinds.SHORT_ANSWER


# -- short answer -------------------------------------------------------------------------------


def test_short_answer_with_several_answers_partial_credit_and_feedback():
    spec = only("电梯困人几分钟内到场？{=五分钟 =5分钟#对 =%50%十分钟#慢了}").spec
    assert spec["kind"] == kinds.SHORT_ANSWER
    assert spec["case_sensitive"] is False
    assert spec["answers"] == [
        {"text": "五分钟", "fraction": 1.0, "feedback": ""},
        {"text": "5分钟", "fraction": 1.0, "feedback": "对"},
        {"text": "十分钟", "fraction": 0.5, "feedback": "慢了"},
    ]


def test_short_answer_without_equals_sign():
    spec = only("二加二等于？{四}").spec
    assert spec["answers"] == [{"text": "四", "fraction": 1.0, "feedback": ""}]


def test_short_answer_wildcard_and_plain_text():
    spec = only("[html]<p>编号？</p>{=A*<b> =[plain]B}").spec
    assert [a["text"] for a in spec["answers"]] == ["A*<b>", "B"]


def test_case_sensitive_convention():
    spec = only("// [case-sensitive]\n工单代码？{=SD-Repair}").spec
    assert spec["case_sensitive"] is True


def test_case_sensitive_on_another_kind_is_a_problem():
    [problem] = problems_of("// [case-sensitive]\n::题::选？{=甲 ~乙}")
    assert (problem.line, problem.question) == (1, "题")


# -- matching -----------------------------------------------------------------------------------


def test_matching_with_distractor():
    spec = only(
        "::匹配::事项和部门：{\n  =水管漏水 -> 工程部\n  =噪音 -> 秩序部\n  =发票 -> 财务部\n"
        "  = -> 绿化部\n  ####按职责分工\n}"
    ).spec
    assert spec["kind"] == kinds.MATCHING
    assert without_ids(spec["pairs"]) == [
        {"prompt": "水管漏水", "answer": "工程部"},
        {"prompt": "噪音", "answer": "秩序部"},
        {"prompt": "发票", "answer": "财务部"},
        {"prompt": "", "answer": "绿化部"},
    ]
    assert spec["general_feedback"] == "按职责分工"


def test_matching_with_two_pairs_is_accepted():
    spec = only("匹配：{=猫 -> 鱼 =狗 -> 骨头}").spec
    assert len(spec["pairs"]) == 2


def test_matching_answer_is_plain_text_and_prompt_uses_the_question_format():
    spec = only("[html]<p>匹配</p>{=<b>甲</b> -> <乙> =丙 -> 丁}").spec
    assert spec["pairs"][0]["prompt"] == "<b>甲</b>"
    assert spec["pairs"][0]["answer"] == "<乙>"


def test_matching_pair_without_arrow_names_its_line():
    [problem] = problems_of("::配对::请配对{\n=猫 -> 鱼\n=狗 骨头\n=兔 -> 萝卜\n}")
    assert (problem.line, problem.question) == (3, "配对")
    assert "“狗 骨头”缺少“->”" in problem.message


# -- numeric ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("block", "value", "tolerance"),
    [
        ("{#3:2}", 3, 2),
        ("{#1..5}", 3, 2),
        ("{#3.14}", 3.14, 0),
        ("{#-5..-1}", -3, 2),
        ("{#-2.5:0.5}", -2.5, 0.5),
        ("{#１２:１}", 12, 1),  # typed with a Chinese input method
        ("{#24：0}", 24, 0),
        ("{#1e3}", 1000, 0),
    ],
)
def test_numeric_forms(block, value, tolerance):
    spec = only("多少？" + block).spec
    assert spec["kind"] == kinds.NUMERIC
    [answer] = spec["answers"]
    assert answer["value"] == pytest.approx(value)
    assert answer["tolerance"] == pytest.approx(tolerance)
    assert answer["fraction"] == 1


def test_numeric_with_partial_credit_and_feedback():
    spec = only(
        "格兰特哪年出生？{#\n    =1822:0 #完全正确\n    =%50%1822:2 #接近了\n    ####看史料\n}"
    ).spec
    assert spec["answers"] == [
        {"value": 1822, "tolerance": 0, "fraction": 1, "feedback": "完全正确"},
        {"value": 1822, "tolerance": 2, "fraction": 0.5, "feedback": "接近了"},
    ]
    assert spec["general_feedback"] == "看史料"


def test_numeric_several_answers_on_one_line():
    spec = only("哪年？{# =1990:0 =%50%1985:5 #差不多}").spec
    assert [(a["value"], a["tolerance"], a["fraction"]) for a in spec["answers"]] == [
        (1990, 0, 1),
        (1985, 5, 0.5),
    ]
    assert spec["answers"][1]["feedback"] == "差不多"


def test_numeric_other_answer_feedback_is_dropped_with_a_warning():
    result = parse_gift("::时限::多少小时？{#=24 ~#请看服务标准}")
    [question] = result.questions
    assert question.spec["answers"] == [
        {"value": 24, "tolerance": 0, "fraction": 1, "feedback": ""}
    ]
    [problem] = result.problems
    assert problem.skipped is False
    assert "已忽略" in problem.message


def test_a_skipped_question_has_no_notes_about_its_parts():
    [problem] = problems_of("::数值::多少？{#=%50%24 ~#再想想}")
    assert problem.skipped is True


@pytest.mark.parametrize(
    ("block", "words"),
    [
        ("{#abc}", "“abc”不是数字"),
        ("{#3:x}", "误差“x”不是数字"),
        ("{#1..x}", "“1..x”"),
        ("{#}", "至少需要一个答案"),
        ("{#=nan}", "“nan”不是数字"),
    ],
)
def test_numeric_that_is_not_a_number(block, words):
    [problem] = problems_of("::数值::多少？" + block)
    assert problem.question == "数值"
    assert words in problem.message


def test_numeric_range_the_wrong_way_round_fails_the_spec():
    result = parse_gift("::反了::多少？{#5..1}")
    assert result.questions == []
    assert result.problems[0].question == "反了"


# -- essay, description -------------------------------------------------------------------------


def test_essay():
    spec = only("::问答::请写出你的回复。{}").spec
    assert spec == {
        "kind": kinds.ESSAY,
        "text": "请写出你的回复。",
        "general_feedback": "",
        "rubric": [],
        "reply_template": "",
    }


def test_essay_with_general_feedback():
    spec = only("请写出你的回复。{####要点：道歉、时限}").spec
    assert spec["kind"] == kinds.ESSAY
    assert spec["general_feedback"] == "要点：道歉、时限"


def test_essay_rubric_and_template_conventions():
    spec = only(
        "// [rubric] 3 | 先安抚情绪\n"
        "// [rubric] 2 ｜ 给出时限\n"
        "// [RUBRIC] 1分 | 不推诿\n"
        "// [template] 尊敬的业主：\\n您好！\n"
        "::问答::写回复。{}"
    ).spec
    assert spec["rubric"] == [
        {"criterion": "先安抚情绪", "points": 3},
        {"criterion": "给出时限", "points": 2},
        {"criterion": "不推诿", "points": 1},
    ]
    assert spec["reply_template"] == "尊敬的业主：\n您好！"


@pytest.mark.parametrize(
    "line", ["// [rubric] x | 态度", "// [rubric] 3 态度", "// [rubric] 0 | 态度"]
)
def test_malformed_rubric_is_a_problem(line):
    [problem] = problems_of(line + "\n::问答::写。{}")
    assert (problem.line, problem.question) == (1, "问答")
    assert "// [rubric] 分值 | 评分标准" in problem.message


def test_rubric_on_a_choice_question_is_a_problem():
    [problem] = problems_of("// [rubric] 3 | 态度\n::选择::选？{=甲 ~乙}")
    assert (problem.line, problem.question) == (1, "选择")


def test_description():
    question = only("::背景::以下题目基于业主张先生的来电。")
    assert question.spec == {
        "kind": kinds.DESCRIPTION,
        "text": "以下题目基于业主张先生的来电。",
        "general_feedback": "",
    }


def test_description_without_title_is_named_by_its_text():
    assert only("以下三题关于报修。").name == "以下三题关于报修。"


# -- ordering -----------------------------------------------------------------------------------


def test_ordering_convention_sorts_by_position():
    question = only(
        "// [ordering]\n::排序::接听电话的步骤{\n =3 -> 道别\n =1 -> 问候\n =2 -> 询问需求\n}"
    )
    assert question.spec["kind"] == kinds.ORDERING
    assert [i["text"] for i in question.spec["items"]] == ["问候", "询问需求", "道别"]
    assert question.line == 2


def test_without_the_convention_the_same_block_is_matching():
    assert only("::排序::步骤{=1 -> 问候 =2 -> 道别}").spec["kind"] == kinds.MATCHING


def test_ordering_positions_must_be_numbers():
    problems = problems_of("// [ordering]\n::排序::步骤{=一 -> 问候 =2 -> 道别 =2 -> 再见}")
    assert [p.line for p in problems] == [2, 2]
    assert "“一”不是序号" in problems[0].message
    assert "序号 2 重复" in problems[1].message


def test_ordering_convention_needs_a_matching_block():
    [problem] = problems_of("// [ordering]\n::排序::步骤{=问候 ~道别}")
    assert (problem.line, problem.question) == (1, "排序")


def test_ordering_mark_separated_by_a_blank_line_is_a_problem():
    result = parse_gift("// [ordering]\n\n::排序::步骤{=1 -> 问候 =2 -> 道别}")
    [problem] = result.problems
    assert problem.line == 1
    assert "紧挨在题目前面" in problem.message
    assert result.questions[0].spec["kind"] == kinds.MATCHING


def test_moodle_ordering_syntax():
    spec = only(
        "::排序::投诉处理的顺序{>4 ALL VERTICAL ABSOLUTE_POSITION\n倾听\n记录\n转交\n回访\n}"
    ).spec
    assert spec["kind"] == kinds.ORDERING
    assert [i["text"] for i in spec["items"]] == ["倾听", "记录", "转交", "回访"]


# -- formats ------------------------------------------------------------------------------------


def test_html_format_is_sanitised():
    spec = only(
        '[html]<p onclick="steal()">客户说<b>你好</b><script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><iframe src="x"></iframe>{T}'
    ).spec
    assert spec["text"] == "<p>客户说<b>你好</b></p><a>链接</a>"


def test_markdown_format():
    spec = only("[markdown]**注意**：先问候{=是 ~否}").spec
    assert spec["text"] == "<strong>注意</strong>：先问候"
    assert [c["text"] for c in spec["choices"]] == ["是", "否"]  # one-liners stay bare


def test_plain_and_moodle_formats_escape_markup():
    assert only("[plain]a <b> c{T}").spec["text"] == "a &lt;b&gt; c"
    assert only("[moodle]a <b> c{T}").spec["text"] == "a &lt;b&gt; c"
    assert only("a <b> c{T}").spec["text"] == "a &lt;b&gt; c"


def test_moodle_format_paragraphs_and_line_breaks():
    spec = only("第一段\\n第二行\\n\\n第二段{T}").spec
    assert spec["text"] == "<p>第一段<br>第二行</p><p>第二段</p>"


def test_answers_default_to_the_question_format_and_may_have_their_own():
    spec = only("[html]<p>选</p>{=<i>甲</i>#<b>好</b> ~[plain]<i>乙</i> ~[markdown]*丙*}").spec
    assert [c["text"] for c in spec["choices"]] == [
        "<i>甲</i>",
        "&lt;i&gt;乙&lt;/i&gt;",
        "<em>丙</em>",
    ]
    assert spec["choices"][0]["feedback"] == "<b>好</b>"


def test_unknown_format_is_a_problem():
    [problem] = problems_of("::格式::[htm]题目{T}")
    assert (problem.line, problem.question) == (1, "格式")
    assert "[htm]" in problem.message


def test_bracketed_text_that_is_no_format_name_stays_text():
    assert only("[重要] 先问候{T}").spec["text"] == "[重要] 先问候"
    assert only("[A] 先问候{T}").spec["text"] == "[A] 先问候"


# -- escapes and Chinese text -------------------------------------------------------------------


def test_escaped_characters():
    spec = only(
        r"::转义\:标题::比例 1\:2，\{甲\} \= 乙 \~ 丙 \# 丁 路径 C\\temp\n下一行{"
        r"=答\=案\#1#反馈\~ ~错\{误\}}"
    ).spec
    assert spec["text"] == "比例 1:2，{甲} = 乙 ~ 丙 # 丁 路径 C\\temp<br>下一行"
    assert [c["text"] for c in spec["choices"]] == ["答=案#1", "错{误}"]
    assert spec["choices"][0]["feedback"] == "反馈~"
    assert parse_gift(r"::转义\:标题::题{T}").questions[0].name == "转义:标题"


def test_full_width_punctuation_is_just_text():
    spec = only("::全角::客户说：「你好～」＝礼貌？｛不是答案｝＃【注意】{=对～ ~错＝}").spec
    assert spec["text"] == "客户说：「你好～」＝礼貌？｛不是答案｝＃【注意】"
    assert [c["text"] for c in spec["choices"]] == ["对～", "错＝"]


def test_chinese_title_with_full_width_colon():
    assert only("::第一题：接听::题目{T}").name == "第一题：接听"


def test_moodle_tags_in_comments():
    question = only(
        "// question: 12  name: 接听\n// [id:Q12] [tag:电话] [tag:新员工]\n::接听::题{T}"
    )
    assert question.tags == ["电话", "新员工"]


# -- problems -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("::未闭合::题目 {=对 ~错", 1, "缺少结尾的“}”"),
        ("::反了::题目} {=对}", 1, "没有与之对应的“{”"),
        ("::两空::甲 {=a ~b} 乙 {=c ~d}", 1, "只能有一个答案部分"),
        ("::嵌套::甲 {=a {~b}}", 1, "不能再有“{”"),
        ("::没结尾 题目{T}", 1, "缺少结尾的“::”"),
    ],
)
def test_malformed_questions(text, line, words):
    [problem] = problems_of(text)
    assert problem.line == line
    assert words in problem.message


def test_moodle_cloze_syntax_is_refused():
    [problem] = problems_of("::完形::热线是 {1:SHORTANSWER:=96333} 号。")
    assert problem.question == "完形"
    assert "完形填空" in problem.message


def test_blank_line_inside_an_answer_block():
    problems = problems_of("::空行::选？{\n=甲\n\n~乙\n}")
    # The paragraph after the blank line is read on its own, named by its first words.
    assert [(p.line, p.question) for p in problems] == [(1, "空行"), (5, "~乙 }")]


def test_every_problem_in_a_file_is_reported_and_good_questions_still_import():
    text = (
        "$CATEGORY: $course$/top/测试\n"  # 1
        "\n"
        "::好题一::正常题目{=对 ~错}\n"  # 3
        "\n"
        "::接听电话::客户来电{=您好\n"  # 5
        "~喂\n"
        "\n"
        "::数值::多少？{#十二}\n"  # 8
        "\n"
        "// [ordering]\n"  # 10
        "::排序::步骤{\n"  # 11
        "=1 -> 问候\n"
        "=二 -> 道别\n"  # 13
        "}\n"
        "\n"
        "::好题二::正常{F}\n"  # 16
        "\n"
        "::匹配::配对{=甲 -> 乙 =丙 丁}\n"  # 18
    )
    result = parse_gift(text)
    assert [q.name for q in result.questions] == ["好题一", "好题二"]
    assert all(q.category == "测试" for q in result.questions)
    located = [(p.line, p.question) for p in result.problems]
    assert located == [(5, "接听电话"), (8, "数值"), (13, "排序"), (18, "匹配")]


def test_problem_as_text():
    problem = ImportProblem(12, "接听电话", "不支持的 GIFT 语法：{=a}{=b}")
    assert str(problem) == "第 12 行（题目“接听电话”）：不支持的 GIFT 语法：{=a}{=b}"
    assert str(ImportProblem(3, None, "出错了")) == "第 3 行：出错了"
    assert str(ImportProblem(None, None, "出错了")) == "出错了"


def test_spec_problems_are_reported_with_line_and_name():
    result = parse_gift("\n::一个选项::选？{=甲}\n")
    assert result.questions[0].spec["kind"] == kinds.SHORT_ANSWER  # one "=" → short answer
    result = parse_gift("\n::一个选项::选？{=甲 ~}\n")
    assert result.questions == []
    assert [(p.line, p.question) for p in result.problems] == [(2, "一个选项")]


# -- export -------------------------------------------------------------------------------------


def every_kind() -> list[ImportedQuestion]:
    def q(name, category, spec, tags=()):
        return ImportedQuestion(
            name=name, category=category, spec=kinds.assign_ids(spec), line=0, tags=list(tags)
        )

    # HTML as the importers write it (sanitised), so that it comes back byte for byte.
    tricky = '<p title="1=2#3{x}">特殊字符：~ = # { } : \\ % [ ] -&gt; 结束</p>'
    return [
        q(
            "描述",
            None,
            {"kind": "description", "text": "<p>背景：以下各题</p>", "general_feedback": ""},
        ),
        q(
            "单选：特殊字符",
            "客服/基础",
            {
                "kind": "single",
                "text": tricky,
                "general_feedback": "<p>总评 #1</p>",
                "choices": [
                    {"text": "对 = 对", "fraction": 1.0, "feedback": "<b>好</b>：#"},
                    {"text": "%50% 开头", "fraction": 0.0, "feedback": ""},
                    {"text": "[note] 开头", "fraction": 0.5, "feedback": "部分"},
                    {"text": "错", "fraction": -0.3333333, "feedback": ""},
                ],
            },
            tags=["电话", "a]b"],
        ),
        q(
            "多选",
            "客服/基础",
            {
                "kind": "multiple",
                "text": "多选题",
                "general_feedback": "",
                "choices": [
                    {"text": "甲", "fraction": 0.3333333, "feedback": ""},
                    {"text": "乙", "fraction": 0.3333333, "feedback": ""},
                    {"text": "丙", "fraction": 0.3333333, "feedback": ""},
                    {"text": "丁", "fraction": -1.0, "feedback": "不对"},
                ],
            },
        ),
        q(
            "多选一个对",
            "客服/基础",
            {
                "kind": "multiple",
                "text": "只有一个对",
                "general_feedback": "",
                "choices": [
                    {"text": "甲", "fraction": 1.0, "feedback": ""},
                    {"text": "乙", "fraction": 0.0, "feedback": ""},
                ],
            },
        ),
        q(
            "判断对",
            "客服/进阶",
            {
                "kind": "truefalse",
                "text": "对吗？",
                "general_feedback": "总评",
                "answer": True,
                "feedback_true": "答对了",
                "feedback_false": "",
            },
        ),
        q(
            "判断错",
            "客服/进阶",
            {
                "kind": "truefalse",
                "text": "错吗？",
                "general_feedback": "",
                "answer": False,
                "feedback_true": "",
                "feedback_false": "对",
            },
        ),
        q(
            "判断无反馈",
            "客服/进阶",
            {
                "kind": "truefalse",
                "text": "x",
                "general_feedback": "",
                "answer": False,
                "feedback_true": "",
                "feedback_false": "",
            },
        ),
        q(
            "填空",
            None,
            {
                "kind": "shortanswer",
                "text": "热线 _____ 号",
                "general_feedback": "",
                "case_sensitive": True,
                "answers": [
                    {"text": "SD-1", "fraction": 1.0, "feedback": "对"},
                    {"text": "[x] *", "fraction": 0.5, "feedback": ""},
                    {"text": "a:b=c#d", "fraction": 0.25, "feedback": ""},
                ],
            },
        ),
        q(
            "数值",
            None,
            {
                "kind": "numeric",
                "text": "多少？",
                "general_feedback": "看标准",
                "answers": [
                    {"value": 24.0, "tolerance": 0.0, "fraction": 1.0, "feedback": "对"},
                    {"value": -2.5, "tolerance": 0.125, "fraction": 0.5, "feedback": ""},
                    {"value": 1e-05, "tolerance": 0.0, "fraction": 0.0, "feedback": "太小"},
                ],
            },
        ),
        q(
            "匹配",
            None,
            {
                "kind": "matching",
                "text": "配对",
                "general_feedback": "",
                "pairs": [
                    {"prompt": "<p>水管 -&gt; 漏水</p>", "answer": "工程部 -> 维修"},
                    {"prompt": "噪音", "answer": "秩序部"},
                    {"prompt": "", "answer": "财务部"},
                ],
            },
        ),
        q(
            "排序",
            None,
            {
                "kind": "ordering",
                "text": "排序",
                "general_feedback": "",
                "items": [{"text": "<b>问候</b>"}, {"text": "询问 = 需求"}, {"text": "[2] 道别"}],
            },
        ),
        q(
            "问答",
            "综合",
            {
                "kind": "essay",
                "text": "<p>写回复</p>",
                "general_feedback": "<p>要点</p>",
                "rubric": [
                    {"criterion": "态度 | 礼貌", "points": 3},
                    {"criterion": "时限", "points": 2},
                ],
                "reply_template": "您好：\n  ……\n此致",
            },
        ),
        q(
            "问答无评分",
            "综合",
            {
                "kind": "essay",
                "text": "写",
                "general_feedback": "",
                "rubric": [],
                "reply_template": "",
            },
        ),
    ]


def test_every_kind_is_valid_to_start_with():
    for question in every_kind():
        assert kinds.spec_problems(question.spec) == [], question.name


def test_round_trip_of_every_kind():
    questions = every_kind()
    exported = export_gift(questions)
    result = parse_gift(exported)
    assert [str(p) for p in result.problems] == []
    same_questions(questions, result.questions)


def test_round_trip_is_stable():
    once = export_gift(every_kind())
    assert export_gift(parse_gift(once).questions) == once


def test_export_layout():
    exported = export_gift(every_kind())
    assert exported.count("$CATEGORY:") == 4  # 基础, 进阶, none, 综合: only on a change
    assert "$CATEGORY: $course$/top/客服/基础\n" in exported
    assert "$CATEGORY: $course$/top\n" in exported  # back to no category
    assert "::单选：特殊字符::[html]" in exported
    assert "\t=对 \\= 对#<b>好</b>：\\#\n" in exported
    assert "\t~%-33.33333%错\n" in exported
    assert "::判断对::[html]对吗？{TRUE##答对了####总评}" in exported
    assert "::判断错::[html]错吗？{FALSE##对}" in exported
    assert "// [ordering]\n::排序::[html]排序{\n\t=1 -> <b>问候</b>\n" in exported
    assert "// [rubric] 3 | 态度 | 礼貌\n" in exported
    assert "// [template] 您好：\\n  ……\\n此致\n" in exported
    assert "::问答无评分::[html]写{}" in exported
    assert "::描述::[html]<p>背景：以下各题</p>\n" in exported
    assert "// [tag:电话]\n// [tag:a\\]b]\n" in exported
    # Every question is one paragraph: no blank line inside a question.
    for paragraph in exported.strip().split("\n\n"):
        assert paragraph.strip()


def test_export_of_an_unknown_kind_fails():
    question = ImportedQuestion("x", None, {"kind": "cloze", "text": "x"}, 0)
    with pytest.raises(ValueError):
        export_gift([question])


# -- text formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>a</p><script>alert(1)</script>", "<p>a</p>"),
        ("<style>p{}</style><p>a</p>", "<p>a</p>"),
        ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
        ('<a href="https://example.com/">x</a>', '<a href="https://example.com/">x</a>'),
        ("<iframe src='https://evil'></iframe><p>b</p>", "<p>b</p>"),
        ("<p><!-- 注释 -->a</p>", "<p>a</p>"),
        ("<p>a &amp; b &lt; c</p>", "<p>a &amp; b &lt; c</p>"),
    ],
)
def test_sanitise_html(fragment, expected):
    assert sanitise_html(fragment) == expected
    assert sanitise_html(expected) == expected


@pytest.mark.parametrize(
    "fmt", ["html", "markdown", "moodle", "plain", "moodle_auto_format", "plain_text"]
)
@pytest.mark.parametrize(
    "text",
    [
        "<p>a</p>\n\n<script>x</script>\n\n<p>b</p>",
        "一\n二\n\n三",
        "**粗** <i>斜</i>",
        "- 甲\n- 乙",
        "a < b & c > d",
    ],
)
def test_every_format_gives_stable_html(fmt, text):
    html = to_html(text, fmt)
    assert to_html(html, "html") == html
    assert "<script" not in html


def test_unknown_format_name_raises():
    with pytest.raises(ValueError):
        to_html("x", "wiki")


def test_html_to_plain():
    assert html_to_plain("<p>您好，</p><p>请问&nbsp;有什么<br>可以帮您？</p>") == (
        "您好，\n请问 有什么\n可以帮您？"
    )
    assert html_to_plain("<b>a</b> &lt;b&gt;<script>x</script>") == "a <b>"
    assert html_to_plain("") == ""


@pytest.mark.parametrize(
    "fragment",
    [
        "<!--><img src=x onerror=alert(1)>-->",
        "<!--[if IE]><script>x</script><![endif]-->",
        "<!DOCTYPE html>",
        "<?php echo 1 ?>",
        "<svg onload=alert(1)></svg>",
    ],
)
def test_sanitise_html_tricks(fragment):
    cleaned = sanitise_html(fragment)
    assert "alert" not in cleaned and "<script" not in cleaned and "<!" not in cleaned
    assert "<?" not in cleaned


@pytest.mark.parametrize(
    "attack",
    [
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
        '<form action="https://evil.example"><input name="q1" value="c"><button>go</button></form>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        '<p style="position:fixed;inset:0">cover</p>',
    ],
)
def test_imported_html_keeps_nothing_that_runs_or_submits(attack):
    from quizzes.textformat import sanitise_html

    cleaned = sanitise_html(attack).lower()
    for bad in (
        "<svg",
        "<form",
        "<input",
        "<button",
        "javascript",
        "onerror",
        "<math",
        "style=",
        "animate",
    ):
        assert bad not in cleaned, (attack, cleaned)
