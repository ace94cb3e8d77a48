"""The Wagtail admin in Chinese for a trainer: Wagtail's own strings (its zh_Hans catalogue
plus ours for what it lacks) and the project's columns and labels."""

import ast
from pathlib import Path

import pytest
import wagtail
from academy.admin_tables import EMPTY, ReadableInspectView
from django.apps import apps
from django.utils import translation
from django.utils.translation.trans_real import DjangoTranslation

from certification.models import Certificate, Program
from tests.factories import UserFactory, build_course

WAGTAIL_DIR = Path(wagtail.__file__).parent


def read_po(path: Path) -> list[tuple[str, str | None]]:
    """(msgid, msgid_plural) of every entry of a .po file, header left out."""
    entries, current, key = [], {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgctxt ", "msgstr")):
            key, _, text = line.partition(" ")
            if key == "msgid" and current.get("msgid"):
                entries.append((current["msgid"], current.get("msgid_plural")))
            if key in ("msgid", "msgctxt") and "msgstr" in "".join(current):
                current = {}
            current[key] = ast.literal_eval(text)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    if current.get("msgid"):
        entries.append((current["msgid"], current.get("msgid_plural")))
    return entries


def wagtail_catalogues(domain: str):
    for config in apps.get_app_configs():
        path = Path(config.path) / "locale/en/LC_MESSAGES" / f"{domain}.po"
        if config.path.startswith(str(WAGTAIL_DIR)) and path.exists():
            yield config, path


def in_catalogue(catalogue, msgid: str, plural: str | None) -> bool:
    """Whether `catalogue` (or one it falls back on) translates the entry, even to itself."""
    key = (msgid, 0) if plural else msgid
    while catalogue is not None:
        if key in getattr(catalogue, "_catalog", {}):
            return True
        catalogue = getattr(catalogue, "_fallback", None)
    return False


def untranslated(domain: str, catalogue) -> list[str]:
    return [
        f"{config.label}: {msgid}"
        for config, path in wagtail_catalogues(domain)
        for msgid, plural in read_po(path)
        if not in_catalogue(catalogue, msgid, plural)
    ]


def test_every_wagtail_admin_string_has_a_chinese_translation():
    assert list(wagtail_catalogues("django")), "Wagtail's English catalogues not found"
    catalogue = translation.trans_real.translation("zh-hans")
    assert catalogue.gettext("Search all pages…") == "搜索全部页面…"
    assert untranslated("django", catalogue) == []


def test_every_wagtail_script_string_has_a_chinese_translation():
    """What Wagtail's /admin/jsi18n/ serves: its djangojs catalogue and ours (LOCALE_PATHS)."""
    paths = [str(Path(config.path) / "locale") for config, _ in wagtail_catalogues("djangojs")]
    catalogue = DjangoTranslation("zh-hans", domain="djangojs", localedirs=paths)
    assert catalogue.gettext("Insert a block") == "插入内容块"
    assert untranslated("djangojs", catalogue) == []


def test_inspect_view_shows_a_dash_for_empty_values_and_yes_no_for_booleans():
    view = ReadableInspectView()
    view.object = Certificate(serial="KF-2026-000001", revoked_at=None)
    field = Certificate._meta.get_field("revoked_at")
    assert view.get_field_display_value("revoked_at", field) == EMPTY
    view.object = Program(name="前台客服上岗认证", active=True)
    with translation.override("zh-hans"):
        assert (
            str(view.get_field_display_value("active", Program._meta.get_field("active"))) == "是"
        )


ENGLISH = [
    "Search all pages",
    "Exploring",
    "Save your changes before leaving",
    "Go to the first error",
    "- Select an option -",
    "Sort by",
    "Toggle minimap",
    "Keyboard shortcuts are currently",
    "Moderators approval",
    "Root",
    '"> True <',
    "> None </td>",
    "> None </dd>",
    'aria-label="Actions"',
    "Page types usage",
]


@pytest.fixture
def trainer_client(client, db):
    client.force_login(UserFactory(username="teacher", roles=["learner", "trainer"]))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "chinese"),
    [
        ("/admin/", ["搜索全部页面…", "显示键盘快捷键", "编辑指南"]),
        ("/admin/pages/{module}/", ["浏览", "个页面中的第 1–2 个"]),
        (
            "/admin/pages/{lesson}/edit/",
            ["自动保存已<span>暂停</span>", "选择此页面的上线和/或过期时间"],
        ),
        ("/admin/snippets/certification/program/", ['w-sr-only"> 是 </span>', "启用", "认证项目"]),
        ("/admin/snippets/quizzes/question/add/", ["离开前请先保存修改", "新建题目"]),
    ],
)
def test_admin_pages_speak_chinese_to_a_trainer(trainer_client, path, chinese):
    index = build_course(modules=1, lessons_per_module=2)
    module = index.get_children().first()
    lesson = module.get_children().first()
    Program.objects.create(name="前台客服上岗认证", code="FD", active=True)

    response = trainer_client.get(path.format(module=module.id, lesson=lesson.id))

    assert response.status_code == 200
    assert_chinese(response, chinese)


def assert_chinese(response, chinese: list[str]) -> None:
    html = " ".join(response.content.decode().split())
    assert [text for text in chinese if text not in html] == []
    assert [text for text in ENGLISH if text in html] == []


@pytest.mark.django_db
def test_a_form_with_errors_offers_the_first_error_in_chinese(trainer_client):
    response = trainer_client.post("/admin/snippets/quizzes/questioncategory/add/", {"name": ""})

    assert response.status_code == 200
    assert_chinese(response, ["跳到第一个错误", "离开前请先保存修改"])
