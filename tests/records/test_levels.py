"""The level rule, without a database: each boundary of 0–4 and the reasons given."""

from datetime import date

import pytest

from certification.rules import OBSERVATION_CHECKLIST
from records import levels
from records.levels import CompetencyEvidence, Scored, derive_level

QUIZ_PASSED = Scored("礼仪测验", 80, True)
QUIZ_FAILED = Scored("礼仪测验", 50, False)
QUIZ_TOP = Scored("礼仪测验", 95, True)
PLAY_PASSED = Scored("漏水投诉", 75, True)
PLAY_FAILED = Scored("漏水投诉", 40, False)
PLAY_TOP = Scored("漏水投诉", 92, True)
DAY = date(2026, 3, 1)


def level(**evidence) -> int:
    return derive_level(CompetencyEvidence(**evidence)).level


def kinds(**evidence) -> list[str]:
    return [r.kind for r in derive_level(CompetencyEvidence(**evidence)).reasons]


def test_no_evidence_is_level_0_with_no_reasons():
    derivation = derive_level(CompetencyEvidence())
    assert derivation.level == levels.NOT_STARTED and derivation.reasons == ()


def test_level_1_from_a_completed_module_a_taken_quiz_or_a_finished_role_play():
    assert level(completed_modules=["服务礼仪"]) == 1
    assert level(quizzes=[QUIZ_FAILED]) == 1
    assert level(roleplays=[PLAY_FAILED]) == 1
    assert level(roleplays=[PLAY_PASSED]) == 1  # doing without the checked knowledge
    assert level(observations=[DAY]) == 1
    assert kinds(completed_modules=["服务礼仪"], quizzes=[QUIZ_FAILED]) == [
        levels.MODULE_COMPLETED,
        levels.QUIZ_FINISHED,
    ]


def test_level_2_needs_a_passed_quiz():
    assert level(quizzes=[QUIZ_FAILED], completed_modules=["服务礼仪"]) == 1
    derivation = derive_level(CompetencyEvidence(quizzes=[QUIZ_FAILED, QUIZ_PASSED]))
    assert derivation.level == levels.COMPETENT
    assert derivation.reasons == (levels.Reason(levels.QUIZ_PASSED, "礼仪测验", 80),)


def test_level_3_is_a_passed_quiz_applied_in_a_role_play_or_an_observation():
    assert level(quizzes=[QUIZ_PASSED], roleplays=[PLAY_FAILED]) == 2
    assert level(quizzes=[QUIZ_PASSED], roleplays=[PLAY_PASSED]) == 3
    assert level(quizzes=[QUIZ_PASSED], observations=[DAY]) == 3
    assert level(quizzes=[QUIZ_FAILED], roleplays=[PLAY_TOP], observations=[DAY]) == 1
    assert kinds(quizzes=[QUIZ_PASSED], roleplays=[PLAY_PASSED]) == [
        levels.QUIZ_PASSED,
        levels.ROLEPLAY_PASSED,
    ]


def test_a_valid_certificate_alone_is_level_3():
    derivation = derive_level(CompetencyEvidence(certificates=["前台客服上岗认证"]))
    assert derivation.level == levels.PROFICIENT
    assert derivation.reasons == (levels.Reason(levels.CERTIFICATE_VALID, "前台客服上岗认证"),)


def test_level_4_needs_a_certificate_a_top_quiz_and_top_practice():
    top = {"certificates": ["前台客服上岗认证"], "quizzes": [QUIZ_TOP]}
    assert level(**top, roleplays=[PLAY_TOP]) == 4
    assert level(**top, observations=[DAY]) == 4
    assert kinds(**top, roleplays=[PLAY_TOP]) == [
        levels.CERTIFICATE_VALID,
        levels.QUIZ_PASSED,
        levels.ROLEPLAY_PASSED,
    ]
    # Each part missing keeps it at 3.
    assert level(**top, roleplays=[PLAY_PASSED]) == 3  # role-play under 90 %
    assert level(**top) == 3  # nothing applied
    assert level(quizzes=[QUIZ_TOP], roleplays=[PLAY_TOP]) == 3  # no certificate
    assert level(certificates=["认证"], quizzes=[QUIZ_PASSED], roleplays=[PLAY_TOP]) == 3


def test_the_coach_mark_is_inclusive_and_needs_a_pass():
    cert = ["认证"]
    assert (
        level(certificates=cert, quizzes=[Scored("q", 90, True)], roleplays=[Scored("r", 90, True)])
        == 4
    )
    assert (
        level(
            certificates=cert, quizzes=[Scored("q", 89.9, True)], roleplays=[Scored("r", 95, True)]
        )
        == 3
    )
    assert (
        level(
            certificates=cert, quizzes=[Scored("q", 95, True)], roleplays=[Scored("r", 95, False)]
        )
        == 3
    )  # a failing ending, however high


def test_the_best_of_several_results_counts():
    assert (
        level(
            certificates=["认证"],
            quizzes=[QUIZ_PASSED, QUIZ_TOP],
            roleplays=[PLAY_FAILED, PLAY_TOP],
        )
        == 4
    )


