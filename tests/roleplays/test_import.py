"""Importing a Twee story from the admin and with `manage.py import_roleplay`: a story with
any problem imports nothing and says what and where, never a traceback or a 500."""

from pathlib import Path

import pytest
from academy.limits import IMPORT_FILE_BYTES
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from roleplays.models import Scenario
from tests.factories import UserFactory, ensure_tree_roots

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STORY = (FIXTURES / "twine_story.twee").read_text(encoding="utf-8")
DEEP_JSON = STORY.replace('<!--kefu {"points"', '<!--kefu {"if": ' + "[" * 50_000 + ', "points"', 1)
DEEP_LINE = next(n for n, line in enumerate(DEEP_JSON.split("\n"), start=1) if "[[[[" in line)


@pytest.fixture(autouse=True)
def competency(db):
    from academy.models import Competency

    return Competency.objects.create(slug="complaints", name="投诉处理")


@pytest.fixture
def trainer_client(client, db):
    ensure_tree_roots()
    client.force_login(UserFactory(roles=["learner", "trainer"]))
    return client


def upload(client, text: str | bytes, name: str = "story.twee"):
    data = text.encode() if isinstance(text, str) else text
    return client.post("/admin/roleplay-tools/import/", {"file": SimpleUploadedFile(name, data)})


def test_a_sound_story_imports_from_the_admin_as_a_draft(trainer_client):
    response = upload(trainer_client, STORY)
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert response["Location"] == f"/admin/snippets/roleplays/scenario/edit/{scenario.pk}/"
    # Learners see it once a trainer publishes it: a draft revision, no version yet.
    assert not scenario.live and scenario.live_version is None
    assert scenario.has_unpublished_changes and scenario.latest_revision is not None
    # The trainer's admin home lists it under recent imports, by its file's name.
    from academy.models import ImportRecord

    assert ImportRecord.objects.get().file_name == "story.twee"


def test_deeply_nested_json_is_a_problem_in_the_admin(trainer_client):
    response = upload(trainer_client, DEEP_JSON)
    assert response.status_code == 400
    assert f"第 {DEEP_LINE} 行" in response.content.decode()
    assert "嵌套太深" in response.content.decode()
    assert not Scenario.objects.exists()


