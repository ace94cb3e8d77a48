"""The trainers' way to the assignment list (they change anybody's assignments; the list
is a page of the site, not of the admin)."""

from academy.admin_guards import PermissionMenuItem
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .assignment_selectors import MANAGE_ALL


@hooks.register("register_admin_menu_item")
def register_assignments_menu():
    return PermissionMenuItem(
        _("Assignments"),
        reverse("assignment_list"),
        permission=MANAGE_ALL,
        icon_name="date",
        name="assignments",
        order=290,
    )
