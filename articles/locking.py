"""The write side's row locks, taken in the one order: the changes feed first (entering the
read side's door, `articles.publication.publication`), then articles by id.

Every transaction that changes what readers see holds the feed lock, so such transactions run
one at a time and their change events commit in id order. Article row locks come after it.
Transitions that leave delivery alone take only their article's lock.
"""

from articles.models import Article


def article_lock(article_id: int) -> Article:
    """The article row, locked until the transaction ends (waits for another holder)."""
    return Article.objects.select_for_update().get(pk=article_id)


def article_lock_or_skip(article_id: int) -> Article | None:
    """The article row locked, or None at once if another transaction holds it (or it is
    gone): how a background job claims work without waiting behind a person."""
    return Article.objects.select_for_update(skip_locked=True).filter(pk=article_id).first()
