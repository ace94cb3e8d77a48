from academy.admin_guards import PermissionMenuItem
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Company, Site, StaffProfile, Team


class CompanyViewSet(SnippetViewSet):
    model = Company
    icon = "home"
    list_display = ["name"]


class SiteViewSet(SnippetViewSet):
    model = Site
    icon = "site"
    list_display = ["name", "code", "city", "company"]
    search_fields = ["name", "code", "city"]


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    list_display = ["name", "site"]
    list_filter = ["site"]


class StaffViewSet(SnippetViewSet):
    model = StaffProfile
    icon = "user"
    list_display = ["employee_number", "name", "position", "site", "team", "active"]
    list_filter = ["site", "position", "active"]
    search_fields = ["employee_number", "name", "mobile", "wecom_userid", "dingtalk_userid"]


class OrganisationViewSetGroup(SnippetViewSetGroup):
    items = (StaffViewSet, SiteViewSet, TeamViewSet, CompanyViewSet)
    menu_icon = "group"
    menu_label = "组织与员工"
    menu_name = "organisation"


register_snippet(OrganisationViewSetGroup)


admin_patterns = [
    path("", admin_views.LoginLocksView.as_view(), name="login_locks"),
    path("unlock/", admin_views.UnlockView.as_view(), name="unlock"),
]


@hooks.register("register_admin_urls")
def register_login_lock_urls():
    return [path("login-locks/", include((admin_patterns, "staff_admin")))]


@hooks.register("register_admin_menu_item")
def register_login_locks_menu():
    return PermissionMenuItem(
        _("Locked logins"),
        reverse("staff_admin:login_locks"),
        permission=admin_views.PERMISSION,
        icon_name="lock",
        name="login-locks",
        order=900,
    )
