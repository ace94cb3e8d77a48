"""Role-play rules as plain Python: validation, offered choices, conditions, scoring."""

import pytest

from roleplays import engine
from roleplays.engine import Graph


def node(key, kind="owner", choices=(), **extra):
    return {
        "key": key,
        "kind": kind,
        "text": extra.pop("text", f"{key} 的台词"),
        "choices": list(choices),
        **extra,
    }


def choice(key, target, text=None, conditions=(), **points):
    return {
        "key": key,
        "text": text or f"回复{key}",
        "target": target,
        "points": points,
        "feedback": f"点评{key}",
        "conditions": list(conditions),
    }


def ending(key, passed, outcome="结局"):
    return node(key, kind="ending", outcome=outcome, passed=passed, text="")


def leak_graph():
    """Owner complains; apologise (good) or argue (bad); a loop when the learner dodges;
    a conciliatory reply offered only with enough empathy."""
    return Graph.from_dict(
        {
            "start": "N1",
            "nodes": [
                node(
                    "N1",
                    choices=[
                        choice("a", "N2", empathy=2, phrasing=1),
                        choice("b", "N3", empathy=-2),
                        choice("dodge", "N1", text="这个我不清楚", phrasing=-1),
                    ],
                ),
                node(
                    "N2",
                    choices=[
                        choice("c", "GOOD", resolution=2, process=1),
                        choice("d", "N3", resolution=-1),
                    ],
                ),
                node(
                    "N3",
                    mood="angry",
                    choices=[
                        choice(
                            "e",
                            "OK",
                            conditions=[
                                {"kind": "score_at_least", "dimension": "empathy", "value": 1}
                            ],
                            empathy=1,
                        ),
                        choice("f", "BAD", empathy=-1),
                        choice(
                            "g", "OK", conditions=[{"kind": "visited", "node": "N2"}], resolution=1
                        ),
                    ],
                ),
                ending("GOOD", True, "业主满意离开"),
                ending("OK", True, "业主勉强接受"),
                ending("BAD", False, "业主拨打12345投诉"),
            ],
        }
    )


class TestValidation:
    def test_a_good_graph_with_a_loop_has_no_problems(self):
        assert engine.problems(leak_graph()) == []

    def test_each_kind_of_problem_is_named(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node("N1", choices=[choice("a", "N2"), choice("b", "NOWHERE")]),
                    node("N2"),  # dead end
                    node("N3", choices=[choice("c", "N1")]),  # unreachable
                    node("L1", choices=[choice("x", "L2")]),
                    node("L2", choices=[choice("y", "L1")]),
                    ending("E1", True, outcome=""),
                ],
            }
        )
        codes = {(p.code, p.node) for p in engine.problems(graph)}
        assert ("dead_end", "N2") in codes
        assert ("no_target", "N1") in codes
        assert ("unreachable", "N3") in codes and ("unreachable", "E1") in codes
        assert ("no_outcome", "E1") in codes
        assert ("no_ending", "") in codes

    def test_a_loop_with_no_way_out_is_refused(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node("N1", choices=[choice("a", "N2"), choice("b", "E")]),
                    node("N2", choices=[choice("c", "N3")]),
                    node("N3", choices=[choice("d", "N2")]),
                    ending("E", True),
                ],
            }
        )
        problems = {(p.code, p.node) for p in engine.problems(graph)}
        assert ("cannot_finish", "N2") in problems and ("cannot_finish", "N3") in problems

    def test_conditions_must_name_real_nodes_and_dimensions(self):
        graph = leak_graph().to_dict()
        graph["nodes"][2]["choices"][0]["conditions"] = [{"kind": "visited", "node": "GHOST"}]
        graph["nodes"][2]["choices"][1]["points"] = {"charm": 3}
        codes = [p.code for p in engine.problems(Graph.from_dict(graph))]
        assert "bad_condition" in codes and "bad_dimension" in codes

    def test_a_scenario_nobody_can_pass_is_refused(self):
        graph = Graph.from_dict(
            {"start": "N1", "nodes": [node("N1", choices=[choice("a", "E")]), ending("E", False)]}
        )
        assert [p.code for p in engine.problems(graph)] == ["no_passing_ending"]


