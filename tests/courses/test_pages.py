"""Course pages, lesson completion and the learner home over HTTP."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseIndexPage, LessonPage, LessonProgress, ModulePage
from tests.factories import StaffFactory, UserFactory, body, build_course, complete_lesson

pytestmark = pytest.mark.django_db


def first_lesson():
    return LessonPage.objects.live().order_by("path").first()


def test_course_pages_need_a_login(client, course):
    response = client.get(first_lesson().url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302


def test_wrong_password_gets_one_clear_message_without_detail(client, learner):
    wrong_password = client.post("/accounts/login/", {"username": "xiaolin", "password": "nope"})
    unknown_user = client.post("/accounts/login/", {"username": "nobody", "password": "nope"})
    for response in (wrong_password, unknown_user):
        assert response.status_code == 401
        # Same message whether or not the account exists: nothing to probe.
        assert response.context["form"].non_field_errors() == [
            "用户名或密码不正确，请重新输入（区分大小写）。"
        ]
        assert "用户名或密码不正确" in response.content.decode()


def test_login_takes_the_learner_home(client, learner, course):
    response = client.post(
        "/accounts/login/",
        {"username": "xiaolin", "password": "correct-horse-battery"},
        follow=True,
    )
    text = response.content.decode()
    assert "我的学习" in text and "林小文" in text and "模块1" in text and "模块2" in text


def test_lesson_renders_every_block_type(learner_client, course):
    lesson = first_lesson()
    lesson.body = body(
        ("heading", "接听电话"),
        ("paragraph", "<p>铃响三声之内接听。</p>"),
        (
            "phrase_card",
            {
                "situation": "业主来电",
                "say": ["您好，请问有什么可以帮您？"],
                "never_say": ["喂，找谁？"],
                "why": "先问候",
            },
        ),
        ("do_dont", {"title": "接待", "rows": [{"do": "起身相迎", "dont": "坐着不动"}]}),
        (
            "procedure",
            {"title": "电梯困人", "steps": [{"text": "安抚被困人员", "time_limit": "立即"}]},
        ),
        ("callout", {"kind": "warning", "title": "注意", "text": "<p>不要争辩</p>"}),
        (
            "video",
            {
                "file": None,
                "url": "https://example.com/v.mp4",
                "poster": None,
                "caption": "示范视频",
            },
        ),
    )
    lesson.save_revision().publish()
    text = learner_client.get(lesson.url).content.decode()
    for expected in [
        "接听电话",
        "铃响三声之内接听",
        "您好，请问有什么可以帮您？",
        "<s>“喂，找谁？”</s>",
        "起身相迎",
        "坐着不动",
        "安抚被困人员",
        "时限：立即",
        "callout-warning",
        "不要争辩",
        'src="https://example.com/v.mp4"',
        "示范视频",
        "标记为已完成",
    ]:
        assert expected in text, expected


def test_marking_a_lesson_complete_shows_progress(learner_client, learner, course):
    lesson = first_lesson()
    learner_client.get(lesson.url)
    response = learner_client.post(f"/lessons/{lesson.id}/complete/", follow=True)
    text = response.content.decode()
    assert "你已完成本课" in text and "已完成《模块1第1课》" in text
    home = learner_client.get("/").content.decode()
    assert "已学 1 / 3 课 · 33%" in home
    assert "模块1第2课" in home  # the next step


def test_completing_twice_keeps_the_first_completion(learner, course):
    lesson = first_lesson()
    first = complete_lesson(user=learner.user, lesson=lesson).completed_at
    again = complete_lesson(user=learner.user, lesson=lesson).completed_at
    assert first == again and LessonProgress.objects.count() == 1


def test_completion_must_be_a_post_for_a_live_lesson(learner_client, course):
    lesson = first_lesson()
    assert learner_client.get(f"/lessons/{lesson.id}/complete/").status_code == 405
    assert learner_client.post("/lessons/999999/complete/").status_code == 404
    lesson.unpublish()
    assert learner_client.post(f"/lessons/{lesson.id}/complete/").status_code == 404
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_continue_where_i_left_off(learner_client, course):
    lessons = list(LessonPage.objects.live().order_by("path"))
    learner_client.get(lessons[4].url)  # module 2, lesson 2
    home = learner_client.get("/").content.decode()
    assert "从上次离开的地方继续" in home
    resume = home.split('class="card resume"')[1].split("</section>")[0]
    assert "模块2第2课" in resume and lessons[4].url in resume


def test_person_progress_is_private(client, course):
    me, colleague = StaffFactory(), StaffFactory()
    client.force_login(me.user)
    assert client.get(f"/people/{me.id}/progress/").status_code == 200
    assert client.get(f"/people/{colleague.id}/progress/").status_code == 404


def test_supervisor_sees_progress_of_own_site_only(client, course):
    boss = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]))
    boss.supervised_sites.add(boss.site)
    same_site = StaffFactory(team=boss.team)
    elsewhere = StaffFactory()
    complete_lesson(user=same_site.user, lesson=first_lesson())
    client.force_login(boss.user)
    page = client.get(f"/people/{same_site.id}/progress/")
    assert page.status_code == 200 and "已学 1 / 3 课" in page.content.decode()
    assert client.get(f"/people/{elsewhere.id}/progress/").status_code == 404


def test_home_query_count_does_not_grow_with_content(learner_client, learner):
    build_course(modules=1, lessons_per_module=2)
    learner_client.get("/")
    with CaptureQueriesContext(connection) as small:
        learner_client.get("/")
    root = CourseIndexPage.objects.get()
    for m in range(5):
        module = root.add_child(instance=ModulePage(title=f"额外{m}", slug=f"extra-{m}"))
        for n in range(6):
            module.add_child(instance=LessonPage(title=f"额外{m}-{n}", slug=f"x{m}-{n}", body="[]"))
    for lesson in LessonPage.objects.all()[:10]:
        complete_lesson(user=learner.user, lesson=lesson)
    with CaptureQueriesContext(connection) as large:
        learner_client.get("/")
    assert len(large) == len(small)


def test_team_page_lists_only_the_supervisors_people(client, course):
    boss = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]), name="王主管")
    boss.supervised_sites.add(boss.site)
    mine = StaffFactory(team=boss.team, name="同项目员工")
    StaffFactory(name="别的项目员工")
    complete_lesson(user=mine.user, lesson=first_lesson())
    client.force_login(boss.user)
    page = client.get("/team/").content.decode()
    assert "同项目员工" in page and "王主管" in page and "别的项目员工" not in page
    assert "1 / 6" in page and f"/people/{mine.id}/progress/" in page
    # observing is offered for their staff, not for the supervisor's own row
    assert f"/people/{mine.id}/observe/" in page
    assert f"/people/{boss.id}/progress/" in page and f"/people/{boss.id}/observe/" not in page


def test_team_page_is_for_supervisors(learner_client):
    assert learner_client.get("/team/").status_code == 403


def test_team_page_query_count_is_flat(client, course):
    boss = StaffFactory(user=UserFactory(roles=["learner", "supervisor"]))
    boss.supervised_sites.add(boss.site)
    client.force_login(boss.user)
    StaffFactory(team=boss.team)
    client.get("/team/")
    with CaptureQueriesContext(connection) as few:
        client.get("/team/")
    for _ in range(15):
        person = StaffFactory(team=boss.team)
        complete_lesson(user=person.user, lesson=first_lesson())
    with CaptureQueriesContext(connection) as many:
        client.get("/team/")
    assert len(many) == len(few)


def test_the_last_lesson_leads_to_the_module_quiz_then_the_next_module(
    learner_client, learner, course
):
    from courses.models import ModuleQuiz
    from quizzes import services as quiz_services
    from tests.factories import build_quiz

    first, second = ModulePage.objects.order_by("path")
    last = LessonPage.objects.child_of(first).order_by("path").last()
    quiz = build_quiz("服务礼仪测验")
    ModuleQuiz.objects.create(module=first, quiz=quiz)
    page = learner_client.get(last.url).content.decode()
    assert "下一步：模块测验「服务礼仪测验」" in page and f'href="/quizzes/{quiz.pk}/"' in page
    # not on the lessons before it
    earlier = LessonPage.objects.child_of(first).order_by("path").first()
    assert "下一步" not in learner_client.get(earlier.url).content.decode()

    # Once the quiz is passed, the next module.
    attempt = quiz_services.attempt_start(user=learner.user, quiz=quiz)
    right = {1: "c-three", 2: ["m-hello", "m-thanks"], 3: "50", 4: "false"}
    assert quiz_services.attempt_submit(
        user=learner.user, attempt_id=attempt.pk, answers=right
    ).passed
    page = learner_client.get(last.url).content.decode()
    assert "下一步：下一模块「模块2」" in page and f'href="{second.url}"' in page

    # After the last module's last lesson: back to the module.
    final = LessonPage.objects.child_of(second).order_by("path").last()
    page = learner_client.get(final.url).content.decode()
    assert "下一步" not in page and "返回模块" in page
