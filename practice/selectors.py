"""Reads: a learner's deck, today's session, their summary, and practice figures for the
person record, the competency levels and supervisors. Each is a constant number of queries
whatever the deck's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, Max, OuterRef, Q, Sum
from django.utils import timezone

from courses.models import LessonProgress
from quizzes import grading
from quizzes.models import AttemptQuestion, AttemptState, ReviewDetail, ReviewWhen
from quizzes.textformat import html_to_plain

from . import cards as card_rules
from . import schedule
from .models import Card, CardState, PracticeDay, Review

WRONG_STATES = (grading.WRONG, grading.PARTIAL, grading.UNANSWERED)


def deck_condition(user, now: datetime) -> Q:
    """Which cards are in a learner's deck: those of every lesson they have opened, and each
    question they answered wrongly in a finished attempt whose review shows the right answer
    now (a quiz that keeps its answers hidden must not have them given away here)."""
    opened = LessonProgress.objects.filter(user=user, lesson_id=OuterRef("lesson_id"))
    wrong = AttemptQuestion.objects.filter(
        Q(attempt__quiz__review_when=ReviewWhen.IMMEDIATELY) | Q(attempt__quiz__closes_at__lte=now),
        attempt__user=user,
        attempt__state=AttemptState.FINISHED,
        attempt__quiz__review_detail=ReviewDetail.FULL,
        state__in=WRONG_STATES,
        version__question_id=OuterRef("question_id"),
    )
    return Q(Exists(opened), lesson__isnull=False) | Q(Exists(wrong), question__isnull=False)


def deck(user, now: datetime | None = None):
    return Card.objects.active().filter(deck_condition(user, now or timezone.now()))


def new_cards(user, now: datetime):
    """Cards of the deck the learner has never rated, in the order the course teaches them."""
    seen = CardState.objects.filter(user=user, card_id=OuterRef("pk"))
    return deck(user, now).filter(~Exists(seen)).order_by("order", "pk")


def start_of_day(now: datetime) -> datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


@dataclass
class CardFaces:
    """What the practice page shows of a card: its front, its back, and what it is."""

    id: int
    kind: str
    kind_label: str
    lesson: str
    content: dict
    is_new: bool
    due: datetime | None = None
    client_id: str = ""


def card_faces(card: Card, state: CardState | None) -> CardFaces | None:
    content = dict(card.content)
    if card.kind == card_rules.QUESTION:
        version = card.question.current_version if card.question else None
        faces = card_rules.question_faces(version.spec, html_to_plain) if version else None
        if faces is None:
            return None
        content.update(faces)
    if card.kind == card_rules.PROCEDURE:
        content["shuffled"] = card_rules.shuffled_steps(card.key, content.get("steps", []))
    return CardFaces(
        id=card.pk,
        kind=card.kind,
        kind_label=card.get_kind_display(),
        lesson=content.get("lesson", ""),
        content=content,
        is_new=state is None,
        due=state.due if state else None,
    )


@dataclass
class Session:
    cards: list[CardFaces]
    due_count: int
    new_count: int
    next_due: datetime | None = None


_CARD_RELATED = ("question__current_version",)


def session_for(user, now: datetime | None = None) -> Session:
    """Today's session: due cards first, then new ones within the day's allowance; at most
    `schedule.SESSION_CARDS`. Four queries whatever the deck's size."""
    now = now or timezone.now()
    due_states = list(
        CardState.objects.filter(user=user, due__lte=now, card__active=True)
        .select_related("card", *(f"card__{r}" for r in _CARD_RELATED))
        .order_by("due", "pk")[: schedule.SESSION_CARDS]
    )
    introduced = CardState.objects.filter(user=user, created_at__gte=start_of_day(now)).count()
    allowance = schedule.new_allowance(introduced, len(due_states))
    fresh = (
        list(new_cards(user, now).select_related(*_CARD_RELATED)[:allowance]) if allowance else []
    )
    due_faces = [f for s in due_states if (f := card_faces(s.card, s))]
    new_faces = [f for c in fresh if (f := card_faces(c, None))]
    next_due = None
    if not due_faces and not new_faces:
        upcoming = (
            CardState.objects.filter(user=user, card__active=True, due__gt=now)
            .order_by("due")
            .values_list("due", flat=True)
            .first()
        )
        next_due = upcoming
    return Session(
        cards=schedule.session(due_faces, new_faces),
        due_count=len(due_faces),
        new_count=len(new_faces),
        next_due=next_due,
    )


@dataclass
class Summary:
    """The home's line: cards due today (due by the end of the day, plus today's new ones),
    the streak, the deck's size."""

    due_today: int
    streak: int
    practised_today: int
    deck_size: int


def practice_days(user, since: date) -> dict[date, int]:
    return dict(PracticeDay.objects.filter(user=user, day__gte=since).values_list("day", "reviews"))


