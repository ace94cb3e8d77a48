"""The quiz panels of the trainers' admin home (Wagtail's `construct_homepage_panels`): replies
waiting to be graded, quizzes that would not work as meant, questions item analysis flags.
Each is shown only to users who may act on it, and costs a fixed number of queries."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from . import selectors

SHOWN = 5


class GradingQueuePanel(Component):
    name = "grading_queue"
    order = 50  # before Wagtail's own panels (moderation 210…): the work waiting
    permission = "quizzes.grade_attempt"
    template_name = "quizzes/admin/home/grading_queue.html"

    def get_context_data(self, parent_context=None):
        return {"queue": selectors.grading_queue_head(SHOWN)}


class QuizProblemsPanel(Component):
    name = "quiz_problems"
    order = 70
    permission = "quizzes.change_quiz"
    template_name = "quizzes/admin/home/quiz_problems.html"

    def get_context_data(self, parent_context=None):
        return {"found": selectors.quizzes_with_problems(SHOWN)}


class FlaggedQuestionsPanel(Component):
    name = "flagged_questions"
    order = 80
    permission = "quizzes.view_quiz_results"
    template_name = "quizzes/admin/home/flagged_questions.html"

    def get_context_data(self, parent_context=None):
        return {"flagged": selectors.flagged_questions(SHOWN)}


PANELS = (GradingQueuePanel, QuizProblemsPanel, FlaggedQuestionsPanel)
