"""Moodle XML import (quizzes/moodlexml.py). Plain Python: no database.

spec_problems() messages are translated by Django, so tests check that such a problem is
reported (line, question), not its wording.
"""

from pathlib import Path

import pytest

from quizzes import spec as kinds
from quizzes.gift import export_gift, parse_gift
from quizzes.moodlexml import parse_moodle_xml

FIXTURES = Path(__file__).parent / "fixtures"


def without_ids(value):
    if isinstance(value, dict):
        return {k: without_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [without_ids(v) for v in value]
    return value


def quiz(*questions: str, category: str | None = None) -> str:
    """A Moodle XML file around `questions` (XML snippets), optionally in a category."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n'
    if category:
        head += (
            f'<question type="category"><category><text>{category}</text></category></question>\n'
        )
    return head + "\n".join(questions) + "\n</quiz>\n"


def question(
    qtype: str, body: str, *, name: str = "题目", text: str = "<p>题干</p>", fmt: str = "html"
) -> str:
    return (
        f'<question type="{qtype}">\n'
        f"  <name><text>{name}</text></name>\n"
        f'  <questiontext format="{fmt}"><text><![CDATA[{text}]]></text></questiontext>\n'
        f"{body}\n"
        "</question>"
    )


def only(xml: str):
    result = parse_moodle_xml(xml)
    assert result.problems == [], [str(p) for p in result.problems]
    assert len(result.questions) == 1
    return result.questions[0]


# -- the sample file -----------------------------------------------------------------------


@pytest.fixture
def sample():
    return parse_moodle_xml((FIXTURES / "moodle_sample.xml").read_bytes())


def by_name(result):
    return {q.name: q for q in result.questions}


def test_sample_questions_kinds_and_categories(sample):
    assert [(q.name, q.spec["kind"], q.category) for q in sample.questions] == [
        ("接听电话的第一句话", "single", "客服入门/接听电话"),
        ("安抚情绪的做法", "multiple", "客服入门/接听电话"),
        ("业主隐私", "truefalse", "客服入门/接听电话"),
        ("电梯救援电话", "shortanswer", "客服入门/报修处理"),
        ("系统代码", "shortanswer", "客服入门/报修处理"),
        ("上门时限", "numeric", "客服入门/报修处理"),
        ("报修部门", "matching", "客服入门/报修处理"),
        ("投诉处理顺序", "ordering", "客服入门/报修处理"),
        ("电梯投诉回复", "essay", "客服入门/综合"),
        ("服务心得", "essay", "客服入门/综合"),
        ("案例背景", "description", "客服入门/综合"),
        ("看图识表", "single", "客服入门/综合"),
    ]
    for imported in sample.questions:
        assert kinds.spec_problems(imported.spec) == []


def test_sample_lines_tags_and_marks(sample):
    questions = by_name(sample)
    first = questions["接听电话的第一句话"]
    assert first.line == 15  # the line of its <question>
    assert first.tags == ["电话礼仪", "新员工"]
    assert first.default_mark == 1
    assert questions["安抚情绪的做法"].default_mark == 2
    assert questions["电梯投诉回复"].default_mark == 6
    assert questions["案例背景"].default_mark == 0


def test_sample_problems(sample):
    assert [(p.line, p.question, p.skipped) for p in sample.problems] == [
        (249, "上门时限", False),  # the "*" answer's feedback is dropped
        (452, "完形填空-报修", True),
        (468, "物业费计算", True),
        (485, "看图识表", False),  # the embedded image
    ]
    cloze, calculated = sample.problems[1:3]
    assert str(cloze) == (
        "第 452 行（题目“完形填空-报修”）：不支持的 Moodle 题型“cloze”（完形填空（嵌入式答案）），已跳过"
    )
    assert "calculatedsimple" in calculated.message
    assert "已忽略" in sample.problems[0].message
    assert "图片" in sample.problems[3].message


def test_sample_multichoice(sample):
    spec = by_name(sample)["接听电话的第一句话"].spec
    assert spec["text"] == '<p dir="ltr">客户来电时，第一句话应该怎么说？</p>'  # style dropped
    assert spec["general_feedback"] == ('<p dir="ltr">先问候，再报出身份。</p>')
    assert [c["fraction"] for c in spec["choices"]] == [1, 0, 0]
    assert spec["choices"][0]["feedback"] == "<p>很好。</p>"
    # <script> inside an option is removed.
    assert spec["choices"][2]["text"] == '<p dir="ltr">稍等，我在忙。</p>'

    multiple = by_name(sample)["安抚情绪的做法"].spec
    assert [c["fraction"] for c in multiple["choices"]] == [0.3333333] * 3 + [-1]


def test_sample_true_false(sample):
    spec = by_name(sample)["业主隐私"].spec
    assert spec["answer"] is False
    assert spec["feedback_true"] == "<p>错！业主信息属于个人隐私。</p>"
    assert spec["feedback_false"] == "<p>正确。</p>"


def test_sample_short_answers(sample):
    rescue = by_name(sample)["电梯救援电话"].spec
    assert (
        rescue["text"]
        == "电梯困人时，除了物业值班电话，还可以拨打哪个电梯应急救援号码？<br>（填数字）"
    )
    assert rescue["answers"] == [
        {"text": "96333", "fraction": 1, "feedback": "正确。"},
        {"text": "110", "fraction": 0.5, "feedback": "也可以，但首选 96333。"},
    ]
    assert rescue["case_sensitive"] is False
    code = by_name(sample)["系统代码"].spec
    assert code["case_sensitive"] is True
    assert code["text"] == "报修系统里“水电维修”的工单类型代码是？（注意大小写）"


def test_sample_numeric(sample):
    assert by_name(sample)["上门时限"].spec["answers"] == [
        {"value": 24, "tolerance": 0, "fraction": 1, "feedback": "<p>正确。</p>"},
        {
            "value": 36,
            "tolerance": 12,
            "fraction": 0.5,
            "feedback": "<p>不超过 48 小时，勉强可以。</p>",
        },
    ]


def test_sample_matching_with_distractor(sample):
    assert without_ids(by_name(sample)["报修部门"].spec["pairs"]) == [
        {"prompt": "<p>水管漏水</p>", "answer": "工程部"},
        {"prompt": "<p>小区噪音</p>", "answer": "秩序维护部"},
        {"prompt": "<p>物业费发票</p>", "answer": "财务部"},
        {"prompt": "", "answer": "绿化部"},
    ]


def test_sample_ordering(sample):
    items = by_name(sample)["投诉处理顺序"].spec["items"]
    assert [i["text"] for i in items] == [
        "倾听并安抚客户",
        "记录投诉内容",
        "转交责任部门",
        "回访客户",
    ]


def test_sample_essays(sample):
    essay = by_name(sample)["电梯投诉回复"].spec
    assert essay["rubric"] == [
        {"criterion": "先安抚业主情绪，表达理解", "points": 3},
        {"criterion": "说明处理流程和时限", "points": 2},
        {"criterion": "用语礼貌，没有推诿", "points": 1},
    ]
    assert essay["reply_template"] == "您好，\n……"
    other = by_name(sample)["服务心得"].spec
    assert other["rubric"] == []  # grader information that is not a rubric
    assert other["reply_template"] == ""


def test_sample_description_in_markdown(sample):
    spec = by_name(sample)["案例背景"].spec
    assert spec == {
        "kind": "description",
        "text": "<strong>案例背景</strong>：以下两题基于业主张先生的来电。",
        "general_feedback": "",
    }


def test_sample_image_is_kept_but_sanitised(sample):
    text = by_name(sample)["看图识表"].spec["text"]
    assert "onerror" not in text
    assert '<img alt="表具" src="@@PLUGINFILE@@/meter.png" width="200">' in text


def test_sample_exports_to_gift_and_back(sample):
    again = parse_gift(export_gift(sample.questions))
    assert again.problems == []
    assert [(q.name, q.category, q.tags) for q in again.questions] == [
        (q.name, q.category, q.tags) for q in sample.questions
    ]
    for before, after in zip(sample.questions, again.questions, strict=True):
        assert without_ids(after.spec) == without_ids(before.spec), before.name


def test_text_input_is_accepted_too():
    text = (FIXTURES / "moodle_sample.xml").read_text(encoding="utf-8")
    assert len(parse_moodle_xml(text).questions) == 12


# -- question types in detail ------------------------------------------------------------------


def test_multichoice_single_false_is_multiple():
    for value in ("false", "0"):
        imported = only(
            quiz(
                question(
                    "multichoice",
                    f"""
            <single>{value}</single>
            <answer fraction="50"><text>甲</text></answer>
            <answer fraction="50"><text>乙</text></answer>
            <answer fraction="-100"><text>丙</text></answer>""",
                )
            )
        )
        assert imported.spec["kind"] == kinds.MULTIPLE


def test_multichoice_answers_default_to_the_question_format():
    spec = only(
        quiz(
            question(
                "multichoice",
                """
        <single>true</single>
        <answer fraction="100"><text>a &lt;b&gt;</text></answer>
        <answer fraction="0" format="html"><text>&lt;b&gt;粗&lt;/b&gt;</text></answer>""",
                fmt="moodle_auto_format",
                text="选哪个？",
            )
        )
    ).spec
    assert [c["text"] for c in spec["choices"]] == ["a &lt;b&gt;", "<b>粗</b>"]


def test_truefalse_answer_true():
    spec = only(
        quiz(
            question(
                "truefalse",
                """
        <answer fraction="100" format="moodle_auto_format"><text>true</text>
          <feedback format="html"><text>对</text></feedback></answer>
        <answer fraction="0" format="moodle_auto_format"><text>false</text>
          <feedback format="html"><text>错</text></feedback></answer>""",
            )
        )
    ).spec
    assert spec["answer"] is True
    assert (spec["feedback_true"], spec["feedback_false"]) == ("对", "错")


def test_truefalse_in_an_old_file_without_true_false_words():
    spec = only(
        quiz(
            question(
                "truefalse",
                """
        <answer fraction="0"><text>是</text></answer>
        <answer fraction="100"><text>否</text></answer>""",
            )
        )
    ).spec
    assert spec["answer"] is False


def test_numerical_without_tolerance_and_with_units():
    result = parse_moodle_xml(
        quiz(
            question(
                "numerical",
                """
        <answer fraction="100"><text>2.5</text></answer>
        <units><unit><multiplier>1</multiplier><unit_name>元</unit_name></unit></units>""",
                name="单价",
            )
        )
    )
    [imported] = result.questions
    assert imported.spec["answers"] == [
        {"value": 2.5, "tolerance": 0, "fraction": 1, "feedback": ""}
    ]
    [problem] = result.problems
    assert problem.skipped is False
    assert "单位（元）" in problem.message


def test_numerical_answer_that_is_not_a_number():
    result = parse_moodle_xml(
        quiz(
            question(
                "numerical",
                """
        <answer fraction="100"><text>二十四</text><tolerance>0</tolerance></answer>""",
                name="时限",
            )
        )
    )
    assert result.questions == []
    [problem] = result.problems
    assert (problem.question, problem.skipped) == ("时限", True)
    assert "二十四" in problem.message


def test_matching_with_plain_text_prompts():
    spec = only(
        quiz(
            question(
                "matching",
                """
        <subquestion format="moodle_auto_format"><text>猫</text><answer><text>鱼</text></answer></subquestion>
        <subquestion format="moodle_auto_format"><text>狗</text><answer><text>骨头</text></answer></subquestion>""",
                fmt="moodle_auto_format",
                text="配对",
            )
        )
    ).spec
    assert without_ids(spec["pairs"]) == [
        {"prompt": "猫", "answer": "鱼"},
        {"prompt": "狗", "answer": "骨头"},
    ]


def test_ordering_keeps_document_order():
    spec = only(
        quiz(
            question(
                "ordering",
                """
        <answer fraction="1" format="html"><text><![CDATA[<p>第一步</p>]]></text></answer>
        <answer fraction="2" format="html"><text><![CDATA[<p>第二步</p>]]></text></answer>""",
            )
        )
    ).spec
    assert [i["text"] for i in spec["items"]] == ["<p>第一步</p>", "<p>第二步</p>"]


@pytest.mark.parametrize(
    ("grader_info", "rubric"),
    [
        (
            "<p>3 | 态度</p><p>2 ｜ 时限</p>",
            [{"criterion": "态度", "points": 3}, {"criterion": "时限", "points": 2}],
        ),
        ("<p>3分 | 态度</p>", [{"criterion": "态度", "points": 3}]),
        ("<p>3 | 态度</p><p>其他酌情</p>", []),
        ("<p>0 | 态度</p>", []),
        ("", []),
    ],
)
def test_essay_rubric_from_grader_info(grader_info, rubric):
    spec = only(
        quiz(
            question(
                "essay",
                f"""
        <graderinfo format="html"><text><![CDATA[{grader_info}]]></text></graderinfo>
        <responsetemplate format="plain_text"><text>尊敬的业主：
您好！</text></responsetemplate>""",
            )
        )
    ).spec
    assert spec["rubric"] == rubric
    assert spec["reply_template"] == "尊敬的业主：\n您好！"


def test_plain_text_and_markdown_formats():
    assert (
        only(quiz(question("description", "", text="a <b> & c", fmt="plain_text"))).spec["text"]
        == "a &lt;b&gt; &amp; c"
    )
    assert (
        only(quiz(question("description", "", text="# 标题\n\n正文", fmt="markdown"))).spec["text"]
        == "<h1>标题</h1>\n<p>正文</p>"
    )


def test_unknown_format_is_read_as_moodle_auto_format():
    spec = only(quiz(question("description", "", text="一\n二", fmt="wiki_like"))).spec
    assert spec["text"] == "一<br>二"


def test_missing_name_is_taken_from_the_text():
    imported = only(quiz(question("description", "", name="", text="<p>以下题目关于报修</p>")))
    assert imported.name == "以下题目关于报修"


def test_category_alone_and_system_context():
    result = parse_moodle_xml(
        quiz(
            question("description", "", name="甲"),
            '<question type="category"><category><text>$system$/top/公共/礼仪</text></category>'
            "</question>",
            question("description", "", name="乙"),
        )
    )
    assert [(q.name, q.category) for q in result.questions] == [("甲", None), ("乙", "公共/礼仪")]


# -- problems ---------------------------------------------------------------------------------


def test_unsupported_types_are_named():
    result = parse_moodle_xml(
        quiz(
            question("ddwtos", "", name="拖放"),
            question("randomsamatch", "", name="随机"),
            question("somethingnew", "", name="新题型"),
            question("description", "", name="说明"),
        )
    )
    assert [q.name for q in result.questions] == ["说明"]
    assert [(p.question, p.line) for p in result.problems] == [
        ("拖放", 3),
        ("随机", 8),
        ("新题型", 13),
    ]
    assert "“ddwtos”（拖放到文本）" in result.problems[0].message
    assert "“somethingnew”" in result.problems[2].message


def test_invalid_spec_is_a_problem_and_other_questions_still_import():
    result = parse_moodle_xml(
        quiz(
            question(
                "multichoice", '<answer fraction="100"><text>唯一</text></answer>', name="一个选项"
            ),
            question(
                "shortanswer", '<answer fraction="50"><text>半对</text></answer>', name="没有满分"
            ),
            question("truefalse", "", name="没有答案"),
            question("description", "", name="好的"),
        )
    )
    assert [q.name for q in result.questions] == ["好的"]
    assert [(p.question, p.line) for p in result.problems] == [
        ("一个选项", 3),
        ("没有满分", 8),
        ("没有答案", 13),
    ]


def test_bad_fraction_is_a_problem():
    result = parse_moodle_xml(
        quiz(
            question(
                "multichoice",
                """
        <answer fraction="全对"><text>甲</text></answer>
        <answer fraction="0"><text>乙</text></answer>""",
                name="分数",
            )
        )
    )
    assert result.questions == []
    assert "“全对”" in result.problems[0].message
    assert result.problems[0].line == 7  # the line of that <answer>


def test_malformed_xml_gives_one_problem_with_its_line():
    result = parse_moodle_xml(
        quiz(
            question("description", "", name="好"),
            '<question type="description">\n<name><text>坏</name>\n</question>',
        )
    )
    assert result.questions == []
    [problem] = result.problems
    assert problem.line == 9
    assert "不是有效的 XML" in problem.message


def test_not_a_quiz_file():
    [problem] = parse_moodle_xml("<html><body>你好</body></html>").problems
    assert "<quiz>" in problem.message


def test_empty_quiz():
    result = parse_moodle_xml("<quiz></quiz>")
    assert (result.questions, result.problems) == ([], [])


def test_entity_expansion_is_refused():
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [\n<!ENTITY a "哈哈哈哈哈哈哈哈">\n'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">\n]>\n<quiz>&b;</quiz>'
    )
    [problem] = parse_moodle_xml(bomb).problems
    assert "实体" in problem.message


def test_external_entity_is_refused():
    xxe = (
        '<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<quiz><question type="description"><name><text>&x;</text></name></question></quiz>'
    )
    result = parse_moodle_xml(xxe)
    assert result.questions == []
    assert "实体" in result.problems[0].message


def test_gbk_files_are_read():
    xml = quiz(question("description", "", name="编码", text="<p>中文内容</p>"))
    declared = xml.replace('encoding="UTF-8"', 'encoding="GBK"').encode("gbk")
    assert only(declared).spec["text"] == "<p>中文内容</p>"
    # Saved from Notepad as "ANSI" while the declaration still says UTF-8.
    assert only(xml.encode("gbk")).spec["text"] == "<p>中文内容</p>"
    # A decoded string whose declaration names another encoding.
    assert only(xml.replace('encoding="UTF-8"', 'encoding="GBK"')).name == "编码"


def test_unknown_declared_encoding():
    [problem] = parse_moodle_xml(b'<?xml version="1.0" encoding="x-nonsense"?><quiz/>').problems
    assert "x-nonsense" in problem.message


def test_a_skipped_question_has_no_notes_about_its_parts():
    result = parse_moodle_xml(
        quiz(
            question(
                "numerical",
                """
        <answer fraction="50"><text>24</text></answer>
        <answer fraction="0"><text>*</text><feedback><text>再想想</text></feedback></answer>""",
                name="半对",
            )
        )
    )
    assert result.questions == []
    assert [p.skipped for p in result.problems] == [True]
