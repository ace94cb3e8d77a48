"""Playing a role-play through the learner pages: start, choose, resume, finish, replay; the
refusals; versions; analytics."""

import pytest

from roleplays import services
from roleplays.models import Run, RunStep, ScenarioVersion
from tests.factories import StaffFactory, build_scenario
from tests.roleplays.test_engine import leak_graph

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(db):
    return build_scenario(leak_graph().to_dict())


def start(client, scenario, replay=False):
    response = client.post(f"/roleplays/{scenario.slug}/start/", {"replay": "1"} if replay else {})
    assert response.status_code == 302, response.content.decode()[:500]
    return Run.objects.filter(scenario=scenario).order_by("-pk").first()


def choose(client, run, choice, node=None):
    run.refresh_from_db()
    return client.post(
        f"/roleplays/runs/{run.pk}/choose/", {"node": node or run.current_node, "choice": choice}
    )


def test_publishing_records_a_version_with_its_best_path(scenario):
    version = scenario.live_version
    assert version.number == 1 and version.best_path["choices"] == ["a", "c"]


def test_play_to_a_good_ending_and_see_the_result(learner_client, scenario):
    run = start(learner_client, scenario)
    page = learner_client.get(f"/roleplays/runs/{run.pk}/").content.decode()
    assert "N1 的台词" in page and "回复a" in page and "点评a" not in page  # no key up front
    choose(learner_client, run, "a")
    page = learner_client.get(f"/roleplays/runs/{run.pk}/").content.decode()
    assert "点评a" in page  # immediate feedback on the choice just made
    response = choose(learner_client, run, "c")
    assert response.status_code == 302 and response.url.endswith("/result/")
    run.refresh_from_db()
    assert run.state == "finished" and run.passed and run.overall_percent == 100
    result = learner_client.get(response.url).content.decode()
    assert "业主满意离开" in result and "点评c" in result


def test_a_bad_ending_shows_the_best_path_missed(learner_client, scenario):
    run = start(learner_client, scenario)
    choose(learner_client, run, "b")
    choose(learner_client, run, "f")
    run.refresh_from_db()
    assert run.ending == "BAD" and run.passed is False
    result = learner_client.get(f"/roleplays/runs/{run.pk}/result/").content.decode()
    assert "业主拨打12345投诉" in result and "回复a" in result and "回复c" in result


def test_a_run_survives_a_reload_and_is_resumed(learner_client, scenario):
    run = start(learner_client, scenario)
    choose(learner_client, run, "a")
    assert start(learner_client, scenario).pk == run.pk  # "start" again resumes
    run.refresh_from_db()
    assert run.current_node == "N2" and run.steps.count() == 1


def test_a_choice_not_offered_is_refused(learner_client, scenario):
    run = start(learner_client, scenario)
    response = choose(learner_client, run, "c")  # belongs to N2
    assert response.status_code == 400
    choose(learner_client, run, "b")
    response = choose(learner_client, run, "e")  # needs empathy ≥ 1
    assert response.status_code == 400
    assert RunStep.objects.filter(run=run).count() == 1


def test_a_stale_page_does_not_choose_twice(learner_client, scenario):
    run = start(learner_client, scenario)
    choose(learner_client, run, "a", node="N1")
    response = choose(learner_client, run, "a", node="N1")
    assert response.status_code == 409
    assert RunStep.objects.filter(run=run).count() == 1


def test_someone_elses_run_is_not_found(client, learner_client, scenario):
    run = start(learner_client, scenario)
    client.force_login(StaffFactory().user)
    assert client.get(f"/roleplays/runs/{run.pk}/").status_code == 404
    assert choose(client, run, "a").status_code == 404


def test_a_finished_run_takes_no_more_choices_and_replay_starts_over(learner_client, scenario):
    run = start(learner_client, scenario)
    choose(learner_client, run, "a")
    choose(learner_client, run, "c")
    response = learner_client.post(
        f"/roleplays/runs/{run.pk}/choose/", {"node": "GOOD", "choice": "a"}
    )
    assert response.status_code == 409
    again = start(learner_client, scenario, replay=True)
    assert again.pk != run.pk and again.current_node == "N1"


def test_a_run_keeps_the_version_it_started_with(learner_client, scenario):
    from roleplays.authoring import blocks_from_graph

    run = start(learner_client, scenario)
    graph = leak_graph().to_dict()
    graph["nodes"][0]["text"] = "改过的开场白"
    scenario.nodes = blocks_from_graph(graph)
    scenario.save_revision().publish()
    assert ScenarioVersion.objects.filter(scenario=scenario).count() == 2
    page = learner_client.get(f"/roleplays/runs/{run.pk}/").content.decode()
    assert "N1 的台词" in page and "改过的开场白" not in page
    new_run = start(learner_client, scenario, replay=True)
    assert "改过的开场白" in learner_client.get(f"/roleplays/runs/{new_run.pk}/").content.decode()


