"""Who may print activation sheets for whom; open activations; the notice a person still
has to accept; which accounts a reset request is about."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from staff.contact import normalize_mobile
from staff.models import StaffProfile, Team
from staff.selectors import staff_visible_to, supervised_sites_and_teams

from . import notice, reset
from .models import NoticeAcceptance, ResetCode

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


def may_reset_access(user, person: StaffProfile) -> bool:
    """Whether `user` may give `person` a new activation code ("reset their access" on the
    person page): `staff_for_activation`'s rule, for one person."""
    return staff_for_activation(user).filter(pk=person.pk).exists()


# At most this many accounts answer one reset request (one e-mail address or mobile number
# shared by a few people): the work a request causes stays bounded.
MAX_RESET_ACCOUNTS = 5


def _resettable():
    """Accounts that may reset their password: active users, except staff who left (an
    inactive profile). Whether the password is usable does not matter: imported staff have
    none, which is exactly why Django's own reset form skips them."""
    return get_user_model().objects.filter(is_active=True).exclude(staff_profile__active=False)


def users_for_reset(typed: str) -> QuerySet:
    """The accounts a reset request is about: those whose username, employee number, e-mail
    address (any case) or mobile number is what was typed (`reset.cleaned_identifier`)."""
    cleaned = reset.cleaned_identifier(typed)
    if not cleaned:
        return get_user_model().objects.none()
    match = Q(username=cleaned) | Q(staff_profile__employee_number=cleaned)
    if "@" in cleaned:
        match |= Q(email__iexact=cleaned)
    mobile = normalize_mobile(cleaned)
    if mobile:
        match |= Q(staff_profile__mobile=mobile)
    return _resettable().filter(match).select_related("staff_profile").order_by("pk")


def users_with_email_for_reset(email: str) -> QuerySet:
    """The accounts with this e-mail address (any case) that may reset their password: the
    admin's "forgotten password" form asks by address only."""
    return _resettable().filter(email__iexact=email.strip()).exclude(email="").order_by("pk")


def may_reset_password(user) -> bool:
    """Whether this account may still reset its password (an e-mailed link is checked
    again when it is opened: the person may have left since)."""
    return _resettable().filter(pk=user.pk).exists()


def reset_code_owner(reset_code_id: int):
    """The user a reset code (checked earlier in the session) was sent to, or None."""
    row = ResetCode.objects.select_related("user").filter(pk=reset_code_id).first()
    return row.user if row is not None else None
