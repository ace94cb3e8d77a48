"""Question bank, quizzes and attempts.

A `Question` is what trainers edit; every saved change that alters what learners see or how
it is graded becomes a new immutable `QuestionVersion` (its spec, see `spec.py`). Attempts
point at versions, so editing a question never changes an attempt already taken.
"""

from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, PreviewableMixin
from wagtail.search import index

from . import rules
from . import spec as kinds
from .blocks import AnswersBlock
from .forms import KIND_RULES_CONTROLLER, QuestionForm, answer_panels, kind_only_panel

TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "image"]


class QuestionKind(models.TextChoices):
    SINGLE = kinds.SINGLE, _("Single choice")
    MULTIPLE = kinds.MULTIPLE, _("Multiple choice")
    TRUE_FALSE = kinds.TRUE_FALSE, _("True / false")
    ORDERING = kinds.ORDERING, _("Ordering")
    MATCHING = kinds.MATCHING, _("Matching")
    SHORT_ANSWER = kinds.SHORT_ANSWER, _("Short answer")
    NUMERIC = kinds.NUMERIC, _("Numeric")
    ESSAY = kinds.ESSAY, _("Written reply (graded by a trainer)")
    DESCRIPTION = kinds.DESCRIPTION, _("Description (not scored)")


class QuestionCategory(models.Model):
    """A folder of the bank; random quiz slots draw from one. Names may be paths (a/b)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Question(PreviewableMixin, index.Indexed, models.Model):
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    name = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    competencies = models.ManyToManyField(
        "academy.Competency", verbose_name=_("competencies"), blank=True, related_name="questions"
    )
    text = RichTextField(_("question"), features=TEXT_FEATURES)
    answers = StreamField(
        AnswersBlock(),
        verbose_name=_("answers"),
        blank=True,
        help_text=_(
            "Add the answers this type of question needs: options for choice "
            "questions, steps in the right order for ordering, pairs for matching, "
            "accepted answers, numbers, or rubric criteria for a written reply."
        ),
    )
    case_sensitive = models.BooleanField(
        _("case sensitive"), default=False, help_text=_("Short answer only.")
    )
    reply_template = models.TextField(
        _("reply template"),
        blank=True,
        help_text=_("Written reply only: text the answer box starts with."),
    )
    general_feedback = RichTextField(
        _("explanation"),
        features=TEXT_FEATURES,
        blank=True,
        help_text=_("Shown after answering, whatever the answer: why the right answer is right."),
    )
    default_mark = models.DecimalField(_("default mark"), max_digits=5, decimal_places=2, default=1)
    archived = models.BooleanField(
        _("archived"), default=False, help_text=_("Archived questions are never drawn at random.")
    )
    current_version = models.ForeignKey(
        "QuestionVersion",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Only the fields of the chosen type show, and only those are saved (`forms`).
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
            FieldRowPanel([FieldPanel("category"), FieldPanel("default_mark")]),
            FieldPanel("competencies", widget=forms.CheckboxSelectMultiple),
            FieldPanel("text"),
            *answer_panels(),
            kind_only_panel("case_sensitive"),
            kind_only_panel("reply_template"),
            kind_only_panel("general_feedback"),
            FieldPanel("archived"),
        ],
        attrs=KIND_RULES_CONTROLLER,
        base_form_class=QuestionForm,
    )
    search_fields = [
        index.SearchField("name"),
        index.SearchField("text"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
        index.FilterField("category"),
        index.FilterField("archived"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__name", "name"]

    def __str__(self):
        return self.name

    def to_spec(self) -> dict:
        from .authoring import question_to_spec

        return question_to_spec(self)

    # The live preview beside the editor: the question as a learner sees it in a quiz,
    # drawn from the form as it stands (saved or not).
    def get_preview_template(self, request, mode_name):
        return "quizzes/question_preview.html"

    def get_preview_context(self, request, mode_name):
        from .selectors import question_preview

        return {**super().get_preview_context(request, mode_name), "q": question_preview(self)}


class QuestionVersion(models.Model):
    """What one version of a question showed and how it was graded; never edited."""

    # A question nobody has answered may be deleted with its versions; one that was answered
    # may not (AttemptQuestion.version protects it): archive it instead.
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    spec = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("question version")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="unique_question_version")
        ]

    def __str__(self):
        return f"{self.question} v{self.number}"

    @property
    def kind(self) -> str:
        return self.spec["kind"]


class GradingMethod(models.TextChoices):
    HIGHEST = "highest", _("Highest attempt")
    LATEST = "latest", _("Latest attempt")


class ReviewDetail(models.TextChoices):
    SCORE = "score", _("Score and pass/fail only")
    WRONG = "wrong", _("Which questions were wrong")
    FULL = "full", _("Full review: right answers, feedback and explanations")


class ReviewWhen(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately after submitting")
    AFTER_CLOSE = "after_close", _("After the quiz closes")


class Quiz(ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    competency = models.ForeignKey(
        "academy.Competency",
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=80, help_text=_("Percentage needed to pass, 0–100.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Empty: no time limit.")
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), default=0, help_text=_("0: unlimited.")
    )
    attempt_wait_minutes = models.PositiveIntegerField(
        _("wait between attempts (minutes)"), default=0
    )
    grading_method = models.CharField(
        _("grading method"),
        max_length=10,
        choices=GradingMethod.choices,
        default=GradingMethod.HIGHEST,
    )
    questions_per_page = models.PositiveSmallIntegerField(
        _("questions per page"),
        default=0,
        help_text=_("0: all questions on one page."),
    )
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_options = models.BooleanField(_("shuffle options"), default=True)
    review_detail = models.CharField(
        _("review shows"), max_length=10, choices=ReviewDetail.choices, default=ReviewDetail.FULL
    )
    review_when = models.CharField(
        _("review available"),
        max_length=12,
        choices=ReviewWhen.choices,
        default=ReviewWhen.IMMEDIATELY,
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("competency"),
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("attempt_wait_minutes")]),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("questions_per_page")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
                FieldRowPanel([FieldPanel("review_detail"), FieldPanel("review_when")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            ],
            heading=_("Rules"),
        ),
        InlinePanel("slots", heading=_("Questions"), label=_("question or random draw"), min_num=1),
    ]

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.pass_mark > 100:
            errors["pass_mark"] = _("The pass mark is a percentage between 0 and 100.")
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The quiz must close after it opens.")
        if self.review_when == ReviewWhen.AFTER_CLOSE and not self.closes_at:
            errors["closes_at"] = _("Set a close date to show the review after it.")
        if errors:
            raise ValidationError(errors)


class QuizSlot(Orderable):
    """One place in a quiz: a fixed question, or `count` questions drawn from a category."""

    quiz = ParentalKey(Quiz, on_delete=models.CASCADE, related_name="slots")
    question = models.ForeignKey(
        Question,
        verbose_name=_("fixed question"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("or draw at random from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveSmallIntegerField(_("how many to draw"), default=1)
    mark = models.DecimalField(_("mark per question"), max_digits=5, decimal_places=2, default=1)

    panels = [
        FieldPanel("question"),
        FieldRowPanel([FieldPanel("category"), FieldPanel("count")]),
        FieldPanel("mark"),
    ]

    def clean(self):
        if bool(self.question_id) == bool(self.category_id):
            raise ValidationError(
                _("Choose either a fixed question or a category to draw from, not both.")
            )
        if self.category_id and self.count < 1:
            raise ValidationError({"count": _("Draw at least one question.")})


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    AWAITING_GRADING = "awaiting_grading", _("Waiting for a trainer's grade")
    FINISHED = "finished", _("Finished")


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quiz_attempts"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    state = models.CharField(
        _("state"), max_length=20, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("time limit ends"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    finished_at = models.DateTimeField(_("result known"), null=True, blank=True)
    # Copied from the quiz when the attempt starts: later rule changes never rescore it.
    pass_mark = models.PositiveSmallIntegerField(_("pass mark (%)"))
    points = models.FloatField(_("points"), null=True, blank=True)
    max_points = models.FloatField(_("maximum points"), default=0)
    percent = models.FloatField(_("score (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    # Submitted because its time ran out (the page's countdown or the next request after
    # the deadline), not by the learner: the result page says so.
    submitted_late = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("quiz attempt")
        ordering = ["quiz", "user", "number"]
        permissions = [
            ("grade_attempt", _("Can grade written replies")),
            ("view_quiz_results", _("Can see quiz results and statistics")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "user", "number"], name="unique_attempt_number"
            ),
            # Two tabs pressing "start" at once must not open two attempts.
            models.UniqueConstraint(
                fields=["quiz", "user"],
                condition=models.Q(state="in_progress"),
                name="one_open_attempt_per_quiz",
            ),
        ]

    def __str__(self):
        return f"{self.quiz} · {self.user} · #{self.number}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS

    @property
    def ends_at(self) -> datetime | None:
        """When the attempt ends now (`rules.attempt_deadline`): a close date a trainer set
        after it started counts. Reads the quiz unless it is already loaded."""
        return rules.attempt_deadline(self.deadline, self.quiz.closes_at)


class AttemptQuestion(models.Model):
    """One question as one learner saw it in one attempt, their answer and its grade."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    version = models.ForeignKey(QuestionVersion, on_delete=models.PROTECT, related_name="uses")
    mark = models.FloatField()
    # Option / item / answer ids in the order this learner was shown them.
    option_order = models.JSONField(default=list, blank=True)
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # The learner's "come back to this" mark, shown in the navigator and when submitting.
    flagged = models.BooleanField(default=False)
    fraction = models.FloatField(null=True, blank=True)
    state = models.CharField(max_length=20, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    graded_at = models.DateTimeField(null=True, blank=True)
    grader_comment = models.TextField(blank=True)
    rubric_points = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("answer in an attempt")
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="unique_attempt_position")
        ]

    def __str__(self):
        return f"{self.attempt} · Q{self.position}"
