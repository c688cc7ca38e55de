"""Conditional-request helpers: ETag formatting and If-Match / If-None-Match comparison."""

from rest_framework.request import Request

from contentapi.errors import PreconditionFailed, PreconditionRequired


def quote_etag(opaque: str) -> str:
    return f'"{opaque}"'


def _listed_etags(header: str) -> list[str]:
    return [part.strip() for part in header.split(",") if part.strip()]


def _strip_weak(etag: str) -> str:
    return etag[2:] if etag.startswith("W/") else etag


def if_none_match_hits(request: Request, etag: str) -> bool:
    """True when If-None-Match names `etag` (weak comparison) or is `*`: answer 304."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    listed = _listed_etags(header)
    return "*" in listed or _strip_weak(etag) in {_strip_weak(tag) for tag in listed}


def require_if_match(request: Request) -> str:
    """The If-Match header's value; 428 when it is missing."""
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired(
            "Send If-Match with the ETag of the revision you edited (from GET)."
        )
    return header


def check_if_match(header: str, current_etag: str) -> None:
    """412 unless If-Match names the current ETag (strong comparison, or `*`)."""
    listed = _listed_etags(header)
    if "*" in listed or current_etag in listed:
        return
    raise PreconditionFailed(
        "The revision has changed since you read it: fetch it again and reapply your edit."
    )
