"""How much a scenario may hold (academy.limits), checked once in the engine: the node editor
and the Twee import refuse with the same message naming the limit. Plain Python, but for
the editor at the end."""

import re

import pytest
from academy.limits import (
    CHOICE_TEXT,
    CHOICES_PER_NODE,
    CONDITIONS_PER_CHOICE,
    SCENARIO_NODES,
    SCENARIO_TEXT,
)

from roleplays import engine
from roleplays.engine import Graph
from tests.cpu_time import cpu_budget
from tests.roleplays.test_engine import choice, ending, leak_graph, node
from tests.roleplays.test_twee import GOOD_END, line_of, problems, story


def story_graph(
    *, text="停电了怎么办？", choices=None, feedback="点评", outcome="业主放心回家", extra_nodes=()
):
    choices = choices if choices is not None else [choice("a", "E")]
    for c in choices:
        c["feedback"] = feedback
    return Graph.from_dict(
        {
            "start": "N1",
            "nodes": [
                node("N1", text=text, choices=choices),
                ending("E", True, outcome),
                *extra_nodes,
            ],
        }
    )


def codes(graph: Graph) -> list[tuple[str, str]]:
    return [(p.code, p.node) for p in engine.problems(graph)]


def message(graph: Graph, code: str) -> str:
    return next(p.message for p in engine.problems(graph) if p.code == code)


class TestTheEngine:
    def test_exactly_at_the_limits_is_fine(self):
        graph = story_graph(
            text="长" * SCENARIO_TEXT,
            outcome="长" * SCENARIO_TEXT,
            feedback="长" * SCENARIO_TEXT,
            choices=[
                choice(f"c{n}", "E", text="长" * (CHOICE_TEXT - 2) + f"{n:02}")
                for n in range(CHOICES_PER_NODE)
            ],
        )
        assert engine.problems(graph) == []

    def test_node_text_and_outcome(self):
        assert ("text_too_long", "N1") in codes(story_graph(text="长" * (SCENARIO_TEXT + 1)))
        too_long = story_graph(outcome="长" * (SCENARIO_TEXT + 1))
        assert ("text_too_long", "E") in codes(too_long)
        assert str(SCENARIO_TEXT) in message(too_long, "text_too_long")

    def test_choice_text_and_feedback(self):
        graph = story_graph(choices=[choice("a", "E", text="长" * (CHOICE_TEXT + 1))])
        assert ("choice_too_long", "N1") in codes(graph)
        assert str(CHOICE_TEXT) in message(graph, "choice_too_long")
        graph = story_graph(feedback="长" * (SCENARIO_TEXT + 1))
        assert ("feedback_too_long", "N1") in codes(graph)

    def test_choices_per_node_are_counted_before_any_path_is_searched(self):
        many = [choice(f"c{n}", "E") for n in range(20_000)]  # the search took minutes
        with cpu_budget(2):
            graph = story_graph(choices=many)
            assert ("too_many_choices", "N1") in codes(graph)
        assert str(CHOICES_PER_NODE) in message(graph, "too_many_choices")

    def test_nodes_per_scenario(self):
        extra = [ending(f"X{n}", True) for n in range(SCENARIO_NODES)]
        graph = story_graph(extra_nodes=extra)
        assert codes(graph) == [("too_many_nodes", "")]
        assert str(SCENARIO_NODES) in message(graph, "too_many_nodes")

    def test_the_setting(self):
        assert engine.setting_problems({"situation": "长" * SCENARIO_TEXT}) == []
        (problem,) = engine.setting_problems({"situation": "长" * (SCENARIO_TEXT + 1)})
        assert problem.code == "setting_too_long" and str(SCENARIO_TEXT) in problem.message

    def test_a_sound_graph_is_still_sound(self):
        assert engine.problems(leak_graph()) == []


