"""Daily practice as evidence: sustained recall of a competency's cards, made with the real
rating service over weeks, raises the stored level and the history says why."""

from datetime import timedelta

import pytest
from django.utils import timezone

from practice import schedule
from practice.models import Card
from records.models import CompetencyRecord
from records.selectors import REASON_PRACTICE_RECALL, person_record
from tests.practice_factories import hold_cards, open_lesson, practice_lesson, rate_once

pytestmark = pytest.mark.django_db


def phrases_level(user) -> int | None:
    record = CompetencyRecord.objects.filter(user=user, competency__slug="phrases").first()
    return record.level if record else None


def test_holding_the_cards_raises_the_level_and_the_history_says_why(
    org, competencies, following_up
):
    user = org["mine"].user
    lesson, cards = practice_lesson(competencies["phrases"], 5)
    open_lesson(user, lesson)
    start = timezone.now() - timedelta(days=40)

    following_up(hold_cards, user, cards[:3], start=start)
    assert phrases_level(user) is None  # 3 of 5 held: 60 %, no evidence yet

    following_up(hold_cards, user, cards[3:4], start=start + timedelta(days=1))
    assert phrases_level(user) == 2  # 4 of 5: 80 %, knowledge checked

    row = next(r for r in person_record(org["mine"]) if r.competency.slug == "phrases")
    assert row.evidence == ["每日练习持续记住：已牢记 4 / 5 张卡片"]
    assert [(e.old_level, e.new_level, e.reason, e.who) for e in row.history] == [
        (None, 2, "练习卡片持续记住", "")
    ]
    record = CompetencyRecord.objects.get(user=user, competency=competencies["phrases"])
    assert record.history.first().history_change_reason == REASON_PRACTICE_RECALL

    # Forgetting a held card (忘了) takes it out of the held ones: the level follows.
    following_up(rate_once, user, cards[0], rating=schedule.AGAIN)
    assert phrases_level(user) == 0
    row = next(r for r in person_record(org["mine"]) if r.competency.slug == "phrases")
    assert row.history[0].reason == "新的学习证据"
    assert (row.practice_held, row.practice_cards) == (3, 5)


def test_recall_beside_a_met_observation_is_proficient_without_a_quiz(
    org, competencies, following_up
):
    from certification.rules import OBSERVATION_CHECKLIST
    from certification.services import observation_record

    user = org["mine"].user
    lesson, cards = practice_lesson(competencies["phrases"], 5)
    open_lesson(user, lesson)
    following_up(
        observation_record,
        observer=org["supervisor"].user,
        person=org["mine"],
        results={key: True for key, _label in OBSERVATION_CHECKLIST},
    )
    assert phrases_level(user) == 1
    following_up(hold_cards, user, cards)
    assert phrases_level(user) == 3


def test_cards_of_a_retired_block_no_longer_count(org, competencies, following_up):
    user = org["mine"].user
    lesson, cards = practice_lesson(competencies["phrases"], 6)
    open_lesson(user, lesson)
    following_up(hold_cards, user, cards[:4])  # 4 of 6: 67 %
    assert phrases_level(user) is None
    Card.objects.filter(pk=cards[5]).update(active=False)  # a row the trainer removed
    from records.services import records_recompute_for

    records_recompute_for(user)  # what the next follow-up does
    assert phrases_level(user) == 2  # 4 of 5
