"""Shared pieces of the trainer tools in the Wagtail admin: permission-checked pages with
breadcrumbs and menu items, and refusing to delete content that learners' records depend on."""

from django.core.exceptions import PermissionDenied
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class PermissionRequiredMixin:
    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class TrainerToolView(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    """A trainer tool page: permission checked, titled, with breadcrumbs."""

    parent_crumb: tuple[str, str] | None = None  # (url name, label) of the page above

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.parent_crumb:
            url_name, label = self.parent_crumb
            items.append({"url": reverse(url_name), "label": label})
        return items + [{"url": "", "label": self.get_page_title()}]


def refuse_protected_delete(request, instances, *, message: str):
    """For a `before_delete_snippet` hook: a redirect with `message` (formatted with
    %(what)s, the kinds of records in the way) if deleting would break protected records."""
    collector = Collector(using="default")
    try:
        collector.collect(instances)
    except (ProtectedError, RestrictedError) as error:
        blockers = {str(o._meta.verbose_name) for o in error.args[1]}
        messages.error(request, message % {"what": "、".join(sorted(blockers))})
        return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_home")
    return None


def text_attachment(text: str, filename: str) -> HttpResponse:
    """A UTF-8 text file download (GIFT, Twee)."""
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PermissionMenuItem(MenuItem):
    """An admin menu item shown only to users with `permission` (its pages check it too)."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)
