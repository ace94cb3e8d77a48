"""A quiz placed in a module shows on the module page and the learner home with the grade."""

import pytest

from courses.models import LessonPage, ModulePage, ModuleQuiz
from quizzes import services
from tests.factories import build_quiz, complete_lesson

pytestmark = pytest.mark.django_db


def test_module_page_and_home_show_the_quiz_and_the_next_step(course, learner, learner_client):
    module = ModulePage.objects.order_by("path").first()
    quiz = build_quiz(title="第一模块测验")
    ModuleQuiz.objects.create(module=module, quiz=quiz)

    assert "第一模块测验" in learner_client.get(module.url).content.decode()
    home = learner_client.get("/").content.decode()
    assert home.count(f"/quizzes/{quiz.pk}/") == 1  # in the module card only

    for lesson in LessonPage.objects.child_of(module):
        complete_lesson(user=learner.user, lesson=lesson)
    home = learner_client.get("/").content.decode()
    assert home.count(f"/quizzes/{quiz.pk}/") == 2  # now also the next-step card

    attempt = services.attempt_start(user=learner.user, quiz=quiz)
    services.attempt_submit(
        user=learner.user,
        attempt_id=attempt.pk,
        answers={1: "c-three", 2: ["m-hello", "m-thanks"], 3: "50", 4: "false"},
    )
    home = learner_client.get("/").content.decode()
    assert home.count(f"/quizzes/{quiz.pk}/") == 1  # passed: no longer the next step
    assert "100%" in home
