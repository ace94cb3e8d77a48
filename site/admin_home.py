"""The admin home's record of recent imports (`academy.imports`), for those who import."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from .imports import recent_imports

# Whoever may import questions or role-plays (roster imports are a command, run by staff).
IMPORT_PERMISSIONS = ("quizzes.add_question", "roleplays.add_scenario")


class RecentImportsPanel(Component):
    name = "recent_imports"
    order = 90
    template_name = "admin/home/recent_imports.html"

    @staticmethod
    def shown_to(user) -> bool:
        return any(user.has_perm(p) for p in IMPORT_PERMISSIONS)

    def get_context_data(self, parent_context=None):
        return {"imports": recent_imports()}
