"""Trainer tools in the Wagtail admin: import and export questions, the grading queue, and
quiz statistics. Each view checks its own permission and calls a service or selector."""

from __future__ import annotations

from academy.admin_guards import TrainerToolView, text_attachment
from academy.http import status_for
from academy.limits import GRADER_COMMENT, SEARCH
from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages

from . import item_analysis, selectors, services
from .models import AttemptQuestion, QuestionCategory, Quiz


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        choices=[
            ("auto", gettext_lazy("From the file name (.gift / .txt or .xml)")),
            ("gift", "GIFT"),
            ("moodlexml", "Moodle XML"),
        ],
        initial="auto",
    )
    category = forms.CharField(
        label=gettext_lazy("Category"),
        required=False,
        help_text=gettext_lazy(
            "Put every question here. Empty: use the file's own "
            "categories ($CATEGORY / category questions)."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        too_large = services.import_size_problem(upload.size)
        if too_large:
            raise forms.ValidationError(str(too_large))
        if cleaned.get("format") == "auto":
            name = upload.name.lower()
            cleaned["format"] = "moodlexml" if name.endswith(".xml") else "gift"
        return cleaned


class QuestionImportView(TrainerToolView, FormView):
    permission = "quizzes.add_question"
    form_class = ImportForm
    template_name = "quizzes/admin/import.html"
    page_title = gettext_lazy("Import questions")
    header_icon = "upload"
    problems: list = []

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            report = services.questions_import(
                data=upload.read(),
                fmt=form.cleaned_data["format"],
                category_name=form.cleaned_data["category"].strip() or None,
                user=self.request.user,
                file_name=upload.name,
            )
        except services.ImportFailed as failure:
            self.problems = failure.problems
            form.add_error(
                None,
                _("Nothing was imported: the file has %(n)d problem(s).")
                % {"n": len(failure.problems)},
            )
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(new)d new questions, %(updated)d updated, %(unchanged)d unchanged "
                "(%(categories)s)."
            )
            % {
                "new": len(report.new),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "categories": "、".join(report.categories),
            },
        )
        if report.updated:
            messages.info(self.request, _("Updated: %s") % "、".join(report.updated))
        for warning in report.warnings:
            messages.warning(self.request, str(warning))
        return redirect(reverse("wagtailsnippets_quizzes_question:list"))

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400  # nothing was imported
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(problems=self.problems, **kwargs)


def export_questions(request):
    """The questions of one category (or all) as a GIFT file."""
    if not request.user.has_perm("quizzes.view_question"):
        raise PermissionDenied
    category = None
    if request.GET.get("category"):
        category = get_object_or_404(QuestionCategory, pk=request.GET["category"])
    filename = f"category-{category.pk}.gift" if category else "questions.gift"
    return text_attachment(selectors.bank_as_gift(category), filename)


class GradingQueueView(TrainerToolView, TemplateView):
    permission = "quizzes.grade_attempt"
    template_name = "quizzes/admin/grading_queue.html"
    page_title = gettext_lazy("Grading queue")
    header_icon = "clipboard-list"

    def get_context_data(self, **kwargs):
        return super().get_context_data(items=selectors.grading_queue()[:200], **kwargs)


class GradeForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Comment for the learner"),
        required=False,
        max_length=GRADER_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, rubric=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].error_messages["max_length"] = services.comment_too_long()
        self.rubric = list(rubric)
        for index, criterion in enumerate(self.rubric):
            self.fields[f"points_{index}"] = forms.IntegerField(
                label=f"{criterion['criterion']}（0–{criterion['points']}）",
                min_value=0,
                max_value=criterion["points"],
            )
        if not self.rubric:
            self.fields["percent"] = forms.IntegerField(
                label=gettext_lazy("Grade (%)"), min_value=0, max_value=100
            )
        self.order_fields([name for name in self.fields if name != "comment"] + ["comment"])


class GradeAnswerView(TrainerToolView, FormView):
    permission = "quizzes.grade_attempt"
    parent_crumb = ("quizzes_admin:grading_queue", gettext_lazy("Grading queue"))
    template_name = "quizzes/admin/grade_answer.html"
    page_title = gettext_lazy("Grade a written reply")
    header_icon = "clipboard-list"
    form_class = GradeForm

    def dispatch(self, request, *args, **kwargs):
        self.answer = get_object_or_404(
            AttemptQuestion.objects.select_related(
                "version__question", "attempt__quiz", "attempt__user__staff_profile"
            ),
            pk=kwargs["answer_id"],
            version__spec__kind="essay",
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "rubric": self.answer.version.spec.get("rubric", [])}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            answer=self.answer, reply=selectors.reply_to_grade(self.answer), **kwargs
        )

    def form_valid(self, form):
        rubric = form.rubric
        try:
            services.attempt_question_grade(
                grader=self.request.user,
                attempt_question_id=self.answer.pk,
                awarded=[form.cleaned_data[f"points_{i}"] for i in range(len(rubric))]
                if rubric
                else None,
                percent=form.cleaned_data.get("percent"),
                comment=form.cleaned_data["comment"],
            )
        except services.QuizError as error:
            form.add_error(None, error.message)
            response = self.form_invalid(form)
            response.status_code = status_for(error)
            return response
        messages.success(self.request, _("Grade saved."))
        if self.request.POST.get("then") == "next":
            following = selectors.next_to_grade(self.answer)
            if following is not None:
                return redirect("quizzes_admin:grade", following.pk)
            messages.info(self.request, _("Nothing else waits to be graded."))
        return redirect("quizzes_admin:grading_queue")


class QuizResultsIndexView(TrainerToolView, TemplateView):
    permission = "quizzes.view_quiz_results"
    template_name = "quizzes/admin/results_index.html"
    page_title = gettext_lazy("Quiz results")
    header_icon = "table"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()[:SEARCH]
        return super().get_context_data(
            quizzes=selectors.quiz_summaries(query), query=query, **kwargs
        )


class QuizResultsView(TrainerToolView, TemplateView):
    permission = "quizzes.view_quiz_results"
    parent_crumb = ("quizzes_admin:results_index", gettext_lazy("Quiz results"))
    template_name = "quizzes/admin/results.html"
    header_icon = "table"

    def get_page_title(self):
        return _("Results: %s") % self.quiz.title

    def dispatch(self, request, *args, **kwargs):
        self.quiz = get_object_or_404(Quiz, pk=kwargs["quiz_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            quiz=self.quiz,
            stats=selectors.quiz_statistics(self.quiz),
            min_attempts=item_analysis.MIN_ATTEMPTS,
            **kwargs,
        )
