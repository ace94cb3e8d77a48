"""The best path as the engine defines it (`engine.search`): runs may go round loops, a good
reply scores once, conditions read scores and visited nodes. Checked against brute force — every
run of up to DEPTH choices, played by `engine.choose` itself — on many small random graphs with
loops and conditions. Plain Python."""

import random

import pytest

from roleplays import engine
from roleplays.engine import Graph
from tests.factories import conversation_graph
from tests.roleplays.test_engine import choice, ending, node

DEPTH = 12  # runs longer than this are not tried by brute force
DIMENSIONS = ("empathy", "process")


def brute_force(graph: Graph, depth: int = DEPTH):
    """The best run of at most `depth` choices, by the engine's own rules: (choice keys,
    total) or None; and every non-ending node where some such run finds no choice offered.

    Runs are grown one choice at a time; two runs in the same state (node, scores, visited,
    choices taken) after as many choices have the same futures, so only the one whose choices
    come first in the listed order is kept."""
    start = engine.State.start(graph)
    layer = {_frozen(start): (start, ())}
    best, stuck = None, set()
    for length in range(depth + 1):
        following = {}
        for state, order in layer.values():
            here = graph.nodes[state.node]
            if here.is_ending:
                if here.passed:
                    total = sum(state.scores.values())
                    if (
                        best is None
                        or (total, -length) > best[:2]
                        or ((total, -length) == best[:2] and order < best[2])
                    ):
                        best = (total, -length, order)
                continue
            offered = engine.offered_choices(graph, state)
            if not offered:
                stuck.add(state.node)
            for taken in offered:
                after, _ = engine.choose(graph, state, taken.key)
                longer = order + (here.choices.index(taken),)
                key = _frozen(after)
                if key not in following or longer < following[key][1]:
                    following[key] = (after, longer)
        layer = following
    if best is None:
        return None, stuck
    return (_keys(graph, best[2]), best[0]), stuck


def _frozen(state: engine.State):
    return state.node, tuple(sorted(state.scores.items())), state.visited, state.taken


def _keys(graph: Graph, order: tuple[int, ...]) -> tuple[str, ...]:
    state, keys = engine.State.start(graph), []
    for index in order:
        key = graph.nodes[state.node].choices[index].key
        state, _ = engine.choose(graph, state, key)
        keys.append(key)
    return tuple(keys)


def play(graph: Graph, keys) -> engine.State:
    state = engine.State.start(graph)
    for key in keys:
        state, _ = engine.choose(graph, state, key)
    return state


def random_graph(rng: random.Random) -> Graph:
    """Two to five talking nodes and one to three endings, choices to anywhere (loops on a
    node, back, forward), points good and bad, a condition on one choice in four."""
    talking = [f"N{i}" for i in range(rng.randint(2, 5))]
    endings = [f"E{i}" for i in range(rng.randint(1, 3))]
    everything = talking + endings
    nodes = []
    for key in talking:
        choices = []
        for n in range(rng.randint(1, 3)):
            points = {d: rng.randint(-2, 3) for d in rng.sample(DIMENSIONS, rng.randint(0, 2))}
            conditions = []
            if rng.random() < 0.25:
                kind = rng.choice(engine.CONDITION_KINDS)
                if kind in (engine.VISITED, engine.NOT_VISITED):
                    conditions.append({"kind": kind, "node": rng.choice(talking)})
                else:
                    conditions.append(
                        {
                            "kind": kind,
                            "dimension": rng.choice(DIMENSIONS),
                            "value": rng.randint(-2, 4),
                        }
                    )
            choices.append(
                choice(f"{key}c{n}", rng.choice(everything), conditions=conditions, **points)
            )
        nodes.append(node(key, choices=choices))
    nodes += [ending(key, passed=rng.random() < 0.6) for key in endings]
    return Graph.from_dict({"start": talking[0], "nodes": nodes})


