"""The dashboard's filters: a bad value is dropped with a message, never an error page."""

from dataclasses import dataclass

from academy import limits
from django import forms
from django.utils.translation import gettext_lazy as _

from staff.models import Position, Site, Team

from . import status as st
from .selectors import Filters

STATUS_LABELS = {
    st.CERTIFIED: _("Certified"),
    st.EXPIRING: _("Expiring within 30 days"),
    st.IN_PROGRESS: _("In progress"),
    st.NOT_STARTED: _("Not started"),
    st.EXPIRED: _("Expired"),
    st.REVOKED: _("Revoked"),
}
TEAM_MENU_LIMIT = 60  # more teams than this: the team menu lists the chosen site's teams

SORT_LABELS = {
    "site": _("Site and team"),
    "-site": _("Site and team (descending)"),
    "name": _("Name"),
    "-name": _("Name (descending)"),
    "number": _("Employee number"),
    "-number": _("Employee number (descending)"),
    "status": _("Status (problems first)"),
    "-status": _("Status (problems last)"),
    "expires": _("Expiry date"),
    "-expires": _("Expiry date (latest first)"),
    "due": _("Due date"),
    "-due": _("Due date (latest first)"),
}


@dataclass(frozen=True)
class SortHeader:
    """A sortable column's header: the order its link asks for, and how the list is sorted
    by it now (`aria-sort`: "ascending", "descending" or "none")."""

    sort: str
    aria_sort: str


def sort_headers(current: str) -> dict[str, SortHeader]:
    """Each sortable column's header, by column (the ascending key of `SORT_LABELS`): the
    column the list is sorted by reverses its order; any other sorts by itself, ascending."""
    headers = {}
    for column in (key for key in SORT_LABELS if not key.startswith("-")):
        if current == column:
            headers[column] = SortHeader(sort=f"-{column}", aria_sort="ascending")
        elif current == f"-{column}":
            headers[column] = SortHeader(sort=column, aria_sort="descending")
        else:
            headers[column] = SortHeader(sort=column, aria_sort="none")
    return headers


@dataclass(frozen=True)
class ActiveFilter:
    """A filter the list is narrowed by, as a chip: what it says, and the querystring
    parameter that removing it drops."""

    name: str
    text: str


class DashboardFilterForm(forms.Form):
    program = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Program"), empty_label=None
    )
    site = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Site"), empty_label=_("All sites")
    )
    team = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Team"), empty_label=_("All teams")
    )
    position = forms.ChoiceField(
        required=False, label=_("Position"), choices=[("", _("All positions")), *Position.choices]
    )
    status = forms.ChoiceField(
        required=False, label=_("Status"), choices=[("", _("All statuses")), *STATUS_LABELS.items()]
    )
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    q = forms.CharField(required=False, max_length=40, label=_("Name or employee number"))
    sort = forms.ChoiceField(required=False, label=_("Sort by"), choices=list(SORT_LABELS.items()))

    def __init__(self, data, *, visible_staff, programs):
        super().__init__(data)
        site_ids = visible_staff.values("site_id")
        self.fields["program"].queryset = programs
        self.fields["site"].queryset = Site.objects.filter(pk__in=site_ids).order_by("code")
        teams = (
            Team.objects.filter(pk__in=visible_staff.values("team_id"))
            .select_related("site")
            .order_by("site__code", "name")
        )
        site = (data or {}).get("site", "")
        if site.isascii() and site.isdigit() and len(site) <= 12:  # a real id, not an overflow
            teams = teams.filter(site_id=int(site))
        # One query for the menu whatever the size: hundreds of teams make a menu nobody can
        # use (and a slow page), so beyond the limit the menu waits for a site to be chosen.
        menu = list(teams[: TEAM_MENU_LIMIT + 1])
        if len(menu) > TEAM_MENU_LIMIT:
            teams, menu = teams.none(), []
        self.fields["team"].queryset = teams
        self.fields["team"].widget.choices = [("", self.fields["team"].empty_label)] + [
            (team.pk, f"{team.site.name} · {team.name}") for team in menu
        ]

    def cleaned_or_ignored(self) -> tuple[dict, list[str]]:
        """The valid filters, and the labels of the ones that were ignored."""
        self.is_valid()
        ignored = [str(self.fields[name].label) for name in self.errors]
        return {
            name: value for name, value in self.cleaned_data.items() if name not in self.errors
        }, ignored

    # The filters that narrow the list (the program is chosen, not a filter; the order sorts).
    NARROWING = ("site", "team", "position", "status", "overdue", "q")

    def active(self, cleaned: dict) -> list[ActiveFilter]:
        """The narrowing filters in use, each as "label: value" in the user's words."""
        chips = []
        for name in self.NARROWING:
            value = cleaned.get(name)
            if isinstance(value, str):
                value = value.strip()
            if not value:
                continue
            field = self.fields[name]
            if name == "overdue":
                text = str(field.label)
            else:
                if not isinstance(field, forms.ModelChoiceField | forms.CharField):
                    value = dict(field.choices)[value]  # the label of a choice
                text = _("%(label)s: %(value)s") % {"label": field.label, "value": value}
            chips.append(ActiveFilter(name=name, text=str(text)))
        return chips

    @staticmethod
    def as_filters(cleaned: dict) -> Filters:
        site, team = cleaned.get("site"), cleaned.get("team")
        return Filters(
            site=site.pk if site else None,
            team=team.pk if team else None,
            position=cleaned.get("position") or "",
            status=cleaned.get("status") or "",
            query=(cleaned.get("q") or "").strip(),
            sort=cleaned.get("sort") or "site",
            overdue=bool(cleaned.get("overdue")),
        )