def test_deeply_nested_json_is_a_problem_for_the_command(tmp_path, capsys):
    path = tmp_path / "deep.twee"
    path.write_text(DEEP_JSON, encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_roleplay", str(path))
    assert f"第 {DEEP_LINE} 行" in capsys.readouterr().err
    assert not Scenario.objects.exists()


# --- file size ---------------------------------------------------------------------------------

TOO_BIG = "x" * (IMPORT_FILE_BYTES + 1)
FILE_TOO_BIG = "文件太大：最多 5 MB"


def test_the_admin_refuses_a_file_too_large(trainer_client):
    response = upload(trainer_client, TOO_BIG)
    assert response.status_code == 400
    assert FILE_TOO_BIG in response.content.decode()
    assert not Scenario.objects.exists()


def test_a_story_of_a_few_hundred_kilobytes_is_no_longer_refused(trainer_client):
    notes = "<!-- 作者备注：这一段写给自己看 -->\n" * 10_000  # ~300 KB, over the old 256 KB
    response = upload(trainer_client, STORY.replace("@speaker:", notes + "@speaker:", 1))
    assert response.status_code == 302
    assert Scenario.objects.get().latest_revision is not None


def test_the_command_refuses_a_file_too_large(tmp_path, capsys):
    path = tmp_path / "big.twee"
    path.write_text(TOO_BIG)
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command("import_roleplay", str(path))
    assert FILE_TOO_BIG in capsys.readouterr().err
    assert not Scenario.objects.exists()


def test_the_service_refuses_a_story_too_large():
    from roleplays.services import ScenarioInvalid, scenario_import_twee

    with pytest.raises(ScenarioInvalid, match=FILE_TOO_BIG):
        scenario_import_twee(text="长" * (IMPORT_FILE_BYTES // 3 + 1))  # 3 bytes each in UTF-8
    assert not Scenario.objects.exists()


# --- any Twine story, as a draft with its checklist -----------------------------------------

HARLOWE = (FIXTURES / "harlowe_story.twee").read_text(encoding="utf-8")


def test_a_plain_twine_story_becomes_a_draft_whose_editor_lists_what_remains(trainer_client):
    response = upload(trainer_client, HARLOWE)
    assert response.status_code == 302
    scenario = Scenario.objects.get()
    assert scenario.title == "停车位被占" and not scenario.live and scenario.ifid
    page = trainer_client.get(response["Location"]).content.decode()
    assert "已将“停车位被占”导入为草稿" in page
    assert "已忽略 Harlowe 宏 (set:)" in page  # what was left out, by line
    for code in ("owner", "situation", "verdicts", "scoring"):
        assert f'data-item="{code}"' in page
    assert 'href="#panel-nodes-section"' in page and 'id="panel-nodes-section"' in page
    assert 'href="#id_owner"' in page and 'id="id_owner"' in page


def test_twines_published_html_imports(trainer_client):
    from tests.roleplays.test_twine_html import PUBLISHED

    response = upload(trainer_client, PUBLISHED, name="story.html")
    assert response.status_code == 302
    assert Scenario.objects.get().start == "开始"


def test_a_story_that_cannot_be_one_lists_every_problem_by_line(trainer_client):
    text = HARLOWE.replace("[[马上联系车主挪车->解决]]", "[[马上联系车主挪车->不存在]]").replace(
        '"zoom": 1', '"zoom": 1,'
    )
    response = upload(trainer_client, text)
    assert response.status_code == 400
    html = response.content.decode()
    assert "StoryData 不是有效的 JSON" in html
    line = next(n for n, t in enumerate(text.split("\n"), start=1) if "不存在" in t)
    assert f"第 {line} 行（段落“问情况”）：链接指向不存在的段落“不存在”" in html
    assert not Scenario.objects.exists()


def test_publishing_waits_for_the_checklist_and_then_goes_live(trainer_client):
    from tests.roleplays.editor_form import scenario_form

    upload(trainer_client, HARLOWE)
    scenario = Scenario.objects.get()
    url = f"/admin/snippets/roleplays/scenario/edit/{scenario.pk}/"
    nodes = scenario.graph_dict()["nodes"]
    response = trainer_client.post(
        url, scenario_form(nodes, start="Start", slug=scenario.slug, **{"action-publish": "1"})
    )
    assert response.status_code == 200
    assert "还没有标明是通过还是未通过" in response.content.decode()
    scenario.refresh_from_db()
    assert not scenario.live
    for node in nodes:
        if node["key"] in ("解决", "推诿"):
            node["passed"] = node["key"] == "解决"
    response = trainer_client.post(
        url, scenario_form(nodes, start="Start", slug=scenario.slug, **{"action-publish": "1"})
    )
    assert response.status_code == 302
    scenario.refresh_from_db()
    assert scenario.live and scenario.live_version.number == 1


def test_the_template_downloads_for_trainers_only(trainer_client, client):
    from roleplays.twee_template import TEMPLATE

    response = trainer_client.get("/admin/roleplay-tools/import/template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode() == TEMPLATE
    page = trainer_client.get("/admin/roleplay-tools/import/").content.decode()
    assert "/admin/roleplay-tools/import/template/" in page and "twee.py" not in page
    client.force_login(UserFactory(roles=["learner"]))
    assert client.get("/admin/roleplay-tools/import/template/").status_code in (302, 403)


def test_the_command_publishes_a_complete_story_and_drafts_an_incomplete_one(tmp_path, capsys):
    from roleplays.twee_template import TEMPLATE

    complete, plain = tmp_path / "complete.twee", tmp_path / "plain.twee"
    complete.write_text(TEMPLATE, encoding="utf-8")
    plain.write_text(HARLOWE, encoding="utf-8")
    call_command("import_roleplay", str(complete))
    call_command("import_roleplay", str(plain))
    out = capsys.readouterr().out
    assert "Published." in out and "Saved as a draft" in out and "Ignored: " in out
    live = dict(Scenario.objects.values_list("title", "live"))
    assert live == {"模板：卫生间漏水投诉": True, "停车位被占": False}
