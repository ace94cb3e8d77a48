"""Role-play at scale (issue 14, item 4): validating and publishing a long scenario, and one
learner step (a choice, then the chat page) on a 10- vs a 500-node scenario.

Targets: a 500-node scenario with three choices per node publishes in under 2 s; a step on
500 nodes takes at most 1.5× a step on 10, with the same query counts.

Run: .venv/bin/python bench/roleplays.py            (SQLite, a throwaway database)
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/kefu_bench .venv/bin/python bench/roleplays.py
The scenarios are tests.factories.conversation_graph (loops of one and two nodes, conditions
on empathy and on visited nodes, an ending every 15 nodes). "validate" is what the editor
checks before it publishes (engine.analyse, best path included); "publish" is the Wagtail
revision published, the version recorded with its best path (with the test settings' immediate
task backend Wagtail also updates its reference index there, which a task worker does in
production). Steps on both scenarios are measured in turns. Prints figures; asserts nothing
(timings on shared machines are noisy).
"""

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from harness import throwaway_database  # importing it sets Django up

SIZES = [(200, 2), (200, 3), (500, 3)]  # (nodes, choices per node)
FORM_SIZE = (500, 3)  # the editor's form: 21,608 fields, 1.6 MB
STEP_SIZES = [10, 500]
RUNS = 30


def validate_figures(nodes: int, choices: int) -> str:
    """What the editor runs before it publishes: every problem, and the best path."""
    from roleplays import engine
    from tests.factories import conversation_graph

    data = conversation_graph(nodes, choices)
    start = time.perf_counter()
    analysis = engine.analyse(engine.Graph.from_dict(data))
    elapsed = time.perf_counter() - start
    found = ", ".join(sorted({p.code for p in analysis.problems})) or "none"
    warned = ", ".join(w.code for w in getattr(analysis, "warnings", [])) or "none"
    return (
        f"validate {nodes} nodes × {choices} choices: {elapsed * 1000:.0f} ms, "
        f"problems: {found}, warnings: {warned}"
    )


def publish_figures(nodes: int, choices: int) -> str:
    """Publishing a saved scenario (the Wagtail revision, then the version with its best
    path), and importing the same story from Twee (read, save, publish)."""
    from roleplays import services
    from roleplays.authoring import blocks_from_graph
    from roleplays.models import Scenario
    from roleplays.twee import Story, export_twee
    from tests.factories import conversation_graph

    graph = conversation_graph(nodes, choices)
    scenario = Scenario.objects.create(
        title=f"bench {nodes}×{choices}",
        slug=f"publish-{nodes}-{choices}",
        owner="王女士",
        situation="卫生间天花板漏水。",
        start=graph["start"],
        nodes=blocks_from_graph(graph),
    )
    revision = scenario.save_revision()
    start = time.perf_counter()
    revision.publish()
    published = time.perf_counter() - start
    scenario.refresh_from_db()
    outcome = _outcome(scenario)
    setting = {"owner": "王女士，5栋902业主", "situation": "卫生间天花板漏水，报修三次无人处理。"}
    story = Story(title=f"导入 {nodes}×{choices}", ifid="", setting=setting, graph=graph)
    text = export_twee(story)
    start = time.perf_counter()
    try:
        services.scenario_import_twee(text=text, publish=True)
        imported = f"{(time.perf_counter() - start) * 1000:.0f} ms"
    except services.ScenarioInvalid as refused:
        imported = f"refused after {(time.perf_counter() - start) * 1000:.0f} ms ({refused})"
    return (
        f"publish {nodes} nodes × {choices} choices: {published * 1000:.0f} ms, {outcome}; "
        f"Twee import of it ({len(text.encode()) // 1024} KB): {imported}"
    )


def _outcome(scenario) -> str:
    if not scenario.live_version_id:
        return "refused"
    best = scenario.live_version.best_path or {}
    return (
        f"best path {len(best.get('choices', []))} choices, "
        f"{sum(best.get('scores', {}).values())} points"
        + ("" if best.get("exact", True) else " (an upper bound)")
    )


