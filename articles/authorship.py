"""Who wrote the words of a revision: its contributors, whom the four-eyes rule excludes.

The contributors of a revision are the authors of that revision and of every revision it was
based on, back to (not including) the nearest ancestor that a reviewer approved. Whoever
copies a colleague's revision unchanged into a new one does not make its words theirs: the
colleague is still a contributor and still may not approve it.
"""

from dataclasses import dataclass

from articles.models import Revision


@dataclass(frozen=True)
class Contributor:
    """One person who wrote part of a revision's text, and in which revisions."""

    user_id: int
    username: str
    revisions: tuple[int, ...]  # newest first


@dataclass(frozen=True)
class _Row:
    base: int | None
    author_id: int
    author: str
    approved: bool


def _lineage(rows: dict[int, _Row], number: int) -> list[Contributor]:
    """Walk from `number` back through its bases to the nearest approved ancestor."""
    written: dict[tuple[int, str], list[int]] = {}
    current: int | None = number
    while current is not None and current in rows:
        row = rows[current]
        if current != number and row.approved:
            break
        written.setdefault((row.author_id, row.author), []).append(current)
        current = row.base
    return [Contributor(pk, name, tuple(numbers)) for (pk, name), numbers in written.items()]


def _rows(article_id: int, up_to: int | None = None) -> dict[int, _Row]:
    revisions = Revision.objects.filter(article_id=article_id)
    if up_to is not None:
        revisions = revisions.filter(number__lte=up_to)
    return {
        number: _Row(base, author_id, author, approved_by_id is not None)
        for number, base, author_id, author, approved_by_id in revisions.values_list(
            "number", "base_revision", "author_id", "author__username", "approved_by_id"
        )
    }


def revision_contributors(revision: Revision) -> list[Contributor]:
    """The contributors of one revision (one query)."""
    return _lineage(_rows(revision.article_id, revision.number), revision.number)


def article_contributors(article_id: int) -> dict[int, list[Contributor]]:
    """The contributors of every revision of an article, by revision number (one query)."""
    rows = _rows(article_id)
    return {number: _lineage(rows, number) for number in rows}


def contribution_of(user_id: int, contributors: list[Contributor]) -> Contributor | None:
    """What `user_id` wrote of the text, if anything."""
    return next((c for c in contributors if c.user_id == user_id), None)


def revisions_phrase(numbers: tuple[int, ...]) -> str:
    """'revision 1' or 'revisions 1 and 3' or 'revisions 1, 2 and 4', oldest first."""
    ordered = [str(n) for n in sorted(numbers)]
    if len(ordered) == 1:
        return f"revision {ordered[0]}"
    return f"revisions {', '.join(ordered[:-1])} and {ordered[-1]}"
