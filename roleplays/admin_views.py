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
from .twee_template import FILENAME as TEMPLATE_FILENAME
from .twee_template import TEMPLATE


class TweeImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Twine story (.twee / .tw / .txt, or Twine's published .html)")
    )


IGNORED_SHOWN = 10  # ignored lines named one by one after an import; the rest are counted


class TweeImportView(TrainerToolView, FormView):
    permission = "roleplays.add_scenario"  # an import makes a draft; publishing is separate
    form_class = TweeImportForm
    template_name = "roleplays/admin/import.html"
    page_title = gettext_lazy("Import a role-play from Twine")
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
            report = services.scenario_import_twee(
                text=text, user=self.request.user, file_name=upload.name
            )
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
            _(
                "Imported “%(title)s” as a draft: %(nodes)d nodes, %(choices)d choices, "
                "%(endings)d endings. Learners see it once it is published; the checklist "
                "below says what remains."
            )
            % {
                "title": report.scenario.title,
                "nodes": report.nodes,
                "choices": report.choices,
                "endings": report.endings,
            },
        )
        if report.ignored:
            named = "；".join(str(p) for p in report.ignored[:IGNORED_SHOWN])
            more = len(report.ignored) - IGNORED_SHOWN
            messages.warning(
                self.request,
                _("Left out of the import: %(named)s") % {"named": named}
                + (_(" … and %(n)d more.") % {"n": more} if more > 0 else ""),
            )
        return redirect(
            reverse("wagtailsnippets_roleplays_scenario:edit", args=[report.scenario.pk])
        )

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400  # nothing was imported
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(problems=self.problems, **kwargs)


def twee_template(request):
    """The Twee template of a scored Kefu scenario (`twee_template.TEMPLATE`)."""
    if not request.user.has_perm("roleplays.add_scenario"):
        raise PermissionDenied
    return text_attachment(TEMPLATE, TEMPLATE_FILENAME)


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
