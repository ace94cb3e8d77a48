"""The scenario edit form: a draft may be unfinished; publishing refuses a broken graph."""

from django import forms
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import engine
from .authoring import graph_from_blocks


class ScenarioForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
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
        if publishing:
            problems += engine.problems(engine.Graph.from_dict(graph_data))
        if problems:
            raise forms.ValidationError([p.message for p in problems])
        return cleaned
