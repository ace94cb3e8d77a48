"""Certification programs and the certificates they issue. Certificates are never deleted;
every change to one is kept by django-simple-history."""

import base64
import re
import secrets

from academy import limits
from django import forms
from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import (
    AbstractGroupApprovalTask,
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    TaskState,
    WorkflowMixin,
    WorkflowState,
)

from roleplays.engine import DIMENSIONS

from . import badges, design_rules, rules
from .pdf import Design, pdf_to_png, render_pdf, sample_content


class ColourInput(forms.TextInput):
    """The browser's colour picker; it sends `#rrggbb`."""

    input_type = "color"


class DesignNotApproved(PermissionDenied):
    """A design with a seal was to go live without a second person's approval."""


class CertificateDesign(
    WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, PreviewableMixin, models.Model
):
    """How certificates look: trainers edit it in the admin, with a live preview and
    revisions. Certificates are drawn with the live (published) design only; a design with a
    seal goes live only once a second person approved it (`design_rules.may_go_live`). A
    change applies to certificates rendered afterwards; certificates already issued keep
    their stored PDF until re-issued."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=30, default=Design.title)
    statement = models.TextField(
        _("statement"),
        default=Design.statement,
        max_length=limits.CERTIFICATE_STATEMENT,
        help_text=_(
            "Write {holder} where the holder's name goes and {program} for the program's name."
        ),
    )
    issuer = models.CharField(_("issuer"), max_length=80, default=Design.issuer)
    signatory_name = models.CharField(_("signatory"), max_length=40, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=40, blank=True)
    seal = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    accent = models.CharField(
        _("accent colour"),
        max_length=7,
        default=Design.accent,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour like #9a2a2a."))],
    )
    default = models.BooleanField(
        _("default design"),
        default=False,
        help_text=_("Used by programs that do not name a design."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords()
    # Revisions and workflow states go with the design (Wagtail's advice for snippets).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="certificatedesign")
    _workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="certificatedesign",
        for_concrete_model=False,
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("title"), FieldPanel("accent", widget=ColourInput)]),
        FieldPanel("statement"),
        FieldPanel("issuer"),
        FieldRowPanel([FieldPanel("signatory_title"), FieldPanel("signatory_name")]),
        FieldPanel("seal"),
        FieldPanel("default"),
    ]

    class Meta:
        verbose_name = _("certificate design")
        verbose_name_plural = _("certificate designs")
        ordering = ["-default", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        accent = design_rules.normalise_colour(self.accent)
        if accent is None:
            raise ValidationError({"accent": _("A colour like #9a2a2a.")})
        if not design_rules.accent_is_legible(accent):
            raise ValidationError(
                {
                    "accent": _(
                        "This colour is too light to read on the certificate's paper: "
                        "choose a darker one."
                    )
                }
            )
        self.accent = accent
        placeholders = re.findall(r"{([^{}]*)}", self.statement)
        if placeholders.count("holder") != 1:
            raise ValidationError(
                {"statement": _("The statement must contain {holder} exactly once.")}
            )
        unknown = set(placeholders) - {"holder", "program"}
        if unknown:
            raise ValidationError(
                {
                    "statement": _("Unknown placeholder: %(names)s")
                    % {"names": "、".join("{" + name + "}" for name in sorted(unknown))}
                }
            )

    def as_design(self) -> Design:
        seal_png = None
        if self.seal_id:
            # A bounded PNG rendition keeps a large upload from bloating every PDF.
            rendition = self.seal.get_rendition("max-360x360|format-png")
            with rendition.file.open("rb") as image:
                seal_png = image.read()
        return Design(
            title=self.title,
            statement=self.statement,
            issuer=self.issuer,
            signatory_name=self.signatory_name,
            signatory_title=self.signatory_title,
            accent=self.accent,
            seal_png=seal_png,
        )

    # Preview: the unsaved form drawn as a sample certificate, with the PDF's own renderer.
    preview_modes = [("", _("Certificate image")), ("pdf", _("PDF"))]

    def sample_pdf(self) -> bytes:
        from .selectors import verification_url

        program = self.programs.order_by("name").first() if self.pk else None
        content = sample_content(
            program=program.name if program else gettext("Front-desk service certification"),
            competencies=[c.name for c in program.competencies.all()] if program else [],
            verify_url=verification_url("SAMPLE"),
        )
        return render_pdf(content, self.as_design())

    def serve_preview(self, request, mode_name):
        pdf_bytes = self.sample_pdf()
        if mode_name == "pdf":
            response = HttpResponse(pdf_bytes, content_type="application/pdf")
            response["Content-Disposition"] = 'inline; filename="sample-certificate.pdf"'
            # No policy on a PDF: chromium's viewer is refused under object-src 'none'.
            response._csp_exempt = True
            return response
        png = pdf_to_png(pdf_bytes, dpi=110)
        return TemplateResponse(
            request,
            "certification/design_preview.html",
            {"design": self, "png": base64.b64encode(png).decode("ascii") if png else None},
        )

    # Going live: a design with a seal needs a second person's approval first.
    def approval(self) -> design_rules.Approval | None:
        """The last approval of this design in a finished workflow."""
        state = (
            TaskState.objects.filter(
                status=TaskState.STATUS_APPROVED,
                workflow_state__status=WorkflowState.STATUS_APPROVED,
                workflow_state__base_content_type=self.get_base_content_type(),
                workflow_state__object_id=str(self.pk),
            )
            .select_related("workflow_state")
            .order_by("-finished_at")
            .first()
        )
        if state is None or state.finished_at is None:
            return None
        return design_rules.Approval(
            submitter_id=state.workflow_state.requested_by_id,
            approver_id=state.finished_by_id,
            approved_at=state.finished_at,
        )

    def may_go_live(self, revision) -> bool:
        has_seal = revision.as_object().seal_id is not None
        return design_rules.may_go_live(
            has_seal=has_seal, approval=self.approval(), changed_at=revision.created_at
        )

    def publish(self, revision, *args, **kwargs):
        if not self.may_go_live(revision):
            raise DesignNotApproved(
                gettext(
                    "A design with a seal goes live only after a second person approves it: "
                    "submit it for approval."
                )
            )
        return super().publish(revision, *args, **kwargs)

    def snapshot(self) -> dict:
        """What a PDF rendered now would show (stored with each certificate's PDF)."""
        return {
            "design": self.pk,
            "title": self.title,
            "statement": self.statement,
            "issuer": self.issuer,
            "signatory_name": self.signatory_name,
            "signatory_title": self.signatory_title,
            "accent": self.accent,
            "seal": self.seal.file.name if self.seal_id else "",
        }


class Program(RevisionMixin, ClusterableModel):
    """A certification program. Each save in the admin keeps a revision, its requirements
    included, so a change to them leaves a trail (history and compare). Saves apply at once:
    the certification engine reads the program's row and requirement rows."""

    name = models.CharField(_("name"), max_length=120)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=limits.DESCRIPTION)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), default=12, help_text=_("0: does not expire.")
    )
    competencies = models.ManyToManyField(
        "academy.Competency",
        verbose_name=_("competencies covered"),
        blank=True,
        related_name="programs",
    )
    active = models.BooleanField(_("in use"), default=True)
    design = models.ForeignKey(
        CertificateDesign,
        verbose_name=_("certificate design"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs",
        help_text=_("Empty: the default design."),
    )
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="program")

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("validity_months"), FieldPanel("active")]),
        FieldPanel("competencies"),
        FieldPanel("design"),
        InlinePanel("requirements", heading=_("Requirements"), label=_("requirement"), min_num=1),
    ]

    class Meta:
        verbose_name = _("certification program")
        verbose_name_plural = _("certification programs")
        ordering = ["name"]

    def __str__(self):
        return self.name


