from academy.admin_guards import PermissionMenuItem
from academy.admin_search import SubstringSearchIndexView, SubstringSearchViewSetMixin
from academy.admin_tables import yes_no_column
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Company, Site, StaffProfile, Team


class CompanyViewSet(SnippetViewSet):
    model = Company
    icon = "home"
    list_display = ["name"]


class SiteViewSet(SubstringSearchViewSetMixin, SnippetViewSet):
    model = Site
    icon = "site"
    list_display = ["name", "code", "city", "company"]
    search_fields = ["name", "code", "city"]


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    list_display = ["name", "site"]
    list_filter = ["site"]


class StaffIndexView(SubstringSearchIndexView):
    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        # Printing sheets is a page of `accounts` (reached by its URL name: staff sits below).
        if self.request.user.has_perm("accounts.issue_activation"):
            buttons.append(
                HeaderButton(
                    _("Activation sheet"), url=reverse("activation_sheet"), icon_name="key"
                )
            )
        return buttons


class StaffViewSet(SubstringSearchViewSetMixin, SnippetViewSet):
    model = StaffProfile
    index_view_class = StaffIndexView
    icon = "user"
    list_display = [
        "employee_number",
        "name",
        "position",
        "site",
        "team",
        yes_no_column(StaffProfile, "active"),
    ]
    list_filter = ["site", "position", "active"]
    search_fields = [
        "name",
        "employee_number",
        "mobile",
        "wecom_userid",
        "dingtalk_userid",
    ]


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
