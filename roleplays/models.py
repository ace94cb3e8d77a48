"""Role-play scenarios (Wagtail snippets with drafts and revisions), the immutable version
each publication creates, and learners' runs with every choice they made."""

from academy.slugs import is_readable, readable_slug
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin
from wagtail.search import index

from .blocks import NodesBlock
from .engine import DEFAULT_PASS_MARK, Graph
from .forms import ScenarioForm
from .panels import ChecklistPanel, GraphPanel


class Channel(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")
    PHONE = "phone", _("Phone")
    DOOR_TO_DOOR = "door_to_door", _("Door to door")


class Scenario(DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        blank=True,
        allow_unicode=True,  # typed in Chinese, it is turned into pinyin (make_slug_readable)
        help_text=_(
            "The scenario's name in its address: a few English words or pinyin, e.g. "
            "ceiling-leak. Left empty, the pinyin of the title; Chinese is turned into pinyin."
        ),
    )
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    owner = models.CharField(
        _("the owner"), max_length=255, help_text=_("Who the owner (业主) is.")
    )
    situation = models.TextField(_("what happened"))
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.FRONT_DESK
    )
    competency = models.ForeignKey(
        "academy.Competency",
        verbose_name=_("competency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenarios",
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=DEFAULT_PASS_MARK,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Overall score needed, as a share of the best path's score, and a passing ending."
        ),
    )
    immediate_feedback = models.BooleanField(
        _("feedback after each choice"),
        default=True,
        help_text=_("Otherwise the expert's feedback is shown at the end only."),
    )
    start = models.CharField(_("start node (key)"), max_length=80, default="N1")
    nodes = StreamField(NodesBlock(), verbose_name=_("nodes"), blank=True)
    ifid = models.CharField(_("Twine IFID"), max_length=64, blank=True, editable=False)
    live_version = models.ForeignKey(
        "ScenarioVersion",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Revisions are deleted with the scenario and reachable from it (Wagtail's advice).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="scenario")

    panels = [
        ChecklistPanel(heading=_("Before publishing")),
        FieldRowPanel([FieldPanel("title"), FieldPanel("slug")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("owner"),
                FieldPanel("situation"),
                FieldRowPanel([FieldPanel("channel"), FieldPanel("competency")]),
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("immediate_feedback")]),
            ],
            heading=_("Setting"),
        ),
        FieldPanel("start"),
        GraphPanel(heading=_("Graph")),
        FieldPanel("nodes"),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]
    base_form_class = ScenarioForm

    class Meta:
        verbose_name = _("role-play scenario")
        verbose_name_plural = _("role-play scenarios")
        ordering = ["title"]

    def __str__(self):
        return self.title

    SLUG_BASE_LENGTH = 70  # room for "-NN" within max_length

    def clean(self):
        super().clean()
        self.make_slug_readable()

    def make_slug_readable(self) -> None:
        self.slug = self.readable_slug()

    def readable_slug(self) -> str:
        """The slug, or when it is empty or not ASCII the pinyin of the slug (or of the
        title), numbered when another scenario has that (`academy.slugs`)."""
        if is_readable(self.slug):
            return self.slug
        base = readable_slug(self.slug or self.title, self.SLUG_BASE_LENGTH) or "scenario"
        return self.free_slug(base, exclude_pk=self.pk)

    @classmethod
    def free_slug(cls, base: str, *, exclude_pk: int | None = None) -> str:
        """`base`, or `base-2`, `base-3`… : the first no other scenario has."""
        taken = set(
            cls.objects.filter(slug__startswith=base)
            .exclude(pk=exclude_pk)
            .values_list("slug", flat=True)
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        return slug

    @property
    def revisions(self):
        return self._revisions

    def graph_dict(self) -> dict:
        from .authoring import graph_from_blocks

        return graph_from_blocks(self.nodes, self.start)

    def setting_dict(self) -> dict:
        return {
            "owner": self.owner,
            "situation": self.situation,
            "channel": self.channel,
            "pass_mark": self.pass_mark,
            "immediate_feedback": self.immediate_feedback,
            "competency": self.competency.slug if self.competency_id else "",
            "summary": self.summary,
        }


class ScenarioVersion(models.Model):
    """What one publication of a scenario was. Runs point here, never at the draft."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    setting = models.JSONField()
    graph = models.JSONField()
    # What the parsed graph is cached by (engine.Graph.digest): pages load the version
    # without its graph and parse it once per process (selectors.version_graph).
    graph_digest = models.CharField(max_length=64, editable=False, default="")
    best_path = models.JSONField(null=True, blank=True)
    # What the trainer was told when it was published (engine.analyse: warnings).
    warnings = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("published scenario version")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "number"], name="unique_scenario_version")
        ]

    def __str__(self):
        return f"{self.title} v{self.number}"

    def save(self, *args, **kwargs):
        if not self.graph_digest:
            self.graph_digest = Graph.digest(self.graph)
        super().save(*args, **kwargs)


class RunState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FINISHED = "finished", _("Finished")
    ABANDONED = "abandoned", _("Abandoned (replayed)")


class Run(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.PROTECT, related_name="runs")
    version = models.ForeignKey(ScenarioVersion, on_delete=models.PROTECT, related_name="runs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="roleplay_runs"
    )
    state = models.CharField(max_length=20, choices=RunState.choices, default=RunState.IN_PROGRESS)
    current_node = models.CharField(max_length=80)
    scores = models.JSONField(default=dict)
    visited = models.JSONField(default=list)
    taken = models.JSONField(default=list)  # "node/choice" already scored (see engine.choose)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    ending = models.CharField(max_length=80, blank=True)
    overall_percent = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = _("role-play run")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "user"],
                condition=models.Q(state="in_progress"),
                name="one_open_run_per_scenario",
            )
        ]
        permissions = [("view_roleplay_analytics", _("Can see role-play analytics"))]

    def __str__(self):
        return f"{self.version} · {self.user}"

    @property
    def is_open(self) -> bool:
        return self.state == RunState.IN_PROGRESS


class RunStep(models.Model):
    """One choice of one run: every choice is recorded, for the transcript and analytics."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="steps")
    number = models.PositiveSmallIntegerField()
    node = models.CharField(max_length=80)
    choice = models.CharField(max_length=80)
    choice_text = models.CharField(max_length=500)
    target = models.CharField(max_length=80)
    points = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "number"]
        constraints = [models.UniqueConstraint(fields=["run", "number"], name="unique_run_step")]

    def __str__(self):
        return f"{self.run} · {self.number}: {self.node} → {self.target}"
