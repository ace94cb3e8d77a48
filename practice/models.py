"""Practice cards, each learner's memory of them, and every rating ever given."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import cards as card_rules


class CardQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Card(models.Model):
    """One card, shared by every learner whose deck holds it: made from a lesson block or a
    quiz question (`cards.py`). Kept in step with published content by `services`; a card
    whose block went away (or was taken out of practice) is retired, never deleted, because
    reviews point at it."""

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(
        _("type"),
        max_length=20,
        choices=[
            (card_rules.PHRASE, _("Standard phrase")),
            (card_rules.FORBIDDEN, _("Forbidden phrase")),
            (card_rules.DO_DONT, _("Do and don't")),
            (card_rules.PROCEDURE, _("Procedure steps")),
            (card_rules.QUESTION, _("Quiz question")),
        ],
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_cards",
    )
    question = models.ForeignKey(
        "quizzes.Question",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_cards",
    )
    competency = models.ForeignKey(
        "academy.Competency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_cards",
    )
    # Sorts new cards in the order the course teaches them (wrong answers first).
    order = models.CharField(max_length=300)
    content = models.JSONField(default=dict)
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CardQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice card")
        indexes = [models.Index(fields=["active", "order"], name="practice_card_new")]

    def __str__(self):
        return self.key


class CardState(models.Model):
    """One learner's memory of one card (FSRS), created by their first rating of it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_cards"
    )
    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="states")
    memory = models.JSONField(default=dict)
    due = models.DateTimeField()
    state = models.PositiveSmallIntegerField()
    stability = models.FloatField(default=0)
    difficulty = models.FloatField(default=0)
    reps = models.PositiveIntegerField(default=0)
    lapses = models.PositiveIntegerField(default=0)
    last_review = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("card memory")
        constraints = [models.UniqueConstraint(fields=["user", "card"], name="one_memory_per_card")]
        indexes = [
            models.Index(fields=["user", "due"], name="practice_due"),
            models.Index(fields=["user", "created_at"], name="practice_introduced"),
        ]

    def __str__(self):
        return f"{self.user} · {self.card} · {self.due:%Y-%m-%d %H:%M}"


class Review(models.Model):
    """One rating, append-only: the history a supervisor's figures and a competency level
    rest on. `client_id` is made by the learner's device, so a rating sent twice (a queue
    flushed after the connection came back) is stored once."""

    client_id = models.UUIDField(unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_reviews"
    )
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    reviewed_at = models.DateTimeField(_("rated"))
    received_at = models.DateTimeField(_("received"))
    retrievability = models.FloatField(null=True, blank=True)
    stability = models.FloatField()
    difficulty = models.FloatField()
    state = models.PositiveSmallIntegerField()
    due = models.DateTimeField()

    class Meta:
        verbose_name = _("practice rating")
        ordering = ["reviewed_at"]
        indexes = [models.Index(fields=["user", "reviewed_at"], name="practice_review_user")]

    def __str__(self):
        return f"{self.user} · {self.card} · {self.rating}"


class PracticeDay(models.Model):
    """How many ratings a learner gave on a (local) day: the streak, the home and the
    supervisor's "who practises" read these small rows, not every rating."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_days"
    )
    day = models.DateField()
    reviews = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("practice day")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_practice_day")]

    def __str__(self):
        return f"{self.user} · {self.day} · {self.reviews}"
