"""Read access to staff, always scoped to what the asking user may see."""

from django.db.models import Q, QuerySet

from .models import StaffProfile


def staff_visible_to(user) -> QuerySet[StaffProfile]:
    """Staff whose records `user` may see.

    Superusers see everyone; a supervisor sees the staff of the sites and teams they
    supervise, plus themselves; anybody else sees only their own profile.
    """
    staff = StaffProfile.objects.select_related("site", "team", "user")
    if not user.is_authenticated:
        return staff.none()
    if user.is_superuser:
        return staff
    own = Q(user=user)
    if not user.has_perm("staff.view_supervised_staff"):
        return staff.filter(own)
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is None:
        return staff.filter(own)
    site_ids = list(profile.supervised_sites.values_list("id", flat=True))
    team_ids = list(profile.supervised_teams.values_list("id", flat=True))
    return staff.filter(own | Q(site_id__in=site_ids) | Q(team_id__in=team_ids))


def staff_profile_for(user) -> StaffProfile | None:
    if not user.is_authenticated:
        return None
    return StaffProfile.objects.select_related("site", "team").filter(user=user).first()


def supervised_sites_and_teams(user) -> tuple[QuerySet, QuerySet]:
    """The sites a user supervises as a whole, and every team they supervise (a team of
    such a site, or a team they supervise on its own). Seeing a colleague is not
    supervising their team: supervisors appear in their own team as staff."""
    from .models import Site, Team

    if user.is_superuser:
        return Site.objects.all(), Team.objects.all()
    profile = (
        StaffProfile.objects.filter(user=user).first()
        if user.has_perm("staff.view_supervised_staff")
        else None
    )
    if profile is None:
        return Site.objects.none(), Team.objects.none()
    sites = Site.objects.filter(pk__in=profile.supervised_sites.values("pk"))
    teams = Team.objects.filter(Q(site__in=sites) | Q(pk__in=profile.supervised_teams.values("pk")))
    return sites, teams


def may_act_on(actor, person_user_id: int) -> bool:
    """Whether `actor` may act as a supervisor on a person (given by their user id): record
    an observation, change a competency level, revoke a certificate, unlock a login.

    A supervisor acts on the staff of the sites and teams they supervise, never on
    themselves (a supervisor also sees their own record); a superuser acts on anybody else;
    trainers and learners act on nobody. Services refuse with it, views ask it to decide
    what to offer.
    """
    return person_user_id in may_act_on_among(actor, [person_user_id])


def may_act_on_among(actor, person_user_ids) -> set[int]:
    """The user ids among `person_user_ids` that `actor` may act on (`may_act_on`'s rule for a
    page of people, in one query)."""
    wanted = {user_id for user_id in person_user_ids if user_id != actor.pk}
    if not actor.is_authenticated or not wanted:
        return set()
    if actor.is_superuser:
        return wanted
    if not actor.has_perm("staff.view_supervised_staff"):
        return set()
    return set(staff_visible_to(actor).filter(user_id__in=wanted).values_list("user_id", flat=True))


def may_unlock_login(user, person: StaffProfile) -> bool:
    """Who may unlock a staff member's login after too many wrong passwords: a trainer
    (anyone's), or whoever may act on the person (a locked-out person is not signed in)."""
    if user.is_superuser or user.has_perm("staff.unlock_login"):
        return True
    return may_act_on(user, person.user_id)
