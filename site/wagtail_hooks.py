from django.contrib.auth.views import redirect_to_login
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
