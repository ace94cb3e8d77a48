"""Who may print activation sheets for whom; open activations; the notice a person still
has to accept."""

from django.db.models import QuerySet

from staff.models import StaffProfile, Team
from staff.selectors import staff_visible_to, supervised_sites_and_teams

from . import notice
from .models import NoticeAcceptance

ISSUE_PERMISSION = "accounts.issue_activation"


def _issues_for_anyone(user) -> bool:
    return user.is_superuser or user.has_perm(ISSUE_PERMISSION)


def staff_for_activation(user) -> QuerySet[StaffProfile]:
    """The active staff `user` may print activation codes for: a trainer, anyone; a
    supervisor, the staff of their sites and teams but not themselves (`may_act_on`'s
    rule); anybody else, nobody."""
    if not user.is_authenticated:
        return StaffProfile.objects.none()
    if _issues_for_anyone(user):
        staff = StaffProfile.objects.select_related("site", "team", "user")
    else:
        staff = staff_visible_to(user).exclude(user=user)
        if not user.has_perm("staff.view_supervised_staff"):
            return staff.none()
    return staff.filter(active=True, user__is_active=True)


def teams_for_activation(user) -> QuerySet[Team]:
    """The teams whose sheets `user` may print: every team for a trainer, the supervised
    ones for a supervisor."""
    if not user.is_authenticated:
        return Team.objects.none()
    if _issues_for_anyone(user):
        teams = Team.objects.all()
    else:
        teams = supervised_sites_and_teams(user)[1]
    return teams.select_related("site").order_by("site__name", "name")


def may_print_sheets(user) -> bool:
    return teams_for_activation(user).exists()


def has_accepted_notice(user, version: str = notice.VERSION) -> bool:
    return NoticeAcceptance.objects.filter(user=user, version=version).exists()
