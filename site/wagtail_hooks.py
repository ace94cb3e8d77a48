from django.contrib.auth.views import redirect_to_login
from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Competency


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "tag"
    list_display = ["name", "slug", "sort_order"]
    menu_label = "能力项"
    add_to_admin_menu = True
    menu_order = 300


register_snippet(CompetencyViewSet)


@hooks.register("before_serve_document")
def documents_for_signed_in_staff(document, request):
    """Lesson documents (handouts, videos) are course material, not public files."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@hooks.register("insert_global_admin_css")
def academy_admin_css():
    """Our admin panels (scenario graph, grading) style through classes, not inline styles."""
    return format_html('<link rel="stylesheet" href="{}">', static("academy/css/admin.css"))


@hooks.register("construct_homepage_panels")
def recent_imports_on_admin_home(request, panels):
    from .admin_home import RecentImportsPanel

    if RecentImportsPanel.shown_to(request.user):
        panels.append(RecentImportsPanel())
