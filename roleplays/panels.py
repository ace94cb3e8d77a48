from django.utils.safestring import mark_safe
from wagtail.admin.panels import Panel

from . import engine
from .diagram import render_svg


class GraphPanel(Panel):
    """The scenario as saved, drawn as a graph, with every problem named below it."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "roleplays/admin/graph_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            scenario = self.instance
            graph = engine.Graph.from_dict(scenario.graph_dict()) if scenario.pk else None
            analysis = engine.analyse(graph) if graph and graph.nodes else None
            problems = analysis.problems if analysis else []
            context.update(
                svg=mark_safe(render_svg(graph, problems)) if graph and graph.nodes else "",  # noqa: S308 - built with escape()
                problems=problems,
                warnings=analysis.warnings if analysis else [],
                scenario=scenario,
            )
            return context