class TestPlaying:
    def test_a_choice_moves_on_and_adds_points(self):
        graph = leak_graph()
        state, taken = engine.choose(graph, engine.State.start(graph), "a")
        assert state.node == "N2" and state.scores == {"empathy": 2, "phrasing": 1}
        assert taken.feedback == "点评a" and "N2" in state.visited

    def test_a_choice_of_another_node_is_refused(self):
        graph = leak_graph()
        with pytest.raises(engine.ChoiceNotOffered):
            engine.choose(graph, engine.State.start(graph), "c")

    def test_score_conditions_change_what_the_owner_accepts(self):
        graph = leak_graph()
        rude, _ = engine.choose(graph, engine.State.start(graph), "b")
        assert [c.key for c in engine.offered_choices(graph, rude)] == ["f"]
        kind, _ = engine.choose(graph, engine.State.start(graph), "a")
        angry, _ = engine.choose(graph, kind, "d")
        assert [c.key for c in engine.offered_choices(graph, angry)] == ["e", "f", "g"]

    def test_a_condition_not_met_is_refused_even_if_posted(self):
        graph = leak_graph()
        rude, _ = engine.choose(graph, engine.State.start(graph), "b")
        with pytest.raises(engine.ChoiceNotOffered):
            engine.choose(graph, rude, "e")

    def test_loops_are_playable(self):
        graph = leak_graph()
        state = engine.State.start(graph)
        for _ in range(3):
            state, _taken = engine.choose(graph, state, "dodge")
        assert state.node == "N1" and state.scores == {"phrasing": -3}


class TestScoring:
    def test_best_path_is_the_highest_scoring_way_to_a_passing_ending(self):
        best = engine.best_path(leak_graph())
        assert best.choices == ("a", "c") and best.ending == "GOOD"
        assert best.scores == {"empathy": 2, "phrasing": 1, "resolution": 2, "process": 1}

    def test_the_best_path_respects_conditions(self):
        graph = leak_graph().to_dict()
        # Make the conditional reply worth a lot: the best path must still be playable.
        graph["nodes"][2]["choices"][0]["points"] = {"empathy": 10}
        graph["nodes"][0]["choices"][1]["points"] = {"empathy": -2}
        best = engine.best_path(Graph.from_dict(graph))
        assert best.choices == ("a", "d", "e")

    def test_score_per_dimension_and_overall(self):
        graph = leak_graph()
        best = engine.best_path(graph)
        state = engine.State.start(graph)
        for key in ("a", "d", "g"):
            state, _ = engine.choose(graph, state, key)
        result = engine.score(graph, state, pass_mark=50, best=best)
        assert result.points == {"empathy": 2, "phrasing": 1, "resolution": 0}
        assert result.overall_percent == pytest.approx(50.0)
        assert result.percent("empathy") == 100 and result.percent("resolution") == 0
        assert result.passed

    def test_a_failing_ending_never_passes_whatever_the_score(self):
        graph = leak_graph()
        state = engine.State.start(graph)
        for key in ("a", "d", "f"):
            state, _ = engine.choose(graph, state, key)
        result = engine.score(graph, state, pass_mark=0, best=engine.best_path(graph))
        assert not result.reached_passing_ending and not result.passed

    def test_round_trip_of_the_dict_form(self):
        graph = leak_graph()
        assert Graph.from_dict(graph.to_dict()) == graph


