from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Certificate, Program


class ProgramViewSet(SnippetViewSet):
    model = Program
    icon = "success"
    list_display = ["name", "code", "validity_months", "active"]


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    list_display = ["serial", "holder_name", "program", "issued_on", "expires_on", "revoked_at"]
    list_filter = ["program"]
    search_fields = ["serial", "holder_name"]


class CertificationViewSetGroup(SnippetViewSetGroup):
    items = (ProgramViewSet, CertificateViewSet)
    menu_icon = "success"
    menu_label = _("Certification")
    menu_name = "certification"
    menu_order = 280


register_snippet(CertificationViewSetGroup)
