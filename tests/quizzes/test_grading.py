"""Grading rules per question type, as plain Python (no database)."""

import pytest

from quizzes import grading
from quizzes.grading import InvalidResponse, grade

SINGLE = {
    "kind": "single",
    "text": "铃响几声内接听？",
    "choices": [
        {"id": "a", "text": "三声", "fraction": 1.0, "feedback": "对"},
        {"id": "b", "text": "五声", "fraction": 0.0, "feedback": "太慢了"},
        {"id": "c", "text": "随时", "fraction": 0.0, "feedback": ""},
    ],
}
MULTIPLE = {
    "kind": "multiple",
    "text": "十字礼貌用语包括？",
    "choices": [
        {"id": "a", "text": "您好", "fraction": 0.5},
        {"id": "b", "text": "谢谢", "fraction": 0.5},
        {"id": "c", "text": "喂", "fraction": -0.5, "feedback": "禁语"},
        {"id": "d", "text": "不知道", "fraction": 0.0},
    ],
}
ORDERING = {
    "kind": "ordering",
    "text": "投诉处理顺序",
    "items": [{"id": k, "text": k} for k in ("receive", "record", "dispatch", "handle", "visit")],
}
MATCHING = {
    "kind": "matching",
    "text": "情境与用语",
    "pairs": [
        {"id": "p1", "prompt": "业主来访", "answer": "您好，请坐"},
        {"id": "p2", "prompt": "业主离开", "answer": "请慢走"},
        {"id": "p3", "prompt": "让业主久等", "answer": "对不起，让您久等了"},
        {"id": "p4", "prompt": "", "answer": "喂，什么事"},
    ],
}


class TestSingleChoice:
    def test_right_option_scores_full_with_its_feedback(self):
        result = grade(SINGLE, "a")
        assert (result.fraction, result.state, result.feedback) == (1.0, "correct", ["对"])

    def test_wrong_option_scores_nothing_with_its_feedback(self):
        result = grade(SINGLE, "b")
        assert (result.fraction, result.state, result.feedback) == (0.0, "wrong", ["太慢了"])

    def test_no_answer_is_unanswered(self):
        assert grade(SINGLE, None).state == "unanswered"

    def test_an_option_of_another_question_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(SINGLE, "zz")

    def test_two_options_are_refused(self):
        with pytest.raises(InvalidResponse):
            grade(SINGLE, ["a", "b"])

    def test_partial_credit_option(self):
        spec = {
            **SINGLE,
            "choices": SINGLE["choices"] + [{"id": "d", "text": "四声", "fraction": 0.5}],
        }
        assert grade(spec, "d").fraction == 0.5
        assert grade(spec, "d").state == "partial"


class TestMultipleChoice:
    def test_all_right_options_score_full(self):
        assert grade(MULTIPLE, ["a", "b"]).fraction == 1.0

    def test_half_the_right_options_score_half(self):
        assert grade(MULTIPLE, ["a"]).fraction == 0.5

    def test_a_wrong_option_with_a_penalty_subtracts_it(self):
        assert grade(MULTIPLE, ["a", "b", "c"]).fraction == 0.5

    def test_a_wrong_option_without_a_penalty_still_costs_one_right_option(self):
        # d carries 0%: without the default penalty, ticking it would be free.
        assert grade(MULTIPLE, ["a", "b", "d"]).fraction == 0.5

    def test_an_explicit_small_penalty_is_applied_as_set(self):
        spec = {
            "kind": "multiple",
            "text": "x",
            "choices": [
                {"id": "a", "text": "a", "fraction": 0.5},
                {"id": "b", "text": "b", "fraction": 0.5},
                {"id": "c", "text": "c", "fraction": -0.1},
                {"id": "d", "text": "d", "fraction": -1},
            ],
        }
        assert grade(spec, ["a", "b", "c"]).fraction == pytest.approx(0.9)

    def test_selecting_everything_scores_nothing(self):
        result = grade(MULTIPLE, ["a", "b", "c", "d"])
        assert result.fraction == 0.0 and result.state == "wrong"

    def test_score_never_goes_below_zero(self):
        assert grade(MULTIPLE, ["c", "d"]).fraction == 0.0

    def test_thirds_add_up_to_full_marks(self):
        spec = {
            "kind": "multiple",
            "text": "x",
            "choices": [{"id": i, "text": i, "fraction": 1 / 3} for i in "abc"]
            + [{"id": "d", "text": "d", "fraction": -1.0}],
        }
        assert grade(spec, ["a", "b", "c"]).state == "correct"

    def test_feedback_of_each_chosen_option(self):
        assert grade(MULTIPLE, ["a", "c"]).feedback == ["禁语"]

    def test_unknown_option_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(MULTIPLE, ["a", "x"])

    def test_nothing_ticked_is_unanswered(self):
        assert grade(MULTIPLE, []).state == "unanswered"


