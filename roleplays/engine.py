"""Role-play rules: the scenario graph, its validation, which choices are offered, scoring and
the best path. Pure Python: dataclasses in, dataclasses out; no database, no request.

A scenario is a graph. Nodes are what the learner reads (an owner's line with a mood, or a
narration); endings are nodes with an outcome and pass / fail; choices lead from a node to
another node, carry points per competency dimension and the expert's feedback, and may carry
conditions (offered only when a dimension's score so far reaches a value, or when an earlier
node was / was not visited). Cycles are allowed — an owner repeating a complaint — as long as
every node can still reach an ending.

`Graph.from_dict` / `Graph.to_dict` give the JSON form stored with each published version and
exchanged with the Twee importer / exporter:

    {"start": "N1", "nodes": [
        {"key": "N1", "kind": "owner" | "narration" | "ending", "text": "...",
         "speaker": "王女士", "mood": "angry", "outcome": "...", "passed": false,
         (an ending's "passed": true / false, or null while a draft has not decided it),
         "image": 12 (optional: a Wagtail image id),
         "choices": [{"key": "c1", "text": "...", "target": "N2",
                      "points": {"empathy": 2}, "feedback": "...",
                      "conditions": [{"kind": "score_at_least", "dimension": "empathy",
                                      "value": 2} | {"kind": "visited", "node": "N3"}
                                     | {"kind": "not_visited", "node": "N3"}]}]}]}
"""

from __future__ import annotations

import hashlib
import heapq
import json
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from academy import limits
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OWNER, NARRATION, ENDING = "owner", "narration", "ending"
NODE_KINDS = (OWNER, NARRATION, ENDING)

# Competency dimensions a choice can score on (code → label).
DIMENSIONS: dict[str, str] = {
    "empathy": gettext_lazy("Empathy"),
    "phrasing": gettext_lazy("Service phrasing"),
    "process": gettext_lazy("Process"),
    "resolution": gettext_lazy("Resolution"),
}

MOODS: dict[str, str] = {
    "calm": gettext_lazy("calm"),
    "worried": gettext_lazy("worried"),
    "annoyed": gettext_lazy("annoyed"),
    "angry": gettext_lazy("angry"),
    "furious": gettext_lazy("furious"),
    "relieved": gettext_lazy("relieved"),
    "satisfied": gettext_lazy("satisfied"),
}

SCORE_AT_LEAST, SCORE_BELOW, VISITED, NOT_VISITED = (
    "score_at_least",
    "score_below",
    "visited",
    "not_visited",
)
CONDITION_KINDS = (SCORE_AT_LEAST, SCORE_BELOW, VISITED, NOT_VISITED)

# The best-path search explores at most this many states (see `search`): past them it
# bounds instead of searching, so that publishing never takes long, whatever the graph.
SEARCH_LIMIT = 50_000
# … and, where it bounded, walks at most this many states in a loop to find a playable path.
DISPLAY_LIMIT = 2_000
MAX_KEY_LENGTH = 80  # the run tables' column width

# The overall percentage a run needs when a scenario's setting names none (with a passing
# ending: see `Score.passed`).
DEFAULT_PASS_MARK = 70


@dataclass(frozen=True)
class Condition:
    kind: str
    dimension: str = ""
    value: int = 0
    node: str = ""

    def holds(self, scores: dict[str, int], visited: frozenset[str] | set[str]) -> bool:
        if self.kind == SCORE_AT_LEAST:
            return scores.get(self.dimension, 0) >= self.value
        if self.kind == SCORE_BELOW:
            return scores.get(self.dimension, 0) < self.value
        if self.kind == VISITED:
            return self.node in visited
        if self.kind == NOT_VISITED:
            return self.node not in visited
        return False

    def to_dict(self) -> dict:
        if self.kind in (VISITED, NOT_VISITED):
            return {"kind": self.kind, "node": self.node}
        return {"kind": self.kind, "dimension": self.dimension, "value": self.value}


@dataclass(frozen=True)
class Choice:
    key: str
    text: str
    target: str
    points: dict[str, int] = field(default_factory=dict)
    feedback: str = ""
    conditions: tuple[Condition, ...] = ()

    @property
    def total(self) -> int:
        return sum(self.points.values())

    def offered(self, scores: dict[str, int], visited) -> bool:
        return all(c.holds(scores, visited) for c in self.conditions)


@dataclass(frozen=True)
class Node:
    key: str
    kind: str
    text: str
    speaker: str = ""
    mood: str = ""
    outcome: str = ""
    # An ending passes or fails; None while a draft has not decided (it cannot be published).
    passed: bool | None = False
    choices: tuple[Choice, ...] = ()
    image: int | None = None  # a Wagtail image id shown with the line

    @property
    def is_ending(self) -> bool:
        return self.kind == ENDING


@dataclass(frozen=True)
class Graph:
    start: str
    nodes: dict[str, Node]

    @classmethod
    def from_dict(cls, data: dict) -> Graph:
        nodes = {}
        for n in data.get("nodes", []):
            choices = tuple(
                Choice(
                    key=str(c.get("key") or f"{n['key']}-{i}"),
                    text=c.get("text", ""),
                    target=c.get("target", ""),
                    points={k: int(v) for k, v in (c.get("points") or {}).items() if v},
                    feedback=c.get("feedback", ""),
                    conditions=tuple(
                        Condition(
                            kind=x.get("kind", ""),
                            dimension=x.get("dimension", ""),
                            value=int(x.get("value", 0) or 0),
                            node=x.get("node", ""),
                        )
                        for x in c.get("conditions") or []
                    ),
                )
                for i, c in enumerate(n.get("choices") or [], start=1)
            )
            nodes[n["key"]] = Node(
                key=n["key"],
                kind=n.get("kind", OWNER),
                text=n.get("text", ""),
                speaker=n.get("speaker", ""),
                mood=n.get("mood", ""),
                outcome=n.get("outcome", ""),
                passed=None if n.get("passed", False) is None else bool(n.get("passed")),
                choices=choices,
                image=n.get("image") or None,
            )
        return cls(start=data.get("start", ""), nodes=nodes)

    def to_dict(self) -> dict:
        return {
            "start": self.start,
            "nodes": [
                {
                    "key": n.key,
                    "kind": n.kind,
                    "text": n.text,
                    "speaker": n.speaker,
                    "mood": n.mood,
                    "outcome": n.outcome,
                    "passed": n.passed,
                    **({"image": n.image} if n.image else {}),
                    "choices": [
                        {
                            "key": c.key,
                            "text": c.text,
                            "target": c.target,
                            "points": dict(c.points),
                            "feedback": c.feedback,
                            "conditions": [x.to_dict() for x in c.conditions],
                        }
                        for c in n.choices
                    ],
                }
                for n in self.nodes.values()
            ],
        }

    @staticmethod
    def digest(data: dict) -> str:
        """A fingerprint of a graph's dict form: equal graphs, equal digests (what a parsed
        graph is cached by: roleplays.selectors.version_graph)."""
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()

    def successors(self, key: str) -> list[str]:
        node = self.nodes.get(key)
        return [c.target for c in node.choices if c.target in self.nodes] if node else []


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str  # unreachable | dead_end | no_target | no_ending | no_verdict | cannot_finish | …
    message: str
    node: str = ""
    choice: str = ""


