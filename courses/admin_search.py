"""The admin's page search ("搜索页面"), by substring so that Chinese is found.

Wagtail's page search hands the query to the search backend, whose tokenizers do not split
Chinese (see `academy.admin_search`): "电话" never found "前台电话礼仪速查". This view keeps
Wagtail's page search — its permissions, `live:yes` filter, content-type facets, ordering
and listing — and only finds pages by their title, and lessons by their text as well
(`LessonPage.search_text`: summary and blocks)."""

from __future__ import annotations

from academy.search_queries import search_by_substring
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page
from wagtail.search.utils import separate_filters_from_query

SEARCHED_FIELDS = ["title", "lessonpage__search_text"]


def pages_found(pages, query: str, *, ordered: bool):
    """`pages` narrowed to those whose title (or lesson text) holds every term of `query`,
    with Wagtail's `live:yes` / `live:no` filters applied."""
    filters, text = separate_filters_from_query(query or "")
    live = (filters.get("live") or filters.get("published") or "").lower()
    if live in ("yes", "true"):
        pages = pages.filter(live=True)
    elif live in ("no", "false"):
        pages = pages.filter(live=False)
    return search_by_substring(pages, text, SEARCHED_FIELDS, ranked=not ordered)


class PageSubstringSearchView(SearchView):
    def get_queryset(self):
        all_pages = Page.objects.all()
        if getattr(settings, "WAGTAILADMIN_PAGE_SEARCH_FILTER_BY_PERMISSIONS", True):
            all_pages = all_pages.filter(
                pk__in=self.permission_policy.explorable_instances(self.request.user).values("pk")
            )
        pages = all_pages
        if self.show_locale_labels:
            pages = pages.select_related("locale")
        if self.ordering:
            pages = pages.order_by(self.ordering)
        if self.selected_content_type:
            pages = pages.filter(content_type=self.selected_content_type)
        pages = self.annotate_queryset(pages)

        ordered = bool(self.ordering)
        pages = pages_found(pages, self.search_query, ordered=ordered)
        self.all_pages = pages_found(all_pages, self.search_query, ordered=True)
        counts = self.all_pages.values("content_type").annotate(count=Count("pk", distinct=True))
        self.content_types = [
            (ContentType.objects.get_for_id(row["content_type"]), row["count"])
            for row in counts.order_by("content_type")
        ]
        return pages


class AcademyPageViewSet(PageViewSet):
    """The default page viewset (Wagtail's own for `Page`), with the substring search."""

    model = Page
    name = "academy_pages"
    search_view_class = PageSubstringSearchView
