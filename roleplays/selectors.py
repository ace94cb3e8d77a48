"""Reads of the role-play app: the conversation so far, the end screen, analytics."""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q

from . import checklist, engine
from .models import Run, RunState, RunStep, Scenario, ScenarioVersion

# A scenario's nodes as edited and a version's graph are large (700 KB of JSON for 500
# nodes): pages that play or list scenarios never load them; the parsed graph comes from
# `version_graph`.
HEAVY_SCENARIO_FIELDS = ("nodes",)


class _ParsedGraphs:
    """The last few parsed graphs of this process, by content (engine.Graph.digest). A
    version never changes and a new publication has a new digest, so nothing here is ever
    stale and a newly published version is played at once. Read only: shared by requests."""

    def __init__(self, size: int):
        self.size = size
        self._graphs: OrderedDict[str, engine.Graph] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> engine.Graph | None:
        with self._lock:
            graph = self._graphs.get(digest)
            if graph is not None:
                self._graphs.move_to_end(digest)
            return graph

    def put(self, digest: str, graph: engine.Graph) -> None:
        with self._lock:
            self._graphs[digest] = graph
            self._graphs.move_to_end(digest)
            while len(self._graphs) > self.size:
                self._graphs.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._graphs.clear()


# About 0.6 MB each at 500 nodes: the graphs of 32 live scenarios per worker process.
parsed_graphs = _ParsedGraphs(32)


def version_graph(version: ScenarioVersion) -> engine.Graph:
    """A published version's graph, parsed once per process (not per request). The version
    may be loaded without its graph (`.defer("graph")`): it is read only when not cached."""
    graph = parsed_graphs.get(version.graph_digest)
    if graph is None:
        if "graph" in version.get_deferred_fields():
            data = ScenarioVersion.objects.values_list("graph", flat=True).get(pk=version.pk)
        else:
            data = version.graph
        graph = engine.Graph.from_dict(data)
        parsed_graphs.put(version.graph_digest or engine.Graph.digest(data), graph)
    return graph


def live_scenarios():
    return (
        Scenario.objects.filter(live=True, live_version__isnull=False)
        .select_related("competency", "live_version")
        .defer(*HEAVY_SCENARIO_FIELDS, "live_version__graph")
        .order_by("title")
    )


def scenario_by_slug(slug: str) -> Scenario | None:
    return live_scenarios().filter(slug=slug).first()


def own_run(user, run_id: int) -> Run | None:
    return (
        Run.objects.select_related("version", "scenario")
        .defer("version__graph", *(f"scenario__{f}" for f in HEAVY_SCENARIO_FIELDS))
        .filter(pk=run_id, user=user)
        .first()
    )


def latest_runs_by_scenario(user) -> dict[int, Run]:
    runs = {}
    for run in (
        Run.objects.filter(user=user).exclude(state=RunState.ABANDONED).order_by("started_at")
    ):
        runs[run.scenario_id] = run
    return runs


@dataclass(frozen=True)
class ScenarioResult:
    """One learner in one scenario: the finished run that counts (`engine.best_run`), the
    latest finished one, and the open one, if any; `state`: `engine.learner_state`."""

    best: Run | None
    latest: Run | None
    open_run: Run | None

    @property
    def state(self) -> str:
        best = _as_result(self.best) if self.best else None
        return engine.learner_state(best, open_run=self.open_run is not None)

    @property
    def latest_differs(self) -> bool:
        return self.latest is not None and self.latest != self.best


def _as_result(run: Run) -> engine.RunResult:
    return engine.RunResult(run.overall_percent or 0.0, bool(run.passed))


def results_by_scenario(user) -> dict[int, ScenarioResult]:
    """Per scenario the learner has played, `ScenarioResult`: one query."""
    finished: dict[int, list[Run]] = {}
    open_runs: dict[int, Run] = {}
    for run in Run.objects.filter(
        user=user, state__in=(RunState.FINISHED, RunState.IN_PROGRESS)
    ).order_by("started_at", "pk"):
        if run.state == RunState.IN_PROGRESS:
            open_runs[run.scenario_id] = run
        else:
            finished.setdefault(run.scenario_id, []).append(run)
    results = {}
    for scenario_id in finished.keys() | open_runs.keys():
        runs = finished.get(scenario_id, [])
        best = None
        if runs:
            counted = engine.best_run(_as_result(run) for run in runs)
            best = next(run for run in runs if _as_result(run) == counted)
        results[scenario_id] = ScenarioResult(
            best=best, latest=runs[-1] if runs else None, open_run=open_runs.get(scenario_id)
        )
    return results


