from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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
    search_fields = ["employee_number", "name"]


class OrganisationViewSetGroup(SnippetViewSetGroup):
    items = (StaffViewSet, SiteViewSet, TeamViewSet, CompanyViewSet)
    menu_icon = "group"
    menu_label = "组织与员工"
    menu_name = "organisation"


register_snippet(OrganisationViewSetGroup)
