"""What a scenario still needs before it can be published: the checklist the editor shows
above the form (an imported Twine story arrives as a draft with most of it to do).

Pure: a function of the scenario's setting, its graph and the engine's problems with it.

The items, in the order a trainer works through them:

- ``owner`` / ``situation``: the setting says who the owner is and what happened;
- ``verdicts``: every ending is marked passing or failing (a Twine story's endings carry no
  ``pass`` / ``fail`` tag unless written for Kefu Academy);
- ``passing``: once they are all marked, one that a learner can reach passes;
- ``scoring``: some reply scores a dimension (empathy, phrasing, process, resolution) —
  advice, not required: a story without points is decided by its ending, as before;
- ``graph``: whatever else `engine.problems` finds (a passage nobody reaches, a passage
  without text, a loop with no way out, …), each listed.

Each item names where to fix it (`where`: the edit form's field or panel). Publishing refuses
while any required item remains: the setting fields are required by the form, and the rest
are `engine.problems`, which the edit form checks before publishing (`forms.ScenarioForm`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import engine

OWNER, SITUATION, NODES, GRAPH = "owner", "situation", "nodes", "graph"


@dataclass(frozen=True)
class Item:
    code: str  # owner | situation | verdicts | passing | scoring | graph
    message: str
    where: str  # the field or panel of the edit form to fix it in: OWNER, SITUATION, NODES, GRAPH
    details: tuple[str, ...] = ()  # the nodes or problems it is about
    required: bool = True  # False: advice; publishing does not wait for it


def checklist(setting: dict, graph: engine.Graph, problems: list[engine.Problem]) -> list[Item]:
    """What remains before `graph` with `setting` can be published (`problems`: the engine's
    problems with the graph, `engine.problems(graph)`); empty when nothing does."""
    items: list[Item] = []
    if not (setting.get("owner") or "").strip():
        items.append(Item("owner", _("Say who the owner is (the setting)."), OWNER))
    if not (setting.get("situation") or "").strip():
        items.append(Item("situation", _("Say what happened (the setting)."), SITUATION))
    undecided = tuple(p.node for p in problems if p.code == "no_verdict")
    if undecided:
        items.append(
            Item(
                "verdicts",
                _("Mark each ending as a passing or a failing ending (%(n)d not marked).")
                % {"n": len(undecided)},
                NODES,
                undecided,
            )
        )
    elif any(p.code == "no_passing_ending" for p in problems):
        items.append(
            Item("passing", _("Mark at least one ending that learners reach as passing."), NODES)
        )
    if graph.nodes and not any(c.points for n in graph.nodes.values() for c in n.choices):
        items.append(
            Item(
                "scoring",
                _(
                    "Give the replies points in the scoring dimensions (empathy, service "
                    "phrasing, process, resolution); without points a learner is judged by "
                    "the ending alone."
                ),
                NODES,
                required=False,
            )
        )
    handled = {"no_verdict", "no_passing_ending"}
    rest = tuple(str(p.message) for p in problems if p.code not in handled)
    if rest:
        items.append(
            Item(
                "graph",
                _("Fix what the graph shows (%(n)d).") % {"n": len(rest)},
                GRAPH,
                rest,
            )
        )
    return items


def publishable(items: list[Item]) -> bool:
    """Whether nothing required remains."""
    return not any(item.required for item in items)
