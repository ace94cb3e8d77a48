import json
import os

from academy.http import render_refused
from academy.limits import SEARCH
from academy.search_text import terms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.staticfiles import finders
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from staff.selectors import may_act_on_among, staff_profile_for, staff_visible_to

from . import offline
from .models import LessonPage
from .selectors import (
    emergency_cards,
    emergency_content_stamp,
    learner_overview,
    lesson_totals_by_user,
    lessons_found,
    live_lesson_count,
)
from .services import CoursesError, lesson_mark_complete


@login_required
def learner_home(request):
    """我的学习: every module with progress, and the one next step."""
    context = learner_overview(request.user)
    context["profile"] = staff_profile_for(request.user)
    return render(request, "courses/learner_home.html", context)


@login_required
def lesson_search(request):
    """搜索课程: the lessons holding what was typed, each with the passage, hits marked."""
    query = request.GET.get("q", "").strip()[:SEARCH]
    hits = lessons_found(query)
    context = {"query": query, "hits": hits, "searched": bool(terms(query))}
    return render(request, "courses/lesson_search.html", context)


@require_POST
@login_required
@permission_required("courses.add_lessonprogress", raise_exception=True)
def lesson_complete(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    try:
        lesson_mark_complete(user=request.user, lesson=lesson)
    except CoursesError as error:
        return render_refused(request, error, back_url=lesson.get_url(request=request))
    messages.success(request, _("Lesson “%(title)s” marked complete.") % {"title": lesson.title})
    return redirect(lesson.get_url(request=request) + "#lesson-done")


@login_required
def person_progress(request, staff_id: int):
    """A staff member's course progress, for themselves or a supervisor of their site/team."""
    person = get_object_or_404(staff_visible_to(request.user), pk=staff_id)
    context = learner_overview(person.user)
    context["person"] = person
    return render(request, "courses/person_progress.html", context)


@login_required
@permission_required("staff.view_supervised_staff", raise_exception=True)
def team_progress(request):
    """The course progress of every staff member the supervisor may see."""
    staff = (
        staff_visible_to(request.user)
        .filter(active=True)
        .order_by("site__code", "team__name", "employee_number")
    )
    page = Paginator(staff, 50).get_page(request.GET.get("page"))
    totals = lesson_totals_by_user([person.user_id for person in page])
    lesson_total = live_lesson_count()
    may_observe = may_act_on_among(request.user, [person.user_id for person in page])
    rows = []
    for person in page:
        done = totals.get(person.user_id, {}).get("completed", 0)
        rows.append(
            {
                "person": person,
                "completed": done,
                "percent": (100 * done) // lesson_total if lesson_total else 0,
                "last_active": totals.get(person.user_id, {}).get("last_active"),
                "may_observe": person.user_id in may_observe,
            }
        )
    return render(
        request,
        "courses/team_progress.html",
        {
            "rows": rows,
            "page": page,
            "lesson_total": lesson_total,
        },
    )


@login_required
def emergency(request):
    """应急卡片: the emergency modules' procedures as step cards, grouped by lesson; kept by
    the service worker for use without a signal."""
    return render(request, "courses/emergency.html", emergency_cards())


@require_safe
def offline_page(request):
    """What the service worker shows for a page it has no copy of while offline. Open to
    everybody: it names no course content (the kept lessons are listed by the browser)."""
    return render(request, "courses/offline.html")


# The static files of the offline shell: what the kept pages need to look right.
SHELL_STATIC_FILES = (
    "academy/css/academy.css",
    "academy/js/offline.js",
    "academy/js/lesson.js",
    "academy/img/favicon.svg",
    "academy/img/icon-192.png",
    "academy/img/icon-512.png",
    "academy/img/icon-maskable-192.png",
    "academy/img/icon-maskable-512.png",
)


def _unhashed_static_stamp() -> str:
    """While developing, static files keep their names when they change (production's
    manifest storage puts a hash of the content in each name): their modification times
    then stand in, so that a changed stylesheet still makes a new worker."""
    if not settings.DEBUG:
        return ""
    found = (finders.find(name) for name in SHELL_STATIC_FILES)
    return "|".join(str(os.path.getmtime(path)) for path in found if path)


def worker_config() -> dict:
    """What `/sw.js` runs on (`courses.offline`): the precache list by the static files'
    served names (hashed in production), versioned with the emergency content."""
    emergency_url = reverse("emergency")
    offline_url = reverse("offline_page")
    return offline.worker_config(
        precache=offline.precache_urls(static, SHELL_STATIC_FILES, [emergency_url, offline_url]),
        content_stamp=emergency_content_stamp() + _unhashed_static_stamp(),
        emergency_url=emergency_url,
        offline_url=offline_url,
        course_prefix=reverse("wagtail_serve", args=[""]),
        media_url=settings.MEDIA_URL,
    )


@require_safe
def service_worker(request):
    """/sw.js, from the site root so that its scope is the whole site. Never cached by the
    browser's HTTP cache (`no-cache`): a changed precache list or emergency content makes a
    new script, which the browser installs as a new worker."""
    script = render_to_string(
        "courses/service_worker.js", {"config": json.dumps(worker_config(), indent=2)}
    )
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
