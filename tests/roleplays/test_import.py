"""Importing a Twee story from the admin and with `manage.py import_roleplay`: a story with
any problem imports nothing and says what and where, never a traceback or a 500."""

from pathlib import Path

import pytest
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
    return client.post("/admin/roleplay-tools/import/",
                       {"file": SimpleUploadedFile(name, data)})


def test_a_sound_story_imports_from_the_admin(trainer_client):
    response = upload(trainer_client, STORY)
    assert response.status_code == 302
    assert Scenario.objects.get().live


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