def distances(graph: Graph, start: str) -> dict[str, int]:
    """Each node reachable from `start` by any choice (conditions aside: some run may meet
    them), with its number of steps from `start` — breadth first."""
    depth = {start: 0} if start in graph.nodes else {}
    queue = deque(depth)
    while queue:
        key = queue.popleft()
        for target in graph.successors(key):
            if target not in depth:
                depth[target] = depth[key] + 1
                queue.append(target)
    return depth


def reachable_from(graph: Graph, start: str) -> set[str]:
    return set(distances(graph, start))


def can_finish(graph: Graph) -> set[str]:
    """Nodes from which some path reaches an ending (walking the edges backwards)."""
    incoming: dict[str, list[str]] = {k: [] for k in graph.nodes}
    for node in graph.nodes.values():
        for target in graph.successors(node.key):
            incoming[target].append(node.key)
    done = {k for k, n in graph.nodes.items() if n.is_ending}
    queue = deque(done)
    while queue:
        for source in incoming[queue.popleft()]:
            if source not in done:
                done.add(source)
                queue.append(source)
    return done


def too_many_nodes() -> Problem:
    return Problem(
        "too_many_nodes",
        _("A scenario may have at most %(limit)d nodes.") % {"limit": limits.SCENARIO_NODES},
    )


def size_problems(graph: Graph) -> list[Problem]:
    """What is too long or too many (academy.limits). The best-path search tests every choice
    and condition of a node at each of its steps, so these bounds keep it fast. A draft may
    be unfinished, never this
    large: the editor checks these on every save, publishing and the Twee import with the
    rest of `problems`. Too many nodes is the only problem then reported: checking each of
    100,000 nodes helps nobody."""
    if len(graph.nodes) > limits.SCENARIO_NODES:
        return [too_many_nodes()]
    found: list[Problem] = []
    for node in graph.nodes.values():
        label = {"node": node.key[:MAX_KEY_LENGTH]}
        if max(len(node.text), len(node.outcome)) > limits.SCENARIO_TEXT:
            found.append(
                Problem(
                    "text_too_long",
                    _("The text of node “%(node)s” is too long: at most %(limit)d characters.")
                    % {**label, "limit": limits.SCENARIO_TEXT},
                    node.key,
                )
            )
        if len(node.choices) > limits.CHOICES_PER_NODE:
            found.append(
                Problem(
                    "too_many_choices",
                    _("Node “%(node)s” has more than %(limit)d choices.")
                    % {**label, "limit": limits.CHOICES_PER_NODE},
                    node.key,
                )
            )
        for choice in node.choices:
            if len(choice.text) > limits.CHOICE_TEXT:
                found.append(
                    Problem(
                        "choice_too_long",
                        _("A choice at node “%(node)s” is too long: at most %(limit)d characters.")
                        % {**label, "limit": limits.CHOICE_TEXT},
                        node.key,
                        choice.key,
                    )
                )
            if len(choice.conditions) > limits.CONDITIONS_PER_CHOICE:
                found.append(
                    Problem(
                        "too_many_conditions",
                        _("A choice at node “%(node)s” has more than %(limit)d conditions.")
                        % {**label, "limit": limits.CONDITIONS_PER_CHOICE},
                        node.key,
                        choice.key,
                    )
                )
            if len(choice.feedback) > limits.SCENARIO_TEXT:
                found.append(
                    Problem(
                        "feedback_too_long",
                        _(
                            "The feedback on a choice at node “%(node)s” is too long: at most "
                            "%(limit)d characters."
                        )
                        % {**label, "limit": limits.SCENARIO_TEXT},
                        node.key,
                        choice.key,
                    )
                )
    return found


def setting_problems(setting: dict) -> list[Problem]:
    """What is too long in a scenario's setting (academy.limits.SCENARIO_TEXT)."""
    if len(setting.get("situation") or "") > limits.SCENARIO_TEXT:
        return [
            Problem(
                "setting_too_long",
                _("The setting (what happened) is too long: at most %(limit)d characters.")
                % {"limit": limits.SCENARIO_TEXT},
            )
        ]
    return []


@dataclass(frozen=True)
class Analysis:
    """A graph checked for publishing: what stops it, what the trainer should know, and the
    best path (when nothing stops it)."""

    problems: list[Problem]
    warnings: list[Problem]
    best: Path | None


def analyse(graph: Graph) -> Analysis:
    """Everything publishing checks, with one search for the best path."""
    found = _structure_problems(graph)
    if found:
        return Analysis(found, [], None)
    result = search(graph)
    found = [
        Problem(
            "stuck",
            _("At node “%s” conditions can leave a learner with no choice offered.") % key,
            key,
        )
        for key in sorted(result.stuck)
    ]
    if result.best is None:
        found.append(
            Problem(
                "no_best_path",
                _("No playable path (conditions met) reaches a passing ending."),
            )
        )
    warnings = []
    if not result.exact and result.best is not None:
        found_total = _played_total(graph, result.best)
        warnings.append(
            Problem(
                "best_path_bound",
                _(
                    "The best path could not be searched exactly: a loop has too many good "
                    "replies or conditions to try every way round it. Learners are scored "
                    "against an upper bound of %(bound)d points (the best path found scores "
                    "%(found)s), so even the best run may stay under 100%%. Fewer good replies "
                    "inside one loop, or fewer conditions, make it exact."
                )
                % {
                    "bound": result.best.total,
                    "found": "—" if found_total is None else found_total,
                },
            )
        )
    if not result.checked:
        warnings.append(
            Problem(
                "conditions_unchecked",
                _(
                    "Not every combination of conditions could be checked: in a large loop a "
                    "learner might find no reply offered. Check the conditions there by playing."
                ),
            )
        )
    return Analysis(found, warnings, result.best if not found else None)


def _played_total(graph: Graph, path: Path) -> int | None:
    """The total a path's own choices earn (None: it has none)."""
    if not path.choices:
        return None
    state = State.start(graph)
    for key in path.choices:
        state, _taken = choose(graph, state, key)
    return sum(state.scores.values())


def problems(graph: Graph) -> list[Problem]:
    """Everything that stops a scenario from being published, each problem named."""
    return analyse(graph).problems


def warnings(graph: Graph) -> list[Problem]:
    """What a trainer should know about a scenario that publishes (see `search`)."""
    return analyse(graph).warnings


