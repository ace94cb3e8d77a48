from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.selectors import staff_profile_for, staff_visible_to

from .models import LessonPage
from .selectors import learner_overview
from .services import lesson_mark_complete


@login_required
def learner_home(request):
    """我的学习: every module with progress, and the one next step."""
    context = learner_overview(request.user)
    context["profile"] = staff_profile_for(request.user)
    return render(request, "courses/learner_home.html", context)


@require_POST
@login_required
@permission_required("courses.add_lessonprogress", raise_exception=True)
def lesson_complete(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    lesson_mark_complete(user=request.user, lesson=lesson)
    messages.success(request, _("Lesson “%(title)s” marked complete.") % {"title": lesson.title})
    return redirect(lesson.get_url(request=request) + "#lesson-done")


@login_required
def person_progress(request, staff_id: int):
    """A staff member's course progress, for themselves or a supervisor of their site/team."""
    person = get_object_or_404(staff_visible_to(request.user), pk=staff_id)
    context = learner_overview(person.user)
    context["person"] = person
    return render(request, "courses/person_progress.html", context)
