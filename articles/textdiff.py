"""Differences between two texts: word by word for a reviewer reading what changed, line by
line for the API's view of a Markdown body.

Pure functions, no database. The review page diffs what patients read (the text of the
rendered body, the title, the summary ...), not the Markdown behind it: a physician should
see "call your doctor" become "call your surgeon", not asterisks moving.
"""

import difflib
import re
from dataclasses import dataclass
from typing import Literal

# Words with the punctuation that touches them ("hour.", "(CT)"), and runs of white space:
# each is one token, so a change is shown to the word. (Punctuation as tokens of its own
# lets the matcher pair a full stop with a far-away one and split a sentence oddly.)
_TOKEN = re.compile(r"\s+|\S+", re.UNICODE)

Kind = Literal["same", "ins", "del"]


@dataclass(frozen=True)
class Segment:
    """A run of text that both texts share (`same`), or that only the new one has (`ins`), or
    only the old one (`del`)."""

    kind: Kind
    text: str


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(before: str, after: str) -> list[Segment]:
    """`after` as a sequence of shared, inserted and deleted runs of words.

    Joining the `same` and `del` segments gives `before`, and joining `same` and `ins` gives
    `after`, up to white space: the space before a pure insertion or deletion is shown as
    shared. A replaced run is shown as its deletion, then its insertion. White space is
    never a change of its own, and changes separated only by a space are shown as one
    (`del` "a b", `ins` "c d", not four fragments).
    """
    old, new = tokens(before), tokens(after)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[tuple[str, str, str]] = []  # (kind, old text, new text)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = "".join(old[i1:i2]), "".join(new[j1:j2])
        if op == "equal" or not (removed.strip() or added.strip()):
            pieces.append(("same", added, added))
        else:
            pieces.append(("change", removed, added))
    segments: list[Segment] = []
    index = 0
    while index < len(pieces):
        kind, removed, added = pieces[index]
        if kind == "same":
            _append(segments, "same", added)
            index += 1
            continue
        # A run of changes, with only white space between them, becomes one change.
        deleted, inserted = [removed], [added]
        index += 1
        while (
            index + 1 < len(pieces)
            and _blank_same(pieces[index])
            and (pieces[index + 1][0] == "change")
        ):
            space = pieces[index][2]
            deleted += [space, pieces[index + 1][1]]
            inserted += [space, pieces[index + 1][2]]
            index += 2
        old_text, new_text = "".join(deleted), "".join(inserted)
        # A pure insertion or deletion starts at its first word: the line break or space
        # before it is shared text (a new paragraph is not marked from the previous line).
        for only, other in ((new_text, old_text), (old_text, new_text)):
            if only.strip() and not other.strip():
                _append(segments, "same", only[: len(only) - len(only.lstrip())])
        if old_text.strip():
            _append(segments, "del", old_text if new_text.strip() else old_text.lstrip())
        if new_text.strip():
            _append(segments, "ins", new_text if old_text.strip() else new_text.lstrip())
    return segments


def _blank_same(piece: tuple[str, str, str]) -> bool:
    return piece[0] == "same" and not piece[2].strip()


def _append(segments: list[Segment], kind: Kind, text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1] = Segment(kind, segments[-1].text + text)
    else:
        segments.append(Segment(kind, text))


def changed_words(segments: list[Segment]) -> tuple[int, int]:
    """How many words the diff inserts and deletes (punctuation and spaces not counted)."""
    counts = {"ins": 0, "del": 0}
    for segment in segments:
        if segment.kind in counts:
            counts[segment.kind] += len(re.findall(r"\w+", segment.text))
    return counts["ins"], counts["del"]


def line_diff(before: str, after: str, before_label: str, after_label: str) -> list[str]:
    """A unified diff of two texts, line by line (no line endings): what the API shows of a
    Markdown body, where a reader of the source wants whole lines."""
    return list(
        difflib.unified_diff(
            before.splitlines(),
            after.splitlines(),
            fromfile=before_label,
            tofile=after_label,
            lineterm="",
        )
    )