def test_is_level_accepts_only_whole_numbers_0_to_4():
    assert all(levels.is_level(n) for n in range(5))
    assert not any(levels.is_level(v) for v in (-1, 5, 2.0, "2", None, True))


def test_every_checklist_item_maps_to_a_competency():
    assert set(levels.OBSERVATION_COMPETENCIES) == {key for key, _label in OBSERVATION_CHECKLIST}


def test_an_observation_shows_the_competencies_whose_every_item_was_met():
    everything = dict.fromkeys(levels.OBSERVATION_COMPETENCIES, True)
    assert levels.observed_competencies(everything) == {"etiquette", "phrases"}
    assert levels.observed_competencies({**everything, "phone_three_rings": False}) == {"etiquette"}
    assert levels.observed_competencies({**everything, "see_out": False}) == {"phrases"}
    assert levels.observed_competencies({}) == set()


# --- sustained recall of practice cards ------------------------------------------------------


def recall(held: int, cards: int) -> dict:
    return {"practice_cards": cards, "practice_held": held}


@pytest.mark.parametrize(
    "held, cards, counts",
    [
        (0, 0, False),
        (4, 4, False),  # every card held, but too few cards to prove anything
        (4, 5, True),  # 80 % of the minimum
        (5, 5, True),
        (3, 5, False),  # 60 %
        (79, 100, False),  # 79 %
        (80, 100, True),  # 80 %
        (8, 10, True),
        (7, 9, False),  # 77.8 %
        (8, 9, True),
    ],
)
def test_sustained_recall_needs_enough_cards_and_80_percent_held(held, cards, counts):
    assert levels.recalled(cards, held) is counts
    assert level(**recall(held, cards)) == (levels.COMPETENT if counts else levels.NOT_STARTED)


@pytest.mark.parametrize(
    "evidence, expected",
    [
        ({}, 2),  # recall alone: knowledge checked
        ({"completed_modules": ["服务礼仪"]}, 2),
        ({"quizzes": [QUIZ_FAILED]}, 2),  # a failed quiz takes nothing away
        ({"roleplays": [PLAY_PASSED]}, 3),  # recall + a passed role-play, no quiz
        ({"observations": [DAY]}, 3),  # recall + a met observation
        ({"roleplays": [PLAY_FAILED]}, 2),  # a failed role-play applies nothing
        ({"certificates": ["认证"]}, 3),
        ({"certificates": ["认证"], "roleplays": [PLAY_TOP]}, 3),  # never 4 without the quiz
        ({"certificates": ["认证"], "observations": [DAY]}, 3),
        ({"certificates": ["认证"], "quizzes": [QUIZ_PASSED], "roleplays": [PLAY_TOP]}, 3),
        ({"certificates": ["认证"], "quizzes": [QUIZ_TOP], "roleplays": [PLAY_TOP]}, 4),
    ],
)
def test_recall_counts_as_the_level_2_half_and_never_alone_reaches_4(evidence, expected):
    assert level(**evidence, **recall(8, 10)) == expected


def test_recall_short_of_the_share_adds_nothing():
    assert level(roleplays=[PLAY_TOP], observations=[DAY], **recall(7, 9)) == levels.AWARE
    assert level(**recall(3, 5)) == levels.NOT_STARTED


def test_the_recall_reason_says_how_many_cards_are_held():
    derivation = derive_level(CompetencyEvidence(**recall(4, 5)))
    assert derivation.reasons == (levels.Reason(levels.PRACTICE_RECALLED, held=4, cards=5),)
    assert kinds(roleplays=[PLAY_PASSED], **recall(4, 5)) == [
        levels.PRACTICE_RECALLED,
        levels.ROLEPLAY_PASSED,
    ]
    # Beside a passed quiz, recall is named too: both checked the knowledge.
    assert kinds(quizzes=[QUIZ_PASSED], roleplays=[PLAY_PASSED], **recall(5, 5)) == [
        levels.QUIZ_PASSED,
        levels.PRACTICE_RECALLED,
        levels.ROLEPLAY_PASSED,
    ]
    # Level 4 rests on the certificate and the top marks, not on practice.
    top = {"certificates": ["认证"], "quizzes": [QUIZ_TOP], "roleplays": [PLAY_TOP]}
    assert levels.PRACTICE_RECALLED not in kinds(**top, **recall(5, 5))


def test_by_practice_says_when_recall_alone_lifted_the_level():
    def by_practice(**evidence) -> bool:
        return derive_level(CompetencyEvidence(**evidence)).by_practice

    assert by_practice(**recall(4, 5))  # 0 → 2
    assert by_practice(completed_modules=["服务礼仪"], **recall(4, 5))  # 1 → 2
    assert by_practice(roleplays=[PLAY_PASSED], **recall(4, 5))  # 1 → 3
    assert not by_practice(quizzes=[QUIZ_PASSED], **recall(4, 5))  # 2 either way
    assert not by_practice(certificates=["认证"], **recall(4, 5))  # 3 either way
    assert not by_practice(**recall(3, 5))  # not recalled
    assert not by_practice(completed_modules=["服务礼仪"])