def test_the_svg_draws_every_node_and_marks_problems():
    from roleplays.diagram import render_svg

    graph = Graph.from_dict(
        {
            "start": "N1",
            "nodes": [
                node("N1", choices=[choice("a", "E")]),
                ending("E", True),
                node("ORPHAN<script>", choices=[choice("b", "E")]),
            ],
        }
    )
    svg = render_svg(graph, engine.problems(graph), shares={("N1", "a"): 100.0})
    assert svg.startswith("<svg") and 'data-key="N1"' in svg and "node-unreachable" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "1: 100%" in svg


class TestScoringIsFair:
    def test_a_good_reply_in_a_loop_scores_once_a_bad_one_every_time(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node(
                        "N1",
                        choices=[
                            choice("sorry", "N1", empathy=1),
                            choice("rude", "N1", empathy=-1),
                            choice("go", "E", resolution=2),
                        ],
                    ),
                    ending("E", True),
                ],
            }
        )
        state = engine.State.start(graph)
        for key in ("sorry", "sorry", "sorry", "rude", "rude"):
            state, _ = engine.choose(graph, state, key)
        assert state.scores == {"empathy": -1}

    def test_the_experts_own_path_scores_100_even_with_a_negative_dimension(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node(
                        "N1",
                        choices=[
                            choice("a", "E", empathy=3, process=-1),
                            choice("b", "E", empathy=1),
                        ],
                    ),
                    ending("E", True),
                ],
            }
        )
        best = engine.best_path(graph)
        state, _ = engine.choose(graph, engine.State.start(graph), "a")
        assert engine.score(graph, state, pass_mark=70, best=best).overall_percent == 100

    def test_a_story_without_points_is_decided_by_its_ending(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node("N1", choices=[choice("a", "E"), choice("b", "F")]),
                    ending("E", True),
                    ending("F", False),
                ],
            }
        )
        best = engine.best_path(graph)
        good, _ = engine.choose(graph, engine.State.start(graph), "a")
        bad, _ = engine.choose(graph, engine.State.start(graph), "b")
        assert engine.score(graph, good, pass_mark=70, best=best).passed
        assert not engine.score(graph, bad, pass_mark=0, best=best).passed

    def test_conditions_that_can_leave_a_learner_stuck_are_refused(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node(
                        "N1", choices=[choice("a", "N2", empathy=-1), choice("b", "N2", empathy=1)]
                    ),
                    node(
                        "N2",
                        choices=[
                            choice(
                                "c",
                                "E",
                                conditions=[
                                    {"kind": "score_at_least", "dimension": "empathy", "value": 1}
                                ],
                            )
                        ],
                    ),
                    ending("E", True),
                ],
            }
        )
        assert [(p.code, p.node) for p in engine.problems(graph)] == [("stuck", "N2")]

    def test_a_passing_ending_reachable_only_through_unmet_conditions_is_refused(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [
                    node(
                        "N1",
                        choices=[
                            choice(
                                "win",
                                "E",
                                conditions=[
                                    {"kind": "score_at_least", "dimension": "empathy", "value": 5}
                                ],
                            ),
                            choice("loop", "N1", empathy=1),
                        ],
                    ),
                    ending("E", True),
                ],
            }
        )
        assert "no_best_path" in [p.code for p in engine.problems(graph)]

    def test_a_graph_too_tangled_to_search_publishes_with_a_warning_not_misjudged(
        self, monkeypatch
    ):
        monkeypatch.setattr(engine, "SEARCH_LIMIT", 50)
        keys = [f"L{i}" for i in range(12)]
        nodes = [node("N1", choices=[choice("a", "L0", empathy=1), choice("b", "E", empathy=20)])]
        for i, key in enumerate(keys):
            nodes.append(
                node(
                    key,
                    choices=[
                        choice(f"x{j}", keys[j], empathy=1) for j in range(len(keys)) if j != i
                    ]
                    + [choice("out", "E")],
                )
            )
        nodes.append(ending("E", True))
        analysis = engine.analyse(Graph.from_dict({"start": "N1", "nodes": nodes}))
        # Never refused for its size: scored against a bound no run can beat (every reply in
        # the loop once: 1 + 12 × 11), and the trainer is told.
        assert analysis.problems == []
        assert [w.code for w in analysis.warnings] == ["best_path_bound"]
        assert analysis.best.total == 133 and not analysis.best.exact

    def test_node_keys_fit_the_run_tables(self):
        graph = Graph.from_dict(
            {
                "start": "N1",
                "nodes": [node("N1", choices=[choice("a", "E" * 81)]), ending("E" * 81, True)],
            }
        )
        assert "bad_key" in [p.code for p in engine.problems(graph)]


