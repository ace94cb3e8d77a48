"""In the browser: a learner plays each demo role-play to a good and to a bad ending; a
trainer importing a Twine story: test_twine_import.py."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from roleplays import engine
from roleplays.models import Run, Scenario
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import ensure_tree_roots

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def worst_path(graph: engine.Graph) -> list[str]:
    """Choices leading to a failing ending: the lowest-scoring reply each time, never
    walking in circles."""
    state = engine.State.start(graph)
    path, seen = [], set()
    while not graph.nodes[state.node].is_ending:
        offered = sorted(engine.offered_choices(graph, state), key=lambda c: c.total)
        fresh = [c for c in offered if (state.node, c.key) not in seen] or offered
        choice = fresh[0]
        seen.add((state.node, choice.key))
        path.append(choice.key)
        state, _ = engine.choose(graph, state, choice.key)
    return path


def play(page, scenario: Scenario, choices: list[str]) -> Run:
    page.goto(f"/roleplays/{scenario.slug}/")
    page.locator("form[action$='/start/'] button").first.click()
    for number, key in enumerate(choices, start=1):
        expect(page.locator("form.replies")).to_be_visible()
        page.locator(f"button.reply[value='{key}']").click()
        # The next page (or the end screen's transcript) shows this reply: it was saved.
        expect(page.locator(".bubble.learner")).to_have_count(number)
    expect(page.locator(".result-verdict")).to_be_visible()
    return Run.objects.filter(scenario=scenario).order_by("-pk").first()


def test_learner_plays_each_demo_scenario_to_a_good_and_a_bad_ending(open_page):
    ensure_tree_roots()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page = open_page(PHONE)
    log_in(page, "learner", "kefu-learner")
    scenarios = list(Scenario.objects.filter(live=True).order_by("pk"))
    assert len(scenarios) >= 3
    for scenario in scenarios:
        graph = engine.Graph.from_dict(scenario.live_version.graph)
        best = scenario.live_version.best_path["choices"]

        run = play(page, scenario, best)
        assert run.passed is True, (scenario.title, run.overall_percent)
        expect(page.locator(".result-verdict")).to_have_text("通过")
        expect(page.locator(".result-score")).to_contain_text("100%")

        page.locator(".result-actions form button").click()  # 再玩一次
        expect(page.locator("form.replies")).to_be_visible()
        if scenario == scenarios[0]:
            screenshot(page, "roleplay-chat-start")
        bad = worst_path(graph)
        for number, key in enumerate(bad, start=1):
            page.locator(f"button.reply[value='{key}']").click()
            expect(page.locator(".bubble.learner")).to_have_count(number)
        expect(page.locator(".result-verdict")).to_have_text("未通过")
        run = Run.objects.filter(scenario=scenario).order_by("-pk").first()
        assert run.passed is False and not graph.nodes[run.ending].passed
        expect(page.locator(".best-path")).to_be_visible()  # the expert's path they missed
        if scenario == scenarios[0]:
            screenshot(page, "roleplay-result-bad")

    # A run survives a reload: start, answer once, reload, still there.
    scenario = scenarios[1]
    page.goto(f"/roleplays/{scenario.slug}/")
    page.locator("form[action$='/start/'] button").first.click()
    first = scenario.live_version.best_path["choices"][0]
    page.locator(f"button.reply[value='{first}']").click()
    expect(page.locator(".bubble.learner")).to_have_count(1)  # the choice has been saved
    page.reload()
    expect(page.locator(".bubble.learner")).to_have_count(1)
    page.set_viewport_size(DESKTOP)
    screenshot(page, "roleplay-chat-resumed")
