"""Writes: keeping cards in step with the content, and recording a rating."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from academy.errors import Kind, Refused
from academy.signals import announce_evidence
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import LessonPage
from quizzes.models import AttemptQuestion, Question

from . import cards as card_rules
from . import schedule
from .models import Card, CardState, PracticeDay, Review
from .selectors import WRONG_STATES, deck_condition

# --- cards from content ---------------------------------------------------------------------


def _store(existing: dict[str, Card], drafts, **fields) -> set[str]:
    """Create or update the drafted cards; returns their keys."""
    to_create, to_update = [], []
    for draft in drafts:
        card = existing.get(draft.key)
        if card is None:
            to_create.append(
                Card(
                    key=draft.key,
                    kind=draft.kind,
                    order=draft.order,
                    content=draft.content,
                    **fields,
                )
            )
            continue
        changed = (card.kind, card.order, card.content, card.active) != (
            draft.kind,
            draft.order,
            draft.content,
            True,
        ) or any(getattr(card, name) != value for name, value in fields.items())
        if changed:
            card.kind, card.order, card.content, card.active = (
                draft.kind,
                draft.order,
                draft.content,
                True,
            )
            for name, value in fields.items():
                setattr(card, name, value)
            card.updated_at = timezone.now()
            to_update.append(card)
    Card.objects.bulk_create(to_create, ignore_conflicts=True)
    fields_to_update = ["kind", "order", "content", "active", "updated_at", *fields]
    Card.objects.bulk_update(to_update, fields_to_update, batch_size=500)
    return {d.key for d in drafts}


def cards_sync_lesson(lesson_id: int) -> int:
    """Make a lesson's cards match its live content: new blocks join every deck that holds
    the lesson, edited ones keep their schedules, removed (or excluded) ones retire. A lesson
    that is not live has no active cards. Returns the number of active cards."""
    lesson = LessonPage.objects.filter(pk=lesson_id).first()
    existing = {c.key: c for c in Card.objects.filter(lesson_id=lesson_id)}
    kept: set[str] = set()
    if lesson is not None and lesson.live:
        module = lesson.get_parent().specific
        drafts = card_rules.lesson_cards(lesson.pk, lesson.path, lesson.title, lesson.body.raw_data)
        kept = _store(
            existing,
            drafts,
            lesson_id=lesson.pk,
            competency_id=getattr(module, "competency_id", None),
        )
    retired = [k for k, c in existing.items() if c.active and k not in kept]
    Card.objects.filter(key__in=retired).update(active=False, updated_at=timezone.now())
    return len(kept)


def cards_sync_question(question_id: int) -> bool:
    """A question's card: active while the question is not archived and its kind has one
    right answer. Whether a learner sees it is theirs: only after answering it wrongly."""
    question = Question.objects.filter(pk=question_id).first()
    key = card_rules.question_key(question_id)
    if question is None:
        Card.objects.filter(key=key).update(active=False)
        return False
    usable = not question.archived and question.kind in card_rules.QUESTION_KINDS
    competency = question.competencies.order_by("pk").values_list("pk", flat=True).first()
    card, _ = Card.objects.update_or_create(
        key=key,
        defaults={
            "kind": card_rules.QUESTION,
            "order": f"0:{question_id:010d}",
            "question": question,
            "competency_id": competency,
            "active": usable,
        },
    )
    return usable


def cards_ensure_for_wrong_answers(user) -> int:
    """Cards for the questions a learner answered wrongly that have none yet (questions
    imported in bulk were saved without signals). One query when there is nothing to do."""
    missing = (
        AttemptQuestion.objects.filter(attempt__user=user, state__in=WRONG_STATES)
        .exclude(version__question__practice_cards__isnull=False)
        .values_list("version__question_id", flat=True)
        .distinct()
    )
    made = 0
    for question_id in list(missing):
        made += cards_sync_question(question_id)
    return made


def cards_sync_all() -> int:
    """Every live lesson's cards and every question's: after a deployment or an import."""
    count = 0
    lesson_ids = set(LessonPage.objects.values_list("pk", flat=True))
    lesson_ids |= set(Card.objects.filter(lesson__isnull=False).values_list("lesson_id", flat=True))
    for lesson_id in sorted(lesson_ids):
        count += cards_sync_lesson(lesson_id)
    for question_id in Question.objects.values_list("pk", flat=True):
        count += cards_sync_question(question_id)
    return count


# --- ratings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rated:
    card_id: int
    due: datetime
    duplicate: bool  # this rating had arrived before: nothing changed


def _parsed_client_id(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise Refused(_("This rating has no valid identifier.")) from None


def review_record(
    user,
    *,
    card_id,
    rating,
    client_id,
    reviewed_at: datetime | None = None,
    now: datetime | None = None,
) -> Rated:
    """Record one rating of a card in the learner's deck and reschedule it.

    The same `client_id` twice (a queue sent again after the connection came back) is
    stored once: the second call changes nothing and says so. A rating made offline counts
    at its own time (`schedule.review_time`)."""
    now = now or timezone.now()
    client_id = _parsed_client_id(client_id)
    try:
        rating = int(rating)
        card_id = int(card_id)
    except (TypeError, ValueError):
        raise Refused(_("Choose one of the four ratings.")) from None
    if rating not in schedule.RATINGS:
        raise Refused(_("Choose one of the four ratings."))
    if reviewed_at is not None and timezone.is_naive(reviewed_at):
        reviewed_at = timezone.make_aware(reviewed_at)

    with transaction.atomic():
        state = CardState.objects.select_for_update().filter(user=user, card_id=card_id).first()
        earlier = Review.objects.filter(client_id=client_id).first()
        if earlier is not None:
            if earlier.user_id != user.pk or earlier.card_id != card_id:
                raise Refused(_("This rating was already used for another card."), Kind.CONFLICT)
            return Rated(card_id=card_id, due=earlier.due, duplicate=True)
        if state is None:
            if not Card.objects.active().filter(deck_condition(user, now), pk=card_id).exists():
                raise Refused(_("This card is not in your practice deck."), Kind.NOT_FOUND)
            state = _new_state(user, card_id, now)
        was_held = schedule.is_held(state.state, state.stability)
        at = schedule.review_time(reviewed_at, now, state.last_review)
        reviewed = schedule.review(state.memory or None, rating, at)
        try:
            with transaction.atomic():
                Review.objects.create(
                    client_id=client_id,
                    user=user,
                    card_id=card_id,
                    rating=rating,
                    reviewed_at=at,
                    received_at=now,
                    retrievability=reviewed.retrievability,
                    stability=reviewed.stability,
                    difficulty=reviewed.difficulty,
                    state=reviewed.state,
                    due=reviewed.due,
                )
        except IntegrityError:
            # The same rating arrived by another connection a moment ago.
            earlier = Review.objects.get(client_id=client_id)
            return Rated(card_id=card_id, due=earlier.due, duplicate=True)
        state.memory = reviewed.memory
        state.due, state.state = reviewed.due, reviewed.state
        state.stability, state.difficulty = reviewed.stability, reviewed.difficulty
        state.reps += 1
        state.lapses += int(rating == schedule.AGAIN and state.last_review is not None)
        state.last_review = at
        state.save()
        _count_day(user, timezone.localdate(at))
        if schedule.is_held(reviewed.state, reviewed.stability) != was_held:
            announce_evidence("practice", user)  # the competency level may move
    return Rated(card_id=card_id, due=reviewed.due, duplicate=False)


def _new_state(user, card_id: int, now: datetime) -> CardState:
    try:
        with transaction.atomic():
            return CardState.objects.create(
                user=user, card_id=card_id, due=now, state=1, created_at=now
            )
    except IntegrityError:
        return CardState.objects.select_for_update().get(user=user, card_id=card_id)


def _count_day(user, day) -> None:
    if PracticeDay.objects.filter(user=user, day=day).update(reviews=F("reviews") + 1):
        return
    try:
        with transaction.atomic():
            PracticeDay.objects.create(user=user, day=day, reviews=1)
    except IntegrityError:
        PracticeDay.objects.filter(user=user, day=day).update(reviews=F("reviews") + 1)
