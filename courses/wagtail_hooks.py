from wagtail import hooks

from .admin_search import AcademyPageViewSet
from .models import LessonPage
from .services import lesson_record_visit


# A visit is recorded where Wagtail handles the request rather than in LessonPage.serve, so
# that the page model never calls a service. `on_serve_page`, not `before_serve_page`: its
# chain is where Wagtail checks page view restrictions, and an order after theirs (0) places
# this inside that check, so a page refused to the learner records no visit. It still runs
# before the page renders, whose context shows the reading time left from the first visit.
# Previews do not pass through here.
@hooks.register("on_serve_page", order=100)
def record_lesson_visit(serve_page):
    def serve(page, request, args, kwargs):
        if isinstance(page, LessonPage) and request.user.is_authenticated:
            lesson_record_visit(user=request.user, lesson=page)
        return serve_page(page, request, args, kwargs)

    return serve


# Registered after Wagtail's own viewset for `Page` (hook order 0), which it replaces.
@hooks.register("register_admin_viewset", order=100)
def register_page_viewset():
    return AcademyPageViewSet()