class TestTheProblem:
    """The rules written in `engine.search`, one at a time."""

    def test_the_best_path_takes_a_good_reply_in_a_loop_once(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node(
                        "N1",
                        choices=[choice("sorry", "N1", empathy=1), choice("go", "E", process=2)],
                    ),
                    ending("E", True),
                ],
            }
        )
        best = engine.best_path(graph)
        assert (
            best.choices == ("sorry", "go") and best.total == 3 and best.nodes == ("N1", "N1", "E")
        )
        # Going straight out earns two thirds of what the best run earns.
        state = play(graph, ["go"])
        assert engine.score(graph, state, pass_mark=70, best=best).overall_percent == pytest.approx(
            66.7
        )

    def test_a_loop_is_taken_when_a_visited_condition_pays(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node(
                        "N1",
                        choices=[
                            choice("plain", "E", empathy=1),
                            choice("ask", "N2", process=-1),
                            choice(
                                "fix",
                                "E",
                                conditions=[{"kind": "visited", "node": "N2"}],
                                resolution=5,
                            ),
                        ],
                    ),
                    node("N2", choices=[choice("back", "N1")]),
                    ending("E", True),
                ],
            }
        )
        best = engine.best_path(graph)
        assert best.choices == ("ask", "back", "fix") and best.total == 4

    def test_a_bad_reply_is_repeated_only_when_a_condition_needs_it(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node(
                        "N1",
                        choices=[
                            choice("rude", "N1", empathy=-1),
                            choice(
                                "calm",
                                "E",
                                conditions=[
                                    {"kind": "score_below", "dimension": "empathy", "value": -1}
                                ],
                                resolution=6,
                            ),
                            choice("out", "E", resolution=1),
                        ],
                    ),
                    ending("E", True),
                ],
            }
        )
        best = engine.best_path(graph)
        assert best.choices == ("rude", "rude", "calm") and best.total == 4

    def test_of_equal_totals_the_shortest_then_the_first_listed(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node("N1", choices=[choice("a", "N2", empathy=1), choice("b", "E", empathy=1)]),
                    node("N2", choices=[choice("c", "E"), choice("d", "F", empathy=0)]),
                    ending("E", True),
                    ending("F", True),
                ],
            }
        )
        assert engine.best_path(graph).choices == ("b",)
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node("N1", choices=[choice("a", "E", empathy=1), choice("b", "F", empathy=1)]),
                    ending("E", True),
                    ending("F", True),
                ],
            }
        )
        assert engine.best_path(graph).choices == ("a",)


def test_the_search_agrees_with_brute_force_on_random_graphs(monkeypatch):
    full_searches = []  # graphs where following the search without conditions was not enough
    result = engine._StateSearch.result
    monkeypatch.setattr(
        engine._StateSearch, "result", lambda self, *a: full_searches.append(1) or result(self, *a)
    )
    rng = random.Random(20250614)
    compared = round_a_loop = through_a_condition = with_stuck = 0
    for _ in range(500):
        graph = random_graph(rng)
        found = engine.search(graph)
        expected, stuck = brute_force(graph)
        assert found.exact and found.checked
        assert found.stuck == stuck, graph.to_dict()
        with_stuck += bool(stuck)
        if found.best is None:
            assert expected is None, graph.to_dict()
            continue
        assert len(found.best.choices) <= DEPTH  # else brute force could not judge it
        state = play(graph, found.best.choices)  # playable, and scores what it says
        assert state.node == found.best.ending and graph.nodes[state.node].passed
        assert state.scores == found.best.scores
        assert (found.best.choices, found.best.total) == expected, graph.to_dict()
        compared += 1
        round_a_loop += len(set(found.best.nodes)) < len(found.best.nodes)
        through_a_condition += any(
            c.conditions
            for key, taken in zip(found.best.nodes, found.best.choices, strict=False)
            for c in graph.nodes[key].choices
            if c.key == taken
        )
    # The sample holds what it is meant to test.
    assert compared > 200 and round_a_loop > 50 and through_a_condition > 30 and with_stuck > 30
    assert 100 < len(full_searches) < 400