class TestTrueFalse:
    SPEC = {
        "kind": "truefalse",
        "text": "可以说“喂”",
        "answer": False,
        "feedback_true": "错了：喂是禁语",
        "feedback_false": "对",
    }

    def test_right_answer(self):
        assert grade(self.SPEC, "false").fraction == 1.0
        assert grade(self.SPEC, False).feedback == ["对"]

    def test_wrong_answer_gets_the_feedback_for_that_answer(self):
        result = grade(self.SPEC, "true")
        assert result.fraction == 0.0 and result.feedback == ["错了：喂是禁语"]

    def test_anything_else_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(self.SPEC, "maybe")


class TestOrdering:
    def test_right_order_scores_full(self):
        assert grade(ORDERING, ["receive", "record", "dispatch", "handle", "visit"]).fraction == 1

    def test_reversed_order_scores_nothing(self):
        assert grade(ORDERING, ["visit", "handle", "dispatch", "record", "receive"]).fraction == 0

    def test_one_step_out_of_place_costs_one_step(self):
        result = grade(ORDERING, ["record", "dispatch", "handle", "visit", "receive"])
        assert result.fraction == pytest.approx(0.75)
        assert result.state == "partial"

    def test_a_missing_or_repeated_step_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(ORDERING, ["receive", "receive", "dispatch", "handle", "visit"])
        with pytest.raises(InvalidResponse):
            grade(ORDERING, ["receive", "record"])


class TestOrderingByPlaces:
    """Without JavaScript a learner gives each step a place; the order follows."""

    SHOWN = ["visit", "dispatch", "receive", "handle", "record"]

    def test_places_give_the_order(self):
        places = {"receive": "1", "record": "2", "dispatch": "3", "handle": "4", "visit": "5"}
        order = grading.order_from_ranks(self.SHOWN, places)
        assert order == ["receive", "record", "dispatch", "handle", "visit"]
        assert grade(ORDERING, order).fraction == 1

    def test_no_place_chosen_is_unanswered(self):
        assert grading.order_from_ranks(self.SHOWN, {k: "" for k in self.SHOWN}) is None
        assert grading.order_from_ranks(self.SHOWN, {}) is None

    def test_ties_keep_the_order_shown_never_the_right_one(self):
        # Everything in first place: the order shown, which is never the right order.
        order = grading.order_from_ranks(self.SHOWN, {k: "1" for k in self.SHOWN})
        assert order == self.SHOWN

    def test_steps_without_a_place_or_with_a_foreign_one_go_last(self):
        places = {"handle": "1", "record": "2", "visit": "9", "dispatch": "x"}
        order = grading.order_from_ranks(self.SHOWN, places)
        assert order == ["handle", "record", "visit", "dispatch", "receive"]
        assert sorted(order) == sorted(self.SHOWN)  # every step exactly once: always gradable


