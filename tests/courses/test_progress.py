"""Progress rules as plain Python: no database, no HTTP."""

from courses.progress import (
    LessonState,
    ModuleProgress,
    ModuleStatus,
    ModuleSummary,
    NextStep,
    QuizStep,
    StepKind,
    last_opened,
    resume_point,
    step_after_last_lesson,
)


def lesson(n, opened=None, done=None, minutes=5):
    """`opened`: the hour it was last opened (a later hour is more recent); `done`: completed."""
    order = 0 if opened is None else opened + 1
    return LessonState(
        n, f"L{n}", f"/l{n}/", minutes, opened_order=order, completed=done is not None
    )


def module(n, *lessons):
    return ModuleProgress(n, f"M{n}", f"/m{n}/", "", tuple(lessons))


def test_counts_percent_and_status():
    m = module(1, lesson(1, 0, 0), lesson(2, 1), lesson(3))
    assert (m.completed_count, m.total, m.percent) == (1, 3, 33)
    assert m.status is ModuleStatus.IN_PROGRESS
    assert m.next_lesson.lesson_id == 2
    assert m.minutes_left == 10
    assert module(2, lesson(1), lesson(2)).status is ModuleStatus.NOT_STARTED
    done = module(3, lesson(1, 0, 0), lesson(2, 0, 1))
    assert (
        done.status is ModuleStatus.COMPLETED and done.percent == 100 and done.next_lesson is None
    )


def test_percent_never_rounds_up_to_done():
    m = module(1, *[lesson(i, 0, 0) for i in range(199)], lesson(199))
    assert m.percent == 99


def test_empty_module_is_not_complete():
    m = module(1)
    assert m.percent == 0 and m.status is ModuleStatus.NOT_STARTED


def test_neighbours():
    m = module(1, lesson(1), lesson(2), lesson(3))
    assert m.neighbours(1) == (None, m.lessons[1])
    assert m.neighbours(3) == (m.lessons[1], None)
    assert m.neighbours(99) == (None, None)


def resume(*modules):
    """The resume rule over modules given lesson by lesson."""
    return resume_point([m.summarised() for m in modules], last_opened(modules))


def test_summary_has_the_modules_figures():
    m = module(1, lesson(1, 0, 0), lesson(2, 1), lesson(3, minutes=7))
    summary = m.summarised()
    assert summary == ModuleSummary(1, "M1", "/m1/", "", 3, 1, True, 12, m.lessons[1].link())
    assert (summary.percent, summary.status) == (m.percent, m.status) == (33, "in_progress")
    assert module(2).summarised().next_lesson is None
    assert module(3, lesson(1)).summarised().status is ModuleStatus.NOT_STARTED


def test_last_opened_is_the_most_recent_visit_anywhere():
    first = module(1, lesson(1, opened=7, done=7), lesson(2, opened=2))
    second = module(2, lesson(3, opened=5))
    opened = last_opened([first, second])
    assert (opened.module_id, opened.lesson.lesson_id, opened.completed) == (1, 1, True)
    assert last_opened([module(3, lesson(4))]) is None


def test_resume_goes_back_to_the_unfinished_lesson_opened_last():
    first = module(1, lesson(1, opened=1, done=1), lesson(2, opened=5))
    second = module(2, lesson(3, opened=3), lesson(4))
    point = resume(first, second)
    assert point.lesson.lesson_id == 2 and point.module.module_id == 1 and point.started


def test_resume_moves_on_after_the_last_lesson_was_finished():
    first = module(1, lesson(1, opened=1, done=1), lesson(2))
    second = module(2, lesson(3, opened=4, done=4), lesson(4))
    point = resume(first, second)
    assert point.lesson.lesson_id == 4  # next in the module worked in last, not module 1


def test_resume_falls_back_to_first_unfinished_lesson_anywhere():
    first = module(1, lesson(1, opened=1, done=1))
    second = module(2, lesson(2))
    assert resume(first, second).lesson.lesson_id == 2


def test_new_learner_starts_at_the_beginning_and_finished_learner_has_nothing():
    point = resume(module(1, lesson(1), lesson(2)))
    assert point.lesson.lesson_id == 1 and not point.started
    assert resume(module(1, lesson(1, 0, 0))) is None


# --- the step after a module's last lesson ------------------------------------------------


def test_the_last_lesson_leads_to_the_first_quiz_not_passed():
    quizzes = [
        QuizStep("入门测验", "/quizzes/1/", True),
        QuizStep("规范用语测验", "/quizzes/2/", False),
    ]
    assert step_after_last_lesson(quizzes, ("投诉处理", "/courses/complaints/")) == NextStep(
        StepKind.QUIZ, "规范用语测验", "/quizzes/2/"
    )


def test_with_every_quiz_passed_or_none_the_last_lesson_leads_to_the_next_module():
    passed = [QuizStep("规范用语测验", "/quizzes/2/", True)]
    following = ("投诉处理", "/courses/complaints/")
    expected = NextStep(StepKind.MODULE, "投诉处理", "/courses/complaints/")
    assert step_after_last_lesson(passed, following) == expected
    assert step_after_last_lesson([], following) == expected


def test_after_the_last_module_there_is_no_next_step():
    assert step_after_last_lesson([], None) is None
    assert step_after_last_lesson([QuizStep("测验", "/quizzes/1/", True)], None) is None
