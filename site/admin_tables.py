"""Columns and views of the Wagtail admin's listings that show values in the user's
language: Wagtail's own BooleanColumn titles its icon with Python's `True` / `False`, and a
plain column or the inspect view prints an empty value as `None`."""

from django.db.models import Model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.views.snippets import InspectView

EMPTY = "—"


class YesNoColumn(BooleanColumn):
    """A tick or a cross, titled 是 / 否 (or the user's language) instead of True / False."""

    cell_template_name = "academy/admin/yes_no_cell.html"


def yes_no_column(model: type[Model], field_name: str) -> YesNoColumn:
    """The column of a boolean field, headed by the field's verbose name."""
    label = capfirst(model._meta.get_field(field_name).verbose_name)
    return YesNoColumn(field_name, label=label)


class ReadableInspectView(InspectView):
    """The snippet inspect view with 是 / 否 for booleans and a dash for empty values."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None:
            return EMPTY
        if value is True or value is False:
            return _("Yes") if value else _("No")
        return value
