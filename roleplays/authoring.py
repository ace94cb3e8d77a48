"""Between the node editor (StreamField blocks) and the engine's graph dict."""

from __future__ import annotations

import uuid

from . import engine
from .blocks import passed_verdict, verdict_passed


def graph_from_blocks(nodes_value, start: str) -> dict:
    """The graph dict (engine form) of the nodes as edited. Choice keys are the list items'
    block ids, so they stay the same across edits of the scenario."""
    nodes = []
    for block in nodes_value:
        if block.block_type != "node":
            continue
        value = block.value
        choices = []
        for index, item in enumerate(value["choices"].bound_blocks, start=1):
            choice = item.value
            choices.append(
                {
                    "key": item.id or f"c{index}",
                    "text": choice["text"],
                    "target": (choice["target"] or "").strip(),
                    "points": {d: choice[d] for d in engine.DIMENSIONS if choice.get(d)},
                    "feedback": choice["feedback"] or "",
                    "conditions": [
                        {
                            "kind": c["kind"],
                            "dimension": c["dimension"] or "",
                            "value": c["value"] or 0,
                            "node": (c["node"] or "").strip(),
                        }
                        for c in choice["conditions"]
                    ],
                }
            )
        nodes.append(
            {
                "key": (value["key"] or "").strip(),
                "kind": value["kind"],
                "text": value["text"] or "",
                "speaker": value["speaker"] or "",
                "mood": value["mood"] or "",
                "image": value["image"].pk if value.get("image") else None,
                "outcome": value["outcome"] or "",
                # Only an ending passes or fails; an undecided one is None (engine.Node).
                "passed": verdict_passed(value["passed"])
                if value["kind"] == engine.ENDING
                else False,
                "choices": choices,
            }
        )
    return {"start": (start or "").strip(), "nodes": nodes}


def blocks_from_graph(graph: dict) -> list[dict]:
    """StreamField data (raw JSON form) for a graph dict, keeping choice keys as item ids."""
    raw = []
    for node in graph["nodes"]:
        raw.append(
            {
                "type": "node",
                "id": str(uuid.uuid4()),
                "value": {
                    "key": node["key"],
                    "kind": node["kind"],
                    "speaker": node.get("speaker", ""),
                    "mood": node.get("mood", ""),
                    "text": node.get("text", ""),
                    "image": node.get("image"),
                    "outcome": node.get("outcome", ""),
                    "passed": passed_verdict(node.get("passed", False)),
                    "choices": [
                        {
                            "type": "item",
                            "id": choice.get("key") or str(uuid.uuid4()),
                            "value": {
                                "text": choice["text"],
                                "target": choice["target"],
                                **{
                                    d: int(choice.get("points", {}).get(d, 0))
                                    for d in engine.DIMENSIONS
                                },
                                "feedback": choice.get("feedback", ""),
                                "conditions": [
                                    {
                                        "type": "item",
                                        "id": str(uuid.uuid4()),
                                        "value": {
                                            "kind": c["kind"],
                                            "dimension": c.get("dimension", ""),
                                            "value": c.get("value", 0),
                                            "node": c.get("node", ""),
                                        },
                                    }
                                    for c in choice.get("conditions", [])
                                ],
                            },
                        }
                        for choice in node.get("choices", [])
                    ],
                },
            }
        )
    return raw
