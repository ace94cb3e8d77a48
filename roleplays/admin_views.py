"""Trainer tools for role-plays in the Wagtail admin: Twee import / export, analytics."""

from academy.admin_guards import TrainerToolView, text_attachment
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages

from . import selectors, services
from .diagram import render_svg
from .models import Scenario


class TweeImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Twee 3 file (.twee / .tw / .txt)"))


class TweeImportView(TrainerToolView, FormView):
    permission = "roleplays.publish_scenario"  # an import publishes the scenario
    form_class = TweeImportForm
    template_name = "roleplays/admin/import.html"
    page_title = gettext_lazy("Import a role-play (Twee 3)")
    header_icon = "upload"
    problems: list = []

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        too_large = services.import_size_problem(upload.size)
        if too_large:
            form.add_error("file", str(too_large))
            return self.form_invalid(form)
        data = upload.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
            return self.form_invalid(form)
        try:
            report = services.scenario_import_twee(text=text, user=self.request.user)
        except services.ScenarioInvalid as failure:
            self.problems = failure.problems
            form.add_error(
                None,
                _("Nothing was imported: the story has %(n)d problem(s).")
                % {"n": len(failure.problems)},
            )
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Imported “%(title)s”: %(nodes)d nodes, %(choices)d choices, %(endings)d endings.")
            % {
                "title": report.scenario.title,
                "nodes": report.nodes,
                "choices": report.choices,
                "endings": report.endings,
            },
        )
        for warning in report.warnings:
            messages.warning(self.request, warning)
        return redirect(
            reverse("wagtailsnippets_roleplays_scenario:edit", args=[report.scenario.pk])
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400  # nothing was imported
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(problems=self.problems, **kwargs)


def export_twee(request, pk: int):
    if not request.user.has_perm("roleplays.view_scenario"):
        raise PermissionDenied
    scenario = get_object_or_404(Scenario, pk=pk)
    return text_attachment(
        services.scenario_export_twee(scenario=scenario), f"scenario-{scenario.pk}.twee"
    )


class AnalyticsView(TrainerToolView, TemplateView):
    permission = "roleplays.view_roleplay_analytics"
    template_name = "roleplays/admin/analytics.html"
    header_icon = "view"

    def dispatch(self, request, *args, **kwargs):
        self.scenario = get_object_or_404(Scenario, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Learner choices: %s") % self.scenario.title

    def get_context_data(self, **kwargs):
        version = self.scenario.live_version
        context = super().get_context_data(scenario=self.scenario, version=version, **kwargs)
        if version is None:
            return context
        analytics = selectors.scenario_analytics(self.scenario, version)
        graph = selectors.version_graph(version)
        rows = []
        for node in graph.nodes.values():
            total = analytics.node_totals.get(node.key, 0)
            for number, choice in enumerate(node.choices, start=1):
                rows.append(
                    {
                        "node": node.key,
                        "number": number,
                        "text": choice.text,
                        "count": analytics.counts.get((node.key, choice.key), 0),
                        "share": analytics.shares.get((node.key, choice.key)),
                        "total": total,
                        "points": choice.total,
                    }
                )
        context.update(
            analytics=analytics,
            rows=rows,
            svg=mark_safe(render_svg(graph, shares=analytics.shares)),  # noqa: S308 - escaped
        )
        return context
