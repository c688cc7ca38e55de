"""Conditional requests: If-None-Match for reads, If-Match for edits, with Django's parsing."""

from django.utils.http import parse_etags
from rest_framework.request import Request

from contentapi.errors import PreconditionRequired


def _weak(etag: str) -> str:
    return etag.removeprefix("W/")


def if_none_match_hits(request: Request, etag: str) -> bool:
    """True when If-None-Match names `etag` (weak comparison) or is `*`: answer 304."""
    header = request.headers.get("If-None-Match")
    if not header:
        return False
    listed = parse_etags(header)
    return listed == ["*"] or _weak(etag) in {_weak(tag) for tag in listed}


def if_match_etags(request: Request) -> list[str]:
    """The strong ETags If-Match names (`["*"]` for any); 428 when the header is missing.

    Weak ETags never match for If-Match (RFC 9110), so they are left out.
    """
    header = request.headers.get("If-Match")
    if not header:
        raise PreconditionRequired(
            "Send If-Match with the ETag of the revision you edited (from GET)."
        )
    return [tag for tag in parse_etags(header) if not tag.startswith("W/")]
