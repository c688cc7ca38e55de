"""What changed between two revisions of an article, field by field: for the API a line diff
of the Markdown body, for the review pages a word diff of what patients read. Both compare the
same fields, through one diff engine (`articles.textdiff`)."""

import re
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from articles.content import RevisionContent
from articles.models import Revision
from articles.textdiff import Segment, changed_words, line_diff, word_diff
from delivery.codes import CodeSystem
from delivery.plain_language import reading_text
from delivery.rendering import markdown_to_html

DIFF_FIELDS = ("title", "summary", "editor_note", "topics", "codes", "sources", "authors")


def revision_diff(base: Revision, revision: Revision) -> dict[str, Any]:
    """What changed from `base` to `revision`: each changed field, and a line diff of the body."""
    before, after = RevisionContent.of(base), RevisionContent.of(revision)
    changed = [
        {
            "field": name,
            "before": _plain(getattr(before, name)),
            "after": _plain(getattr(after, name)),
        }
        for name in (*DIFF_FIELDS, "body")
        if getattr(before, name) != getattr(after, name)
    ]
    body_diff = line_diff(
        before.body, after.body, f"revision {base.number}", f"revision {revision.number}"
    )
    return {
        "base": base.number,
        "revision": revision.number,
        "changed": changed,
        "body_diff": body_diff,
    }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


@dataclass(frozen=True)
class FieldDiff:
    """One field of the revision as a word diff against the base."""

    label: str
    segments: list[Segment]
    inserted: int
    deleted: int


def _review_texts(revision: Revision) -> dict[str, str]:
    """Each field as the reader sees it, as plain text to diff word by word."""
    content = RevisionContent.of(revision)
    return {
        "Title": content.title,
        "Summary": content.summary,
        # One paragraph per block, as the reader meets them: "\n\n" between blocks.
        "Body": reading_text(markdown_to_html(content.body)).replace("\n", "\n\n"),
        "Editor's note": content.editor_note,
        "Topics": ", ".join(t.name for t in revision.topics.all()),
        "Medical codes": "\n".join(
            f"{CodeSystem(c.system).label} {c.code} {c.display}".strip()
            for c in revision.codes.all()
        ),
        "Sources": "\n".join(f"{s.get('title', '')} ({s.get('url', '')})" for s in content.sources),
        "Authors": "\n".join(
            ", ".join(part for part in (a.get("name", ""), a.get("credentials", "")) if part)
            for a in content.authors
        ),
    }


def review_diff(
    base: Revision, revision: Revision, *, skip: tuple[str, ...] = ()
) -> tuple[list[FieldDiff], list[str]]:
    """The fields that changed from `base` to `revision` as word diffs, and the labels of
    those that did not; the fields labelled in `skip` are left out (the review page marks
    the body's changes in the rendered article instead)."""
    before, after = _review_texts(base), _review_texts(revision)
    changed, unchanged = [], []
    for label, text in after.items():
        if label in skip:
            continue
        if text == before[label]:
            unchanged.append(label)
            continue
        segments = word_diff(before[label], text)
        inserted, deleted = changed_words(segments)
        changed.append(FieldDiff(label, segments, inserted, deleted))
    return changed, unchanged


# An ATX heading ("## Warning signs") and a code fence, as CommonMark opens them.
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")


def markdown_sections(body: str) -> list[str]:
    """`body` cut before each heading (none inside a fenced code block): first what comes
    before the first heading ("" if nothing), then one section per heading, with it."""
    sections: list[list[str]] = [[]]
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened[1]
        elif fence is not None and opened and opened[1] == fence:
            fence = None
        elif fence is None and _HEADING_LINE.match(line):
            sections.append([])
        sections[-1].append(line)
    return ["".join(lines) for lines in sections]


def aligned_sections(translation: str, source: str) -> list[tuple[str, str]]:
    """A translation's body beside its source's, section by section: the text before the
    first heading with the other's, then the n-th heading's section with the n-th. Each is
    rendered as patients see it; "" where one text has nothing to put there."""
    pairs = zip_longest(markdown_sections(translation), markdown_sections(source), fillvalue="")
    return [
        (_rendered(mine), _rendered(theirs))
        for mine, theirs in pairs
        if mine.strip() or theirs.strip()
    ]


def _rendered(markdown: str) -> str:
    return markdown_to_html(markdown) if markdown.strip() else ""
