from academy.admin_guards import PermissionMenuItem
from academy.admin_search import SubstringSearchViewSetMixin
from academy.admin_tables import ReadableInspectView, yes_no_column
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Certificate, CertificateDesign, Program


class ProgramViewSet(SnippetViewSet):
    model = Program
    icon = "success"
    list_display = ["name", "code", "validity_months", yes_no_column(Program, "active")]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Certificates are issued, revoked and re-issued by the services, never edited or
    deleted in the admin, not even by a superuser."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)


register_permission_policy(Certificate, ReadOnlyPolicy(Certificate))


class CertificateViewSet(SubstringSearchViewSetMixin, SnippetViewSet):
    model = Certificate
    icon = "doc-full"
    inspect_view_enabled = True
    inspect_view_class = ReadableInspectView
    inspect_view_fields = [
        "serial",
        "version",
        "holder_name",
        "program",
        "issued_on",
        "expires_on",
        "revoked_at",
        "revoke_reason",
        "reissue_reason",
        "superseded_at",
        "pdf_sha256",
    ]
    list_display = [
        "serial",
        "version",
        "holder_name",
        "program",
        "issued_on",
        "expires_on",
        "revoked_at",
    ]
    list_filter = ["program"]
    search_fields = ["holder_name", "serial", "program__name"]


class CertificateDesignViewSet(SnippetViewSet):
    model = CertificateDesign
    icon = "image"
    list_display = [
        "name",
        "title",
        "issuer",
        yes_no_column(CertificateDesign, "default"),
        "updated_at",
    ]


@hooks.register("construct_snippet_action_menu")
def sealed_designs_go_through_approval(menu_items, request, context):
    """No "Publish" button on a design with a seal: it goes live once a second person
    approves it (`CertificateDesign.publish` refuses it otherwise)."""
    instance = context.get("instance")
    if isinstance(instance, CertificateDesign) and instance.seal_id:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_publish")
def refuse_unapproved_design(request, instance):
    """Publishing from the editor a design that now has a seal: saved as a draft instead,
    and the trainer is told to submit it for approval."""
    if not isinstance(instance, CertificateDesign):
        return None
    revision = instance.latest_revision
    if revision is None or instance.may_go_live(revision):
        return None
    messages.error(
        request,
        _(
            "Saved as a draft. A design with a seal goes live only after a second person "
            "approves it: submit it for approval."
        ),
    )
    return redirect(reverse(instance.snippet_viewset.get_url_name("edit"), args=[instance.pk]))


class CertificationViewSetGroup(SnippetViewSetGroup):
    items = (ProgramViewSet, CertificateViewSet, CertificateDesignViewSet)
    menu_icon = "success"
    menu_label = _("Certification")
    menu_name = "certification"
    menu_order = 280


register_snippet(CertificationViewSetGroup)

admin_patterns = [
    path("", admin_views.CertificateToolsView.as_view(), name="tools"),
    path("<int:pk>/reissue/", admin_views.CertificateReissueView.as_view(), name="reissue"),
    path(
        "<int:pk>/issue-again/", admin_views.CertificateIssueAgainView.as_view(), name="issue_again"
    ),
    path(
        "designs/<int:pk>/reissue/",
        admin_views.DesignReissueView.as_view(),
        name="design_reissue",
    ),
    path("bulk/<int:pk>/", admin_views.BulkReissueView.as_view(), name="bulk_reissue"),
]


@hooks.register("register_admin_urls")
def register_certificate_admin_urls():
    return [path("certificate-tools/", include((admin_patterns, "certification_admin")))]


@hooks.register("register_admin_menu_item")
def register_certificate_tools_menu():
    return PermissionMenuItem(
        _("Certificate tools"),
        reverse("certification_admin:tools"),
        permission="certification.view_certificate",
        icon_name="doc-full",
        name="certificate-tools",
        order=285,
    )