class TestIsAnswered:
    @pytest.mark.parametrize(
        ("spec", "response", "answered"),
        [
            (SINGLE, None, False),
            (SINGLE, "a", True),
            (MULTIPLE, [], False),
            (MULTIPLE, ["a"], True),
            ({"kind": "truefalse", "answer": True}, False, True),
            ({"kind": "truefalse", "answer": True}, None, False),
            (ORDERING, None, False),
            (ORDERING, ["receive", "record", "dispatch", "handle", "visit"], True),
            (MATCHING, {}, False),
            (MATCHING, {"p1": "x"}, True),
            ({"kind": "shortanswer"}, "  ", False),
            ({"kind": "numeric"}, "42", True),
            ({"kind": "essay"}, "", False),
            ({"kind": "essay"}, "您好", True),
            ({"kind": "description"}, None, False),
        ],
    )
    def test_what_counts_as_answered(self, spec, response, answered):
        assert grading.is_answered(spec, response) is answered


def option_for(text):
    return grading.matching_answer_id(text)


class TestMatching:
    RIGHT = {
        "p1": option_for("您好，请坐"),
        "p2": option_for("请慢走"),
        "p3": option_for("对不起，让您久等了"),
    }

    def test_all_pairs_right(self):
        assert grade(MATCHING, self.RIGHT).fraction == 1.0

    def test_partial_credit_per_pair(self):
        result = grade(
            MATCHING, {**self.RIGHT, "p2": option_for("喂，什么事"), "p3": option_for("请慢走")}
        )
        assert result.fraction == pytest.approx(1 / 3)

    def test_unanswered_prompts_score_nothing(self):
        assert grade(MATCHING, {"p1": self.RIGHT["p1"]}).fraction == pytest.approx(1 / 3)

    def test_option_ids_never_reveal_the_prompt_they_belong_to(self):
        option_ids = {o["id"] for o in grading.matching_answer_options(MATCHING)}
        prompt_ids = {p["id"] for p in MATCHING["pairs"]}
        assert len(option_ids) == 4 and not option_ids & prompt_ids
        # Choosing, for each prompt, the option named like the prompt is no longer possible.
        with pytest.raises(InvalidResponse):
            grade(MATCHING, {"p1": "p1", "p2": "p2", "p3": "p3"})

    def test_same_answer_text_twice_is_one_option_right_for_both(self):
        spec = {
            **MATCHING,
            "pairs": MATCHING["pairs"] + [{"id": "p5", "prompt": "送客", "answer": "请慢走"}],
        }
        options = grading.matching_answer_options(spec)
        assert [o["text"] for o in options].count("请慢走") == 1
        assert grade(spec, {"p5": option_for("请慢走")}).fraction == pytest.approx(1 / 4)

    def test_unknown_prompt_or_answer_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(MATCHING, {"p9": self.RIGHT["p1"]})
        with pytest.raises(InvalidResponse):
            grade(MATCHING, {"p1": "nope"})


class TestShortAnswer:
    SPEC = {
        "kind": "shortanswer",
        "text": "几声？",
        "case_sensitive": False,
        "answers": [
            {"text": "三", "fraction": 1.0, "feedback": "对"},
            {"text": "3", "fraction": 1.0},
            {"text": "三声*", "fraction": 1.0},
            {"text": "四", "fraction": 0.5, "feedback": "接近"},
        ],
    }

    @pytest.mark.parametrize("typed", ["三", " 3 ", "３", "三声之内", "三声"])
    def test_accepted_answers_and_variants(self, typed):
        assert grade(self.SPEC, typed).fraction == 1.0

    def test_partial_answer(self):
        result = grade(self.SPEC, "四")
        assert result.fraction == 0.5 and result.feedback == ["接近"]

    def test_wrong_answer(self):
        assert grade(self.SPEC, "五").state == "wrong"

    def test_case_insensitive_by_default_and_sensitive_on_request(self):
        spec = {"kind": "shortanswer", "text": "x", "answers": [{"text": "SOS", "fraction": 1.0}]}
        assert grade(spec, "sos").fraction == 1.0
        assert grade({**spec, "case_sensitive": True}, "sos").fraction == 0.0

    def test_wildcard_does_not_treat_other_characters_as_patterns(self):
        spec = {"kind": "shortanswer", "text": "x", "answers": [{"text": "a.c", "fraction": 1.0}]}
        assert grade(spec, "abc").fraction == 0.0

    def test_overlong_answer_is_refused(self):
        with pytest.raises(InvalidResponse):
            grade(self.SPEC, "三" * 501)


