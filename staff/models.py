from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .contact import validate_mobile, validate_userid


class Company(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name


class Site(models.Model):
    """A service centre / property project (项目) where staff work."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="sites")
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Team(models.Model):
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["site__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="unique_team_name_per_site")
        ]

    def __str__(self):
        return f"{self.site.name} · {self.name}"


class Position(models.TextChoices):
    FRONT_DESK = "front_desk", _("Front desk")
    SERVICE_SPECIALIST = "specialist", _("Customer service specialist")
    SUPERVISOR = "supervisor", _("Customer service supervisor")
    MANAGER = "manager", _("Customer service manager")


class StaffProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="staff_profile"
    )
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=80)
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="staff")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Where the person is reached: reminders and reset codes go by WeCom, DingTalk or SMS;
    # a WeCom / DingTalk login is matched to the person by these ids (unique when given).
    mobile = models.CharField(_("mobile"), max_length=11, blank=True, validators=[validate_mobile])
    wecom_userid = models.CharField(
        _("WeCom user ID"), max_length=64, blank=True, validators=[validate_userid]
    )
    dingtalk_userid = models.CharField(
        _("DingTalk user ID"), max_length=64, blank=True, validators=[validate_userid]
    )
    # A supervisor sees the staff of these sites and teams, and nobody else.
    supervised_sites = models.ManyToManyField(
        Site, blank=True, related_name="supervisors", verbose_name=_("supervised sites")
    )
    supervised_teams = models.ManyToManyField(
        Team, blank=True, related_name="supervisors", verbose_name=_("supervised teams")
    )
    # Who supervises which sites is part of the audit trail: it decides who sees whose records.
    history = HistoricalRecords(
        excluded_fields=["user"], m2m_fields=[supervised_sites, supervised_teams]
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["employee_number"]
        constraints = [
            models.UniqueConstraint(
                fields=[field],
                condition=~models.Q(**{field: ""}),
                name=f"unique_staff_{field}",
                violation_error_message=_("Another staff member already has this ID."),
            )
            for field in ("wecom_userid", "dingtalk_userid")
        ]
        permissions = [
            ("view_supervised_staff", _("Can view the records of staff they supervise")),
            ("unlock_login", _("Can unlock any account locked by wrong passwords")),
        ]

    def __str__(self):
        return f"{self.name} ({self.employee_number})"
