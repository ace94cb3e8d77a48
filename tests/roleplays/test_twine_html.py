"""Twine 2's published HTML (`<tw-storydata>`) and plain Twine stories, as plain Python."""

from pathlib import Path

from roleplays import engine
from roleplays.twee import Story, export_twee, is_twine_html, parse_twee

FIXTURES = Path(__file__).parent / "fixtures"

PUBLISHED = """\
<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>投诉演练</title>
<script>/* the story format's own code */ var s = "<tw-passagedata name='x'>";</script>
</head>
<body>
<tw-storydata name="投诉演练" startnode="2" creator="Twine" creator-version="2.6.2" \
format="SugarCube" format-version="2.36.1" ifid="D674C58C-DEFA-4F70-B7A2-27742230C0FC" \
options="" tags="" zoom="1" hidden><style role="stylesheet" id="twine-user-stylesheet" \
type="text/twine-css">body { color: red; }</style><script role="script" \
id="twine-user-script" type="text/twine-javascript">Config.history.maxStates = 1;</script>\
<tw-tag name="good" color="green"></tw-tag>\
<tw-passagedata pid="1" name="说明" tags="" position="100,100" size="100,100">\
没有链接的段落是结局。</tw-passagedata>
<tw-passagedata pid="2" name="开始" tags="" position="300,100" size="100,100">\
&lt;&lt;set $anger to 2&gt;&gt;业主：&quot;我家漏水了&quot; &amp; 很生气！
[[先道歉-&gt;道歉]]
[[这不归我们管|拒绝]]</tw-passagedata>
<tw-passagedata pid="3" name="道歉" tags="good pass" position="500,100" size="100,100">\
问题解决了。</tw-passagedata>
<tw-passagedata pid="4" name="拒绝" tags="fail" position="500,300" size="100,100">\
业主投诉。</tw-passagedata>
</tw-storydata>
</body>
</html>
"""


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if needle in line)


def test_published_html_reads_like_its_twee():
    assert is_twine_html(PUBLISHED) and not is_twine_html(":: Start\n你好")
    result = parse_twee(PUBLISHED)
    assert result.problems == []
    story = result.story
    assert story.title == "投诉演练" and story.ifid == "D674C58C-DEFA-4F70-B7A2-27742230C0FC"
    graph = engine.Graph.from_dict(story.graph)
    assert graph.start == "开始"  # startnode is a pid
    start = graph.nodes["开始"]
    assert start.text == '业主："我家漏水了" & 很生气！'  # HTML entities read as characters
    assert [(c.text, c.target) for c in start.choices] == [
        ("先道歉", "道歉"),
        ("这不归我们管", "拒绝"),
    ]
    assert graph.nodes["道歉"].passed is True and graph.nodes["拒绝"].passed is False
    assert graph.nodes["说明"].is_ending and graph.nodes["说明"].passed is None
    assert story.positions["道歉"] == (500.0, 100.0)
    ignored = {(p.line, p.passage, p.message.split("：")[0]) for p in result.ignored}
    assert (line_of(PUBLISHED, "&lt;&lt;set"), "开始", "已忽略 SugarCube 宏 <<set>>") in ignored
    assert any("样式表" in p.message for p in result.ignored)
    assert any("脚本 <script>" in p.message for p in result.ignored)


def test_a_broken_link_in_html_is_refused_on_its_line():
    text = PUBLISHED.replace("业主投诉。", "业主投诉。\n[[再试一次-&gt;没有这段]]")
    result = parse_twee(text)
    assert result.story is None
    (problem,) = result.problems
    assert problem.line == line_of(text, "再试一次") and problem.passage == "拒绝"
    assert "不存在的段落“没有这段”" in problem.message


def test_an_archive_of_several_stories_and_html_without_a_story_are_refused():
    archive = PUBLISHED.replace("</tw-storydata>", "</tw-storydata><tw-storydata name='B'>", 1)
    assert "2 个故事" in str(parse_twee(archive).problems[0])
    (problem,) = parse_twee("<!DOCTYPE html><html><body>你好</body></html>").problems
    assert "没有 <tw-storydata>" in problem.message


def test_a_plain_harlowe_story_imports_with_what_it_left_out():
    text = (FIXTURES / "harlowe_story.twee").read_text(encoding="utf-8")
    result = parse_twee(text)
    assert result.problems == []
    graph = engine.Graph.from_dict(result.story.graph)
    assert graph.start == "Start"  # no "start" in StoryData: the passage called Start
    assert graph.nodes["Start"].text == "业主：我的车位又被别人占了！你们保安是干什么的？"
    assert (
        graph.nodes["问情况"].text
        == "业主：B2-018，一辆白色的车。\n您可以马上联系车主挪车，或者让他先停到访客车位。"
    )
    assert [n.key for n in graph.nodes.values() if n.is_ending] == ["解决", "推诿"]
    assert all(n.passed is None for n in graph.nodes.values() if n.is_ending)
    assert result.story.setting["owner"] == ""
    assert [(p.line, p.passage) for p in result.ignored] == [
        (line_of(text, "(set: $patience to 2)"), "Start"),
        (line_of(text, "(if: $patience"), "Start"),
        (line_of(text, "(set: $patience to it"), "问情况"),
        (line_of(text, ":: 样式"), "样式"),
    ]


def test_undecided_endings_round_trip():
    text = (FIXTURES / "harlowe_story.twee").read_text(encoding="utf-8")
    story = parse_twee(text).story
    again = parse_twee(export_twee(Story(story.title, "X", story.setting, story.graph))).story
    assert again.graph == story.graph