class TestNumeric:
    SPEC = {
        "kind": "numeric",
        "text": "夏季茶水温度？",
        "answers": [
            {"value": 50, "tolerance": 5, "fraction": 1.0},
            {"value": 50, "tolerance": 15, "fraction": 0.5, "feedback": "差不多"},
        ],
    }

    @pytest.mark.parametrize("typed", ["50", "45", "55", "５２", "52.5", "52,5"])
    def test_within_tolerance(self, typed):
        assert grade(self.SPEC, typed).fraction == 1.0

    @pytest.mark.parametrize(
        "typed, value", [("1,000", 1000), ("12,345.5", 12345.5), ("１，０００", 1000), ("3,5", 3.5)]
    )
    def test_thousands_separators_and_decimal_commas(self, typed, value):
        assert grading.parse_number(typed) == value

    def test_wider_band_earns_partial_credit(self):
        result = grade(self.SPEC, "62")
        assert result.fraction == 0.5 and result.feedback == ["差不多"]

    def test_outside_every_band(self):
        assert grade(self.SPEC, "70").state == "wrong"

    def test_not_a_number_is_wrong_with_a_hint_not_an_error(self):
        result = grade(self.SPEC, "五十度")
        assert result.fraction == 0.0 and result.feedback

    def test_exact_answer_tolerates_float_representation(self):
        spec = {
            "kind": "numeric",
            "text": "x",
            "answers": [{"value": 0.3, "tolerance": 0, "fraction": 1.0}],
        }
        assert grade(spec, "0.3").fraction == 1.0

    def test_empty_is_unanswered(self):
        assert grade(self.SPEC, "  ").state == "unanswered"


class TestEssay:
    SPEC = {
        "kind": "essay",
        "text": "回复业主",
        "rubric": [{"criterion": "致歉", "points": 3}, {"criterion": "承诺时限", "points": 2}],
    }

    def test_a_reply_waits_for_a_trainer(self):
        result = grade(self.SPEC, "王女士您好，非常抱歉……")
        assert result.fraction is None and result.state == "needs_grading"

    def test_a_blank_reply_scores_zero_at_once(self):
        assert grade(self.SPEC, "").fraction == 0.0

    def test_rubric_points_give_the_fraction(self):
        assert grading.rubric_fraction(self.SPEC, [3, 1]) == pytest.approx(0.8)

    def test_rubric_points_out_of_range_are_refused(self):
        with pytest.raises(InvalidResponse):
            grading.rubric_fraction(self.SPEC, [4, 0])
        with pytest.raises(InvalidResponse):
            grading.rubric_fraction(self.SPEC, [3])

    def test_without_rubric_a_percentage(self):
        assert grading.rubric_fraction({"kind": "essay", "rubric": []}, None, 60) == 0.6
        with pytest.raises(InvalidResponse):
            grading.rubric_fraction({"kind": "essay", "rubric": []}, None, 120)


class TestAttemptTotals:
    def test_points_percent_and_pass(self):
        totals = grading.attempt_totals(
            [
                (1, 1.0, "single"),
                (1, 0.5, "multiple"),
                (2, 0.0, "numeric"),
                (0, None, "description"),
            ]
        )
        assert (totals.points, totals.max_points) == (1.5, 4)
        assert totals.percent == 37.5
        assert totals.passed(37.5) is True
        assert totals.passed(40) is False

    def test_result_unknown_while_a_reply_waits(self):
        totals = grading.attempt_totals([(1, 1.0, "single"), (5, None, "essay")])
        assert totals.pending == 1 and totals.passed(10) is None

    def test_grading_method(self):
        results = [(60.0, False), (90.0, True), (70.0, False)]
        assert grading.best_result(results, "highest") == (90.0, True)
        assert grading.best_result(results, "latest") == (70.0, False)
        assert grading.best_result([], "highest") is None
