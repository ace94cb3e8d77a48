from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .blocks import LessonBodyBlock


class StaffOnlyPage(Page):
    """Training material is for the company's staff: every course page needs a login."""

    class Meta:
        abstract = True

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class CourseIndexPage(StaffOnlyPage):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.ModulePage"]
    template = "courses/pages/course_index_page.html"

    class Meta:
        verbose_name = _("course index")

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_summaries_for

        context = super().get_context(request, *args, **kwargs)
        context["modules"] = module_summaries_for(request.user, index=self)
        return context


class ModulePage(StaffOnlyPage):
    competency = models.ForeignKey(
        "academy.Competency",
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="modules",
    )
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("competency"),
        FieldPanel("summary"),
        FieldPanel("intro"),
        InlinePanel("quiz_placements", heading=_("Quizzes"), label=_("quiz")),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("intro")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    template = "courses/pages/module_page.html"

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        from .selectors import module_progress_for, module_quizzes_for

        context = super().get_context(request, *args, **kwargs)
        progress = module_progress_for(request.user, modules=[self])
        context["progress"] = progress[0] if progress else None
        context["quizzes"] = module_quizzes_for(request.user, self)
        return context


class LessonPage(StaffOnlyPage):
    """A lesson of a module. Opening it records a visit (`courses.wagtail_hooks`), from which
    the completion rule (`progress.reading_seconds_left`) counts."""

    summary = models.CharField(_("summary"), max_length=255, blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(_("reading time (minutes)"), default=5)
    min_reading_seconds = models.PositiveSmallIntegerField(
        _("minimum reading time (seconds)"),
        default=0,
        help_text=_(
            "A learner can mark the lesson complete only this long after opening it. "
            "0: as soon as it is opened."
        ),
    )
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("estimated_minutes"),
        FieldPanel("min_reading_seconds"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["courses.ModulePage"]
    subpage_types: list[str] = []
    template = "courses/pages/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def get_context(self, request, *args, **kwargs):
        from .selectors import lesson_context_for

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context_for(request.user, lesson=self))
        return context


class LessonProgress(models.Model):
    """One learner's progress through one lesson: when first and last opened, when done."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="progress")
    first_opened_at = models.DateTimeField(_("first opened"))
    last_opened_at = models.DateTimeField(_("last opened"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="unique_progress_per_lesson")
        ]
        # "The lesson a learner opened last" is one learner's visit at a given time: an index
        # on the time alone made PostgreSQL walk everybody's recent visits.
        indexes = [
            models.Index(fields=["user", "last_opened_at"], name="progress_user_last_opened")
        ]

    def __str__(self):
        return f"{self.user} · {self.lesson_id}"


class ModuleQuiz(Orderable):
    """A quiz placed in a module; the module page lists it after the lessons."""

    module = ParentalKey(ModulePage, on_delete=models.CASCADE, related_name="quiz_placements")
    quiz = models.ForeignKey(
        "quizzes.Quiz", verbose_name=_("quiz"), on_delete=models.PROTECT, related_name="+"
    )

    panels = [FieldPanel("quiz")]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz in module")
