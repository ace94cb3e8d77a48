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
