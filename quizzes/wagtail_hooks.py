from academy.admin_guards import PermissionMenuItem, refuse_protected_delete
from academy.admin_search import SubstringSearchViewSetMixin
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Question, QuestionCategory, Quiz


class QuestionViewSet(SubstringSearchViewSetMixin, SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Question bank")
    list_display = ["name", "kind", "category", "updated_at"]
    list_filter = ["kind", "category", "competencies", "archived"]
    search_fields = ["name", "text"]
    list_per_page = 50


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    list_display = ["name"]


class QuizViewSet(SubstringSearchViewSetMixin, SnippetViewSet):
    model = Quiz
    icon = "tasks"
    list_display = ["title", "competency", "pass_mark", "max_attempts"]
    search_fields = ["title"]


class QuizzesViewSetGroup(SnippetViewSetGroup):
    items = (QuizViewSet, QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "tasks"
    menu_label = _("Quizzes")
    menu_name = "quizzes"
    menu_order = 250


register_snippet(QuizzesViewSetGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def snapshot_question_version(request, instance):
    """Every saved change to a question becomes a new version; attempts keep theirs."""
    if isinstance(instance, Question):
        from .services import question_save_version

        question_save_version(question=instance, user=request.user)


@hooks.register("before_delete_snippet")
def refuse_deleting_what_records_depend_on(request, instances):
    """Answered questions, quizzes with attempts or placed in modules, categories in use."""
    if not any(isinstance(i, Question | QuestionCategory | Quiz) for i in instances):
        return None
    return refuse_protected_delete(
        request,
        instances,
        message=_(
            "Not deleted: learners' records or other content use it (%(what)s). "
            "Archive a question instead; remove a quiz from its modules first."
        ),
    )


admin_patterns = [
    path("import/", admin_views.QuestionImportView.as_view(), name="import"),
    path("export/", admin_views.export_questions, name="export"),
    path("grading/", admin_views.GradingQueueView.as_view(), name="grading_queue"),
    path("grading/<int:answer_id>/", admin_views.GradeAnswerView.as_view(), name="grade"),
    path("results/", admin_views.QuizResultsIndexView.as_view(), name="results_index"),
    path("results/<int:quiz_id>/", admin_views.QuizResultsView.as_view(), name="results"),
]


@hooks.register("register_admin_urls")
def register_quiz_admin_urls():
    return [path("quiz-tools/", include((admin_patterns, "quizzes_admin")))]


@hooks.register("register_admin_menu_item")
def register_quiz_tools_menu():
    items = [
        PermissionMenuItem(
            _("Import questions"),
            reverse("quizzes_admin:import"),
            icon_name="upload",
            permission="quizzes.add_question",
            order=100,
        ),
        PermissionMenuItem(
            _("Grading queue"),
            reverse("quizzes_admin:grading_queue"),
            icon_name="clipboard-list",
            permission="quizzes.grade_attempt",
            order=200,
        ),
        PermissionMenuItem(
            _("Quiz results"),
            reverse("quizzes_admin:results_index"),
            icon_name="table",
            permission="quizzes.view_quiz_results",
            order=300,
        ),
    ]
    return SubmenuMenuItem(
        _("Quiz tools"), Menu(items=items), icon_name="cogs", name="quiz-tools", order=260
    )


@hooks.register("construct_homepage_panels")
def quiz_panels_on_admin_home(request, panels):
    from .admin_home import PANELS

    panels.extend(panel() for panel in PANELS if request.user.has_perm(panel.permission))