def _structure_problems(graph: Graph) -> list[Problem]:
    found = size_problems(graph)
    if found and found[0].code == "too_many_nodes":
        return found
    if graph.start not in graph.nodes:
        found.append(Problem("no_start", _("The scenario has no start node “%s”.") % graph.start))
        return found
    for node in graph.nodes.values():
        if len(node.key) > MAX_KEY_LENGTH or not node.key.strip():
            found.append(
                Problem(
                    "bad_key",
                    _("Node key “%s” must be 1 to 80 characters.") % node.key[:90],
                    node.key,
                )
            )
        if node.kind not in NODE_KINDS:
            found.append(
                Problem("bad_kind", _("Node “%s” has an unknown kind.") % node.key, node.key)
            )
        if not node.text.strip() and not node.is_ending:
            found.append(Problem("empty", _("Node “%s” has no text.") % node.key, node.key))
        if node.is_ending:
            if not node.outcome.strip():
                found.append(
                    Problem(
                        "no_outcome", _("Ending “%s” has no outcome text.") % node.key, node.key
                    )
                )
            if node.passed is None:
                found.append(
                    Problem(
                        "no_verdict",
                        _("Ending “%s” is not marked as passing or failing.") % node.key,
                        node.key,
                    )
                )
            if node.choices:
                found.append(
                    Problem(
                        "ending_with_choices",
                        _("Ending “%s” has choices; an ending ends the conversation.") % node.key,
                        node.key,
                    )
                )
        elif not node.choices:
            found.append(
                Problem(
                    "dead_end",
                    _("Node “%s” is a dead end: it is not an ending and has no choices.")
                    % node.key,
                    node.key,
                )
            )
        if node.mood and node.mood not in MOODS:
            found.append(
                Problem(
                    "bad_mood",
                    _("Node “%(node)s” has an unknown mood “%(mood)s”.")
                    % {"node": node.key, "mood": node.mood},
                    node.key,
                )
            )
        for choice in node.choices:
            found.extend(_choice_problems(graph, node, choice))
    reachable = reachable_from(graph, graph.start)
    for key in graph.nodes:
        if key not in reachable:
            found.append(
                Problem("unreachable", _("Node “%s” cannot be reached from the start.") % key, key)
            )
    endings = [k for k in reachable if graph.nodes[k].is_ending]
    if not endings:
        found.append(Problem("no_ending", _("No ending can be reached from the start.")))
    elif not any(graph.nodes[k].passed for k in endings):
        found.append(
            Problem("no_passing_ending", _("No passing ending can be reached: nobody could pass."))
        )
    finishing = can_finish(graph)
    for key in sorted(reachable - finishing):
        if not graph.nodes[key].is_ending and graph.nodes[key].choices:
            found.append(
                Problem(
                    "cannot_finish",
                    _("From node “%s” no path leads to an ending (a loop with no way out).") % key,
                    key,
                )
            )
    return found


def _choice_problems(graph: Graph, node: Node, choice: Choice) -> list[Problem]:
    found = []
    label = {"node": node.key, "choice": choice.text[:30]}
    if not choice.text.strip():
        found.append(
            Problem(
                "empty_choice",
                _("A choice at node “%(node)s” has no text.") % label,
                node.key,
                choice.key,
            )
        )
    if choice.target not in graph.nodes:
        found.append(
            Problem(
                "no_target",
                _(
                    "Choice “%(choice)s” at node “%(node)s” points to “%(target)s”, which does not "
                    "exist."
                )
                % {**label, "target": choice.target},
                node.key,
                choice.key,
            )
        )
    for dimension in choice.points:
        if dimension not in DIMENSIONS:
            found.append(
                Problem(
                    "bad_dimension",
                    _(
                        "Choice “%(choice)s” at node “%(node)s” scores an unknown dimension "
                        "“%(dimension)s”."
                    )
                    % {**label, "dimension": dimension},
                    node.key,
                    choice.key,
                )
            )
    for condition in choice.conditions:
        if condition.kind not in CONDITION_KINDS:
            message = _("Choice “%(choice)s” at node “%(node)s” has an unknown condition.")
        elif condition.kind in (VISITED, NOT_VISITED) and condition.node not in graph.nodes:
            message = _(
                "Choice “%(choice)s” at node “%(node)s” depends on a node that does not exist."
            )
        elif condition.kind in (SCORE_AT_LEAST, SCORE_BELOW) and (
            condition.dimension not in DIMENSIONS
        ):
            message = _("Choice “%(choice)s” at node “%(node)s” depends on an unknown dimension.")
        else:
            continue
        found.append(Problem("bad_condition", message % label, node.key, choice.key))
    return found


# --- playing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    """Where a run stands: the current node, the scores so far, the nodes seen."""

    node: str
    scores: dict[str, int]
    visited: frozenset[str]
    taken: frozenset[str] = frozenset()  # "node/choice" already scored in this run

    @classmethod
    def start(cls, graph: Graph) -> State:
        return cls(graph.start, {}, frozenset({graph.start}))


class ChoiceNotOffered(ValueError):
    pass


def offered_choices(graph: Graph, state: State) -> list[Choice]:
    node = graph.nodes[state.node]
    return [c for c in node.choices if c.offered(state.scores, state.visited)]


def choose(graph: Graph, state: State, choice_key: str) -> tuple[State, Choice]:
    """The state after taking a choice; refuses a choice not offered at the current node."""
    choice = next((c for c in offered_choices(graph, state) if c.key == choice_key), None)
    if choice is None:
        raise ChoiceNotOffered(choice_key)
    scores = dict(state.scores)
    mark = f"{state.node}/{choice.key}"
    # A good reply scores once per run (going round a loop again must not farm points);
    # a bad one costs every time it is repeated.
    for dimension, points in choice.points.items():
        if points < 0 or mark not in state.taken:
            scores[dimension] = scores.get(dimension, 0) + points
    return State(
        choice.target, scores, state.visited | {choice.target}, state.taken | {mark}
    ), choice


# --- scoring and the best path --------------------------------------------------------------


@dataclass(frozen=True)
class Path:
    choices: tuple[str, ...]  # choice keys in order
    nodes: tuple[str, ...]  # node keys visited, start first
    scores: dict[str, int]
    ending: str
    # False: `scores` is a proven upper bound on the best path's (see `search`), and
    # `choices` the best playable path found (empty when none was found in time).
    exact: bool = True

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @classmethod
    def from_dict(cls, data: dict | None) -> Path | None:
        """The path stored with a published version (None: the version has none)."""
        if not data:
            return None
        return cls(
            tuple(data["choices"]),
            tuple(data["nodes"]),
            dict(data["scores"]),
            data["ending"],
            bool(data.get("exact", True)),
        )

    def to_dict(self) -> dict:
        return {
            "choices": list(self.choices),
            "nodes": list(self.nodes),
            "scores": dict(self.scores),
            "ending": self.ending,
            **({} if self.exact else {"exact": False}),
        }


@dataclass(frozen=True)
class Search:
    """What `search` found."""

    best: Path | None
    exact: bool  # `best.total` is the optimum; otherwise a proven upper bound on it
    stuck: frozenset[str]  # non-ending nodes where conditions can leave a learner with no choice
    checked: bool  # every reachable combination of conditions was looked at for `stuck`


