"""Attempt rules and question drawing, as plain Python."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from quizzes import drawing, rules, spec

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class TestStartRefusal:
    def test_free_to_start(self):
        assert (
            rules.start_refusal(rules.QuizRules(), attempts_used=3, last_submitted_at=NOW, now=NOW)
            is None
        )

    def test_attempt_limit(self):
        refusal = rules.start_refusal(
            rules.QuizRules(max_attempts=2), attempts_used=2, last_submitted_at=None, now=NOW
        )
        assert refusal.message == "你已用完这个测验的全部 2 次作答机会。"

    def test_wait_between_attempts(self):
        quiz = rules.QuizRules(wait_minutes=30)
        refusal = rules.start_refusal(
            quiz, attempts_used=1, last_submitted_at=NOW - timedelta(minutes=10), now=NOW
        )
        assert refusal.retry_at == NOW + timedelta(minutes=20)
        assert (
            rules.start_refusal(
                quiz, attempts_used=1, last_submitted_at=NOW - timedelta(minutes=31), now=NOW
            )
            is None
        )

    def test_open_and_close_dates(self):
        assert rules.start_refusal(
            rules.QuizRules(opens_at=NOW + timedelta(days=1)),
            attempts_used=0,
            last_submitted_at=None,
            now=NOW,
        )
        assert rules.start_refusal(
            rules.QuizRules(closes_at=NOW), attempts_used=0, last_submitted_at=None, now=NOW
        )

    def test_no_new_attempt_while_one_waits_for_grading(self):
        refusal = rules.start_refusal(
            rules.QuizRules(),
            attempts_used=1,
            last_submitted_at=NOW,
            now=NOW,
            awaiting_grading=True,
        )
        assert refusal.message == "待批改：批改后可再次作答。"

    def test_attempts_used_up_says_so_rather_than_waiting_for_grading(self):
        refusal = rules.start_refusal(
            rules.QuizRules(max_attempts=1),
            attempts_used=1,
            last_submitted_at=NOW,
            now=NOW,
            awaiting_grading=True,
        )
        assert "1 次" in refusal.message


class TestDeadline:
    def test_time_limit_or_close_whichever_first(self):
        quiz = rules.QuizRules(time_limit_minutes=20, closes_at=NOW + timedelta(minutes=5))
        assert rules.deadline_for(quiz, NOW) == NOW + timedelta(minutes=5)
        assert rules.deadline_for(rules.QuizRules(time_limit_minutes=20), NOW) == (
            NOW + timedelta(minutes=20)
        )
        assert rules.deadline_for(rules.QuizRules(), NOW) is None

    def test_a_close_date_set_during_an_attempt_ends_it_earlier(self):
        own = NOW + timedelta(minutes=20)
        assert rules.attempt_deadline(own, NOW + timedelta(minutes=5)) == (
            NOW + timedelta(minutes=5)
        )
        assert rules.attempt_deadline(own, NOW + timedelta(hours=1)) == own
        assert rules.attempt_deadline(None, NOW) == NOW
        assert rules.attempt_deadline(None, None) is None

    def test_the_rules_are_read_from_the_quizs_fields(self):
        from types import SimpleNamespace

        quiz = SimpleNamespace(
            max_attempts=2,
            attempt_wait_minutes=10,
            time_limit_minutes=None,
            opens_at=None,
            closes_at=NOW,
        )
        assert rules.quiz_rules(quiz) == rules.QuizRules(
            max_attempts=2, wait_minutes=10, closes_at=NOW
        )

    def test_grace_for_the_network(self):
        assert not rules.is_past_deadline(NOW, NOW + timedelta(seconds=20))
        assert rules.is_past_deadline(NOW, NOW + timedelta(seconds=31))
        assert not rules.is_past_deadline(None, NOW)

    def test_time_is_up_at_the_deadline_before_the_grace_ends(self):
        assert not rules.is_time_up(NOW, NOW - timedelta(seconds=1))
        assert rules.is_time_up(NOW, NOW)
        assert rules.is_time_up(NOW, NOW + timedelta(seconds=20))
        assert not rules.is_time_up(None, NOW)


def test_review_after_close_shows_only_the_score_until_then():
    assert rules.review_level("full", "after_close", NOW, NOW - timedelta(hours=1)) == "score"
    assert rules.review_level("full", "after_close", NOW, NOW + timedelta(hours=1)) == "full"
    assert rules.review_level("wrong", "immediately", None, NOW) == "wrong"


def test_while_a_reply_waits_for_grading_a_full_review_shows_only_what_was_wrong():
    assert rules.review_level("full", "immediately", None, NOW, awaiting_grading=True) == "wrong"
    assert rules.full_review_held("full", awaiting_grading=True)
    # Nothing to hold back from a smaller review, nor once graded.
    assert rules.review_level("score", "immediately", None, NOW, awaiting_grading=True) == "score"
    assert not rules.full_review_held("wrong", awaiting_grading=True)
    assert rules.review_level("full", "immediately", None, NOW, awaiting_grading=False) == "full"


class TestPaging:
    def test_all_on_one_page(self):
        assert rules.page_count(7, 0) == 1
        assert list(rules.page_indexes(7, 0, 1)) == list(range(7))
        assert rules.page_of(6, 0) == 1

    def test_n_per_page(self):
        assert rules.page_count(7, 3) == 3
        assert [list(rules.page_indexes(7, 3, p)) for p in (1, 2, 3)] == [
            [0, 1, 2],
            [3, 4, 5],
            [6],
        ]
        assert [rules.page_of(i, 3) for i in (0, 2, 3, 6)] == [1, 1, 2, 3]

    def test_a_page_out_of_range_finds_the_nearest(self):
        assert rules.clamp_page(0, 3) == 1 and rules.clamp_page(9, 3) == 3
        assert list(rules.page_indexes(7, 3, 9)) == [6]
        assert rules.page_count(0, 3) == 1


class TestDrawing:
    def test_fixed_and_random_slots_never_repeat_a_question(self):
        slots = [
            drawing.SlotPlan(1, question_id=1),
            drawing.SlotPlan(1, candidates=[1, 2, 3, 4], count=3),
        ]
        drawn = drawing.draw_questions(slots, seen=set(), shuffle=False, rng=random.Random(1))
        ids = [d.question_id for d in drawn]
        assert ids[0] == 1 and sorted(ids) == [1, 2, 3, 4]

    def test_unseen_questions_come_first_on_a_retake(self):
        slots = [drawing.SlotPlan(1, candidates=list(range(1, 11)), count=4)]
        for seed in range(20):
            drawn = drawing.draw_questions(
                slots, seen={1, 2, 3, 4, 5, 6, 7}, shuffle=True, rng=random.Random(seed)
            )
            ids = {d.question_id for d in drawn}
            assert {8, 9, 10} <= ids and len(ids) == 4

    def test_not_enough_questions(self):
        with pytest.raises(drawing.NotEnoughQuestions):
            drawing.draw_questions(
                [drawing.SlotPlan(1, candidates=[1], count=2)],
                seen=set(),
                shuffle=False,
                rng=random.Random(0),
            )

    def test_ordering_steps_are_never_shown_in_the_right_order(self):
        items = {"kind": "ordering", "items": [{"id": "a"}, {"id": "b"}]}
        for seed in range(20):
            assert drawing.option_order(items, shuffle=False, rng=random.Random(seed)) == ["b", "a"]

    def test_options_keep_author_order_without_shuffle(self):
        single = {"kind": "single", "choices": [{"id": "x"}, {"id": "y"}, {"id": "z"}]}
        assert drawing.option_order(single, shuffle=False, rng=random.Random(0)) == ["x", "y", "z"]


class TestSpecProblems:
    def test_a_good_single_choice(self):
        assert (
            spec.spec_problems(
                {
                    "kind": "single",
                    "text": "q",
                    "choices": [{"text": "a", "fraction": 1}, {"text": "b", "fraction": 0}],
                }
            )
            == []
        )

    def test_problems_are_named(self):
        assert spec.spec_problems(
            {"kind": "single", "text": "", "choices": [{"text": "a", "fraction": 0.5}]}
        ) == [
            "题目内容不能为空。",
            "选择题至少需要两个选项。",
            "单选题需要一个得分比例为 100% 的正确选项。",
        ]
        assert spec.spec_problems(
            {
                "kind": "multiple",
                "text": "q",
                "choices": [{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0.5}],
            }
        ) == ["多选题至少需要一个错误选项。"]
        assert spec.spec_problems({"kind": "nonsense"}) == ["未知题型：'nonsense'"]

    def test_assign_ids_makes_unique_opaque_ids(self):
        filled = spec.assign_ids(
            {
                "kind": "single",
                "choices": [{"text": "a", "id": "x"}, {"text": "b", "id": "x"}, {"text": "c"}],
            }
        )
        ids = [c["id"] for c in filled["choices"]]
        assert len(set(ids)) == 3 and ids[0] == "x"


def test_a_learners_state_in_a_quiz():
    state = rules.learner_state
    assert state(None, awaiting_grading=False) == rules.NOT_TAKEN
    assert state(None, awaiting_grading=True) == rules.AWAITING_GRADING  # never "not taken"
    assert state((40.0, False), awaiting_grading=False) == rules.NOT_PASSED
    assert state((40.0, False), awaiting_grading=True) == rules.AWAITING_GRADING
    assert state((90.0, True), awaiting_grading=True) == rules.PASSED
