"""Cards follow published content; a learner's deck, session and ratings."""

import uuid
from datetime import timedelta

import pytest
from academy.errors import Kind, Refused
from django.utils import timezone

from courses.services import lesson_record_visit
from practice import schedule
from practice.models import Card, CardState, PracticeDay, Review
from practice.selectors import deck, session_for, summary_for
from practice.services import cards_sync_all, review_record
from tests.practice.conftest import publish_lesson, rate
from tests.practice.test_cards import PROCEDURE

pytestmark = pytest.mark.django_db


def test_publishing_a_lesson_makes_its_cards_with_the_module_competency(practice_course):
    _, first, second = practice_course
    assert Card.objects.filter(lesson=first, active=True).count() == 3
    assert Card.objects.filter(lesson=second, active=True).count() == 2
    assert set(Card.objects.values_list("competency__slug", flat=True)) == {"phrases"}


def test_a_lesson_only_joins_the_deck_of_learners_who_opened_it(practice_course, learner):
    _, first, second = practice_course
    assert deck(learner.user).count() == 0
    lesson_record_visit(user=learner.user, lesson=first)
    assert set(deck(learner.user).values_list("lesson_id", flat=True)) == {first.pk}


def test_editing_a_block_keeps_the_schedule_and_removing_one_retires_its_cards(
    practice_course, learner
):
    _, first, _ = practice_course
    lesson_record_visit(user=learner.user, lesson=first)
    card = Card.objects.get(lesson=first, kind="phrase")
    rate(learner.user, card.pk)
    due = CardState.objects.get(card=card).due

    body = first.body.raw_data
    body[0]["value"]["say"] = ["您好，公司有指定的发言人。"]
    body[0]["value"]["never_say"] = ["无可奉告。"]
    first.body = body
    first.save_revision().publish()
    card.refresh_from_db()
    assert card.active and card.content["say"] == ["您好，公司有指定的发言人。"]
    assert CardState.objects.get(card=card).due == due
    # "别拍了！" went away: its card retires; the rating history stays.
    assert Card.objects.filter(lesson=first, kind="forbidden", active=True).count() == 1
    assert Card.objects.filter(lesson=first, kind="forbidden", active=False).count() == 1


def test_unticking_in_practice_and_unpublishing_retire_cards(practice_course):
    _, first, second = practice_course
    body = second.body.raw_data
    body[0]["value"]["in_practice"] = False
    second.body = body
    second.save_revision().publish()
    assert list(Card.objects.filter(lesson=second, active=True).values_list("kind", flat=True)) == [
        "do_dont"
    ]
    first.unpublish()
    assert not Card.objects.filter(lesson=first, active=True).exists()


def test_new_content_joins_decks_that_hold_the_lesson(practice_course, learner):
    _, first, _ = practice_course
    lesson_record_visit(user=learner.user, lesson=first)
    body = list(first.body.raw_data) + [
        {
            "type": "do_dont",
            "id": "new-block",
            "value": {
                "title": "",
                "rows": [{"type": "item", "id": "r", "value": {"do": "微笑", "dont": "皱眉"}}],
            },
        }
    ]
    first.body = body
    first.save_revision().publish()
    assert deck(learner.user).filter(key__contains="new-block").exists()


def test_a_session_takes_due_cards_first_then_new_ones(practice_course, learner):
    _, first, second = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)
    lesson_record_visit(user=user, lesson=second)
    now = timezone.now()
    session = session_for(user, now)
    assert (session.due_count, session.new_count) == (0, 5)
    # Cards in teaching order: the first lesson's phrase card first.
    assert session.cards[0].kind == "phrase" and session.cards[0].is_new
    for card in session.cards:
        rate(user, card.id, schedule.GOOD if card.kind != "procedure" else schedule.AGAIN, now=now)
    later = session_for(user, now + timedelta(minutes=5))
    assert [c.kind for c in later.cards] == ["procedure"]  # forgotten: back within minutes
    assert later.due_count == 1 and later.new_count == 0


def test_new_cards_are_limited_per_day(practice_course, learner, monkeypatch):
    _, first, second = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)
    lesson_record_visit(user=user, lesson=second)
    monkeypatch.setattr(schedule, "NEW_PER_DAY", 2)
    now = timezone.now()
    first_session = session_for(user, now)
    assert first_session.new_count == 2
    for card in first_session.cards:
        rate(user, card.id, schedule.EASY, now=now)
    assert session_for(user, now + timedelta(minutes=1)).new_count == 0
    assert session_for(user, now + timedelta(days=1)).new_count == 2


def test_a_rating_is_recorded_once_however_often_it_is_sent(practice_course, learner):
    _, first, _ = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)
    card = deck(user).first()
    client_id = uuid.uuid4()
    first_send = review_record(user, card_id=card.pk, rating=3, client_id=client_id)
    again = review_record(user, card_id=card.pk, rating=3, client_id=str(client_id))
    assert not first_send.duplicate and again.duplicate and again.due == first_send.due
    assert Review.objects.count() == 1
    assert CardState.objects.get().reps == 1
    assert PracticeDay.objects.get().reviews == 1