@dataclass(frozen=True)
class PointChange:
    """What one reply did to one dimension, as the learner reads it: "+2" or "2 lost",
    never a negative number."""

    label: str
    amount: int
    gained: bool


@dataclass
class Line:
    """One bubble of the chat: the owner, a narration, or the learner's reply."""

    who: str  # owner | narration | learner
    text: str
    speaker: str = ""
    mood: str = ""
    feedback: str = ""
    points: list[PointChange] = field(default_factory=list)
    image: object = None  # a Wagtail Image


def transcript(run: Run, *, with_feedback: bool) -> list[Line]:
    from wagtail.images import get_image_model

    graph = version_graph(run.version)
    steps = list(run.steps.all())
    said = [graph.start, *(step.target for step in steps)]
    # Only the pictures of the lines shown: the work grows with the run, not the scenario.
    image_ids = {graph.nodes[key].image for key in said if graph.nodes[key].image}
    images = get_image_model().objects.in_bulk(image_ids) if image_ids else {}

    def say(key: str) -> None:
        node = graph.nodes[key]
        if node.is_ending:
            return
        who = engine.NARRATION if node.kind == engine.NARRATION else engine.OWNER
        lines.append(Line(who, node.text, node.speaker, node.mood, image=images.get(node.image)))

    lines: list[Line] = []
    say(graph.start)
    for step in steps:
        choice = next((c for c in graph.nodes[step.node].choices if c.key == step.choice), None)
        lines.append(
            Line(
                "learner",
                step.choice_text,
                feedback=(choice.feedback if choice and with_feedback else ""),
                points=[
                    PointChange(engine.DIMENSIONS.get(k, k), abs(v), gained=v > 0)
                    for k, v in step.points.items()
                    if v
                ]
                if with_feedback
                else [],
            )
        )
        say(step.target)
    return lines


def offered(run: Run) -> list[engine.Choice]:
    graph = version_graph(run.version)
    state = engine.State(run.current_node, dict(run.scores), frozenset(run.visited))
    if graph.nodes[run.current_node].is_ending:
        return []
    return engine.offered_choices(graph, state)


@dataclass
class Result:
    run: Run
    ending: engine.Node
    score: engine.Score
    dimensions: list[dict]
    lines: list[Line]
    best_path: list[dict]  # the expert's path, each step with the learner's choice if it differs
    took_best_path: bool


def result_for(run: Run) -> Result:
    graph = version_graph(run.version)
    best = engine.Path.from_dict(run.version.best_path)
    state = engine.State(run.current_node, dict(run.scores), frozenset(run.visited))
    score = engine.score(graph, state, pass_mark=engine.pass_mark(run.version.setting), best=best)
    # Marks out of 100, never below 0 (engine.dimension_marks); None: not scored.
    dimensions = [
        {
            "code": code,
            "label": label,
            "marks": engine.dimension_marks(score.points.get(code, 0), score.maxima.get(code, 0)),
        }
        for code, label in engine.DIMENSIONS.items()
        if code in score.maxima or code in score.points
    ]
    taken = [s.choice for s in run.steps.all()]
    path = []
    if best:
        for index, (node_key, choice_key) in enumerate(zip(best.nodes, best.choices, strict=False)):
            choice = next(c for c in graph.nodes[node_key].choices if c.key == choice_key)
            path.append(
                {
                    "node": graph.nodes[node_key],
                    "choice": choice,
                    "yours": index < len(taken) and taken[index] == choice_key,
                }
            )
    return Result(
        run=run,
        ending=graph.nodes[run.current_node],
        score=score,
        dimensions=dimensions,
        lines=transcript(run, with_feedback=True),
        best_path=path,
        took_best_path=bool(best) and tuple(taken) == best.choices,
    )


