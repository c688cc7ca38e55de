"""CDN cache tags: the names under which delivery responses are cached and purged.

Delivery responses carry them in `Surrogate-Key` (Fastly) and `Cache-Tag` (Cloudflare), and
each webhook's `data.purge_keys` lists the ones a change makes stale, so a receiver can purge
a CDN by tag on every change.
"""

from collections.abc import Iterable

ARTICLES_LIST = "articles"
TOPICS_LIST = "topics"


def article_key(slug: str, locale: str) -> str:
    return f"article-{slug}-{locale}"


def topic_key(slug: str) -> str:
    return f"topic-{slug}"


def list_key(locale: str) -> str:
    return f"articles-{locale}"


def detail_keys(slug: str, locale: str, topics: Iterable[str]) -> list[str]:
    """What a live article's detail response is tagged with."""
    return [article_key(slug, locale), *(topic_key(topic) for topic in topics)]


def change_keys(detail: Iterable[str], locale: str) -> list[str]:
    """What a change to a live article makes stale: its detail (tagged `detail`) and every
    list showing it."""
    return [*detail, ARTICLES_LIST, list_key(locale), TOPICS_LIST]


def list_keys(locale: str | None = None, topic: str | None = None) -> list[str]:
    """What a page of the live-article list is tagged with."""
    keys = [ARTICLES_LIST]
    if locale:
        keys.append(list_key(locale))
    if topic:
        keys.append(topic_key(topic))
    return keys


def header_value(keys: Iterable[str]) -> str:
    """Keys as stored and as `Surrogate-Key` sends them: space-separated (keys have none)."""
    return " ".join(keys)


def tag_headers(tags: str) -> dict[str, str]:
    """The CDN headers for space-separated `tags`: Fastly's and Cloudflare's spelling."""
    return {"Surrogate-Key": tags, "Cache-Tag": tags.replace(" ", ",")}
