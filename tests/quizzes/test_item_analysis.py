"""Item analysis rules (quizzes/item_analysis.py) on examples computed by hand."""

import math

import pytest

from quizzes import item_analysis as ia


def test_rest_score_leaves_the_question_out():
    # 7 of 10 points; this question (mark 2) scored 1.0: the rest is 5 of 8.
    assert ia.rest_score(7, 10, 2, 1.0) == pytest.approx(5 / 8)
    assert ia.rest_score(7, 10, 2, 0.5) == pytest.approx(6 / 8)
    assert ia.rest_score(2, 2, 2, 1.0) is None  # nothing else was scored


def test_difficulty_is_the_mean_score_so_the_share_right_for_right_or_wrong_questions():
    sums = ia.Sums.of([(1, 0.5), (1, 0.4), (0, 0.3), (1, 0.2)])
    assert ia.difficulty(sums) == pytest.approx(0.75)
    assert ia.difficulty(ia.Sums.of([(1, 0.5), (0.5, 0.4)])) == pytest.approx(0.75)
    assert ia.difficulty(ia.Sums()) is None


def test_discrimination_is_the_correlation_with_the_rest_of_the_attempt():
    # x: 1 1 0 0 (mean .5), y: .9 .7 .5 .3 (mean .6)
    # Σ(dx·dy) = .5·.3 + .5·.1 + (−.5)(−.1) + (−.5)(−.3) = .4; Σdx² = 1; Σdy² = .2
    # r = .4 / √(1 · .2) = 0.894…
    sums = ia.Sums.of([(1, 0.9), (1, 0.7), (0, 0.5), (0, 0.3)])
    assert ia.discrimination(sums) == pytest.approx(0.4 / math.sqrt(0.2))


def test_the_strong_getting_it_wrong_is_a_negative_index():
    sums = ia.Sums.of([(0, 0.9), (0, 0.7), (1, 0.5), (1, 0.3)])
    assert ia.discrimination(sums) == pytest.approx(-0.4 / math.sqrt(0.2))


def test_no_index_without_spread_or_with_fewer_than_two_attempts():
    assert ia.discrimination(ia.Sums.of([(1, 0.9)])) is None
    assert ia.discrimination(ia.Sums.of([(1, 0.9), (1, 0.2), (1, 0.5)])) is None  # all right
    assert ia.discrimination(ia.Sums.of([(1, 0.5), (0, 0.5)])) is None  # same rest
    # 0.1 + 0.2 style noise is no spread either
    assert ia.discrimination(ia.Sums.of([(0.1 + 0.2, 0.5), (0.3, 0.6), (0.3, 0.7)])) is None


@pytest.mark.parametrize(
    ("attempts", "difficulty", "discrimination", "expected"),
    [
        (10, 0.95, 0.3, (ia.TOO_EASY,)),
        (10, 0.9, 0.3, ()),  # exactly 0.9 is not above it
        (10, 0.1, 0.3, (ia.TOO_HARD,)),
        (10, 0.2, 0.3, ()),
        (10, 0.5, -0.05, (ia.NEGATIVE,)),
        (10, 0.5, 0.0, ()),
        (10, 0.1, -0.4, (ia.TOO_HARD, ia.NEGATIVE)),
        (10, 0.5, None, ()),
        (9, 1.0, -1.0, ()),  # too few attempts to say anything
    ],
)
def test_flags(attempts, difficulty, discrimination, expected):
    assert ia.flags(attempts, difficulty, discrimination) == expected


def test_analyse_puts_it_together():
    rows = [(1, 0.9), (1, 0.8), (1, 0.7), (1, 0.6), (1, 0.5)] * 2
    result = ia.analyse(ia.Sums.of(rows))
    assert result.attempts == 10
    assert result.difficulty == 1.0 and result.discrimination is None
    assert result.flags == (ia.TOO_EASY,)


SHORT = {
    "kind": "shortanswer",
    "text": "三声之内接起电话，第一句说什么？",
    "answers": [{"text": "您好*", "fraction": 1.0}],
    "case_sensitive": False,
}


def test_wrong_typed_answers_are_counted_as_grading_reads_them():
    answers = [
        ("喂，哪位", 0.0),
        ("喂，哪位 ", 0.0),  # trailing space: the same answer
        ("喂，哪位", 0.0),
        ("HELLO", 0.0),
        ("hello", 0.0),  # not case sensitive: the same
        ("您好，物业服务中心", 1.0),  # right: not listed
        ("", 0.0),  # blank: nothing typed
        ("ｈｅｌｌｏ", 0.0),  # full-width: the same again
        ("什么事", 0.0),
    ]
    # NFKC makes the full-width comma a plain one, as grading compares it
    assert ia.typed_wrong_answers(SHORT, answers) == [("hello", 3), ("喂,哪位", 3), ("什么事", 1)]


def test_case_sensitive_questions_keep_case_and_partial_credit_counts_as_wrong():
    spec = {**SHORT, "case_sensitive": True}
    answers = [("Hello", 0.0), ("hello", 0.5), ("hello", None)]
    assert ia.typed_wrong_answers(spec, answers) == [("hello", 2), ("Hello", 1)]


def test_numbers_are_counted_by_the_number_read():
    spec = {"kind": "numeric", "answers": [{"value": 30, "tolerance": 0, "fraction": 1.0}]}
    answers = [("２０", 0.0), ("20.0", 0.0), ("20", 0.0), ("约二十", 0.0), ("30", 1.0)]
    assert ia.typed_wrong_answers(spec, answers) == [("20", 3), ("约二十", 1)]
