"""The role-play panel of the trainers' admin home: scenarios with unpublished drafts, and
the problems that would stop each from publishing."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from . import selectors


class ScenarioDraftsPanel(Component):
    name = "scenario_drafts"
    order = 60
    permission = "roleplays.change_scenario"
    template_name = "roleplays/admin/home/scenario_drafts.html"

    def get_context_data(self, parent_context=None):
        return {"drafts": selectors.scenario_drafts(5)}
