"""The API's pagination for long lists: page numbers, never a COUNT of the table."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE = 1_000_000


class PageWithoutCount(BasePagination):
    """Page-number pagination that never counts the table: one query per page, whatever its size."""

    page_size = 50
    max_page_size = 200

    def paginate_queryset(self, queryset, request: Request, view=None) -> list:
        self.request = request
        self.page = self._positive_int(request, "page", 1)
        self.size = min(
            self._positive_int(request, "page_size", self.page_size), self.max_page_size
        )
        start = (self.page - 1) * self.size
        rows = list(queryset[start : start + self.size + 1])
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    def get_paginated_response(self, data) -> Response:
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, "page", self.page + 1) if self.has_next else None
        previous_url = None
        if self.page == 2:
            previous_url = remove_query_param(url, "page")
        elif self.page > 2:
            previous_url = replace_query_param(url, "page", self.page - 1)
        return Response(
            {
                "page": self.page,
                "page_size": self.size,
                "next": next_url,
                "previous": previous_url,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "properties": {
                "page": {"type": "integer"},
                "page_size": {"type": "integer"},
                "next": {"type": "string", "nullable": True},
                "previous": {"type": "string", "nullable": True},
                "results": schema,
            },
        }

    @staticmethod
    def _positive_int(request: Request, name: str, default: int) -> int:
        raw = request.query_params.get(name)
        if raw in (None, ""):
            return default
        try:
            value = int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise ValidationError({name: ["Must be a positive whole number."]})
        if value > MAX_PAGE:
            # An offset past the database's integer range was a 500; no desk has this many pages.
            raise ValidationError({name: [f"Must be at most {MAX_PAGE:,}."]})
        return value
