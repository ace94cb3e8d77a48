"""Trainers author scenarios in the Wagtail admin: drafts may be unfinished, publishing
refuses a broken graph and names each problem; the graph is drawn."""

import pytest

from roleplays.models import Scenario
from tests.factories import UserFactory, build_scenario, ensure_tree_roots
from tests.roleplays.editor_form import scenario_form
from tests.roleplays.test_engine import leak_graph

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer_client(client, db):
    ensure_tree_roots()
    client.force_login(UserFactory(roles=["learner", "trainer"]))
    return client


BROKEN = [
    {
        "key": "N1",
        "kind": "owner",
        "text": "停电了怎么办？",
        "choices": [{"text": "我帮您查一下", "target": "N9"}],
    },
    {"key": "N2", "kind": "owner", "text": "没人管吗？", "choices": []},
]
GOOD = [
    {
        "key": "N1",
        "kind": "owner",
        "text": "停电了怎么办？",
        "choices": [{"text": "我帮您查一下", "target": "E"}],
    },
    {
        "key": "E",
        "kind": "ending",
        "text": "",
        "outcome": "业主放心回家",
        "passed": True,
        "choices": [],
    },
]


def test_a_draft_may_be_broken_but_publishing_names_each_problem(trainer_client):
    response = trainer_client.post("/admin/snippets/roleplays/scenario/add/", scenario_form(BROKEN))
    assert response.status_code == 302, response.content.decode()[:3000]
    scenario = Scenario.objects.get(slug="new-scenario")
    assert not scenario.live

    url = f"/admin/snippets/roleplays/scenario/edit/{scenario.pk}/"
    page = trainer_client.get(url).content.decode()
    assert "<svg" in page and "N9" in page  # the graph with its problems
    response = trainer_client.post(url, scenario_form(BROKEN, **{"action-publish": "1"}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "N9" in html and "N2" in html  # a link pointing nowhere, a dead end / unreachable
    scenario.refresh_from_db()
    assert not scenario.live and scenario.live_version is None


def test_a_sound_scenario_publishes_and_learners_can_play_it(trainer_client, learner):
    from django.test import Client

    trainer_client.post(
        "/admin/snippets/roleplays/scenario/add/", scenario_form(GOOD, **{"action-publish": "1"})
    )
    scenario = Scenario.objects.get(slug="new-scenario")
    assert scenario.live and scenario.live_version.number == 1
    learner_client = Client()
    learner_client.force_login(learner.user)
    assert learner_client.get(f"/roleplays/{scenario.slug}/").status_code == 200


def test_the_editor_saves_and_publishes_a_500_node_scenario(trainer_client):
    """21,608 form fields and 1.6 MB: over Django's default form limits, within ours."""
    from tests.factories import conversation_graph

    graph = conversation_graph(500, 3)
    form = scenario_form(
        graph["nodes"], start=graph["start"], slug="long", **{"action-publish": "1"}
    )
    response = trainer_client.post("/admin/snippets/roleplays/scenario/add/", form)
    assert response.status_code == 302, response.content[:500]
    scenario = Scenario.objects.get(slug="long")
    assert scenario.live and len(scenario.live_version.graph["nodes"]) == 500


def test_analytics_page_draws_the_graph_with_shares(trainer_client):
    scenario = build_scenario(leak_graph().to_dict())
    page = trainer_client.get(f"/admin/roleplay-tools/{scenario.pk}/analytics/").content.decode()
    assert "<svg" in page and "回复a" in page


def test_learners_cannot_reach_the_trainer_tools(learner_client):
    scenario = build_scenario(leak_graph().to_dict())
    for url in (
        "/admin/roleplay-tools/import/",
        f"/admin/roleplay-tools/{scenario.pk}/analytics/",
        f"/admin/roleplay-tools/{scenario.pk}/export/",
    ):
        assert learner_client.get(url).status_code == 403


def test_every_trainer_listing_and_form_opens(trainer_client):
    scenario = build_scenario(leak_graph().to_dict())
    for url in (
        "/admin/snippets/roleplays/scenario/",
        "/admin/snippets/roleplays/scenario/add/",
        f"/admin/snippets/roleplays/scenario/edit/{scenario.pk}/",
        "/admin/snippets/quizzes/quiz/",
        "/admin/snippets/quizzes/quiz/add/",
        "/admin/snippets/quizzes/question/",
        "/admin/snippets/quizzes/question/add/",
        "/admin/snippets/quizzes/questioncategory/",
        "/admin/quiz-tools/results/",
        "/admin/quiz-tools/grading/",
        "/admin/roleplay-tools/import/",
        "/admin/",
    ):
        assert trainer_client.get(url).status_code == 200, url


def test_a_scenario_too_tangled_to_search_exactly_publishes_with_a_warning(
    trainer_client, monkeypatch
):
    from roleplays import engine

    monkeypatch.setattr(engine, "SEARCH_LIMIT", 50)  # a loop of over 12 states is bounded
    keys = [f"L{i}" for i in range(12)]
    nodes = [
        {
            "key": "N1",
            "kind": "owner",
            "text": "停电了怎么办？",
            "choices": [
                {"text": "我先了解一下", "target": "L0"},
                {"text": "马上处理", "target": "E"},
            ],
        }
    ]
    for i, key in enumerate(keys):
        others = [{"text": f"再问问{j}", "target": keys[j]} for j in range(12) if j != i]
        nodes.append(
            {
                "key": key,
                "kind": "owner",
                "text": f"第{i}句",
                "choices": others[:11] + [{"text": "就这样", "target": "E"}],
            }
        )
    nodes.append(GOOD[1])
    response = trainer_client.post(
        "/admin/snippets/roleplays/scenario/add/",
        scenario_form(nodes, **{"action-publish": "1"}),
        follow=True,
    )
    scenario = Scenario.objects.get(slug="new-scenario")
    assert scenario.live and scenario.live_version.best_path["exact"] is False
    # Every reply scores 1: the way in, all 132 in the loop once, the way out.
    assert sum(scenario.live_version.best_path["scores"].values()) == 134
    assert "上限 134 分" in response.content.decode()  # told when publishing
    page = trainer_client.get(f"/admin/snippets/roleplays/scenario/edit/{scenario.pk}/")
    assert "可以发布，但请注意" in page.content.decode() and "上限 134 分" in page.content.decode()