class AssignmentForm(forms.Form):
    """Assign a program to a team, a position at a site, or one person, with a due date."""

    TARGETS = [
        ("team", _("A team")),
        ("position", _("A position at a site")),
        ("person", _("One person")),
    ]

    program = forms.ModelChoiceField(queryset=None, label=_("Program"), empty_label=None)
    target = forms.ChoiceField(
        choices=TARGETS, label=_("Assign to"), widget=forms.RadioSelect, initial="team"
    )
    team = forms.ModelChoiceField(queryset=None, required=False, label=_("Team"))
    site = forms.ModelChoiceField(queryset=None, required=False, label=_("Site"))
    position = forms.ChoiceField(
        required=False, label=_("Position"), choices=[("", "—"), *Position.choices]
    )
    person = forms.ModelChoiceField(queryset=None, required=False, label=_("Person"))
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, visible_staff, supervised, programs, initial=None):
        super().__init__(data, initial=initial)
        sites, teams = supervised  # what the supervisor may assign to as a group
        self.fields["program"].queryset = programs
        self.fields["team"].queryset = teams.select_related("site").order_by("site__code", "name")
        self.fields["team"].label_from_instance = lambda team: f"{team.site.name} · {team.name}"
        self.fields["site"].queryset = sites.order_by("code")
        self.fields["person"].queryset = visible_staff.order_by("employee_number")
        self.fields["person"].label_from_instance = lambda person: (
            f"{person.name}（{person.employee_number}）"
        )

    def clean(self):
        cleaned = super().clean()
        target = cleaned.get("target")
        needed = {"team": ["team"], "position": ["site", "position"], "person": ["person"]}
        for name in needed.get(target, []):
            if not cleaned.get(name):
                self.add_error(name, _("Choose whom to assign the program to."))
        return cleaned


class AssignmentChangeForm(forms.Form):
    """Edit (program and due date), extend (due date) or withdraw an assignment, with a
    reason. The reason is not required here: the service refuses an empty one in its own
    words, as it refuses dates."""

    program = forms.ModelChoiceField(queryset=None, label=_("Program"), empty_label=None)
    due_on = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Reason (required)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    FIELDS = {"edit": ("program", "due_on"), "extend": ("due_on",), "withdraw": ()}

    def __init__(self, data=None, *, action: str, programs, initial=None):
        super().__init__(data, initial=initial)
        for name in ("program", "due_on"):
            if name not in self.FIELDS[action]:
                del self.fields[name]
        if "program" in self.fields:
            self.fields["program"].queryset = programs
        self.fields["reason"].widget.attrs["maxlength"] = limits.REASON
        if action == "extend":
            self.fields["due_on"].label = _("New due date")
