"""Every import that goes through leaves one record (who, when, what, file, counts, link) that
the trainers' admin home lists; a refused import leaves none. Scenario drafts on the home."""

from pathlib import Path

import pytest
from academy.imports import recent_imports
from academy.models import Competency, ImportRecord
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from quizzes.models import QuestionCategory
from roleplays import selectors as roleplay_selectors
from tests.factories import SiteFactory, StaffFactory, UserFactory, build_scenario
from tests.roleplays.test_engine import leak_graph

pytestmark = pytest.mark.django_db

QUIZ_FIXTURES = Path(__file__).resolve().parents[1] / "quizzes" / "fixtures"
TWEE = Path(__file__).resolve().parents[1] / "roleplays" / "fixtures" / "twine_story.twee"


@pytest.fixture
def trainer_client(client):
    from tests.factories import ensure_tree_roots

    ensure_tree_roots()
    trainer = StaffFactory(user=UserFactory(roles=["learner", "trainer"]), name="陈老师")
    client.force_login(trainer.user)
    return client


def test_a_question_import_in_the_admin_is_recorded_and_listed_on_the_home(trainer_client):
    upload = SimpleUploadedFile("题库.gift", (QUIZ_FIXTURES / "moodle_sample.gift").read_bytes())
    response = trainer_client.post(
        "/admin/quiz-tools/import/", {"file": upload, "format": "auto", "category": "礼仪"}
    )
    assert response.status_code == 302
    record = ImportRecord.objects.get()
    assert record.kind == "questions_gift" and record.file_name == "题库.gift"
    assert record.user.staff_profile.name == "陈老师"
    assert record.counts["new"] > 0 and record.counts["updated"] == 0
    category = QuestionCategory.objects.get(name="礼仪")
    assert record.result_url == f"/admin/snippets/quizzes/question/?category={category.pk}"
    home = trainer_client.get("/admin/").content.decode()
    panel = home.split('id="recent-imports-content"')[1].split("</section>")[0]
    assert "题目（GIFT） · 题库.gift" in panel and "陈老师" in panel
    assert f"新增 {record.counts['new']} · 更新 0 · 不变 0" in panel
    assert f'href="{record.result_url}"' in panel


def test_a_refused_import_leaves_no_record(trainer_client):
    upload = SimpleUploadedFile("坏.gift", (QUIZ_FIXTURES / "broken_import.gift").read_bytes())
    response = trainer_client.post("/admin/quiz-tools/import/", {"file": upload, "format": "auto"})
    assert response.status_code == 400
    assert not ImportRecord.objects.exists()


MOODLE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="truefalse">
    <name><text>说不知道</text></name>
    <questiontext format="html"><text>可以对业主说“不知道”。</text></questiontext>
    <answer fraction="0"><text>true</text></answer>
    <answer fraction="100"><text>false</text></answer>
  </question>
</quiz>
"""


def test_commands_record_their_files_without_a_user(tmp_path):
    xml = tmp_path / "moodle_sample.xml"
    xml.write_text(MOODLE_XML, "utf-8")
    call_command("import_questions", str(xml), format="moodlexml")
    SiteFactory(code="bh", name="滨河花园服务中心")
    roster = tmp_path / "花名册.csv"
    roster.write_text("工号,姓名,岗位,项目,班组,入职日期,在职\nA1,林晓雯,前台,bh,,,是\n", "utf-8")
    call_command("import_staff", str(roster))
    Competency.objects.create(slug="complaints", name="投诉处理")
    call_command("import_roleplay", str(TWEE))
    twee, staff, questions = ImportRecord.objects.all()  # newest first
    assert questions.kind == "questions_moodlexml" and questions.file_name == "moodle_sample.xml"
    assert staff.kind == "staff_roster" and staff.file_name == "花名册.csv"
    assert staff.counts == {"new": 1, "updated": 0} and staff.user is None
    assert twee.kind == "scenario_twee" and twee.summary and twee.file_name == TWEE.name
    assert twee.result_url.startswith("/admin/snippets/roleplays/scenario/edit/")
    assert [r.record for r in recent_imports(limit=2)] == [twee, staff]
    assert recent_imports()[1].counts == [("新增", 1), ("更新", 0)]


def test_scenario_drafts_count_and_name_what_stops_publishing(django_assert_max_num_queries):
    live = build_scenario(leak_graph().to_dict(), title="漏水投诉", slug="leak")
    build_scenario(leak_graph().to_dict(), title="已发布无草稿", slug="done")
    live.title = "漏水投诉（修订）"
    live.start = "nowhere"  # the draft's start node does not exist
    live.save_revision()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        drafts = roleplay_selectors.scenario_drafts()
    assert drafts.count == 1
    (draft,) = drafts.latest
    assert draft.title == "漏水投诉（修订）" and draft.live and draft.problems >= 1
    for n in range(6):
        build_scenario(leak_graph().to_dict(), title=f"草稿{n}", slug=f"d{n}").save_revision()
    # five drafts listed cost what one did: no query per draft
    with django_assert_max_num_queries(len(one.captured_queries)):
        drafts = roleplay_selectors.scenario_drafts(limit=5)
    assert drafts.count == 7 and len(drafts.latest) == 5
