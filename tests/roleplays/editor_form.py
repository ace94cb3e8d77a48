"""The role-play editor's form as the browser posts it: the scenario's fields, a StreamField of
nodes, and in each node the list blocks of its choices and their conditions. Shared by the
editor's tests and bench/roleplays.py."""

from __future__ import annotations

DIMENSIONS = ("empathy", "phrasing", "process", "resolution")


def scenario_form(nodes, *, start="N1", title="新场景", slug="new-scenario", **extra) -> dict:
    """`nodes` as the engine's graph has them (key, kind, text, outcome, passed, choices with
    text, target and optionally feedback, points and conditions); `extra` adds or overrides
    fields, e.g. `{"action-publish": "1"}` to publish at once."""
    data = {
        "title": title,
        "slug": slug,
        "summary": "",
        "owner": "李先生",
        "situation": "停电",
        "channel": "front_desk",
        "competency": "",
        "pass_mark": "70",
        "immediate_feedback": "on",
        "start": start,
        "nodes-count": str(len(nodes)),
    }
    for n, node in enumerate(nodes):
        prefix = f"nodes-{n}"
        value = f"{prefix}-value"
        data.update(
            {
                f"{prefix}-type": "node",
                f"{prefix}-order": str(n),
                f"{prefix}-deleted": "",
                f"{prefix}-id": "",
                f"{value}-key": node["key"],
                f"{value}-kind": node["kind"],
                f"{value}-speaker": node.get("speaker", ""),
                f"{value}-mood": node.get("mood", ""),
                f"{value}-text": node["text"],
                f"{value}-outcome": node.get("outcome", ""),
                f"{value}-choices-count": str(len(node["choices"])),
            }
        )
        # The ending's verdict: "pass", "fail", or "" (not decided: None).
        verdict = node.get("passed", False)
        data[f"{value}-passed"] = "" if verdict is None else ("pass" if verdict else "fail")
        for c, choice in enumerate(node["choices"]):
            data.update(_choice_fields(f"{value}-choices-{c}", c, choice))
    data.update(extra)
    return data


def _choice_fields(item: str, order: int, choice: dict) -> dict:
    points = choice.get("points", {"empathy": 1})
    conditions = choice.get("conditions", [])
    fields = {
        f"{item}-order": str(order),
        f"{item}-deleted": "",
        f"{item}-id": "",
        f"{item}-value-text": choice["text"],
        f"{item}-value-target": choice["target"],
        f"{item}-value-feedback": choice.get("feedback", ""),
        f"{item}-value-conditions-count": str(len(conditions)),
        **{f"{item}-value-{d}": str(points.get(d, 0)) for d in DIMENSIONS},
    }
    for k, condition in enumerate(conditions):
        cond = f"{item}-value-conditions-{k}"
        fields.update(
            {
                f"{cond}-order": str(k),
                f"{cond}-deleted": "",
                f"{cond}-id": "",
                f"{cond}-value-kind": condition["kind"],
                f"{cond}-value-dimension": condition.get("dimension", ""),
                f"{cond}-value-value": str(condition.get("value", 0)),
                f"{cond}-value-node": condition.get("node", ""),
            }
        )
    return fields
