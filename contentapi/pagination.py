"""Pagination with the `{"count", "results", "next", "previous"}` body of every list."""

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response


class PageNumberLinks(PageNumberPagination):
    """Page-number pagination with `page` and `page_size` (max 100), links and the total.

    The paginator counts the rows anyway (to know the last page), so `count` is free.
    """

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.page.paginator.count,
                "results": data,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
            }
        )

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
