"""The record of imports (questions, role-plays, staff rosters) that trainers see on the admin
home. Each import service calls `import_record` once its import went through, inside its own
transaction, so a record exists exactly when the import does."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from .models import ImportKind, ImportRecord

# The counts an import may report, in the order they are shown.
COUNT_LABELS = {
    "new": pgettext_lazy("import count", "new"),
    "updated": pgettext_lazy("import count", "updated"),
    "unchanged": pgettext_lazy("import count", "unchanged"),
    "nodes": pgettext_lazy("import count", "nodes"),
    "endings": pgettext_lazy("import count", "endings"),
}

RECENT_IMPORTS = 5


def import_record(
    *,
    kind: ImportKind | str,
    user=None,
    file_name: str = "",
    counts: dict[str, int] | None = None,
    summary: str = "",
    result_url: str = "",
) -> ImportRecord:
    """Record an import that went through. `user` None: a management command or the demo."""
    return ImportRecord.objects.create(
        kind=kind,
        user=user if getattr(user, "is_authenticated", False) else None,
        file_name=file_name[:255],
        counts={k: int(v) for k, v in (counts or {}).items()},
        summary=summary[:255],
        result_url=result_url[:500],
    )


@dataclass(frozen=True)
class RecentImport:
    record: ImportRecord
    counts: list[tuple[str, int]]  # (label, number) in COUNT_LABELS order

    @property
    def by(self) -> str:
        user = self.record.user
        if user is None:
            return ""
        profile = getattr(user, "staff_profile", None)
        return profile.name if profile else user.get_username()


def recent_imports(limit: int = RECENT_IMPORTS) -> list[RecentImport]:
    """The latest imports, newest first: one query."""
    records = ImportRecord.objects.select_related("user__staff_profile")[:limit]
    return [
        RecentImport(
            record,
            [
                (label, record.counts[key])
                for key, label in COUNT_LABELS.items()
                if key in record.counts
            ],
        )
        for record in records
    ]


def record_scenario_import(*, user, title: str, scenario_id: int, file_name: str = "") -> None:
    """Record a role-play imported from Twee (called by `roleplays.services`): the result is
    the scenario's edit page."""
    from django.urls import reverse

    import_record(
        kind=ImportKind.SCENARIO_TWEE,
        user=user,
        file_name=file_name,
        summary=title,
        result_url=reverse("wagtailsnippets_roleplays_scenario:edit", args=[scenario_id]),
    )