def search(graph: Graph) -> Search:
    """The best path — what a run is scored against — and the stuck nodes.

    The problem
    -----------
    A run is a walk from the start: n0, c1, n1, …, ck, nk, each choice ci one of node
    n(i-1)'s, offered there when its conditions hold on the run so far: a dimension's score
    (at least / below a value) and the nodes visited (visited / not visited). Loops are
    allowed; a run ends at an ending. Per dimension a run scores the sum of its choices'
    points, except that a choice taken again adds only its negative points: a good reply
    scores once per run (going round a loop cannot farm points), a bad one costs every time
    (`choose`).

    The best path is the run ending at a passing ending with the highest total (the sum over
    dimensions); of equal totals the one with the fewest choices; of those the one whose
    choices come first in the order they are listed. It goes round a loop when that pays (a
    good reply inside it) or when a condition asks for it. A run's overall percentage is its
    total against the best path's (`score`): nobody can earn more than the best path.

    A node is stuck when a run can reach it (conditions honoured) and find none of its
    choices offered.

    How it is computed
    ------------------
    Enumerating paths takes exponential time (two choices at each of 200 nodes are 2^100
    paths). Instead:

    1. The nodes reachable from the start fall into strongly connected components (Tarjan):
       a DAG of loops. A run that leaves a component never comes back, so it crosses the DAG
       once, in its order, and once it has left a component, which of that component's
       choices it took no longer matters: none can be taken again.
    2. A state is (node, the good replies — choices with a positive point — of its component
       taken so far, the reads). A component's reads are the scores of the dimensions and the
       visited flags of the nodes named by the conditions in it and in every component after
       it; a flag only once its node can have been visited. A score is kept only within the
       band where those conditions can tell two values apart: below (lowest threshold − the
       most the dimension can still gain while it is read) every test comes out the same
       forever, and so above (highest threshold + the most it can still lose), when no loop
       ahead can lose points there without end.
    3. Dynamic programming gives each state the best (total, −choices) still to be had on the
       way to a passing ending, components in reverse DAG order (sinks first). Inside a
       component only a good reply taken for the first time gains, and it grows the set of
       good replies taken; so states are valued by that set's size, largest first, and among
       states with the same set every step gains ≤ 0: Dijkstra's algorithm orders them. The
       path is read off from the start, at each state the first listed choice that keeps the
       optimum.
    4. Two passes. The first ignores every condition: its states are (node, good replies
       taken), and its values are upper bounds (ignoring conditions only allows more runs).
       Its path is followed with the conditions honoured, at each step the offered choice
       worth the most: if that is always the choice the values chose, the run reaches the
       bound, so it is the best path, tie rules included. If moreover no node can be stuck
       (each has a choice without conditions), that is all — most scenarios. A node whose
       every choice has conditions is checked by exploring runs that honour the conditions at
       such nodes only: they reach every state real runs reach (and more) with far fewer
       reads, so if none is stuck there, no run is, and where one is, a run steered there by
       the rules shows whether a real run is too. What that leaves open, and a
       best path the first pass could not prove, the second pass decides: it explores the
       states that runs reach, all conditions honoured (sources first), finding every stuck
       node, and values them; its components too large to search are valued by the first
       pass's bounds.

    The work is linear in the states (and their choices). Without conditions the states are
    the nodes, times 2^g in a component with g good replies inside it — a loop of one to
    three nodes has one or two. A score the conditions read multiplies the states by the
    values it can take in its band; a visited flag by two.

    Where exactness would need exponential work
    -------------------------------------------
    The best walk round a loop holding many good replies is a prize-collecting walk (NP-hard:
    2^g states), and score conditions make it a resource-constrained path (as many states as
    values in the band). So each search explores at most SEARCH_LIMIT states, a component at
    most a quarter of them. Past that, a component of the second pass is valued by the
    first pass's upper bound; a component of the first pass by a proven one:

        bound(C) = Σ max(0, total(c)) over the choices c inside C
                   + max over the choices x leaving C of (total(x) + the value after x)

    — a choice inside C adds at most max(0, its total) to a run however often it is taken (a
    repeat adds only negative points), and a run leaves C by exactly one choice. Then the
    path shown is the best playable one found (the bound's way where conditions allow); when
    it reaches the bound it is exact all the same, otherwise `exact` is False: learners are
    scored against the bound (the best run may stay under 100 %), and the scenario publishes
    with a warning. A node whose every choice has conditions, in a component the second pass
    could not explore, leaves `checked` False: it may be stuck unseen.
    """
    if graph.start not in graph.nodes:
        return Search(None, True, frozenset(), True)
    if graph.nodes[graph.start].is_ending:
        start = graph.start
        best = Path((), (start,), {}, start) if graph.nodes[start].passed else None
        return Search(best, True, frozenset(), True)
    free = _StateSearch(graph, conditions=False)
    free.run()
    # Nodes that conditions could leave without a reply: every choice has a condition.
    at_risk = {
        free.keys[node]
        for node, moves in enumerate(free.moves)
        if not graph.nodes[free.keys[node]].is_ending and all(m.choice.conditions for m in moves)
    }
    fast = None
    if free.entry_value(free.component_of[0], 0) is not None:
        walk, followed = free.follow(State.start(graph))
        if walk is not None and followed:
            fast = free.path(walk)
    settled, proven = _check_stuck(graph, frozenset(at_risk)) if at_risk else (set(), set())
    unsettled = at_risk - settled
    if fast is not None and not unsettled:
        return Search(fast, True, frozenset(proven), True)
    full = _StateSearch(graph, conditions=True, upper=free)
    full.run()
    found = full.result(unsettled)
    found = replace(found, stuck=found.stuck | proven)
    # Searched only for stuck nodes: the best path was found exactly already.
    return found if fast is None else replace(found, best=fast, exact=True)


def _check_stuck(graph: Graph, at_risk: frozenset[str]) -> tuple[set[str], set[str]]:
    """Of these nodes, those where it is settled whether a run can be left without a reply,
    and those where one can. Settled by exploring runs that honour the conditions at these
    nodes only: they reach every state real runs reach (and more), reading far less. So a
    node none of them is stuck at is never stuck; and where one is, a real run is when one,
    steered there by the rules (`stuck_run`), gets stuck too. The rest the full pass
    decides."""
    screen = _StateSearch(graph, conditions=True, only=at_risk)
    screen.run(values=False)
    unexplored = screen._reached_through_bounds()
    clear = {
        key
        for key in at_risk
        if key not in screen.stuck and screen.component_of[screen.index[key]] not in unexplored
    }
    proven = {key for key in screen.stuck if screen.stuck_run(key) is not None}
    return clear | proven, proven


def best_path(graph: Graph) -> Path | None:
    return search(graph).best


# Condition tests on a state's reads (see _StateSearch).
_AT_LEAST, _BELOW, _SET, _UNSET, _NEVER, _ALWAYS = range(6)
_WIDE = 1 << 60  # the band of a visited flag: never clamped
# Where an edge of the state graph leads: a state of the same component, an ending, or the
# entry state of a later component.
_INSIDE, _PASSED, _FAILED, _LEAVES = range(4)


class _Component:
    """A strongly connected component of the reachable nodes, and its share of a search."""

    def __init__(self, number: int, nodes: list[int]):
        self.number = number
        self.nodes = nodes
        self.ending: bool | None = None  # an ending node alone: passed or not
        self.later: set[int] = set()  # the components its choices lead to
        self.layout: tuple[tuple[str, str], ...] = ()  # its reads, in order
        self.low: list[int] = []  # per read: the band (see `search`)
        self.high: list[int] = []
        self.inside_gain = 0  # Σ max(0, total) over its inside choices
        self.inside_points: dict[str, int] = {}  # … and their points
        self.entries: set[tuple[int, tuple]] = set()  # (node, reads) as runs enter
        self.bounded = False  # too many states: valued by a bound
        self.states: dict[tuple, int] = {}  # (node, good replies taken, reads) → number
        self.keys: list[tuple] = []
        self.edges: list[list[tuple]] = []
        self.values: list[tuple[int, int] | None] = []
        self.bound: tuple[int, int] | None = None  # without conditions, when bounded
        self.bound_exit: _Move | None = None  # … and the way out it takes


class _Move:
    """One choice compiled for a search: its tests and its effects on a state's reads."""

    __slots__ = (
        "index",
        "choice",
        "target",
        "into",
        "tests",
        "bit",
        "gain",
        "repeat_gain",
        "deltas",
        "flag",
        "projection",
        "entry_flag",
    )