# --- analytics -----------------------------------------------------------------------------


@dataclass
class ScenarioAnalytics:
    runs: int
    finished: int
    passed: int
    shares: dict[tuple[str, str], float]  # (node, choice) → percent of the node's choices
    counts: dict[tuple[str, str], int]
    node_totals: dict[str, int]

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed / self.finished if self.finished else None


def scenario_analytics(scenario: Scenario, version=None) -> ScenarioAnalytics:
    """Runs, pass rate and, per node, the share of learners who took each choice — for one
    published version (choices of other versions are other choices)."""
    version = version or scenario.live_version
    # Every run counts, replayed ones too: their choices are in the shares below.
    runs = Run.objects.filter(version=version)
    totals = runs.aggregate(
        n=Count("pk"),
        done=Count("pk", filter=Q(state=RunState.FINISHED)),
        ok=Count("pk", filter=Q(passed=True)),
    )
    counts: Counter = Counter()
    node_totals: defaultdict[str, int] = defaultdict(int)
    for node, choice, n in (
        RunStep.objects.filter(run__version=version)
        .values_list("node", "choice")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(node, choice)] = n
        node_totals[node] += n
    shares = {key: 100 * n / node_totals[key[0]] for key, n in counts.items()}
    return ScenarioAnalytics(
        totals["n"], totals["done"], totals["ok"], shares, dict(counts), dict(node_totals)
    )


@dataclass(frozen=True)
class DraftState:
    """A scenario as edited (its latest saved revision or the object given): the engine's
    analysis of its graph and the checklist of what remains before publishing."""

    graph: engine.Graph
    analysis: engine.Analysis
    checklist: list[checklist.Item]

    @property
    def publishable(self) -> bool:
        return checklist.publishable(self.checklist)


def draft_state(scenario: Scenario) -> DraftState:
    """What the editor shows about `scenario` as it stands (`checklist.checklist`)."""
    graph = engine.Graph.from_dict(scenario.graph_dict())
    analysis = engine.analyse(graph)
    items = checklist.checklist(scenario.setting_dict(), graph, analysis.problems)
    return DraftState(graph, analysis, items)


@dataclass(frozen=True)
class ScenarioDraft:
    scenario_id: int
    title: str
    live: bool  # published before: learners play the published version meanwhile
    edited_at: object  # when the draft was last saved
    problems: int  # what would stop it from publishing (`engine.problems` of the draft)


@dataclass(frozen=True)
class ScenarioDrafts:
    count: int
    latest: list[ScenarioDraft]


def scenario_drafts(limit: int = 5) -> ScenarioDrafts:
    """Scenarios with changes not yet published (new ones never published included): how
    many, and the `limit` edited last with how many required items of their checklist
    remain (`draft_state`, as the editor shows it) — a published scenario has none
    (publishing refuses them). Two queries, and each listed draft's graph checked (`limit`
    of them, never all)."""
    drafts = Scenario.objects.filter(has_unpublished_changes=True)
    latest = list(
        drafts.select_related("latest_revision")
        .defer(*HEAVY_SCENARIO_FIELDS)
        .order_by("-latest_revision__created_at", "-pk")[:limit]
    )
    listed = []
    for scenario in latest:
        revision = scenario.latest_revision
        # The draft's own fields from the revision's JSON, on an unsaved instance:
        # `with_content_json` would look up the revisions and version it names, per draft.
        draft = scenario
        if revision:
            content = revision.content
            draft = Scenario(
                title=content.get("title", scenario.title),
                start=content.get("start", ""),
                owner=content.get("owner", ""),
                situation=content.get("situation", ""),
                nodes=content.get("nodes") or [],
            )
        listed.append(
            ScenarioDraft(
                scenario_id=scenario.pk,
                title=draft.title,
                live=scenario.live,
                edited_at=revision.created_at if revision else None,
                problems=sum(1 for item in draft_state(draft).checklist if item.required),
            )
        )
    return ScenarioDrafts(drafts.count(), listed)
