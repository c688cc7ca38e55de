"""Every problem type this service answers with: the one table of codes, titles and meanings.

An error's class names its code (`contentapi.errors`, or DRF's `default_code`); its title and
what it means come from here, for the problem document, the OpenAPI examples and the
`/problems/{code}` pages alike, so no two places can word one problem differently. Pure data
and plain functions: no HTTP here (`contentapi.exception_handler` writes the responses).
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings

PROBLEM_CONTENT_TYPE = "application/problem+json"


@dataclass(frozen=True)
class ProblemType:
    title: str
    description: str


PROBLEM_TYPES: dict[str, ProblemType] = {
    "validation-failed": ProblemType(
        "The request has invalid fields",
        "One or more fields of the body or query string are wrong; `errors` lists each "
        "field, a message and a code. Fix them and send the request again.",
    ),
    "bad-request": ProblemType(
        "Bad request", "The request could not be read (e.g. malformed JSON)."
    ),
    "parse-error": ProblemType("Malformed request body", "The body is not valid JSON."),
    "not-authenticated": ProblemType(
        "Authentication required",
        "Send `Authorization: Token <token>` (staff) or `Authorization: Api-Key <key>` "
        "(integrators), as the endpoint says.",
    ),
    "authentication-failed": ProblemType(
        "Invalid credentials",
        "The token or API key is unknown, revoked or expired. Repeated failures from one "
        "address are rate limited.",
    ),
    "permission-denied": ProblemType(
        "Forbidden",
        "The credentials are valid but lack the role or scope this needs; `detail` says which.",
    ),
    "not-allowed": ProblemType(
        "You are not allowed to do this",
        "A rule of the workflow refuses this for you: a missing role, or four-eyes (nobody "
        "approves text they wrote). `detail` says which.",
    ),
    "not-found": ProblemType("Not found", "No such resource, or it is not live."),
    "method-not-allowed": ProblemType(
        "Method not allowed", "This path does not take this HTTP method."
    ),
    "not-acceptable": ProblemType(
        "Not acceptable", "The service cannot answer in the media type asked."
    ),
    "unsupported-media-type": ProblemType(
        "Unsupported media type", "Send the body as `application/json`."
    ),
    "cursor-ahead": ProblemType(
        "The cursor is past the end of the feed",
        "The feed never gave out this cursor as it is now: the service's database was "
        "probably restored from a backup. Follow the feed again from the start (no `since`) "
        "and drop every article it does not leave live; `detail` says the feed's newest "
        "cursor.",
    ),
    "conflict": ProblemType(
        "Conflict with the current state", "The resource changed; read it again."
    ),
    "invalid-transition": ProblemType(
        "The revision's state does not allow this",
        "The workflow step needs another state (e.g. approve needs `in_review`). Nothing "
        "was changed.",
    ),
    "stale-revision": ProblemType(
        "Your edit is based on an old revision",
        "`base_revision` is not the latest revision: read the latest, reapply your changes "
        "and send them again. Nothing was saved.",
    ),
    "precondition-failed": ProblemType(
        "The resource has changed since you read it",
        "`If-Match` names an old version: read the resource again (GET gives its ETag) and "
        "reapply your edit.",
    ),
    "precondition-required": ProblemType(
        "This request must be conditional",
        "Send `If-Match` with the ETag from GET, so that an edit never overwrites another.",
    ),
    "payload-too-large": ProblemType(
        "Payload too large", "The body is larger than the service accepts."
    ),
    "rate-limited": ProblemType(
        "Too many requests",
        "Past the rate limit of this key, user or address; wait `Retry-After` seconds. "
        "`RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` say where you stand.",
    ),
    "throttled": ProblemType(
        "Too many requests", "Wait `Retry-After` seconds before trying again."
    ),
    "database-unavailable": ProblemType(
        "Service unavailable",
        "The database is not answering; the request changed nothing. Retry after "
        "`Retry-After` seconds.",
    ),
    "replica-behind": ProblemType(
        "Service unavailable",
        "The request asked for content no older than a feed cursor (`min_cursor`, or the "
        "feed's `since`); the read replica that would answer has not replayed that far, and "
        "the primary database does not answer. Nothing older is served. Retry after "
        "`Retry-After` seconds.",
    ),
    "cache-unavailable": ProblemType(
        "Service unavailable",
        "This needs the shared cache (Redis), which is not answering; the request changed "
        "nothing. Retry after `Retry-After` seconds.",
    ),
    "handouts-unavailable": ProblemType(
        "Handouts unavailable",
        "This server cannot make PDF handouts: WeasyPrint's system libraries (pango) are "
        "not installed. The patient page itself works; an operator installs them "
        "(README, system packages).",
    ),
    "handout-being-made": ProblemType(
        "Handout being made",
        "This handout is being made for another request and was not ready in time (a long "
        "article takes several seconds). Retry after `Retry-After` seconds.",
    ),
    "server-error": ProblemType(
        "Server error", "Something failed on our side; it has been logged."
    ),
}

# The code of an error known only by its HTTP status (a DRF exception without a code of its
# own, Django's 400 and 500 pages).
CODE_FOR_STATUS = {
    400: "bad-request",
    401: "not-authenticated",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    412: "precondition-failed",
    413: "payload-too-large",
    415: "unsupported-media-type",
    428: "precondition-required",
    429: "throttled",
    500: "server-error",
    503: "database-unavailable",
}

# Every 404 says the same: a client cannot tell (and need not) whether the id was never
# used, the article is not live, or the path does not exist.
NOT_FOUND_DETAIL = "Not found: there is no such resource here, or it is not live."


def title_of(code: str) -> str:
    """The title of a problem code (every code the service uses is in the table)."""
    return PROBLEM_TYPES[code].title


def problem_type(code: str) -> str:
    """The URI a problem document's `type` names: this service's page for the code."""
    return f"{settings.PUBLIC_BASE_URL}/problems/{code}"


def problem(
    status_code: int,
    *,
    code: str,
    detail: str,
    errors: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    """An RFC 9457 problem document, titled from the table."""
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title_of(code),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    return body
