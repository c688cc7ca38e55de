"""The locks that writes take, in the one order: the changes feed, then articles by id.

Every transaction that changes what readers see takes the feed lock first (only
`articles.read_side.delivery_change` does), so such transactions run one at a time and
their change events commit in id order. Article row locks come after it. Transitions that
leave delivery alone take only their article's lock.
"""

from django.db import connection

from articles.models import Article

# Any constant shared by every process; names the PostgreSQL advisory lock of the feed.
FEED_LOCK_KEY = 0x5E_ED_0F_EE


def feed_lock() -> None:
    """Serialise every change to delivery until the transaction ends.

    Call it only through `read_side.delivery_change`, before any article lock. SQLite needs
    nothing: its IMMEDIATE transactions already admit one writer at a time.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])


def article_lock(article_id: int) -> Article:
    """The article row, locked until the transaction ends (waits for another holder)."""
    return Article.objects.select_for_update().get(pk=article_id)


def article_lock_or_skip(article_id: int) -> Article | None:
    """The article row locked, or None at once if another transaction holds it (or it is
    gone): how a background job claims work without waiting behind a person."""
    return Article.objects.select_for_update(skip_locked=True).filter(pk=article_id).first()
