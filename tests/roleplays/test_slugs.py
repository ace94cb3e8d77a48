"""Role-play scenarios have readable (ASCII) slugs; old Chinese ones redirect."""

from pathlib import Path

import pytest
from django.core.management import call_command

from roleplays import services
from roleplays.models import Scenario
from tests.factories import StaffFactory, build_scenario
from tests.roleplays.test_engine import leak_graph

pytestmark = pytest.mark.django_db

STORY = (Path(__file__).resolve().parent / "fixtures" / "twine_story.twee").read_text("utf-8")


def test_an_imported_story_gets_the_pinyin_of_its_title_or_the_slug_given():
    from academy.models import Competency

    Competency.objects.create(slug="complaints", name="投诉处理")
    first = services.scenario_import_twee(text=STORY).scenario
    assert first.slug.isascii() and first.slug
    title_slug = first.slug
    # the same story again: numbered
    assert services.scenario_import_twee(text=STORY).scenario.slug == f"{title_slug}-2"
    given = services.scenario_import_twee(text=STORY, slug="ceiling-leak").scenario
    assert given.slug == "ceiling-leak"


def test_a_slug_typed_in_chinese_or_left_empty_becomes_pinyin():
    scenario = build_scenario(leak_graph().to_dict(), title="漏水投诉", slug="leak")
    scenario.slug = "漏水投诉"
    scenario.full_clean()
    assert scenario.slug == "lou-shui-tou-su"
    scenario.slug = ""
    scenario.full_clean()
    assert scenario.slug == "lou-shui-tou-su"
    scenario.slug = "water-leak"
    scenario.full_clean()
    assert scenario.slug == "water-leak"


def test_old_chinese_slugs_become_pinyin_and_the_old_address_redirects(client):
    scenario = build_scenario(leak_graph().to_dict(), title="漏水投诉", slug="leak")
    # As imported before slugs were made readable: the Chinese slug, in its revision too.
    Scenario.objects.filter(pk=scenario.pk).update(slug="漏水投诉")
    revision = scenario.latest_revision
    revision.content["slug"] = "漏水投诉"
    revision.save(update_fields=["content"])
    client.force_login(StaffFactory().user)
    old_url = "/roleplays/%E6%BC%8F%E6%B0%B4%E6%8A%95%E8%AF%89/"
    assert client.get(old_url).status_code == 200

    call_command("readable_slugs", stdout=open("/dev/null", "w"))  # noqa: SIM115

    scenario.refresh_from_db()
    assert scenario.slug == "lou-shui-tou-su"
    response = client.get(old_url)
    assert response.status_code == 301 and response.url == "/roleplays/lou-shui-tou-su/"
    assert "开始演练" in client.get(response.url).content.decode()
    # the draft the admin edits next keeps the new slug
    revision.refresh_from_db()
    assert revision.as_object().slug == "lou-shui-tou-su"

    # renamed again (seed_demo giving its scenarios English slugs): both old addresses lead on
    services.scenario_change_slug(scenario=scenario, slug="water-leak")
    for old in (old_url, "/roleplays/lou-shui-tou-su/"):
        response = client.get(old)
        assert response.status_code == 301 and response.url == "/roleplays/water-leak/"
