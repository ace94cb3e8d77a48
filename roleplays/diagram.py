"""The scenario graph as an SVG picture, drawn on the server. Pure Python.

Nodes are laid out in columns by their distance from the start (a breadth-first layering),
edges are curves with the choice number; problems are coloured (unreachable: grey dashed,
dead end or no way to an ending: red) and, for analytics, each edge carries the share of
learners who took that choice.
"""

from __future__ import annotations

from html import escape

from . import engine

NODE_W, NODE_H = 170, 58
COL_GAP, ROW_GAP = 90, 26
MARGIN = 20

COLOURS = {
    engine.OWNER: ("#e8f3f1", "#0f6e66"),
    engine.NARRATION: ("#f2f2f6", "#5b5b7a"),
    "pass": ("#e6f4e6", "#25803a"),
    "fail": ("#fbe9e9", "#b3261e"),
    "problem": ("#fff0f0", "#d0021b"),
    "unreachable": ("#f4f4f4", "#9a9a9a"),
}


def _layers(graph: engine.Graph) -> dict[str, int]:
    depth = engine.distances(graph, graph.start)
    last = max(depth.values(), default=-1) + 1
    for key in graph.nodes:  # unreachable nodes in a column of their own, at the end
        depth.setdefault(key, last)
    return depth


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_svg(
    graph: engine.Graph,
    problems: list[engine.Problem] | None = None,
    shares: dict[tuple[str, str], float] | None = None,
) -> str:
    """SVG markup of the graph. `shares` maps (node key, choice key) → percent of learners."""
    problems = problems or []
    flagged = {p.node for p in problems if p.node and p.code != "unreachable"}
    unreachable = {p.node for p in problems if p.code == "unreachable"}
    position, width, height = _grid(graph)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="scenario-graph" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#777"/></marker></defs>',
    ]
    for node in graph.nodes.values():
        for number, choice in enumerate(node.choices, start=1):
            if choice.target in position:
                share = shares.get((node.key, choice.key)) if shares is not None else None
                stroke = 1 + (share or 0) / 20 if shares is not None else 1.2
                parts += _edge(
                    position[node.key],
                    position[choice.target],
                    f"{number}. {choice.text}",
                    number,
                    share,
                    stroke,
                )
    for node in graph.nodes.values():
        style = _node_style(node, flagged=flagged, unreachable=unreachable)
        parts.append(_node_box(node, position[node.key], style, is_start=node.key == graph.start))
    parts.append("</svg>")
    return "".join(parts)


def _grid(graph: engine.Graph) -> tuple[dict[str, tuple[int, int]], int, int]:
    """Each node's top-left corner (a column per layer, a row per node in it), and the
    picture's width and height."""
    depth = _layers(graph)
    columns: dict[int, list[str]] = {}
    for key in graph.nodes:
        columns.setdefault(depth[key], []).append(key)
    position = {}
    for column, keys in columns.items():
        for row, key in enumerate(keys):
            position[key] = (
                MARGIN + column * (NODE_W + COL_GAP),
                MARGIN + row * (NODE_H + ROW_GAP),
            )
    width = MARGIN * 2 + (max(columns, default=0) + 1) * (NODE_W + COL_GAP) - COL_GAP
    height = (
        MARGIN * 2
        + max((len(k) for k in columns.values()), default=1) * (NODE_H + ROW_GAP)
        - ROW_GAP
    )
    return position, width, height


def _edge(
    source: tuple[int, int],
    target: tuple[int, int],
    tip: str,
    number: int,
    share: float | None,
    stroke: float,
) -> list[str]:
    """A choice's curve from box to box, with its number (and share) as a label. A step
    forward runs from the right side to the left side; a step back (a loop) curves below."""
    x1, y1 = source
    x2, y2 = target
    start = (x1 + NODE_W, y1 + NODE_H / 2)
    end = (x2, y2 + NODE_H / 2)
    if x2 <= x1:
        start = (x1 + NODE_W / 2, y1 + NODE_H)
        end = (x2 + NODE_W / 2, y2 + NODE_H)
        bend = max(y1, y2) + NODE_H + 40
        path = (
            f"M{start[0]:.0f},{start[1]:.0f} C{start[0]:.0f},{bend:.0f} "
            f"{end[0]:.0f},{bend:.0f} {end[0]:.0f},{end[1]:.0f}"
        )
        label_at = ((start[0] + end[0]) / 2, bend - 8)
    else:
        middle = (start[0] + end[0]) / 2
        path = (
            f"M{start[0]:.0f},{start[1]:.0f} C{middle:.0f},{start[1]:.0f} "
            f"{middle:.0f},{end[1]:.0f} {end[0]:.0f},{end[1]:.0f}"
        )
        label_at = (middle, (start[1] + end[1]) / 2 - 4)
    label = f"{number}" if share is None else f"{number}: {share:.0f}%"
    return [
        f'<path d="{path}" fill="none" stroke="#777" stroke-width="{stroke:.1f}" '
        f'marker-end="url(#arrow)"><title>{escape(tip)}</title></path>',
        f'<text x="{label_at[0]:.0f}" y="{label_at[1]:.0f}" text-anchor="middle" '
        f'fill="#333" class="edge-label">{escape(label)}</text>',
    ]


def _node_style(node: engine.Node, *, flagged: set[str], unreachable: set[str]) -> str:
    """The key of the node's colours in COLOURS: a problem outranks what the node is."""
    if node.key in unreachable:
        return "unreachable"
    if node.key in flagged:
        return "problem"
    if node.is_ending:
        return "pass" if node.passed else "fail"
    return node.kind if node.kind in COLOURS else engine.OWNER


def _node_box(node: engine.Node, corner: tuple[int, int], style: str, *, is_start: bool) -> str:
    x, y = corner
    fill, stroke = COLOURS[style]
    dash = ' stroke-dasharray="5 4"' if style == "unreachable" else ""
    width_px = 3 if style in ("problem", "unreachable") else 1.5
    start_mark = " ▶" if is_start else ""
    subtitle = node.outcome if node.is_ending else node.text
    return (
        f'<g class="node node-{style}" data-key="{escape(node.key)}">'
        f"<title>{escape(node.key)}: {escape(_short(subtitle, 200))}</title>"
        f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="8" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="{width_px}"{dash}/>'
        f'<text x="{x + 8}" y="{y + 20}" font-weight="bold" fill="{stroke}">'
        f"{escape(_short(node.key, 14))}{start_mark}</text>"
        f'<text x="{x + 8}" y="{y + 40}" fill="#333">{escape(_short(subtitle, 12))}</text>'
        f"</g>"
    )