class _StateSearch:
    """One pass of `search`: with conditions, without (`conditions=False`), or with only the
    conditions at some nodes (`only`: the check for stuck nodes)."""

    def __init__(
        self,
        graph: Graph,
        *,
        conditions: bool,
        upper: _StateSearch | None = None,
        only: frozenset[str] | None = None,
    ):
        self.graph = graph
        self.conditions = conditions
        self.only = only
        self.upper = upper  # bounds for the components this one cannot search
        self.keys = list(distances(graph, graph.start))  # reachable; the start first
        self.index = {key: i for i, key in enumerate(self.keys)}
        successors = [
            [self.index[c.target] for c in graph.nodes[key].choices if c.target in graph.nodes]
            for key in self.keys
        ]
        self.components = [
            _Component(number, nodes) for number, nodes in enumerate(_strong_components(successors))
        ]
        self.component_of = [0] * len(self.keys)
        for number, component in enumerate(self.components):
            for node in component.nodes:
                self.component_of[node] = number
        self.moves: list[list[_Move]] = [[] for _ in self.keys]
        self.stuck: set[str] = set()
        self.budget = SEARCH_LIMIT
        self._plan()

    # -- 1, 2. the plan: reads and their bands, moves compiled (sinks first) --

    def _plan(self) -> None:
        graph, keys = self.graph, self.keys
        reads: list[frozenset] = []
        thresholds: list[dict[str, tuple[int, int]]] = []
        gains: list[dict[str, int]] = []
        losses: list[dict[str, float]] = []
        reaches: list[int] = []  # per component, the components it can lead to (a bit set)
        for number, component in enumerate(self.components):
            own: set[tuple[str, str]] = set()
            bands: dict[str, tuple[int, int]] = {}
            for node in component.nodes:
                for choice in graph.nodes[keys[node]].choices:
                    if choice.target not in graph.nodes:
                        continue
                    later = self.component_of[self.index[choice.target]]
                    if later != number:
                        component.later.add(later)
                    for condition in choice.conditions if self._honours(node) else ():
                        if condition.kind in (SCORE_AT_LEAST, SCORE_BELOW):
                            own.add(("s", condition.dimension))
                            low, high = bands.get(condition.dimension, (condition.value,) * 2)
                            bands[condition.dimension] = (
                                min(low, condition.value),
                                max(high, condition.value),
                            )
                        elif condition.kind in (VISITED, NOT_VISITED):
                            own.add(("v", condition.node))
            node = graph.nodes[keys[component.nodes[0]]]
            if node.is_ending:
                component.ending = node.passed
            reach = 1 << number
            read = set(own)
            for later in component.later:
                reach |= reaches[later]
                read |= reads[later]
                for dimension, (low, high) in thresholds[later].items():
                    mine = bands.get(dimension, (low, high))
                    bands[dimension] = (min(low, mine[0]), max(high, mine[1]))
            reaches.append(reach)
            reads.append(frozenset(read))
            thresholds.append(bands)
            gain, loss = self._gain_and_loss(number, read, reads, gains, losses)
            gains.append(gain)
            losses.append(loss)
        for number, component in enumerate(self.components):
            # A visited flag is read from when its node can have been visited: in the
            # component or before it. Until then it is 0 whatever the run.
            layout = []
            for kind, name in sorted(reads[number]):
                if kind == "v":
                    if name not in self.index:
                        continue  # no such node (refused by `problems`): never visited
                    if not reaches[self.component_of[self.index[name]]] >> number & 1:
                        continue
                layout.append((kind, name))
            component.layout = tuple(layout)
            for kind, name in component.layout:
                if kind == "s":
                    low, high = thresholds[number][name]
                    component.low.append(low - gains[number][name] - 1)
                    top = high + losses[number][name]
                    component.high.append(_WIDE if top == float("inf") else int(top))
                else:
                    component.low.append(-_WIDE)
                    component.high.append(_WIDE)
        for number, component in enumerate(self.components):
            self._compile(number, component)

    def _honours(self, node: int) -> bool:
        """Whether this pass tests the conditions of the choices at this node."""
        return self.conditions and (self.only is None or self.keys[node] in self.only)

    def _gain_and_loss(self, number, read, reads, gains, losses):
        """Per dimension read here, the most a run can still gain / lose there while a
        condition reads it (a loop losing points there: without end)."""
        graph, keys = self.graph, self.keys
        gain: dict[str, int] = {}
        loss: dict[str, float] = {}
        for kind, dimension in read:
            if kind != "s":
                continue
            inside_gain, inside_loss, exit_gain, exit_loss = 0, 0.0, 0, 0.0
            for node in self.components[number].nodes:
                for choice in graph.nodes[keys[node]].choices:
                    if choice.target not in graph.nodes:
                        continue
                    points = choice.points.get(dimension, 0)
                    later = self.component_of[self.index[choice.target]]
                    if later == number:
                        inside_gain += max(0, points)
                        if points < 0:
                            inside_loss = float("inf")
                    elif ("s", dimension) in reads[later]:
                        exit_gain = max(exit_gain, max(0, points) + gains[later][dimension])
                        exit_loss = max(exit_loss, max(0, -points) + losses[later][dimension])
            gain[dimension] = inside_gain + exit_gain
            loss[dimension] = inside_loss + exit_loss
        return gain, loss

    def _compile(self, number: int, component: _Component) -> None:
        graph, keys = self.graph, self.keys
        position = {atom: i for i, atom in enumerate(component.layout)}
        projections: dict[int, tuple[tuple[int, ...], dict]] = {}  # per component led to
        bits = 0
        for node in component.nodes:
            for j, choice in enumerate(graph.nodes[keys[node]].choices):
                if choice.target not in graph.nodes:
                    continue
                move = _Move()
                move.index, move.choice = j, choice
                move.target = self.index[choice.target]
                move.into = self.component_of[move.target]
                tests = (
                    [_test(c, position) for c in choice.conditions] if self._honours(node) else []
                )
                move.tests = tuple(t for t in tests if t[0] != _ALWAYS)
                move.gain = choice.total
                move.repeat_gain = sum(v for v in choice.points.values() if v < 0)
                move.bit = 0
                if move.into == number:
                    component.inside_gain += max(0, choice.total)
                    if choice.total > 0:
                        _add(component.inside_points, choice.points)
                    if any(v > 0 for v in choice.points.values()):
                        move.bit = 1 << bits
                        bits += 1
                move.deltas = tuple(
                    sorted(
                        (position[("s", name)], points, min(0, points))
                        for name, points in choice.points.items()
                        if points and ("s", name) in position
                    )
                )
                move.flag = position.get(("v", choice.target), -1)
                if move.into not in projections:
                    later = self.components[move.into].layout
                    projections[move.into] = (
                        tuple(position.get(atom, -1) for atom in later),
                        {atom: i for i, atom in enumerate(later)},
                    )
                move.projection, later_position = projections[move.into]
                move.entry_flag = later_position.get(("v", choice.target), -1)
                self.moves[node].append(move)

    def _step(self, component: _Component, move: _Move, taken: int, reads: tuple):
        """(gain, good replies taken after, reads after) for taking `move` in this state; the
        reads in the layout of the component the move leads to."""
        repeated = move.bit & taken
        gain = move.repeat_gain if repeated else move.gain
        later = self.components[move.into]
        if later is component:
            if not move.deltas and move.flag < 0:
                return gain, taken | move.bit, reads
            values = list(reads)
            low, high = component.low, component.high
            for i, first, again in move.deltas:
                value = values[i] + (again if repeated else first)
                values[i] = low[i] if value < low[i] else high[i] if value > high[i] else value
            if move.flag >= 0:
                values[move.flag] = 1
            return gain, taken | move.bit, tuple(values)
        if not later.layout:
            return gain, 0, ()
        values = list(reads)
        for i, first, _again in move.deltas:  # leaving: a first take
            values[i] += first
        low, high = later.low, later.high
        after = []
        for i, source in enumerate(move.projection):
            value = values[source] if source >= 0 else 0
            after.append(low[i] if value < low[i] else high[i] if value > high[i] else value)
        if move.entry_flag >= 0:
            after[move.entry_flag] = 1
        return gain, 0, tuple(after)

    def _initial(self, component: _Component) -> tuple:
        values = []
        for i, (kind, name) in enumerate(component.layout):
            if kind == "v":
                values.append(1 if name == self.graph.start else 0)
            else:
                values.append(min(max(0, component.low[i]), component.high[i]))
        return tuple(values)

    # -- 3. exploring (sources first), then values (sinks first) --

    def run(self, *, values: bool = True) -> None:
        first = self.components[self.component_of[0]]
        first.entries.add((0, self._initial(first)))
        for component in reversed(self.components):
            if component.ending is None and component.entries:
                self._explore(component)
        for component in self.components if values else ():
            if component.ending is None and component.entries:
                self._value(component)

    def _explore(self, component: _Component) -> None:
        limit = min(SEARCH_LIMIT // 4, self.budget)
        if self._search_inside(component, limit):
            return
        component.bounded = True
        if not self.conditions:
            # Without conditions a run enters what follows at (node, nothing taken, no reads).
            for node in component.nodes:
                for move in self.moves[node]:
                    later = self.components[move.into]
                    if later is not component and later.ending is None:
                        later.entries.add((move.target, ()))

    def _search_inside(self, component: _Component, limit: int) -> bool:
        """Every state runs reach in this component; False (nothing kept) past `limit`."""
        states: dict[tuple, int] = {}
        keys: list[tuple] = []
        edges: list[list[tuple]] = []
        leaving: list[tuple[_Component, tuple]] = []
        stuck: set[str] = set()
        for node, reads in sorted(component.entries):
            states[(node, 0, reads)] = len(keys)
            keys.append((node, 0, reads))
        step, moves, components = self._step, self.moves, self.components
        while len(edges) < len(keys):
            if len(keys) > limit:
                self.budget -= len(keys)
                self.stuck |= stuck  # each was reached: a real problem, found in time
                return False
            node, taken, reads = keys[len(edges)]
            out = []
            for move in moves[node]:
                if move.tests and not _holds(move.tests, reads):
                    continue
                gain, taken_after, reads_after = step(component, move, taken, reads)
                later = components[move.into]
                if later is component:
                    key = (move.target, taken_after, reads_after)
                    number = states.get(key)
                    if number is None:
                        number = states[key] = len(keys)
                        keys.append(key)
                    out.append((move.index, gain, _INSIDE, number))
                elif later.ending is not None:
                    out.append((move.index, gain, _PASSED if later.ending else _FAILED, None))
                else:
                    leaving.append((later, (move.target, reads_after)))
                    out.append((move.index, gain, _LEAVES, (move.into, move.target, reads_after)))
            if not out:
                stuck.add(self.keys[node])
            edges.append(out)
        self.budget -= len(keys)
        self.stuck |= stuck
        component.states, component.keys, component.edges = states, keys, edges
        for later, entry in leaving:
            later.entries.add(entry)
        return True

    def entry_value(self, number: int, node: int, reads: tuple = ()) -> tuple[int, int] | None:
        """The best (total, −choices) still to be had entering component `number` at `node`
        with these reads: exact where it was searched, otherwise a proven upper bound."""
        component = self.components[number]
        if component.ending is not None:
            return (0, 0) if component.ending else None
        if component.bounded:
            return self.upper.entry_value(number, node) if self.upper else component.bound
        return component.values[component.states[(node, 0, reads)]]

    def _after(self, where: int, ref) -> tuple[int, int] | None:
        """The value of where an edge leads when it leaves the state's component."""
        if where == _PASSED:
            return (0, 0)
        if where == _FAILED:
            return None
        return self.entry_value(*ref)

    def _value(self, component: _Component) -> None:
        if component.bounded:
            if self.upper is None:
                self._bound(component)
            return
        keys, edges = component.keys, component.edges
        values: list[tuple[int, int] | None] = [None] * len(keys)
        groups: dict[int, list[int]] = {}
        for number, (_node, taken, _reads) in enumerate(keys):
            groups.setdefault(taken, []).append(number)
        # More good replies taken first: a first take leads only to a larger set.
        for taken in sorted(groups, key=lambda t: t.bit_count(), reverse=True):
            before: dict[int, list[tuple[int, int]]] = {}
            heap: list[tuple[int, int, int]] = []
            for number in groups[taken]:
                best = None
                for _index, gain, where, ref in edges[number]:
                    if where == _INSIDE:
                        if keys[ref][1] == taken:  # same set: valued below, by Dijkstra
                            before.setdefault(ref, []).append((number, gain))
                            continue
                        after = values[ref]
                    else:
                        after = self._after(where, ref)
                    if after is not None:
                        candidate = (after[0] + gain, after[1] - 1)
                        if best is None or candidate > best:
                            best = candidate
                values[number] = best
                if best is not None:
                    heapq.heappush(heap, (-best[0], -best[1], number))
            # Within one set every step gains ≤ 0 (and takes one more choice): the best
            # value left is final, as in Dijkstra's algorithm.
            while heap:
                total, length, number = heapq.heappop(heap)
                if values[number] != (-total, -length):
                    continue  # a better value was found after this one was queued
                for earlier, gain in before.get(number, ()):
                    candidate = (gain - total, -length - 1)
                    if values[earlier] is None or candidate > values[earlier]:
                        values[earlier] = candidate
                        heapq.heappush(heap, (-candidate[0], -candidate[1], earlier))
        component.values = values

    def _bound(self, component: _Component) -> None:
        """The proven upper bound on any run through this component (see `search`)."""
        best, way = None, None
        for node in component.nodes:
            for move in self.moves[node]:
                if self.components[move.into] is component:
                    continue
                after = self.entry_value(move.into, move.target)
                if after is not None:
                    candidate = (move.gain + after[0], after[1] - 1)
                    if best is None or candidate > best:
                        best, way = candidate, move
        if best is not None:
            component.bound = (component.inside_gain + best[0], best[1])
        component.bound_exit = way

    # -- reading the path off --

    def _best_move(self, component: _Component, number: int) -> tuple[_Move, int, object]:
        """The first listed choice that keeps the optimum at this state, and where it leads."""
        value = component.values[number]
        node = component.keys[number][0]
        for index, gain, where, ref in component.edges[number]:
            after = component.values[ref] if where == _INSIDE else self._after(where, ref)
            if after is not None and (after[0] + gain, after[1] - 1) == value:
                return next(m for m in self.moves[node] if m.index == index), where, ref
        raise AssertionError("no choice keeps the optimum")  # pragma: no cover

    def follow(self, state: State) -> tuple[list[_Move] | None, bool]:
        """From a run's state, a playable way to a passing ending along this search's values
        (without conditions: upper bounds): at each step the offered choice worth the most.
        Also whether it only ever took the choice the values chose — then, when this search
        ignores conditions, it reaches the bound: it is the best path."""
        graph, moves_taken, followed = self.graph, [], True
        current, taken = -1, 0
        for _step_number in range(4 * len(self.keys) + DISPLAY_LIMIT):
            if graph.nodes[state.node].is_ending:
                return (moves_taken if graph.nodes[state.node].passed else None), followed
            node = self.index[state.node]
            number = self.component_of[node]
            if number != current:
                current, taken = number, 0
            component = self.components[number]
            if component.bounded or (node, taken, ()) not in component.states:
                walk = self._walk_out(component, state)
                if walk is None:
                    return None, False
                followed = False
            else:
                walk = [self._best_offered(component, node, taken, state)]
                if walk[0] is None:
                    return None, False
                chosen = self._best_move(component, component.states[(node, taken, ())])[0]
                followed = followed and walk[0] is chosen
            for move in walk:
                taken = self._step(component, move, taken, ())[1]
                state, _taken = choose(graph, state, move.choice.key)
                moves_taken.append(move)
        return None, False

    def _best_offered(self, component, node, taken, state) -> _Move | None:
        best, best_move = None, None
        for move in self.moves[node]:
            if not move.choice.offered(state.scores, state.visited):
                continue
            gain, taken_after, _reads = self._step(component, move, taken, ())
            if self.components[move.into] is component:
                after = component.values[component.states[(move.target, taken_after, ())]]
            else:
                after = self.entry_value(move.into, move.target)
            if after is not None and (best is None or (after[0] + gain, after[1] - 1) > best):
                best, best_move = (after[0] + gain, after[1] - 1), move
        return best_move

    def _walk_out(self, component: _Component, start: State) -> list[_Move] | None:
        """A playable walk out of a component too large to search: breadth first over runs'
        states (DISPLAY_LIMIT at most), to the way out worth the most (by the bounds)."""

        def frozen(state: State) -> tuple:
            return state.node, tuple(sorted(state.scores.items())), state.visited, state.taken

        parents: dict[tuple, tuple | None] = {frozen(start): None}
        queue = deque([(start, 0)])
        best, best_walk = None, None
        while queue and len(parents) <= DISPLAY_LIMIT:
            state, gained = queue.popleft()
            for move in self.moves[self.index[state.node]]:
                if not move.choice.offered(state.scores, state.visited):
                    continue
                after, _move = choose(self.graph, state, move.choice.key)
                gain = sum(after.scores.values()) - sum(state.scores.values())
                if self.components[move.into] is not component:
                    value = self.entry_value(move.into, move.target)
                    if value is not None and (best is None or gained + gain + value[0] > best):
                        best, best_walk = gained + gain + value[0], (frozen(state), move)
                    continue
                if frozen(after) not in parents:
                    parents[frozen(after)] = (frozen(state), move)
                    queue.append((after, gained + gain))
        if best_walk is None:
            return None
        key, move = best_walk
        walk = [move]
        while parents[key] is not None:
            key, move = parents[key]
            walk.append(move)
        return walk[::-1]

    def path(self, moves: list[_Move]) -> Path:
        """The moves played by the rules (`choose`): the path with its scores."""
        state = State.start(self.graph)
        nodes = [state.node]
        for move in moves:
            state, _taken = choose(self.graph, state, move.choice.key)
            nodes.append(state.node)
        return Path(tuple(m.choice.key for m in moves), tuple(nodes), state.scores, state.node)

    def _bound_points(self, number: int, node: int, points: dict[str, int]) -> None:
        """Add the points of the bound's way from component `number`, entered at `node` (this
        search without conditions)."""
        while True:
            component = self.components[number]
            if component.ending is not None:
                return
            if component.bounded:
                _add(points, component.inside_points)
                move = component.bound_exit
                _add(points, move.choice.points)
                number, node = move.into, move.target
                continue
            key = (node, 0, ())
            while True:
                move, where, ref = self._best_move(component, component.states[key])
                _add(
                    points, _repeat_points(move.choice) if move.bit & key[1] else move.choice.points
                )
                if where != _INSIDE:
                    break
                key = component.keys[ref]
            number, node = move.into, move.target

    def result(self, at_risk: set[str]) -> Search:
        """The second pass's result: the best path, stuck nodes, whether all were checked."""
        reached = self._reached_through_bounds()
        checked = not any(self.component_of[self.index[key]] in reached for key in at_risk)
        stuck = frozenset(self.stuck)
        first = self.components[self.component_of[0]]
        start = (0, 0, self._initial(first))
        value = self.entry_value(self.component_of[0], 0, start[2])
        if value is None:
            return Search(None, True, stuck, checked)
        # The optimum read off the values, as far as the search went exactly.
        component, key, moves, points = first, start, [], {}
        while component.ending is None and not component.bounded:
            number = component.states[key]
            move, where, ref = self._best_move(component, number)
            _add(points, _repeat_points(move.choice) if move.bit & key[1] else move.choice.points)
            moves.append(move)
            if where == _INSIDE:
                key = component.keys[ref]
            else:
                component = self.components[move.into]
                key = (move.target, 0, ref[2]) if where == _LEAVES else None
        if component.ending is not None:
            return Search(self.path(moves), True, stuck, checked)
        # The rest is a bound: its points, and the best playable way found along it.
        self.upper._bound_points(self.component_of[key[0]], key[0], points)
        state = State.start(self.graph)
        for move in moves:
            state, _taken = choose(self.graph, state, move.choice.key)
        rest, _followed = self.upper.follow(state)
        if rest is None:
            return Search(Path((), (self.graph.start,), points, "", False), False, stuck, checked)
        found = self.path(moves + rest)
        if found.total == value[0]:
            return Search(found, True, stuck, checked)  # the bound is reached: exact
        return Search(replace(found, scores=points, exact=False), False, stuck, checked)

    def stuck_run(self, key: str) -> State | None:
        """A run, by the rules (`choose`, every condition honoured), left with no reply at node
        `key`; None if none was found. Where this pass honours fewer conditions than runs
        do, its states are what the runs' states look like to it: the run is steered
        through them, at each step by an offered choice that brings it closer to a state
        stuck at `key`."""
        node = self.index[key]
        places: dict[tuple[int, int], list[tuple[int, tuple[int, int]]]] = {}
        before: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for component in self.components:
            if component.bounded or component.ending is not None:
                continue
            for number, edges in enumerate(component.edges):
                following = []
                for index, _gain, where, ref in edges:
                    if where == _INSIDE:
                        place = (component.number, ref)
                    elif where == _LEAVES and not self.components[ref[0]].bounded:
                        later = self.components[ref[0]]
                        place = (later.number, later.states[(ref[1], 0, ref[2])])
                    else:
                        continue
                    following.append((index, place))
                    before.setdefault(place, []).append((component.number, number))
                places[(component.number, number)] = following
        distance = {
            place: 0
            for place in places
            if not self.components[place[0]].edges[place[1]]
            and self.components[place[0]].keys[place[1]][0] == node
        }
        queue = deque(distance)
        while queue:
            place = queue.popleft()
            for earlier in before.get(place, ()):
                if earlier not in distance:
                    distance[earlier] = distance[place] + 1
                    queue.append(earlier)
        # Depth first through the places that lead there, the nearest first, by the rules.
        first = self.components[self.component_of[0]]
        start = (first.number, first.states[(0, 0, self._initial(first))])
        if start not in distance:
            return None
        stack = [
            (start, State.start(self.graph), iter(sorted(places[start], key=_nearer(distance))))
        ]
        seen = {start}
        for _step_number in range(DISPLAY_LIMIT):
            if not stack:
                return None
            place, state, ways = stack[-1]
            if distance[place] == 0 and not offered_choices(self.graph, state):
                return state
            for index, following in ways:
                choice = self.graph.nodes[state.node].choices[index]
                if (
                    following in distance
                    and following not in seen
                    and choice.offered(state.scores, state.visited)
                ):
                    seen.add(following)
                    after, _taken = choose(self.graph, state, choice.key)
                    ways_on = iter(sorted(places[following], key=_nearer(distance)))
                    stack.append((following, after, ways_on))
                    break
            else:
                stack.pop()
        return None

    def _reached_through_bounds(self) -> set[int]:
        """The bounded components and every one after them."""
        reached: set[int] = set()
        for number in range(len(self.components) - 1, -1, -1):  # sources first
            component = self.components[number]
            if component.bounded or number in reached:
                reached.add(number)
                reached |= component.later
        return reached


def _nearer(distance: dict) -> Callable[[tuple], int]:
    return lambda way: distance.get(way[1], len(distance))


def _add(points: dict[str, int], more: dict[str, int]) -> None:
    for dimension, value in more.items():
        points[dimension] = points.get(dimension, 0) + value


def _repeat_points(choice: Choice) -> dict[str, int]:
    """What a choice adds when taken again: its negative points only."""
    return {d: v for d, v in choice.points.items() if v < 0}


def _test(condition: Condition, position: dict) -> tuple[int, int, int]:
    if condition.kind == SCORE_AT_LEAST:
        return _AT_LEAST, position[("s", condition.dimension)], condition.value
    if condition.kind == SCORE_BELOW:
        return _BELOW, position[("s", condition.dimension)], condition.value
    if condition.kind in (VISITED, NOT_VISITED):
        at = position.get(("v", condition.node))
        if at is None:  # the node cannot have been visited by now
            return (_NEVER if condition.kind == VISITED else _ALWAYS), 0, 0
        return (_SET if condition.kind == VISITED else _UNSET), at, 0
    return _NEVER, 0, 0


def _holds(tests: tuple, reads: tuple) -> bool:
    for code, i, value in tests:
        if code == _AT_LEAST:
            if reads[i] < value:
                return False
        elif code == _BELOW:
            if reads[i] >= value:
                return False
        elif code == _SET:
            if not reads[i]:
                return False
        elif code == _UNSET:
            if reads[i]:
                return False
        else:
            return False
    return True


def _strong_components(successors: list[list[int]]) -> list[list[int]]:
    """Tarjan's strongly connected components, each after every one it leads to (sinks
    first). Iterative: a conversation of a thousand nodes is deeper than Python's stack."""
    count = len(successors)
    order, low = [-1] * count, [0] * count
    on_stack = [False] * count
    stack: list[int] = []
    found: list[list[int]] = []
    counter = 0
    for root in range(count):
        if order[root] != -1:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        work = [(root, 0)]
        while work:
            node, i = work[-1]
            if i < len(successors[node]):
                work[-1] = (node, i + 1)
                target = successors[node][i]
                if order[target] == -1:
                    order[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = True
                    work.append((target, 0))
                elif on_stack[target]:
                    low[node] = min(low[node], order[target])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == order[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component.append(member)
                    if member == node:
                        break
                found.append(component)
    return found


@dataclass(frozen=True)
class Score:
    points: dict[str, int]  # per dimension, what the learner earned
    maxima: dict[str, int]  # per dimension, what the best path earns
    overall_percent: float
    reached_passing_ending: bool
    pass_mark: int

    @property
    def passed(self) -> bool:
        return self.reached_passing_ending and self.overall_percent >= self.pass_mark

    def percent(self, dimension: str) -> float | None:
        return dimension_percent(self.points.get(dimension, 0), self.maxima.get(dimension, 0))


def pass_mark(setting: dict) -> int:
    """The pass mark a published version's setting gives (DEFAULT_PASS_MARK if none)."""
    return int(setting.get("pass_mark", DEFAULT_PASS_MARK))


def dimension_percent(points: int, maximum: int) -> float | None:
    """Points earned in one dimension as a percentage of what the best path earns there,
    between 0 and 100; None when the best path earns nothing there (nothing to measure)."""
    if maximum <= 0:
        return None
    return max(0.0, min(100.0, 100 * points / maximum))


DIMENSION_FULL_MARKS = 100


def dimension_marks(points: int, maximum: int) -> int | None:
    """A dimension's score as the learner sees it, out of `DIMENSION_FULL_MARKS`: the share
    of the best path's points in that dimension the learner earned, rounded down (so full
    marks only ever mean the expert's score). Replies that lose points count against the
    ones that earn them, and a dimension where more was lost than earned scores 0: points
    are signed inside the engine, but a learner never sees a score below 0. None when the
    best path earns nothing in the dimension (not scored)."""
    if maximum <= 0:
        return None
    # In integers: 100 * 29 / 100 is 28.999… in floating point.
    return min(DIMENSION_FULL_MARKS, DIMENSION_FULL_MARKS * max(points, 0) // maximum)


def score(graph: Graph, state: State, *, pass_mark: int, best: Path | None) -> Score:
    """Score a finished run against the best path."""
    maxima = dict(best.scores) if best else {}
    best_total = best.total if best else 0
    earned = sum(state.scores.values())
    ending = graph.nodes[state.node]
    reached = ending.is_ending and ending.passed
    if best_total <= 0:
        # A story without points (plain Twine): the ending alone decides.
        percent = 100.0 if reached else 0.0
    else:
        percent = max(0.0, min(100.0, 100 * earned / best_total))
    return Score(
        points=dict(state.scores),
        maxima=maxima,
        overall_percent=round(percent, 1),
        reached_passing_ending=reached,
        pass_mark=pass_mark,
    )


# --- which run counts ------------------------------------------------------------------------


@dataclass(frozen=True)
class RunResult:
    """A finished run as certification and the competency records weigh it."""

    percent: float  # overall, against the best path
    passed: bool
    points: dict[str, int] = field(default_factory=dict)  # earned per dimension
    maxima: dict[str, int] = field(default_factory=dict)  # the version's best path's scores

    def dimension_percents(self) -> dict[str, float]:
        """Per dimension the best path scores in, the percentage earned (see
        `dimension_percent`)."""
        return {
            dimension: dimension_percent(self.points.get(dimension, 0), maximum)
            for dimension, maximum in self.maxima.items()
            if maximum > 0
        }


def best_run(runs: Iterable[RunResult]) -> RunResult | None:
    """The run of one scenario that counts for a learner: a passed run before any that was not
    passed, then the higher overall percentage; of equal runs the first. None if no runs."""
    best = None
    for run in runs:
        if best is None or (run.passed, run.percent) > (best.passed, best.percent):
            best = run
    return best


# A learner's standing in one scenario, as the role-play list words it.
PASSED, NOT_PASSED, IN_PROGRESS, NOT_STARTED = "passed", "not_passed", "in_progress", "not_started"


def learner_state(best: RunResult | None, *, open_run: bool) -> str:
    """From the run that counts (`best_run` of the finished runs) and whether a run is open:
    passed once any run passed, whatever came after (certificates count the best run too);
    not passed when runs finished and none passed; in progress when the only run is open;
    otherwise not started."""
    if best is not None:
        return PASSED if best.passed else NOT_PASSED
    return IN_PROGRESS if open_run else NOT_STARTED