class RequirementKind(models.TextChoices):
    LESSONS = rules.LESSONS, _("All lessons of a module completed")
    QUIZ = rules.QUIZ, _("Quiz passed")
    ROLEPLAY = rules.ROLEPLAY, _("Role-play passed")
    OBSERVATION = rules.OBSERVATION, _("Supervisor observation passed")


class ProgramRequirement(Orderable):
    program = ParentalKey(Program, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(_("requirement"), max_length=20, choices=RequirementKind.choices)
    module = models.ForeignKey(
        "courses.ModulePage",
        verbose_name=_("module"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    quiz = models.ForeignKey(
        "quizzes.Quiz",
        verbose_name=_("quiz"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scenario = models.ForeignKey(
        "roleplays.Scenario",
        verbose_name=_("role-play"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    min_percent = models.PositiveSmallIntegerField(
        _("minimum score (%)"), default=0, help_text=_("Quizzes and role-plays.")
    )
    dimension = models.CharField(
        _("role-play dimension"),
        max_length=20,
        blank=True,
        choices=[(key, label) for key, label in DIMENSIONS.items()],
        help_text=_(
            "Empty: the overall score. Otherwise the minimum applies to this "
            "dimension of a passed run."
        ),
    )

    panels = [
        FieldPanel("kind"),
        FieldRowPanel([FieldPanel("module"), FieldPanel("quiz"), FieldPanel("scenario")]),
        FieldRowPanel([FieldPanel("min_percent"), FieldPanel("dimension")]),
    ]

    def clean(self):
        needed = {rules.LESSONS: "module", rules.QUIZ: "quiz", rules.ROLEPLAY: "scenario"}
        field = needed.get(self.kind)
        if field and getattr(self, f"{field}_id") is None:
            raise ValidationError({field: _("Choose what this requirement refers to.")})
        if self.min_percent > 100:
            raise ValidationError({"min_percent": _("A percentage is at most 100.")})
        if self.dimension and self.kind != rules.ROLEPLAY:
            raise ValidationError({"dimension": _("Only role-plays score dimensions.")})

    def as_rule(self) -> rules.Requirement:
        target = {
            rules.LESSONS: self.module_id,
            rules.QUIZ: self.quiz_id,
            rules.ROLEPLAY: self.scenario_id,
        }.get(self.kind) or 0
        return rules.Requirement(
            self.kind,
            target,
            self.min_percent,
            str(self),
            self.dimension if self.kind == rules.ROLEPLAY else "",
        )

    def __str__(self):
        target = self.module or self.quiz or self.scenario
        label = self.get_kind_display()
        text = f"{label}：{target}" if target else str(label)
        return f"{text}（{self.get_dimension_display()}）" if self.dimension else text


class SerialCounter(models.Model):
    """The last serial number issued in a year: locked while issuing, so serials have no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


def certificate_pdf_path(certificate, filename):
    # A random part as well: the files are private, but a name is no key to them either.
    return f"{certificate.issued_on:%Y}/{secrets.token_hex(8)}-{filename}"


def certificate_storage():
    return storages["certificates"]


def current_q(prefix: str = "") -> models.Q:
    """The current version of a certificate: neither revoked nor superseded by a newer one.
    `prefix` reaches it through a relation ("certificates__")."""
    return models.Q(**{f"{prefix}revoked_at__isnull": True, f"{prefix}superseded_at__isnull": True})


class CertificateQuerySet(models.QuerySet):
    def current(self) -> "CertificateQuerySet":
        """Current certificates (valid or expired): at most one per person and program."""
        return self.filter(current_q())

    def with_status(self, today) -> "CertificateQuerySet":
        """Annotates `status_today`: `Certificate.status(today)` in SQL (a test holds the two
        to the same answers). Not `status`, which would hide the method."""
        return self.annotate(
            status_today=models.Case(
                models.When(revoked_at__isnull=False, then=models.Value(rules.REVOKED)),
                models.When(superseded_at__isnull=False, then=models.Value(rules.SUPERSEDED)),
                models.When(expires_on__lt=today, then=models.Value(rules.EXPIRED)),
                default=models.Value(rules.VALID),
                output_field=models.CharField(),
            )
        )


class Certificate(models.Model):
    """One issued certificate. A correction (name, design) is a new version with the same
    serial that supersedes this one; the stored PDF of a version never changes."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="certificates"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField(_("holder"), max_length=120)
    serial = models.CharField(_("serial number"), max_length=20)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    issued_on = models.DateField(_("issued"))
    # A renewal issued before the certificate it renews expires is valid from that one's
    # expiry day (`rules.next_certificate`); empty: valid from the issue day.
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    expires_on = models.DateField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason for revoking"), blank=True, max_length=limits.REASON)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    reissue_reason = models.TextField(
        _("reason for re-issuing"), blank=True, max_length=limits.REASON
    )
    pdf = models.FileField(
        _("PDF"), upload_to=certificate_pdf_path, storage=certificate_storage, blank=True
    )
    pdf_sha256 = models.CharField(_("PDF checksum (SHA-256)"), max_length=64, blank=True)
    pdf_design = models.JSONField(_("design the PDF was rendered with"), default=dict, blank=True)
    # This version's bit in the published revocation list (badges.STATUS_LIST_SIZE bits),
    # chosen at random once, when the version is saved first (`unused_status_index`).
    status_index = models.PositiveIntegerField(
        _("status list index"), unique=True, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-serial", "-version"]
        permissions = [("reissue_certificate", "Can re-issue certificates")]
        constraints = [
            models.UniqueConstraint(fields=["serial", "version"], name="one_serial_version"),
            # One current certificate per person and program: the last guard against a
            # double issue when two events race.
            models.UniqueConstraint(
                fields=["user", "program"],
                condition=current_q(),
                name="one_current_certificate",
            ),
        ]
        indexes = [
            # Who is expiring or expired: the dashboard's status filters and the renewals
            # find these certificates by date instead of reading every one.
            models.Index(fields=["expires_on"], name="certificate_expiry"),
        ]

    def __str__(self):
        return f"{self.serial} · {self.holder_name} · {self.program}"

    def save(self, *args, **kwargs):
        if self.status_index is None:
            self.status_index = unused_status_index()
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        """Neither revoked nor superseded (`CertificateQuerySet.current` in SQL)."""
        return self.revoked_at is None and self.superseded_at is None

    @property
    def starts_on(self):
        """The first day the certificate is valid: its issue day, or for a renewal issued
        early the day the certificate it renews expired."""
        return self.valid_from or self.issued_on

    @property
    def renewed_early(self) -> bool:
        return self.valid_from is not None and self.valid_from != self.issued_on

    def status(self, today) -> str:
        return rules.status(
            expires_on=self.expires_on,
            revoked=self.revoked_at is not None,
            superseded=self.superseded_at is not None,
            today=today,
        )


def unused_status_index(model=None) -> int:
    """A random index of the status list that no certificate has (random, so an index tells
    nobody how many certificates came before; the unique constraint backs the check).
    `model`: the historical model in a migration."""
    model = model or Certificate
    chooser = secrets.SystemRandom()
    while True:
        index = chooser.randrange(badges.STATUS_LIST_SIZE)
        if not model.objects.filter(status_index=index).exists():
            return index


class Observation(models.Model):
    """A supervisor's on-the-job observation of one staff member against the checklist."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observations_made"
    )
    observed_on = models.DateField(_("observed on"))
    results = models.JSONField(_("checklist"), default=dict)
    passed = models.BooleanField(_("passed"))
    note = models.TextField(_("note"), blank=True, max_length=limits.NOTE)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["-observed_on", "-created_at"]

    def __str__(self):
        return f"{self.user} · {self.observed_on}"


class SecondPersonApprovalTask(AbstractGroupApprovalTask):
    """A group approval that the person who submitted the content cannot give
    (`design_rules.may_approve`): a design with a seal goes live on a second person's word."""

    def _submitter_id(self, obj) -> int | None:
        state = getattr(obj, "current_workflow_state", None)
        return state.requested_by_id if state else None

    def get_actions(self, obj, user):
        if not design_rules.may_approve(approver_id=user.pk, submitter_id=self._submitter_id(obj)):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        if not design_rules.may_approve(
            approver_id=user.pk, submitter_id=task_state.workflow_state.requested_by_id
        ):
            raise PermissionDenied(
                gettext("You submitted this yourself: a second person approves it.")
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve, but never the person who submitted.")

    class Meta:
        verbose_name = _("second-person approval task")
        verbose_name_plural = _("second-person approval tasks")


class BulkReissue(models.Model):
    """Re-issuing many certificates at once with one reason (after a design change): the
    worker works through its items (`services.bulk_reissue_run`) and counts as it goes."""

    design = models.ForeignKey(
        CertificateDesign,
        verbose_name=_("certificate design"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bulk_reissues",
    )
    reason = models.TextField(_("reason for re-issuing"), max_length=limits.REASON)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    total = models.PositiveIntegerField(_("certificates"), default=0)
    done = models.PositiveIntegerField(_("re-issued"), default=0)
    failed = models.PositiveIntegerField(_("not re-issued"), default=0)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk re-issue")
        verbose_name_plural = _("bulk re-issues")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} · {self.total}"

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * (self.done + self.failed) / self.total)


class BulkReissueItem(models.Model):
    """One certificate of a bulk re-issue: pending until `reissued` (its new version) or
    `error` is set, in the same transaction as the re-issue, so a retried task skips it."""

    job = models.ForeignKey(BulkReissue, on_delete=models.CASCADE, related_name="items")
    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="+")
    reissued = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "certificate"], name="one_item_per_certificate")
        ]

    def __str__(self):
        return f"{self.job_id}: {self.certificate_id}"
