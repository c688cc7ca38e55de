"""OpenAPI pieces shared by every endpoint: the problem+json error shape and its responses."""

import copy

from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from contentapi.problems import NOT_FOUND_DETAIL, problem_type, title_of


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


def _problem(status: int, code: str, detail: str) -> OpenApiResponse:
    """A documented error response with an example, titled from the one table."""
    return OpenApiResponse(
        response=ProblemSerializer,
        description=title_of(code),
        examples=[
            OpenApiExample(
                code,
                value={
                    "type": problem_type(code),
                    "title": title_of(code),
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
                "title": title_of("validation-failed"),
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
UNAUTHORIZED = _problem(401, "not-authenticated", "Send 'Authorization: Token <token>'.")
FORBIDDEN = _problem(403, "not-allowed", "Only a user with the reviewer role may approve this.")
NOT_FOUND = _problem(404, "not-found", NOT_FOUND_DETAIL)
CONFLICT = _problem(
    409, "invalid-transition", "Revision 2 is draft; approve needs it to be in_review."
)
PRECONDITION_FAILED = _problem(
    412, "precondition-failed", "The revision has changed since you read it."
)
PRECONDITION_REQUIRED = _problem(
    428, "precondition-required", "Send If-Match with the revision's ETag."
)
TOO_LARGE = _problem(413, "payload-too-large", "The request body is larger than 1048576 bytes.")

STAFF_ERRORS = {401: UNAUTHORIZED, 403: FORBIDDEN}
WRITE_ERRORS = {400: BAD_REQUEST, **STAFF_ERRORS, 413: TOO_LARGE}


def _problem_response(description: str, *, retry_after: bool = False) -> dict:
    response: dict = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
    if retry_after:
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return response


# What any operation can answer, by what it takes: a view documents its own wording and
# examples where it has them, and these fill in the rest, so no status goes undocumented.
ANY_REQUEST = {
    "429": _problem_response(
        "Too many requests for this key, user or address: wait `Retry-After` seconds.",
        retry_after=True,
    ),
    "503": _problem_response(
        "The database is not answering (`database-unavailable`), or, for a delivery read "
        "with `min_cursor`, none that answers has replayed that far (`replica-behind`); "
        "nothing changed. Retry after `Retry-After`.",
        retry_after=True,
    ),
}
WITH_CREDENTIALS = {
    "401": _problem_response(
        "No credentials, the wrong scheme, or a revoked token or key: `detail` says which."
    ),
    "403": _problem_response(
        "The credentials lack the role or scope this needs: `detail` names it."
    ),
}
WITH_PATH_PARAMETERS = {"404": _problem_response(f"Not found: {NOT_FOUND_DETAIL}")}
WITH_INPUT = {"400": _problem_response("Invalid input: `errors` lists each field's problem.")}
WITH_BODY = {
    "413": _problem_response(
        "The body is larger than the service accepts: `detail` says the limit."
    )
}


def problem_media_type_hook(result: dict, generator: object, request: object, public: bool) -> dict:
    """drf-spectacular post-processing: every operation documents every status it can answer,
    and every 4xx and 5xx body is application/problem+json.

    The views declare their own error responses (with wording and examples) with
    ProblemSerializer; this adds what follows from the operation's shape (credentials, path
    parameters, query parameters, a body, and the rate limits and outages any request can
    meet), and makes the document say the media type errors are really sent with.
    """
    for path, item in result.get("paths", {}).items():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            implied = dict(ANY_REQUEST)
            if operation.get("security"):
                implied |= WITH_CREDENTIALS
            if "{" in path:
                implied |= WITH_PATH_PARAMETERS
            if "requestBody" in operation or any(
                parameter.get("in") == "query" for parameter in operation.get("parameters", [])
            ):
                implied |= WITH_INPUT
            if "requestBody" in operation:
                implied |= WITH_BODY
            for status, response in implied.items():
                responses.setdefault(status, copy.deepcopy(response))
            for status, response in responses.items():
                content = response.get("content") if isinstance(response, dict) else None
                if str(status)[:1] in ("4", "5") and content and "application/json" in content:
                    content["application/problem+json"] = content.pop("application/json")
            operation["responses"] = dict(sorted(responses.items()))
    return result
