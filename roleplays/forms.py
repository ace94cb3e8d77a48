"""The scenario edit form: a draft may be unfinished, never too large (academy.limits);
publishing refuses a broken graph."""

from academy.limits import SCENARIO_TEXT
from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import engine
from .authoring import graph_from_blocks


class ScenarioForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "situation" in self.fields:
            self.fields["situation"].widget.attrs["maxlength"] = SCENARIO_TEXT

    def clean(self):
        cleaned = super().clean()
        for problem in engine.setting_problems({"situation": cleaned.get("situation") or ""}):
            self.add_error("situation", problem.message)
        publishing = "action-publish" in self.data
        nodes = cleaned.get("nodes")
        if nodes is None:
            return cleaned
        graph_data = graph_from_blocks(nodes, cleaned.get("start", ""))
        keys = [n["key"] for n in graph_data["nodes"]]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        problems = [
            engine.Problem("duplicate", _("Two nodes have the key “%s”.") % k, k)
            for k in duplicates
        ]
        graph = engine.Graph.from_dict(graph_data)
        # Sizes on every save; whether the story holds together only when it goes live.
        problems += engine.problems(graph) if publishing else engine.size_problems(graph)
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return cleaned
