"""Page-numbered lists with the total and links to the neighbouring pages.

A view returns a `Listing`: the ordered queryset to page through, and optionally what to do
with one page of its rows — fetch what the page needs in one query per kind (competency
levels, say) and turn the rows into response items. So the queries of a list do not grow
with its page size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


@dataclass
class Listing:
    rows: QuerySet
    prepare: Callable[[list], list] | None = None


class PageNumbers(PaginationBase):
    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page."
        )

    class Output(Schema):
        count: int = Field(description="Items on all pages together.")
        page: int
        page_size: int
        next: str | None = Field(description="URL of the next page; null on the last.")
        previous: str | None = Field(description="URL of the previous page; null on the first.")
        items: list[Any]

    items_attribute = "items"

    def paginate_queryset(
        self, queryset: Listing | QuerySet, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        listing = queryset if isinstance(queryset, Listing) else Listing(queryset)
        page, size = pagination.page, pagination.page_size
        count = listing.rows.count()
        start = (page - 1) * size
        rows = list(listing.rows[start : start + size]) if start < count else []
        items = listing.prepare(rows) if listing.prepare and rows else rows
        return {
            "count": count,
            "page": page,
            "page_size": size,
            "next": _page_url(request, page + 1) if start + size < count else None,
            "previous": _page_url(request, page - 1) if page > 1 else None,
            "items": items,
        }


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