def summary_for(user, now: datetime | None = None) -> Summary:
    now = now or timezone.now()
    today = timezone.localdate(now)
    end_of_day = start_of_day(now) + timedelta(days=1)
    due = CardState.objects.filter(user=user, due__lt=end_of_day, card__active=True).count()
    introduced = CardState.objects.filter(user=user, created_at__gte=start_of_day(now)).count()
    unseen = new_cards(user, now).count()
    rated = CardState.objects.filter(user=user, card__active=True).count()
    days = practice_days(user, today - timedelta(days=400))
    new_today = min(unseen, max(0, schedule.NEW_PER_DAY - introduced))
    return Summary(
        due_today=min(due, schedule.SESSION_CARDS * 5) + new_today,
        streak=schedule.streak(days, today),
        practised_today=days.get(today, 0),
        deck_size=rated + unseen,
    )


# --- practice as evidence -------------------------------------------------------------------


def held_condition() -> Q:
    """`schedule.is_held` in SQL, over card memories."""
    return Q(state=schedule.REVIEW_STATE, stability__gte=schedule.HELD_STABILITY_DAYS)


@dataclass(frozen=True)
class Recall:
    """A competency's lesson cards, and how many of them this learner holds (`is_held`)."""

    cards: int
    held: int


def recall_by_competency(user) -> dict[int, Recall]:
    """Per competency id: its active lesson cards and how many the learner holds. Cards of
    wrong quiz answers are personal and do not count: the measure is the competency's own
    material. Two queries."""
    totals = dict(
        Card.objects.active()
        .filter(lesson__isnull=False, competency__isnull=False)
        .values("competency_id")
        .annotate(n=Count("pk"))
        .values_list("competency_id", "n")
    )
    held = dict(
        CardState.objects.filter(
            user=user,
            card__active=True,
            card__lesson__isnull=False,
            card__competency__isnull=False,
        )
        .filter(held_condition())
        .values("card__competency_id")
        .annotate(n=Count("pk"))
        .values_list("card__competency_id", "n")
    )
    return {cid: Recall(cards=n, held=held.get(cid, 0)) for cid, n in totals.items()}


@dataclass
class Activity:
    """A person's practice for their record page: no answers, only how they practise."""

    streak: int
    days_last_30: int
    reviews_last_30: int
    last_practised: date | None
    cards_rated: int
    cards_held: int
    recall_last_30: float | None  # share of ratings other than 忘了 in the last 30 days
    by_day: list[tuple[date, int]] = field(default_factory=list)


def activity_for(user, today: date | None = None) -> Activity:
    """Three queries whatever the history's length. Counts cards of the learner's deck as it
    is now (a retired card is neither rated nor held any more, as in `summary_for`), and
    nothing after `today`."""
    today = today or timezone.localdate()
    since = today - timedelta(days=29)
    days = {d: n for d, n in practice_days(user, today - timedelta(days=400)).items() if d <= today}
    states = CardState.objects.filter(user=user, card__active=True).aggregate(
        rated=Count("pk"),
        held=Count(
            "pk",
            filter=held_condition(),
        ),
    )
    ratings = Review.objects.filter(
        user=user,
        reviewed_at__gte=start_of_day_date(since),
        reviewed_at__lt=start_of_day_date(today + timedelta(days=1)),
    ).aggregate(total=Count("pk"), recalled=Count("pk", filter=~Q(rating=schedule.AGAIN)))
    recent = {d: n for d, n in days.items() if d >= since}
    return Activity(
        streak=schedule.streak(days, today),
        days_last_30=len(recent),
        reviews_last_30=sum(recent.values()),
        last_practised=max(days) if days else None,
        cards_rated=states["rated"],
        cards_held=states["held"],
        recall_last_30=(ratings["recalled"] / ratings["total"]) if ratings["total"] else None,
        by_day=[
            (since + timedelta(days=n), recent.get(since + timedelta(days=n), 0)) for n in range(30)
        ],
    )


def start_of_day_date(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@dataclass(frozen=True)
class PractiseFigures:
    """What a supervisor sees of one person's practice: days practised in the last week,
    the last day, and ratings in the week; never the answers."""

    days_last_7: int
    reviews_last_7: int
    last_practised: date | None


def practice_by_user(user_ids, today: date | None = None) -> dict[int, PractiseFigures]:
    """For a page of people at once (`user_ids`: ids, or a query of them): one query. Days
    after `today` do not count; someone who never practised reads as 0 days, no date."""
    today = today or timezone.localdate()
    since = today - timedelta(days=6)
    rows = (
        PracticeDay.objects.filter(user_id__in=user_ids, day__lte=today)
        .values("user_id")
        .annotate(
            days=Count("pk", filter=Q(day__gte=since)),
            reviews=Sum("reviews", filter=Q(day__gte=since)),
            last=Max("day"),
        )
    )
    figures = defaultdict(lambda: PractiseFigures(0, 0, None))
    for row in rows:
        figures[row["user_id"]] = PractiseFigures(row["days"], row["reviews"] or 0, row["last"])
    return figures
