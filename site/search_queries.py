"""Searching a queryset by substring: the SQL form of `academy.search_text` (terms ANDed,
each in any of the fields), the same on SQLite and PostgreSQL. Used by the admin's listings
(`academy.admin_search`) and the learner's lesson search (`courses.selectors`)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import and_, or_

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .search_text import terms

SEARCH_RANK = "_search_rank"


def substring_condition(found: Sequence[str], fields: Sequence[str]) -> Q:
    """Every term in at least one of `fields` (case-insensitive substring)."""
    return reduce(
        and_,
        (reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields)) for term in found),
    )


def rank_expression(query: str, found: Sequence[str], title_field: str) -> Case:
    """0: the title is the query; 1: it starts with it; 2: it holds every term; 3: the
    match is in another field. The listing's own order decides within a rank."""
    return Case(
        When(**{f"{title_field}__iexact": query.strip()}, then=Value(0)),
        When(**{f"{title_field}__istartswith": "".join(found)}, then=Value(1)),
        When(substring_condition(found, [title_field]), then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )


def search_by_substring(
    queryset: QuerySet, query: str | None, fields: Sequence[str], *, ranked: bool = True
) -> QuerySet:
    """`queryset` narrowed to what `query` finds in `fields`, the best matches first (the
    first field is the title) unless `ranked` is false. Nothing to find: unchanged."""
    found = terms(query)
    if not found or not fields:
        return queryset
    queryset = queryset.filter(substring_condition(found, fields))
    if any("__" in field for field in fields):
        # A search across a relation may repeat a row (one per related match).
        queryset = queryset.distinct()
    if not ranked:
        return queryset
    order = list(queryset.query.order_by) or list(queryset.model._meta.ordering) or ["pk"]
    return queryset.annotate(**{SEARCH_RANK: rank_expression(query, found, fields[0])}).order_by(
        SEARCH_RANK, *order
    )
