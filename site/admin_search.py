"""The admin's listings search by substring, in Chinese as in Latin letters, on SQLite and
PostgreSQL alike: the SQL form of `academy.search_text` (terms ANDed, each in any field).

Wagtail's own listing search hands an indexed model (questions, scenarios, pages) to the
search backend. Its database backend tokenizes like a Western language — a run of Chinese is
one token, so "电话" never finds "前台电话礼仪速查" — and on SQLite it turns the view's
`search_fields` into FTS5 column filters, but the FTS5 table only has the columns
`title`, `body` and `autocomplete`: `search_fields = ["name"]` on the question bank was
"no such column: name", a 500. These listings therefore never use the backend
(`search_backend_name = None`) and search their own columns.
"""

from __future__ import annotations

from wagtail.snippets.views.snippets import IndexView

from .search_queries import search_by_substring


class SubstringSearchMixin:
    """For a Wagtail listing view: search `search_fields` by substring (first field = the
    title, for the rank); a column the trainer sorts by wins over the rank."""

    search_backend_name = None

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return search_by_substring(
            queryset,
            self.search_query,
            self.search_fields or [],
            ranked=not self.is_explicitly_ordered,
        )


class SubstringSearchIndexView(SubstringSearchMixin, IndexView):
    """A snippet listing searched by substring."""


class SubstringSearchViewSetMixin:
    """For a `SnippetViewSet`: its listing searched by substring over `search_fields`."""

    index_view_class = SubstringSearchIndexView
    search_backend_name = None
