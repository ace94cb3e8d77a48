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
         "image": 12 (optional: a Wagtail image id),
         "choices": [{"key": "c1", "text": "...", "target": "N2",
                      "points": {"empathy": 2}, "feedback": "...",
                      "conditions": [{"kind": "score_at_least", "dimension": "empathy",
                                      "value": 2} | {"kind": "visited", "node": "N3"}
                                     | {"kind": "not_visited", "node": "N3"}]}]}]}
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

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

# Best-path search explores at most this many steps: authoring graphs are small, but a
# badly tangled one must never hang a request.
SEARCH_LIMIT = 200_000
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
    passed: bool = False
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
                passed=bool(n.get("passed")),
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

    def successors(self, key: str) -> list[str]:
        node = self.nodes.get(key)
        return [c.target for c in node.choices if c.target in self.nodes] if node else []


# --- validation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    code: str  # unreachable | dead_end | no_target | no_ending | cannot_finish | …
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


def problems(graph: Graph) -> list[Problem]:
    """Everything that stops a scenario from being published, each problem named."""
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
    if not found:
        found.extend(scoring_problems(graph))
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

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @classmethod
    def from_dict(cls, data: dict | None) -> Path | None:
        """The path stored with a published version (None: the version has none)."""
        if not data:
            return None
        return cls(
            tuple(data["choices"]), tuple(data["nodes"]), dict(data["scores"]), data["ending"]
        )

    def to_dict(self) -> dict:
        return {
            "choices": list(self.choices),
            "nodes": list(self.nodes),
            "scores": dict(self.scores),
            "ending": self.ending,
        }


@dataclass(frozen=True)
class Search:
    best: Path | None
    exhausted: bool  # the search ran out of steps: `best` may not be the best
    stuck: frozenset[str]  # non-ending nodes where a learner can find no choice offered


def search(graph: Graph) -> Search:
    """Walk every playable way from the start that revisits no node (conditions honoured).

    Finds the highest-scoring way to a passing ending — the maxima a scenario is scored
    against, what an expert would say — and the nodes where conditions can leave a learner
    with nothing to say.
    """
    best: Path | None = None
    stuck: set[str] = set()
    budget = [SEARCH_LIMIT]

    def walk(state: State, nodes: tuple[str, ...], choices: tuple[str, ...]) -> None:
        nonlocal best
        budget[0] -= 1
        if budget[0] < 0:
            return
        node = graph.nodes[state.node]
        if node.is_ending:
            if node.passed:
                path = Path(choices, nodes, dict(state.scores), node.key)
                if best is None or (path.total, -len(path.choices)) > (
                    best.total,
                    -len(best.choices),
                ):
                    best = path
            return
        offered = offered_choices(graph, state)
        if not offered:
            stuck.add(node.key)
        for choice in offered:
            if choice.target in nodes or choice.target not in graph.nodes:
                continue
            next_state, _taken = choose(graph, state, choice.key)
            walk(next_state, nodes + (choice.target,), choices + (choice.key,))

    if graph.start in graph.nodes:
        walk(State.start(graph), (graph.start,), ())
    return Search(best, budget[0] < 0, frozenset(stuck))


def best_path(graph: Graph) -> Path | None:
    return search(graph).best


def scoring_problems(graph: Graph) -> list[Problem]:
    """What stops a structurally sound graph from being scored fairly."""
    found = search(graph)
    problems = [
        Problem(
            "stuck",
            _("At node “%s” conditions can leave a learner with no choice offered.") % key,
            key,
        )
        for key in sorted(found.stuck)
    ]
    if found.exhausted:
        problems.append(
            Problem(
                "too_tangled",
                _(
                    "The scenario has too many ways through to find the best path; simplify its "
                    "loops and branches."
                ),
            )
        )
    elif found.best is None:
        problems.append(
            Problem(
                "no_best_path",
                _(
                    "No playable path (visiting no node twice, conditions met) reaches a passing "
                    "ending."
                ),
            )
        )
    return problems


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