def test_analytics_count_every_choice(scenario):
    from roleplays.selectors import scenario_analytics

    for first, second in (("a", "c"), ("a", "d"), ("b", "f")):
        user = StaffFactory().user
        run = services.run_start(user=user, scenario=scenario)
        services.run_choose(user=user, run_id=run.pk, node="N1", choice=first)
        run.refresh_from_db()
        services.run_choose(user=user, run_id=run.pk, node=run.current_node, choice=second)
    analytics = scenario_analytics(scenario)
    assert analytics.runs == 3 and analytics.finished == 2
    assert analytics.shares[("N1", "a")] == pytest.approx(200 / 3)
    assert analytics.counts[("N2", "c")] == 1 and analytics.counts[("N3", "f")] == 1


def test_a_post_without_a_choice_is_a_400(learner_client, scenario):
    run = start(learner_client, scenario)
    response = learner_client.post(f"/roleplays/runs/{run.pk}/choose/", {})
    assert response.status_code == 400


def test_a_played_scenario_cannot_be_deleted(client, learner, scenario):
    from django.contrib.auth import get_user_model

    services.run_start(user=learner.user, scenario=scenario)
    client.force_login(get_user_model().objects.create_superuser("root", "r@x.cn", "pw"))
    response = client.post(f"/admin/snippets/roleplays/scenario/delete/{scenario.pk}/", follow=True)
    assert response.status_code == 200 and "没有删除" in response.content.decode()
    assert type(scenario).objects.filter(pk=scenario.pk).exists()


def test_a_node_can_show_a_picture(learner_client):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    photo = get_image_model().objects.create(title="天花板", file=get_test_image_file())
    graph = leak_graph().to_dict()
    graph["nodes"][0]["image"] = photo.pk
    scenario = build_scenario(graph, slug="with-photo")
    run = start(learner_client, scenario)
    page = learner_client.get(f"/roleplays/runs/{run.pk}/").content.decode()
    assert 'class="bubble-image"' in page and 'alt="天花板"' in page


def test_the_graph_is_parsed_once_per_version_not_per_request(
    learner_client, scenario, monkeypatch
):
    from roleplays import engine, selectors

    selectors.parsed_graphs.clear()  # as in a worker process that has not played it yet
    parses = []
    from_dict = engine.Graph.from_dict.__func__
    monkeypatch.setattr(
        engine.Graph, "from_dict", classmethod(lambda cls, d: parses.append(1) or from_dict(cls, d))
    )
    run = start(learner_client, scenario)
    for _ in range(3):
        assert "回复a" in learner_client.get(f"/roleplays/runs/{run.pk}/").content.decode()
    choose(learner_client, run, "a")
    learner_client.get(f"/roleplays/runs/{run.pk}/")
    response = choose(learner_client, run, "c")
    assert "业主满意离开" in learner_client.get(response.url).content.decode()
    assert len(parses) == 1


def test_a_newly_published_version_is_played_at_once(learner_client, scenario):
    from roleplays.authoring import blocks_from_graph

    old_run = start(learner_client, scenario)
    learner_client.get(f"/roleplays/runs/{old_run.pk}/")  # its graph is now parsed and kept
    graph = leak_graph().to_dict()
    graph["nodes"][0]["text"] = "改过的开场白"
    graph["nodes"][0]["choices"][0]["text"] = "新的回复"
    scenario.nodes = blocks_from_graph(graph)
    scenario.save_revision().publish()
    new_run = start(learner_client, scenario, replay=True)
    page = learner_client.get(f"/roleplays/runs/{new_run.pk}/").content.decode()
    assert "改过的开场白" in page and "新的回复" in page
    choose(learner_client, new_run, "a")
    new_run.refresh_from_db()
    assert new_run.steps.get().choice_text == "新的回复"


def test_playing_never_loads_the_whole_scenario(learner_client, scenario):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = start(learner_client, scenario)
    learner_client.get(f"/roleplays/runs/{run.pk}/")  # the parsed graph is kept from here on
    with CaptureQueriesContext(connection) as queries:
        learner_client.get(f"/roleplays/{scenario.slug}/")
        learner_client.get(f"/roleplays/runs/{run.pk}/")
        choose(learner_client, run, "a")
        learner_client.get(f"/roleplays/runs/{run.pk}/")
    selected = " ".join(q["sql"].split(" FROM ")[0] for q in queries.captured_queries)
    assert '"roleplays_scenarioversion"."graph"' not in selected
    assert '"roleplays_scenario"."nodes"' not in selected


def test_the_result_shows_each_skill_out_of_100_never_a_negative_number(learner_client, scenario):
    import re

    run = start(learner_client, scenario)
    choose(learner_client, run, "b")  # empathy -2
    choose(learner_client, run, "f")  # empathy -1: -3 in all, against the best path's 2
    run.refresh_from_db()
    assert run.scores["empathy"] == -3
    page = learner_client.get(f"/roleplays/runs/{run.pk}/result/").content.decode()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<progress.*?</progress>", "", page))
    assert re.search(r"同理心\s+0 / 100", text), text  # the skill scored 0, not -3
    assert "每项能力满分 100 分" in text  # the scale, explained
    assert "同理心 扣 2 分" in text and "同理心 扣 1 分" in text  # each reply's loss
    assert not re.search(r"(?<![\w-])[-−]\s?\d", text)