def form_figures(client, nodes: int, choices: int) -> str:
    """A trainer publishes a new scenario from the editor: Django reads the form, Wagtail
    validates its blocks, the engine checks the graph, then the revision is published."""
    from roleplays.models import Scenario
    from tests.factories import conversation_graph
    from tests.roleplays.editor_form import scenario_form

    slug = f"form-{nodes}-{choices}"
    graph = conversation_graph(nodes, choices)
    data = scenario_form(
        graph["nodes"],
        start=graph["start"],
        title=f"bench {slug}",
        slug=slug,
        **{"action-publish": "1"},
    )
    start = time.perf_counter()
    response = client.post("/admin/snippets/roleplays/scenario/add/", data)
    elapsed = time.perf_counter() - start
    scenario = Scenario.objects.filter(slug=slug).first()
    outcome = _outcome(scenario) if scenario else f"refused (HTTP {response.status_code})"
    return (
        f"publish {nodes} nodes × {choices} choices from the editor ({len(data):,} form "
        f"fields): {elapsed * 1000:.0f} ms, {outcome}"
    )


class Learner:
    """A learner playing one scenario: one step is choosing the first reply at the start,
    then loading the chat page, each on a fresh run (the replay that starts it is not
    measured)."""

    def __init__(self, nodes: int):
        from django.test import Client

        from tests.factories import StaffFactory, build_scenario, conversation_graph

        self.scenario = build_scenario(conversation_graph(nodes, 3), slug=f"step-{nodes}")
        self.client = Client()
        self.client.force_login(StaffFactory().user)
        self.times: list[float] = []

    def fresh_run(self):
        from roleplays.models import Run

        self.client.post(f"/roleplays/{self.scenario.slug}/start/", {"replay": "1"})
        return Run.objects.filter(scenario=self.scenario).order_by("-pk").first()

    def choose(self, run):
        response = self.client.post(
            f"/roleplays/runs/{run.pk}/choose/", {"node": "N1", "choice": "N1c1"}
        )
        assert response.status_code == 302, response.status_code

    def page(self, run):
        response = self.client.get(f"/roleplays/runs/{run.pk}/")
        assert response.status_code == 200, response.status_code

    def queries(self) -> tuple[int, int]:
        run = self.fresh_run()
        connection.queries_log.clear()  # the log is a bounded deque: a full one counts nothing
        with CaptureQueriesContext(connection) as choose:
            self.choose(run)
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as page:
            self.page(run)
        return len(choose), len(page)

    def step(self) -> None:
        run = self.fresh_run()
        start = time.perf_counter()
        self.choose(run)
        self.page(run)
        self.times.append(time.perf_counter() - start)


def main() -> None:
    from django.test import Client

    for nodes, choices in SIZES:
        print(validate_figures(nodes, choices))
    with throwaway_database():
        from tests.factories import UserFactory, ensure_tree_roots

        ensure_tree_roots()
        for nodes, choices in SIZES:
            print(publish_figures(nodes, choices))
        trainer = Client()
        trainer.force_login(UserFactory(roles=["learner", "trainer"]))
        print(form_figures(trainer, *FORM_SIZE))
        learners = {nodes: Learner(nodes) for nodes in STEP_SIZES}
        for learner in learners.values():
            learner.step()  # warm caches: the parsed graph is kept from here on
            learner.times.clear()
        for _ in range(RUNS):  # in turns, so that the machine's load weighs on both alike
            for learner in learners.values():
                learner.step()
        figures = {}
        for nodes, learner in learners.items():
            choose_q, page_q = learner.queries()
            figures[nodes] = (statistics.median(learner.times) * 1000, choose_q, page_q)
            print(
                f"step on {nodes} nodes: {figures[nodes][0]:.1f} ms (choose {choose_q} queries "
                f"+ page {page_q} queries)  ({connection.vendor})"
            )
        small, big = figures[STEP_SIZES[0]], figures[STEP_SIZES[-1]]
        print(
            f"ratio {STEP_SIZES[-1]} vs {STEP_SIZES[0]} nodes: step time x{big[0] / small[0]:.2f}; "
            f"queries {small[1]}+{small[2]} → {big[1]}+{big[2]}"
        )


if __name__ == "__main__":
    main()
