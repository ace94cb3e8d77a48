"""What remains before a scenario can be published (roleplays.checklist), as plain Python."""

from roleplays import engine
from roleplays.checklist import checklist, publishable
from roleplays.twee import parse_twee
from roleplays.twee_template import TEMPLATE

SETTING = {"owner": "王女士，5栋902业主", "situation": "卫生间天花板漏水。"}


def graph(*, verdicts=(True, False), points=None) -> engine.Graph:
    return engine.Graph.from_dict(
        {
            "start": "N1",
            "nodes": [
                {
                    "key": "N1",
                    "kind": "owner",
                    "text": "我家漏水了！",
                    "choices": [
                        {"key": "a", "text": "马上登记", "target": "好", "points": points or {}},
                        {"key": "b", "text": "不归我们管", "target": "坏"},
                    ],
                },
                {"key": "好", "kind": "ending", "outcome": "解决了", "passed": verdicts[0]},
                {"key": "坏", "kind": "ending", "outcome": "投诉了", "passed": verdicts[1]},
            ],
        }
    )


def items(setting, g):
    return checklist(setting, g, engine.problems(g))


def test_a_complete_scenario_has_nothing_left():
    assert items(SETTING, graph(points={"empathy": 2})) == []


def test_an_imported_story_lists_the_setting_the_verdicts_and_the_scoring():
    found = items({"owner": "", "situation": " "}, graph(verdicts=(None, None)))
    assert [i.code for i in found] == ["owner", "situation", "verdicts", "scoring"]
    verdicts = found[2]
    assert verdicts.details == ("好", "坏") and verdicts.where == "nodes"
    assert "2" in verdicts.message
    assert [i.where for i in found[:2]] == ["owner", "situation"]
    assert not publishable(found)


def test_scoring_is_advice_only():
    found = items(SETTING, graph())
    assert [(i.code, i.required) for i in found] == [("scoring", False)]
    assert publishable(found)


def test_all_endings_failing_asks_for_a_passing_one():
    found = items(SETTING, graph(verdicts=(False, False), points={"empathy": 1}))
    assert [i.code for i in found] == ["passing"]


def test_other_graph_problems_are_listed_under_the_graph():
    g = engine.Graph.from_dict(
        {
            "start": "N1",
            "nodes": [
                {
                    "key": "N1",
                    "kind": "owner",
                    "text": "",
                    "choices": [
                        {"key": "a", "text": "好", "target": "E", "points": {"process": 1}}
                    ],
                },
                {"key": "E", "kind": "ending", "outcome": "好", "passed": True},
                {"key": "孤岛", "kind": "ending", "outcome": "没人来", "passed": False},
            ],
        }
    )
    (item,) = items(SETTING, g)
    assert item.code == "graph" and item.where == "graph" and item.required
    assert len(item.details) == 2  # N1 has no text; 孤岛 cannot be reached
    assert any("孤岛" in d for d in item.details) and any("N1" in d for d in item.details)


def test_an_undecided_ending_is_refused_by_publishing_itself():
    codes = [p.code for p in engine.problems(graph(verdicts=(True, None)))]
    assert codes == ["no_verdict"]


def test_the_downloadable_template_is_complete():
    result = parse_twee(TEMPLATE)
    assert result.problems == [] and result.ignored == []
    g = engine.Graph.from_dict(result.story.graph)
    assert items(result.story.setting, g) == []
    # every dimension is used, and both kinds of ending, so trainers see each convention
    used = {d for n in g.nodes.values() for c in n.choices for d in c.points}
    assert used == set(engine.DIMENSIONS)
    assert {n.passed for n in g.nodes.values() if n.is_ending} == {True, False}
