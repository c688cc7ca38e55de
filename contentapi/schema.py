"""OpenAPI pieces shared by every endpoint: the problem+json error shape and its responses."""

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from contentapi.errors import NOT_FOUND_DETAIL, problem_type


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="Path of the field, e.g. `codes[0].code`.")
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An RFC 9457 problem document (`application/problem+json`)."""

    type = serializers.URLField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField(help_text="Machine-readable error code.")
    errors = FieldErrorSerializer(many=True, required=False, help_text="Field errors (400).")


def _problem(description: str, status: int, code: str, detail: str) -> OpenApiResponse:
    return OpenApiResponse(
        response=ProblemSerializer,
        description=description,
        examples=[
            OpenApiExample(
                code,
                value={
                    "type": problem_type(code),
                    "title": description,
                    "status": status,
                    "detail": detail,
                    "code": code,
                },
                response_only=True,
                status_codes=[str(status)],
            )
        ],
    )


BAD_REQUEST = OpenApiResponse(
    response=ProblemSerializer,
    description="Invalid input: `errors` lists each field's problem.",
    examples=[
        OpenApiExample(
            "validation-failed",
            value={
                "type": problem_type("validation-failed"),
                "title": "The request has invalid fields",
                "status": 400,
                "detail": "topics: Unknown topic 'breast-helth'.",
                "code": "validation-failed",
                "errors": [
                    {
                        "field": "topics",
                        "message": "Unknown topic 'breast-helth'.",
                        "code": "unknown_topic",
                    }
                ],
            },
            response_only=True,
            status_codes=["400"],
        )
    ],
)
UNAUTHORIZED = _problem(
    "Authentication required", 401, "not-authenticated", "Invalid or revoked token."
)
FORBIDDEN = _problem(
    "Forbidden", 403, "not-allowed", "Only a user with the reviewer role may approve a revision."
)
NOT_FOUND = _problem("Not found", 404, "not-found", NOT_FOUND_DETAIL)
CONFLICT = _problem(
    "Conflict with the current state",
    409,
    "invalid-transition",
    "Revision 2 is draft; approve needs it to be in_review.",
)
PRECONDITION_FAILED = _problem(
    "Precondition failed", 412, "precondition-failed", "The revision has changed since you read it."
)
PRECONDITION_REQUIRED = _problem(
    "Precondition required", 428, "precondition-required", "Send If-Match with the revision's ETag."
)
TOO_LARGE = _problem(
    "Payload too large", 413, "payload-too-large", "The request body is larger than 1048576 bytes."
)

STAFF_ERRORS = {401: UNAUTHORIZED, 403: FORBIDDEN}
WRITE_ERRORS = {400: BAD_REQUEST, **STAFF_ERRORS, 413: TOO_LARGE}


def problem_media_type_hook(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular post-processing: every 4xx and 5xx body is application/problem+json,
    and every operation documents the 429 and 503 any request can meet.

    The views declare their error responses with ProblemSerializer; this makes the document
    say the media type they are really sent with.
    """
    shared = {
        "429": "Too many requests for this key, user or address: wait `Retry-After` seconds.",
        "503": "The database is not answering; nothing changed. Retry after `Retry-After`.",
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.get("responses", {})
            for status, description in shared.items():
                # Every operation can meet a rate limit or a database outage.
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                        },
                    },
                )
            for status, response in responses.items():
                content = response.get("content") if isinstance(response, dict) else None
                if str(status)[:1] in ("4", "5") and content and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
    return result
