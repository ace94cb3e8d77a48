from academy.admin_guards import PermissionMenuItem, refuse_protected_delete
from academy.admin_search import SubstringSearchViewSetMixin
from academy.admin_tables import yes_no_column
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Scenario


class ScenarioViewSet(SubstringSearchViewSetMixin, SnippetViewSet):
    model = Scenario
    icon = "comment"
    menu_label = _("Role-plays")
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["title", "channel", "competency", yes_no_column(Scenario, "live")]
    list_filter = ["channel", "competency", "live"]
    search_fields = ["title", "summary", "situation"]


register_snippet(ScenarioViewSet)


@hooks.register("before_delete_snippet")
def refuse_deleting_played_scenarios(request, instances):
    """A scenario learners have played keeps their runs: unpublish it instead."""
    if not any(isinstance(i, Scenario) for i in instances):
        return None
    return refuse_protected_delete(
        request,
        instances,
        message=_("Not deleted: learners have played it (%(what)s). Unpublish it instead."),
    )


@hooks.register("after_publish")
def tell_what_publishing_found(request, instance):
    """Publishing never refuses a scenario for its size, but the trainer hears what that cost
    (a best path that is only an upper bound, conditions not all checked)."""
    if not isinstance(instance, Scenario):
        return None
    warnings = (
        Scenario.objects.filter(pk=instance.pk)
        .values_list("live_version__warnings", flat=True)
        .first()
    )
    for warning in warnings or ():
        messages.warning(request, warning)
    return None


admin_patterns = [
    path("import/", admin_views.TweeImportView.as_view(), name="import"),
    path("import/template/", admin_views.twee_template, name="template"),
    path("<int:pk>/export/", admin_views.export_twee, name="export"),
    path("<int:pk>/analytics/", admin_views.AnalyticsView.as_view(), name="analytics"),
]


@hooks.register("register_admin_urls")
def register_roleplay_admin_urls():
    return [path("roleplay-tools/", include((admin_patterns, "roleplays_admin")))]


@hooks.register("register_admin_menu_item")
def register_twee_import_menu():
    return PermissionMenuItem(
        _("Import a role-play"),
        reverse("roleplays_admin:import"),
        permission="roleplays.add_scenario",
        icon_name="upload",
        name="roleplay-import",
        order=275,
    )


@hooks.register("construct_homepage_panels")
def scenario_drafts_on_admin_home(request, panels):
    from .admin_home import ScenarioDraftsPanel

    if request.user.has_perm(ScenarioDraftsPanel.permission):
        panels.append(ScenarioDraftsPanel())