def test_a_bound_is_never_below_the_best_and_its_path_is_playable(monkeypatch):
    monkeypatch.setattr(engine, "SEARCH_LIMIT", 8)  # components of over 2 states are bounded
    monkeypatch.setattr(engine, "DISPLAY_LIMIT", 200)
    rng = random.Random(7)
    bounded = 0
    for _ in range(300):
        graph = random_graph(rng)
        found = engine.search(graph)
        expected, _stuck = brute_force(graph)
        if found.best is None:
            assert expected is None
            continue
        if found.best.choices:
            state = play(graph, found.best.choices)
            assert state.node == found.best.ending and graph.nodes[state.node].passed
        if expected is None:
            continue
        if found.exact and len(found.best.choices) <= DEPTH:
            assert found.best.total == expected[1], graph.to_dict()
        assert found.best.total >= expected[1], graph.to_dict()
        bounded += not found.exact
    assert bounded > 20


def tangled_graph(size: int = 12) -> Graph:
    """From N1: a reply worth 20 straight to the ending, or into a loop of `size` nodes that
    all lead to each other, each way worth a point — far too many ways round to try."""
    keys = [f"L{i}" for i in range(size)]
    nodes = [node("N1", choices=[choice("a", "L0", empathy=1), choice("b", "E", empathy=20)])]
    for i, key in enumerate(keys):
        nodes.append(
            node(
                key,
                choices=[choice(f"x{j}", keys[j], empathy=1) for j in range(size) if j != i][:11]
                + [choice("out", "E")],
            )
        )
    nodes.append(ending("E", True))
    return Graph.from_dict({"start": "N1", "nodes": nodes})


class TestTooTangledToSearchExactly:
    def test_it_publishes_with_a_warning_and_a_proven_upper_bound(self):
        graph = tangled_graph()
        analysis = engine.analyse(graph)
        assert analysis.problems == []
        assert [w.code for w in analysis.warnings] == ["best_path_bound"]
        best = analysis.best
        # Every point in the loop once, and the way in: 12 × 11 + 1.
        assert not best.exact and best.total == 133
        state = play(graph, best.choices)  # what learners are shown can be played
        assert state.node == "E" and sum(state.scores.values()) <= best.total
        assert "133" in analysis.warnings[0].message

    def test_what_can_be_searched_after_a_bounded_loop_still_is(self):
        graph = tangled_graph().to_dict()
        # After the loop, a choice between a good and a poor ending, no conditions.
        graph["nodes"][-1] = node(
            "E", choices=[choice("well", "GOOD", process=3), choice("ill", "BAD")]
        )
        graph["nodes"] += [ending("GOOD", True), ending("BAD", False)]
        best = engine.best_path(Graph.from_dict(graph))
        assert best.total == 136 and best.ending == "GOOD"

    def test_a_scenario_of_500_nodes_is_searched_exactly(self):
        graph = Graph.from_dict(conversation_graph(500, 3))
        analysis = engine.analyse(graph)
        assert analysis.problems == [] and analysis.warnings == []
        state = play(graph, analysis.best.choices)
        assert graph.nodes[state.node].passed and sum(state.scores.values()) == analysis.best.total


class TestStuckNodesInALongScenario:
    """A node whose every reply has conditions is checked wherever it lies, however many
    combinations of scores the rest of the scenario allows."""

    def graph(self, **conditions_at) -> Graph:
        data = conversation_graph(500, 3)
        for key, conditions in conditions_at.items():
            node = next(n for n in data["nodes"] if n["key"] == key)
            for reply in node["choices"]:
                reply["conditions"] = conditions
        return Graph.from_dict(data)

    def test_one_that_can_never_be_stuck_passes(self):
        graph = self.graph(
            N101=[{"kind": "score_below", "dimension": "process", "value": 1000}],
            N401=[{"kind": "visited", "node": "N1"}],
        )
        analysis = engine.analyse(graph)
        assert analysis.problems == [] and analysis.warnings == []

    def test_one_that_can_be_stuck_is_refused_and_named(self):
        # No run earns 1,000 points of process: at N401 nobody could reply.
        graph = self.graph(
            N101=[{"kind": "score_below", "dimension": "process", "value": 1000}],
            N401=[{"kind": "score_at_least", "dimension": "process", "value": 1000}],
        )
        problems = engine.analyse(graph).problems
        assert [(p.code, p.node) for p in problems] == [("stuck", "N401")]
