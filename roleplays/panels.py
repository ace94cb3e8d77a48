from django.utils.safestring import mark_safe
from wagtail.admin.panels import Panel

from . import checklist
from .diagram import render_svg

# Where each checklist item is fixed: the element of the edit form its link leads to.
CHECKLIST_ANCHORS = {
    checklist.OWNER: "id_owner",
    checklist.SITUATION: "id_situation",
    checklist.NODES: "panel-nodes-section",  # Wagtail: ObjectList prefix, field name
    checklist.GRAPH: "scenario-graph-panel",
}


class ChecklistPanel(Panel):
    """What remains before the scenario as saved can be published, each item linking to
    where it is fixed (`checklist.checklist`)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "roleplays/admin/checklist_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import draft_state  # selectors import the models, which import this

            context = super().get_context_data(parent_context)
            items = draft_state(self.instance).checklist if self.instance.pk else []
            context.update(
                saved=bool(self.instance.pk),
                items=[
                    {
                        "code": item.code,
                        "message": item.message,
                        "details": item.details,
                        "required": item.required,
                        "anchor": CHECKLIST_ANCHORS[item.where],
                    }
                    for item in items
                ],
            )
            return context


class GraphPanel(Panel):
    """The scenario as saved, drawn as a graph, with every problem named below it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "roleplays/admin/graph_panel.html"

        def get_context_data(self, parent_context=None):
            from .selectors import draft_state

            context = super().get_context_data(parent_context)
            scenario = self.instance
            state = draft_state(scenario) if scenario.pk else None
            graph = state.graph if state and state.graph.nodes else None
            problems = state.analysis.problems if graph else []
            context.update(
                svg=mark_safe(render_svg(graph, problems)) if graph else "",  # noqa: S308 - built with escape()
                problems=problems,
                warnings=state.analysis.warnings if graph else [],
                scenario=scenario,
            )
            return context
