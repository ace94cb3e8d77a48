from academy.admin_guards import PermissionMenuItem
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .selectors import ISSUE_PERMISSION


@hooks.register("register_admin_menu_item")
def register_activation_sheet_menu():
    # The sheet itself is a plain page (printed from the browser), not an admin view.
    return PermissionMenuItem(
        _("Activation sheet"),
        reverse("activation_sheet"),
        permission=ISSUE_PERMISSION,
        icon_name="key",
        name="activation-sheet",
        order=890,
    )