def test_an_offline_rating_counts_at_the_time_it_was_made(practice_course, learner):
    _, first, _ = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)
    card = deck(user).first()
    now = timezone.now()
    made = now - timedelta(days=2)
    rate(user, card.pk, reviewed_at=made, now=now)
    review = Review.objects.get()
    assert review.reviewed_at == made and review.received_at == now
    assert PracticeDay.objects.get().day == timezone.localdate(made)


@pytest.mark.parametrize(
    ("change", "message", "kind"),
    [
        ({"rating": 7}, "Choose one of the four ratings.", Kind.INVALID),
        ({"rating": "good"}, "Choose one of the four ratings.", Kind.INVALID),
        ({"client_id": "not-a-uuid"}, "This rating has no valid identifier.", Kind.INVALID),
    ],
)
def test_bad_ratings_are_refused_and_nothing_is_written(
    practice_course, learner, change, message, kind
):
    _, first, _ = practice_course
    lesson_record_visit(user=learner.user, lesson=first)
    card = deck(learner.user).first()
    fields = {"card_id": card.pk, "rating": 3, "client_id": uuid.uuid4(), **change}
    with pytest.raises(Refused) as refused:
        review_record(learner.user, **fields)
    assert refused.value.kind == kind
    assert refused.value.message in (message, "请从四个评分中选一个。", "这条评分没有有效的编号。")
    assert not Review.objects.exists() and not CardState.objects.exists()


def test_a_card_outside_the_deck_is_not_found(practice_course, learner):
    _, first, _ = practice_course  # never opened
    card = Card.objects.filter(lesson=first).first()
    with pytest.raises(Refused) as refused:
        rate(learner.user, card.pk)
    assert refused.value.kind == Kind.NOT_FOUND
    assert not CardState.objects.exists()


def test_another_learners_rating_id_is_a_conflict(practice_course, learner):
    from tests.factories import StaffFactory

    _, first, _ = practice_course
    other = StaffFactory().user
    for user in (learner.user, other):
        lesson_record_visit(user=user, lesson=first)
    card = deck(learner.user).first()
    client_id = uuid.uuid4()
    review_record(learner.user, card_id=card.pk, rating=3, client_id=client_id)
    with pytest.raises(Refused) as refused:
        review_record(other, card_id=card.pk, rating=3, client_id=client_id)
    assert refused.value.kind == Kind.CONFLICT


def test_summary_counts_due_cards_and_the_streak(practice_course, learner):
    _, first, second = practice_course
    user = learner.user
    lesson_record_visit(user=user, lesson=first)
    now = timezone.now()
    assert summary_for(user, now).due_today == 3  # all new, within the day's allowance
    for days_ago in (2, 1):
        at = now - timedelta(days=days_ago)
        for card in session_for(user, at).cards:
            rate(user, card.id, schedule.GOOD, now=at)
    summary = summary_for(user, now)
    assert summary.streak == 2 and summary.practised_today == 0
    assert summary.deck_size == 3


def test_wrong_answers_join_the_deck_only_when_the_review_shows_the_answer(learner):
    from quizzes.models import Question
    from quizzes.services import attempt_start, attempt_submit
    from tests.factories import build_quiz

    quiz = build_quiz(specs=("phone", "forbidden"), review_detail="full")
    user = learner.user
    attempt = attempt_start(user=user, quiz=quiz)
    attempt_submit(user=user, attempt_id=attempt.pk, answers={1: "c-five", 2: "false"})
    cards = list(deck(user))
    phone = Question.objects.get(name__endswith="-0")
    assert [c.question_id for c in cards] == [phone.pk]  # the wrong one, not the right one
    faces = session_for(user).cards[0]
    assert faces.kind == "question" and faces.content["answer"] == "三声"

    hidden = build_quiz(title="不公布答案", specs=("phone",), review_detail="score")
    other = attempt_start(user=user, quiz=hidden)
    attempt_submit(user=user, attempt_id=other.pk, answers={1: "c-five"})
    assert deck(user).count() == 1


def test_sync_all_brings_cards_in_line_with_the_content(practice_course):
    Card.objects.all().delete()
    assert cards_sync_all() >= 5
    assert Card.objects.filter(lesson__isnull=False, active=True).count() == 5


def test_a_module_without_a_competency_makes_cards_without_one(practice_course):
    from courses.models import ModulePage

    index, _, _ = practice_course
    other = index.add_child(instance=ModulePage(title="应急", slug="emergency"))
    lesson = publish_lesson(other, "停电", "power", [PROCEDURE | {"id": "b-power"}])
    assert Card.objects.get(lesson=lesson).competency_id is None


def test_held_is_the_same_rule_in_python_and_sql(practice_course, learner):
    from practice.selectors import held_condition

    cards = list(Card.objects.all()[:5])
    cases = [
        (schedule.REVIEW_STATE, 21.0),
        (schedule.REVIEW_STATE, 20.9),
        (1, 40.0),
        (3, 30.0),
        (2, 0.0),
    ]
    now = timezone.now()
    for card, (state, stability) in zip(cards, cases, strict=True):
        CardState.objects.create(
            user=learner.user, card=card, due=now, state=state, stability=stability, created_at=now
        )
    in_sql = set(CardState.objects.filter(held_condition()).values_list("card_id", flat=True))
    in_python = {
        c.pk
        for c, (state, stability) in zip(cards, cases, strict=True)
        if schedule.is_held(state, stability)
    }
    assert in_sql == in_python == {cards[0].pk}