class TestOutcomes:
    """What certification and the competency records take from a learner's runs."""

    def test_a_setting_without_a_pass_mark_uses_the_default(self):
        assert engine.pass_mark({}) == engine.DEFAULT_PASS_MARK
        assert engine.pass_mark({"pass_mark": 85}) == 85

    def test_a_dimension_percent_is_against_the_best_path_and_bounded(self):
        assert engine.dimension_percent(1, 4) == 25
        assert engine.dimension_percent(6, 4) == 100
        assert engine.dimension_percent(-2, 4) == 0
        # The best path earns nothing there: nothing to measure, not 0 %.
        assert engine.dimension_percent(3, 0) is None

    def test_a_run_gives_the_percent_of_each_dimension_the_best_path_scores_in(self):
        run = engine.RunResult(
            80, True, {"empathy": 1, "process": 2}, {"empathy": 2, "process": 0, "resolution": 4}
        )
        assert run.dimension_percents() == {"empathy": 50, "resolution": 0}

    def test_a_passed_run_counts_before_a_higher_failed_one(self):
        failed, passed = engine.RunResult(95, False), engine.RunResult(72, True)
        assert engine.best_run([failed, passed]) is passed

    def test_of_passed_runs_the_highest_counts_and_of_equals_the_first(self):
        first, second, higher = (
            engine.RunResult(72, True),
            engine.RunResult(72, True),
            engine.RunResult(90, True),
        )
        assert engine.best_run([first, second]) is first
        assert engine.best_run([first, higher, second]) is higher
        low, less_low = engine.RunResult(10, False), engine.RunResult(40, False)
        assert engine.best_run([low, less_low]) is less_low
        assert engine.best_run([]) is None

    def test_the_best_path_round_trips_through_its_stored_form(self):
        best = engine.best_path(leak_graph())
        assert engine.Path.from_dict(best.to_dict()) == best
        assert engine.Path.from_dict(None) is None


def test_a_learners_state_in_a_scenario_is_the_run_that_counts():
    passed, failed = engine.RunResult(85.0, True), engine.RunResult(40.0, False)
    # Passed once and failed later: still passed (the list and certificates agree).
    best = engine.best_run([passed, failed])
    assert engine.learner_state(best, open_run=False) == engine.PASSED
    assert engine.learner_state(best, open_run=True) == engine.PASSED
    assert engine.learner_state(engine.best_run([failed]), open_run=True) == engine.NOT_PASSED
    assert engine.learner_state(None, open_run=True) == engine.IN_PROGRESS
    assert engine.learner_state(None, open_run=False) == engine.NOT_STARTED


# --- what the learner sees of a dimension ----------------------------------------------------


def test_dimension_marks_are_out_of_100_and_never_below_0():
    from roleplays.engine import dimension_marks

    assert dimension_marks(4, 4) == 100
    assert dimension_marks(3, 4) == 75
    assert dimension_marks(29, 100) == 29  # not 28: counted in integers
    assert dimension_marks(2, 3) == 66  # rounded down: 100 only for the expert's score
    assert dimension_marks(0, 4) == 0
    assert dimension_marks(-3, 4) == 0  # lost more than earned: 0, not a negative score
    assert dimension_marks(9, 4) == 100  # more than the best path (a bound): full marks
    assert dimension_marks(-1, 0) is None  # the best path scores nothing here: not scored
