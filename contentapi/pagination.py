"""Pagination with the `{"count", "results", "next", "previous"}` body of every list."""

from typing import Any

from django.core.paginator import Page, Paginator
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from contentapi.inputs import validated

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 100


class PageQuerySerializer(serializers.Serializer):
    """`page` and `page_size`, with the bounds every list states in the schema."""

    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=1)
    page_size = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=20
    )


class PageNumberLinks(PageNumberPagination):
    """Page-number pagination with `page` and `page_size` (max 100), links and the total.

    The same rules as the delivery list: a `page` or `page_size` out of its stated range is a
    400 naming it, and a page past the last one is empty (with `count`), never a 404. The
    paginator counts the rows anyway (to know the last page), so `count` is free.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        query = validated(PageQuerySerializer, request.query_params)
        number, size = query["page"], query["page_size"]
        paginator = Paginator(queryset, size)
        start = (number - 1) * size
        self.page = Page(list(queryset[start : start + size]), number, paginator)
        self.request = request
        return list(self.page)

    def get_page_size(self, request: Request) -> int:
        return int(validated(PageQuerySerializer, request.query_params)["page_size"])

    def get_previous_link(self) -> str | None:
        """The page before this one; past the end, the last page there is."""
        if not self.page.has_previous():
            return None
        number = min(self.page.number - 1, self.page.paginator.num_pages)
        url = self.request.build_absolute_uri()
        if number == 1:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "results": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
            }
        )

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "The page number; past the last page the list is empty.",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": "How many items a page holds.",
                "schema": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_PAGE_SIZE,
                    "default": self.page_size,
                },
            },
        ]

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "results", "next", "previous"],
            "properties": {
                "count": {"type": "integer", "description": "How many items all pages hold."},
                "results": schema,
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
            },
        }