class TestTheTweeImport:
    def test_each_limit_is_a_problem_on_its_line_in_the_engines_words(self):
        text = story(
            f"""
            :: 开场
            {"长" * (SCENARIO_TEXT + 1)}
            [[{"长" * (CHOICE_TEXT + 1)}->好结局]]
        """,
            GOOD_END,
        )
        found = problems(text)
        graph = story_graph(
            text="长" * (SCENARIO_TEXT + 1),
            choices=[choice("a", "E", text="长" * (CHOICE_TEXT + 1))],
        )
        too_long = message(graph, "text_too_long").replace("N1", "开场")
        assert any(p.line == line_of(text, ":: 开场") and p.message == too_long for p in found)
        choice_too_long = message(graph, "choice_too_long").replace("N1", "开场")
        assert any(
            p.line == line_of(text, "->好结局") and p.message == choice_too_long for p in found
        ), [str(p) for p in found]

    def test_a_situation_too_long(self):
        text = story(
            """
            :: 开场
            你好。
            [[好结局]]
        """,
            GOOD_END,
        ).replace("张先生来前台咨询停车费。", "长" * (SCENARIO_TEXT + 1))
        found = problems(text)
        (expected,) = engine.setting_problems({"situation": "长" * (SCENARIO_TEXT + 1)})
        assert any(
            p.line == line_of(text, "situation:") and p.message == expected.message for p in found
        ), [str(p) for p in found]

    @pytest.mark.parametrize("key", ["owner", "summary"])
    def test_an_owner_or_summary_longer_than_its_column(self, key):
        text = story(
            """
            :: 开场
            你好。
            [[好结局]]
        """,
            GOOD_END,
        ).replace(
            "owner: 张先生，2栋业主",
            f"owner: 张先生\n{key}: " + "长" * 256 if key == "summary" else "owner: " + "长" * 256,
        )
        assert any(key in p.message and "255" in p.message for p in problems(text))

    def test_five_megabytes_of_choices_in_one_passage_are_refused_quickly(self):
        link = '[[回复->好结局]] <!--kefu {"points": {"empathy": 1}, "feedback": "好"} -->\n'
        text = story(":: 开场\n你好。\n" + link * (5 * 2**20 // len(link.encode())), GOOD_END)
        with cpu_budget(5):  # it took over ten minutes
            found = problems(text)
        assert any(str(CHOICES_PER_NODE) in p.message for p in found)


# --- the node editor -------------------------------------------------------------------------


@pytest.mark.django_db
class TestTheEditor:
    @pytest.fixture
    def trainer_client(self, client):
        from tests.factories import UserFactory, ensure_tree_roots

        ensure_tree_roots()
        client.force_login(UserFactory(roles=["learner", "trainer"]))
        return client

    def save_draft(self, client, nodes, **extra):
        from tests.roleplays.test_admin import scenario_form

        return client.post("/admin/snippets/roleplays/scenario/add/", scenario_form(nodes, **extra))

    def nodes(self, *, text="停电了怎么办？", choices=1, choice_text="我帮您查一下"):
        return [
            {
                "key": "N1",
                "kind": "owner",
                "text": text,
                "choices": [{"text": choice_text, "target": "E"}] * choices,
            },
            {
                "key": "E",
                "kind": "ending",
                "text": "",
                "outcome": "业主放心回家",
                "passed": True,
                "choices": [],
            },
        ]

    @pytest.mark.parametrize(
        "nodes, figure",
        [
            ({"text": "长" * (SCENARIO_TEXT + 1)}, SCENARIO_TEXT),
            ({"choice_text": "长" * (CHOICE_TEXT + 1)}, CHOICE_TEXT),
            ({"choices": CHOICES_PER_NODE + 1}, CHOICES_PER_NODE),
        ],
        ids=["node text", "choice text", "choices"],
    )
    def test_even_a_draft_is_refused_beyond_a_limit(self, trainer_client, nodes, figure):
        from roleplays.models import Scenario

        response = self.save_draft(trainer_client, self.nodes(**nodes))
        assert response.status_code == 200
        assert str(figure) in response.content.decode()
        assert not Scenario.objects.exists()

    def test_a_situation_too_long_is_refused(self, trainer_client):
        from roleplays.models import Scenario

        response = self.save_draft(
            trainer_client, self.nodes(), situation="长" * (SCENARIO_TEXT + 1)
        )
        assert response.status_code == 200
        assert f"最多 {SCENARIO_TEXT} 个字符" in response.content.decode()
        assert not Scenario.objects.exists()

    def test_the_form_carries_the_limits(self, trainer_client):
        page = trainer_client.get("/admin/snippets/roleplays/scenario/add/").content.decode()
        assert f'maxlength="{SCENARIO_TEXT}"' in page  # the situation
        assert f"maxlength=\\&quot;{CHOICE_TEXT}\\&quot;" in page  # a choice, in the blocks' JSON
        assert re.search(rf"&quot;maxNum&quot;: {CHOICES_PER_NODE}\b", page)
        assert re.search(rf"&quot;maxNum&quot;: {SCENARIO_NODES}\b", page)
        assert re.search(rf"&quot;maxNum&quot;: {CONDITIONS_PER_CHOICE}\b", page)


def test_a_story_of_too_many_passages_is_refused_before_they_are_read(monkeypatch):
    from roleplays import twee

    def read_a_passage(*args):  # reading 100,000 passages took 4.5 s before
        raise AssertionError("a passage was read")

    monkeypatch.setattr(twee._Reader, "node", read_a_passage)
    passages = "".join(f":: N{n}\n你好。\n[[N{n + 1}]]\n\n" for n in range(100_000))  # 2.8 MB
    text = story(passages.replace(":: N0\n", ":: 开场\n", 1), GOOD_END)
    found = problems(text)
    assert [p.message for p in found] == [engine.too_many_nodes().message]


def layered_graph(*, layers: int, conditions: int) -> Graph:
    """A start, `layers` rows of 12 nodes each leading to all 12 of the next row, an ending;
    every choice of the last row carries `conditions` conditions that always hold."""
    width = CHOICES_PER_NODE
    row = [choice(f"c{j}", f"L0_{j}") for j in range(width)]
    nodes = [node("S", choices=row)]
    for i in range(layers):
        last = i == layers - 1
        condition = {"kind": "visited", "node": "S"}
        for j in range(width):
            nodes.append(
                node(
                    f"L{i}_{j}",
                    choices=[
                        choice(
                            f"c{k}",
                            "E" if last else f"L{i + 1}_{k}",
                            conditions=[condition] * (conditions if last else 0),
                            empathy=k % 3,
                        )
                        for k in range(width)
                    ],
                )
            )
    return Graph.from_dict({"start": "S", "nodes": [*nodes, ending("E", True)]})


def test_conditions_per_choice_are_bounded_before_any_path_is_searched():
    assert CONDITIONS_PER_CHOICE == 5
    with cpu_budget(2):  # it took 250 s
        found = engine.problems(layered_graph(layers=8, conditions=1000))
    assert {p.code for p in found} == {"too_many_conditions"}
    assert str(CONDITIONS_PER_CHOICE) in found[0].message
    assert "too_many_conditions" not in {
        p.code for p in engine.problems(layered_graph(layers=2, conditions=5))
    }


def test_twee_conditions_per_choice():
    condition = '{"kind": "visited", "node": "开场"}'
    text = story(
        f"""
        :: 开场
        你好。
        [[好结局]] <!--kefu {{"if": [{", ".join([condition] * 6)}]}} -->
    """,
        GOOD_END,
    )
    assert any(
        p.line == line_of(text, "[[好结局]]") and str(CONDITIONS_PER_CHOICE) in p.message
        for p in problems(text)
    )
