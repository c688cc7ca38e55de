"""A rendered compare: a revision's body as patients will read it, with what changed marked in
place (`<ins>`, `<del>`), for clinical reviewers. Pure functions, no database.

Both bodies are rendered by delivery's own `markdown_to_html`, and the diff is taken between the
two rendered documents, not between the Markdown sources: the marks are added to the tree of
the new document, so its headings, lists, tables and code blocks keep exactly the shape
delivery gives them, and nothing an editor types can be read as a mark (there are no sentinel
characters to forge, and every piece of text is escaped when the tree is written back).

How it works:

* Each document is cut into *text blocks*: the runs of inline content (text, emphasis, links,
  code, line breaks) inside a block element: a paragraph, heading, list item, table cell,
  code block. The two lists are aligned like the lines of a file (difflib), then within a
  replaced range paired up by words in common, block with block of the same kind.
* A paired block that changed is diffed word by word (the review page's tokens,
  `articles.textdiff.tokens`): inserted words are wrapped in `<ins>` inside the new
  document's text, deleted words are put back where they were, in `<del>`, copied from the old
  document with the formatting they had (bold, a link ...).
* A block that only the new document has is wrapped whole in `<ins>`; a block that only the
  old one has is copied from the old document, wrapped in `<del>`, into the place it had among
  the blocks that both share: a removed paragraph between its old neighbours, a removed list
  item into the same list, a removed row into the same table, a removed column's cells into
  their rows, a removed section (heading and paragraphs) where it stood. The outermost
  element that is new or gone whole gets the class `diff-inserted` or `diff-deleted`, so a page
  can mark whole blocks differently from words.
* Each mark carries visually-hidden text for screen readers, as the review page's word diff
  does: `<ins><span class="sr-only">[added: </span>…<span class="sr-only">]</span></ins>`.
* The result is cleaned again by nh3 with delivery's allowlist, plus `ins`, `del` and those
  classes. The marks are only ever whole elements put inside a block's inline content, or
  whole blocks copied from a document nh3 produced into a parent of the same kind, so the
  markup is balanced by construction; the second clean is the guard, not the fix.

Code blocks are compared line by line, inside `<pre><code>` (where white space is kept): a
changed line shows as the old line removed, with its line break, then the new one added.

Limits: only words are compared, so a change of markup alone (a word made bold, a link's
address, a code block's language) is not marked, and a block that changed kind (a paragraph
made a heading) shows as removed and added. A removed block goes back into the element its
parent became; where that parent has no counterpart any more (a quote that became plain
paragraphs) it goes back in a copy of it, marked removed. A removed row or column keeps the
cells it had, so a table whose columns also changed can show rows of different lengths.
Private-use characters, `<ins>` typed in the Markdown and the like are text like any other:
delivery's sanitizer has already removed any tag an editor typed.
"""

import difflib
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

from articles.textdiff import Segment, changed_words, tokens
from delivery.rendering import markdown_to_html, sanitize

Mark = Literal["ins", "del"]

INSERTED_CLASS = "diff-inserted"
DELETED_CLASS = "diff-deleted"
_SCREEN_READER = {"ins": "[added: ", "del": "[removed: "}

# Elements that hold blocks or inline content; everything else delivery allows is inline.
BLOCK_TAGS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote", "hr"}
    | {"ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td"}
)
VOID_TAGS = frozenset({"br", "hr"})

# Two blocks in a replaced range are the same block edited when at least this share of their
# words (Jaccard) is common; pairing by similarity tries all pairs up to this many.
PAIRING_CUTOFF = 0.2
PAIRING_LIMIT = 10_000

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class RenderedCompare:
    """`after` rendered as delivery renders it, with the changes from `before` marked in it."""

    html: str
    inserted_words: int
    deleted_words: int


def rendered_compare(before: str, after: str) -> RenderedCompare:
    """Compare two Markdown bodies as patients read them: see the module docstring."""
    old, new = _Document(markdown_to_html(before)), _Document(markdown_to_html(after))
    steps = _align(old.blocks, new.blocks)
    segments: list[Segment] = []
    mapping = _map_parents(old, new, steps)
    deleted = {i for i, j in steps if j is None}
    inserted = {j for i, j in steps if i is None}

    # Old blocks first: they are placed next to the new document's runs, before those change.
    placer = _Placer(new, mapping)
    for root, anchor in _gone_roots(old, deleted, _anchors(steps, len(new.blocks))):
        placer.place(root, anchor)
    for i in sorted(deleted):
        segments.append(Segment("del", old.blocks[i].text))

    for i, j in steps:
        if j is None:
            continue
        block = new.blocks[j]
        if i is None:
            segments.append(Segment("ins", block.text))
            _wrap_whole(block, "ins")
        elif old.blocks[i].text != block.text:
            segments += _mark_words(old.blocks[i], block)
    for _, element in _whole_roots(new, inserted):
        if element is not None:
            element.add_class(INSERTED_CLASS)

    inserted_words, deleted_words = changed_words(segments)
    return RenderedCompare(_clean(new.root.inner_html()), inserted_words, deleted_words)


# ------------------------------------------------------------------------------
# A small HTML tree: what nh3 produced, to change and write back
# ------------------------------------------------------------------------------
class Text:
    __slots__ = ("parent", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.parent: Element | None = None

    def size(self) -> int:
        return len(self.text)

    def html(self, out: list[str]) -> None:
        out.append(html.escape(self.text, quote=False))

    def copy(self) -> "Text":
        return Text(self.text)


class Element:
    __slots__ = ("attrs", "children", "hi", "lo", "parent", "tag")

    def __init__(self, tag: str, attrs: Iterable[tuple[str, str | None]] = ()) -> None:
        self.tag = tag
        self.attrs = list(attrs)
        self.children: list[Node] = []
        self.parent: Element | None = None
        # The blocks inside, as a range of indexes into the document's blocks.
        self.lo = self.hi = 0

    def size(self) -> int:
        """The length of the text inside."""
        return sum(child.size() for child in self.children)

    def append(self, node: "Node") -> None:
        node.parent = self
        self.children.append(node)

    def index(self, node: "Node") -> int:
        return next(i for i, child in enumerate(self.children) if child is node)

    def insert(self, index: int, node: "Node") -> None:
        node.parent = self
        self.children.insert(index, node)

    def replace(self, start: int, stop: int, nodes: list["Node"]) -> None:
        for node in nodes:
            node.parent = self
        self.children[start:stop] = nodes

    def add_class(self, name: str) -> None:
        self.attrs.append(("class", name))

    def copy(self) -> "Element":
        """A deep copy."""
        clone = self.shell()
        for child in self.children:
            clone.append(child.copy())
        return clone

    def shell(self) -> "Element":
        """The element without its content."""
        return Element(self.tag, self.attrs)

    def html(self, out: list[str]) -> None:
        attrs = "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value)}"'
            for name, value in self.attrs
        )
        out.append(f"<{self.tag}{attrs}>")
        self.inner(out)
        if self.tag not in VOID_TAGS:
            out.append(f"</{self.tag}>")

    def inner(self, out: list[str]) -> None:
        for child in self.children:
            child.html(out)

    def inner_html(self) -> str:
        out: list[str] = []
        self.inner(out)
        return "".join(out)


Node = Text | Element


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#root")
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, attrs)
        self.open[-1].append(element)
        if tag not in VOID_TAGS:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].append(Element(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        if any(element.tag == tag for element in self.open[1:]):
            while self.open.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        children = self.open[-1].children
        if children and isinstance(children[-1], Text):
            children[-1].text += data
        else:
            self.open[-1].append(Text(data))


def _parse(fragment: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(fragment)
    builder.close()
    return builder.root


# ------------------------------------------------------------------------------
# Text blocks
# ------------------------------------------------------------------------------
@dataclass(eq=False)
class _Block:
    """A run of inline content in a block element: what a reader reads as one piece of text."""

    parent: Element
    nodes: list[Node]
    text: str
    # Pairs a list item's text with the same text in a loose list, where it is in a <p>.
    kind: str = field(init=False)

    def __post_init__(self) -> None:
        self.kind = self.outer().tag

    def outer(self) -> Element:
        """The element that stands for this block: its parent, or the list item of its <p>."""
        grand = self.parent.parent
        if self.parent.tag == "p" and grand is not None and grand.tag == "li":
            return grand
        return self.parent


class _Document:
    def __init__(self, fragment: str) -> None:
        self.root = _parse(fragment)
        self.blocks: list[_Block] = []
        self._collect(self.root)

    def _collect(self, element: Element) -> None:
        element.lo = len(self.blocks)
        run: list[Node] = []
        for child in element.children:
            if isinstance(child, Text) or child.tag not in BLOCK_TAGS:
                run.append(child)
                continue
            self._add(element, run)
            run = []
            self._collect(child)
        self._add(element, run)
        element.hi = len(self.blocks)

    def _add(self, parent: Element, run: list[Node]) -> None:
        # The line breaks between blocks are not part of either.
        while run and isinstance(run[0], Text) and not run[0].text.strip():
            run = run[1:]
        while run and isinstance(run[-1], Text) and not run[-1].text.strip():
            run = run[:-1]
        text = "".join(_text(node) for node in run)
        if text.strip():
            self.blocks.append(_Block(parent, run, text))


def _text(node: Node) -> str:
    if isinstance(node, Text):
        return node.text
    return "".join(_text(child) for child in node.children)


# ------------------------------------------------------------------------------
# Aligning the blocks
# ------------------------------------------------------------------------------
Step = tuple[int | None, int | None]  # (old block, new block); None where one has none


def _align(old: list[_Block], new: list[_Block]) -> list[Step]:
    """Both documents' blocks in reading order, paired where they are the same block."""
    keys = [[f"{block.kind}\0{block.text}" for block in blocks] for blocks in (old, new)]
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    steps: list[Step] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            steps += zip(range(i1, i2), range(j1, j2), strict=True)
        else:
            steps += _pair_replaced(old, new, range(i1, i2), range(j1, j2))
    return steps


def _pair_replaced(old: list[_Block], new: list[_Block], olds: range, news: range) -> list[Step]:
    """A replaced range as pairs of edited blocks (same kind, words in common), the rest
    removed or added; removed blocks come before added ones at the same place."""
    words = {
        id(block): frozenset(_WORD.findall(block.text.lower()))
        for block in (*(old[i] for i in olds), *(new[j] for j in news))
    }

    def similarity(i: int, j: int) -> float:
        if old[i].kind != new[j].kind:
            return 0.0
        a, b = words[id(old[i])], words[id(new[j])]
        return len(a & b) / len(a | b) if a | b else 0.0

    if len(olds) == len(news) == 1 and old[olds[0]].kind == new[news[0]].kind:
        pairs = [(olds[0], news[0])]  # one block edited in place, however much
    elif len(olds) * len(news) <= PAIRING_LIMIT:
        pairs = _best_pairs(olds, news, similarity)
    else:  # a rewrite: pairing by position is as good a guess, and costs nothing
        pairs = [
            (i, j) for i, j in zip(olds, news, strict=False) if similarity(i, j) >= PAIRING_CUTOFF
        ]
    steps: list[Step] = []
    i, j = olds.start, news.start
    for pi, pj in [*pairs, (olds.stop, news.stop)]:
        steps += [(k, None) for k in range(i, pi)]
        steps += [(None, k) for k in range(j, pj)]
        if pi < olds.stop:
            steps.append((pi, pj))
        i, j = pi + 1, pj + 1
    return steps


def _best_pairs(
    olds: range, news: range, similarity: Callable[[int, int], float]
) -> list[tuple[int, int]]:
    """The pairs, in order, with the greatest total similarity (each above the cutoff)."""
    n, m = len(olds), len(news)
    score = [[0.0] * (m + 1) for _ in range(n + 1)]
    sims = [[similarity(i, j) for j in news] for i in olds]
    for a in range(n):
        for b in range(m):
            paired = score[a][b] + sims[a][b] if sims[a][b] >= PAIRING_CUTOFF else 0.0
            score[a + 1][b + 1] = max(score[a][b + 1], score[a + 1][b], paired)
    pairs: list[tuple[int, int]] = []
    a, b = n, m
    while a and b:
        if score[a][b] == score[a - 1][b]:
            a -= 1
        elif score[a][b] == score[a][b - 1]:
            b -= 1
        else:
            pairs.append((olds[a - 1], news[b - 1]))
            a, b = a - 1, b - 1
    return pairs[::-1]


def _anchors(steps: list[Step], end: int) -> dict[int, int]:
    """For each removed old block, the new block it goes before (`end`: after the last)."""
    anchors: dict[int, int] = {}
    following = end
    for i, j in reversed(steps):
        if j is not None:
            following = j
        elif i is not None:
            anchors[i] = following
    return anchors


def _map_parents(old: _Document, new: _Document, steps: list[Step]) -> dict[Element, Element]:
    """Old elements to the new elements they became: from each pair of blocks up through their
    ancestors, as long as these are the same kind of element (the list, the table, the row)."""
    mapping = {old.root: new.root}
    for i, j in steps:
        if i is None or j is None:
            continue
        mine, theirs = old.blocks[i].outer(), new.blocks[j].outer()
        while mine is not old.root and mine not in mapping and mine.tag == theirs.tag:
            mapping[mine] = theirs
            mine, theirs = mine.parent, theirs.parent  # type: ignore[assignment]
    return mapping


def _whole_roots(document: _Document, changed: set[int]) -> list[tuple[int, Element | None]]:
    """For each changed block in order, the outermost element that holds it and only changed
    blocks, or None where its own parent holds others (the block is then a bare run); each
    element is given once, with its first block."""
    counts = [0]
    for k in range(len(document.blocks)):
        counts.append(counts[-1] + (k in changed))

    def whole(element: Element | None) -> bool:
        return (
            element is not None
            and element is not document.root
            and element.lo < element.hi
            and counts[element.hi] - counts[element.lo] == element.hi - element.lo
        )

    roots: list[tuple[int, Element | None]] = []
    seen: set[int] = set()
    for k in sorted(changed):
        element = document.blocks[k].parent
        if not whole(element):
            roots.append((k, None))
            continue
        while whole(element.parent):
            element = element.parent  # type: ignore[assignment]
        if id(element) not in seen:
            seen.add(id(element))
            roots.append((k, element))
    return roots


def _gone_roots(
    old: _Document, deleted: set[int], anchors: dict[int, int]
) -> list[tuple[Node, int]]:
    """What to copy into the new document for the removed blocks, each with its anchor: the
    outermost element removed whole, or the removed run of text of an element that stays."""
    roots = _whole_roots(old, deleted)
    # Marked after the roots are found (marking a run replaces its nodes with the <del>).
    for k in sorted(deleted):
        _wrap_whole(old.blocks[k], "del")
    gone: list[tuple[Node, int]] = []
    for k, element in roots:
        if element is None:
            gone.append((old.blocks[k].nodes[0], anchors[k]))
        else:
            element.add_class(DELETED_CLASS)
            gone.append((element, anchors[k]))
    return gone


# ------------------------------------------------------------------------------
# Putting removed blocks back
# ------------------------------------------------------------------------------
class _Placer:
    """Puts old nodes into the new document: into the element their old parent became, in the
    place of the new block they are anchored before."""

    def __init__(self, new: _Document, mapping: dict[Element, Element]) -> None:
        self.new = new
        self.mapping = mapping
        # What was put last at each place, so that the next one goes after it.
        self.last: dict[tuple[int, str, int], Node] = {}
        # Copies of old parents that became nothing new (their shape changed), per anchor.
        self.shells: dict[tuple[int, int], Element] = {}

    def place(self, node: Node, anchor: int) -> None:
        parent = node.parent
        assert parent is not None
        if parent in self.mapping:
            self._put(node, self.mapping[parent], anchor)
            return
        shell = self.shells.get((id(parent), anchor))
        if shell is not None:
            shell.append(node)
            return
        # The old parent has no counterpart: copy it (and its ancestors up to one that has)
        # around the node, so that a removed list item stays in a list, a cell in a row.
        shell = parent.shell()
        self.shells[(id(parent), anchor)] = shell
        shell.append(node)
        top, ancestor = shell, parent.parent
        while ancestor is not None and ancestor not in self.mapping:
            outer = ancestor.shell()
            outer.append(top)
            top, ancestor = outer, ancestor.parent
        top.add_class(DELETED_CLASS)
        assert ancestor is not None  # the roots are always mapped
        self._put(top, self.mapping[ancestor], anchor)

    def _put(self, node: Node, parent: Element, anchor: int) -> None:
        blocks = self.new.blocks
        before = min(anchor, parent.hi) - 1
        if before >= parent.lo:
            key = (id(parent), "after", before)
            previous = self.last.get(key)
            if previous is None:
                previous = _child_toward(parent, blocks[before], last=True)
            parent.insert(parent.index(previous) + 1, node)
        elif parent.lo < parent.hi:
            key = (id(parent), "before", parent.lo)
            previous = self.last.get(key)
            if previous is not None:
                parent.insert(parent.index(previous) + 1, node)
            else:
                parent.insert(parent.index(_child_toward(parent, blocks[parent.lo])), node)
        else:
            key = (id(parent), "end", 0)
            parent.append(node)
        self.last[key] = node


def _child_toward(parent: Element, block: _Block, *, last: bool = False) -> Node:
    """The child of `parent` that holds `block` (its first or last node if it is `parent`'s)."""
    if block.parent is parent:
        return block.nodes[-1] if last else block.nodes[0]
    element = block.parent
    while element.parent is not parent:
        element = element.parent  # type: ignore[assignment]
    return element


# ------------------------------------------------------------------------------
# Marking text
# ------------------------------------------------------------------------------
def _mark(kind: Mark, nodes: list[Node]) -> Element:
    """`<ins>`/`<del>` around `nodes`, with the words a screen reader says."""
    element = Element(kind)
    for node in (_hidden(_SCREEN_READER[kind]), *nodes, _hidden("]")):
        element.append(node)
    return element


def _hidden(text: str) -> Element:
    """Text for screen readers only."""
    span = Element("span", [("class", "sr-only")])
    span.append(Text(text))
    return span


def _wrap_whole(block: _Block, kind: Mark) -> None:
    start = block.parent.index(block.nodes[0])
    mark = _mark(kind, block.nodes)
    block.parent.replace(start, start + len(block.nodes), [mark])
    block.nodes = [mark]


@dataclass(frozen=True)
class _Change:
    """One change in a block's words: new text [ins_start, ins_end) inserted, and old text
    [del_start, del_end) deleted, put back at `at` in the new text."""

    ins_start: int
    ins_end: int
    del_start: int
    del_end: int
    at: int


def _word_changes(
    before: str, after: str, *, by_line: bool = False
) -> tuple[list[_Change], list[Segment]]:
    """The changes between two texts, word by word (or line by line: code), and the same as
    segments to count.

    Changes separated only by white space are one change, as in the review page's word diff.
    """
    split = _lines if by_line else tokens
    old, new = split(before), split(after)
    old_at, new_at = _offsets(old), _offsets(new)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    runs: list[list[int]] = []  # [i1, i2, j1, j2]
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or not "".join(old[i1:i2] + new[j1:j2]).strip():
            continue
        if runs and not "".join(old[runs[-1][1] : i1] + new[runs[-1][3] : j1]).strip():
            runs[-1][1], runs[-1][3] = i2, j2
        else:
            runs.append([i1, i2, j1, j2])
    changes: list[_Change] = []
    segments: list[Segment] = []
    for i1, i2, j1, j2 in runs:
        ins_start, ins_end = _trimmed(after, new_at[j1], new_at[j2])
        del_start, del_end = _trimmed(before, old_at[i1], old_at[i2])
        if by_line:
            # A removed line keeps its line break: it stays a line of its own in the code.
            del_start, del_end = old_at[i1], old_at[i2]
            if ins_start == ins_end:
                ins_start = ins_end = new_at[j1]
        elif ins_start == ins_end:
            # A pure deletion keeps the space that separates it from a word next to it.
            ins_start = ins_end = new_at[j1]
            del_start, del_end = old_at[i1], old_at[i2]
            if ins_start == 0 or after[ins_start - 1].isspace():
                del_start = _trimmed(before, del_start, del_end)[0]
            if ins_start == len(after) or after[ins_start].isspace():
                del_end = _trimmed(before, del_start, del_end)[1]
        changes.append(_Change(ins_start, ins_end, del_start, del_end, ins_start))
        segments += [
            Segment(kind, text)
            for kind, text in (
                ("del", before[del_start:del_end]),
                ("ins", after[ins_start:ins_end]),
            )
            if text
        ]
    return changes, segments


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _offsets(parts: list[str]) -> list[int]:
    offsets = [0]
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return offsets


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the white space at either end (empty at `start` if all space)."""
    piece = text[start:end]
    if not piece.strip():
        return start, start
    return start + len(piece) - len(piece.lstrip()), end - len(piece) + len(piece.rstrip())


def _mark_words(old: _Block, new: _Block) -> list[Segment]:
    """Mark in `new` the words `old` did not have, and put back those it lost."""
    changes, segments = _word_changes(old.text, new.text, by_line=new.kind == "pre")
    run = Element("#run")  # the block's run as one element while it changes
    start = new.parent.index(new.nodes[0])
    new.parent.replace(start, start + len(new.nodes), [run])
    for node in new.nodes:
        run.append(node)
    # From the end backwards: what is marked never moves the text still to be marked.
    for change in reversed(changes):
        if change.ins_start < change.ins_end:
            _split(run, change.ins_start)
            _split(run, change.ins_end)
            _wrap_range(run, change.ins_start, change.ins_end, "ins")
        if change.del_start < change.del_end:
            removed = _slice(old.nodes, change.del_start, change.del_end)
            _insert_at(run, change.at, removed)
    index = new.parent.index(run)
    new.parent.replace(index, index + 1, run.children)
    new.nodes = list(run.children)
    return segments


def _split(element: Element, offset: int) -> None:
    """Split the text node that `offset` falls inside, so a mark can start or end there."""
    position = 0
    for index, child in enumerate(element.children):
        size = child.size()
        if position < offset < position + size:
            if isinstance(child, Element):
                _split(child, offset - position)
            else:
                cut = offset - position
                element.replace(index, index + 1, [Text(child.text[:cut]), Text(child.text[cut:])])
            return
        position += size


def _wrap_range(element: Element, start: int, end: int, kind: Mark) -> None:
    """Mark the text [start, end) of `element`, whose text nodes are split at both ends: the
    children it covers whole in one mark, the rest inside the children it covers in part."""
    children: list[Node] = []
    covered: list[Node] = []

    def flush() -> None:
        if covered and "".join(_text(node) for node in covered).strip():
            children.append(_mark(kind, list(covered)))
        else:
            children.extend(covered)
        covered.clear()

    position = 0
    for child in element.children:
        size = child.size()
        first, last = position, position + size
        position = last
        if start <= first and last <= end and (size or start < first < end):
            covered.append(child)
            continue
        flush()
        if isinstance(child, Element) and first < end and start < last:
            _wrap_range(child, max(start - first, 0), min(end, last) - first, kind)
        children.append(child)
    flush()
    element.replace(0, len(element.children), children)


def _slice(nodes: list[Node], start: int, end: int) -> list[Node]:
    """Copies of the text [start, end) of `nodes` with the elements it covers whole (a bold
    word, a link); the elements it covers in part give their text only."""
    pieces: list[Node] = []
    position = 0
    for node in nodes:
        size = node.size()
        first, last = position, position + size
        position = last
        if start <= first and last <= end and (size or start < first < end):
            pieces.append(node.copy())
        elif first < end and start < last:
            if isinstance(node, Text):
                pieces.append(Text(node.text[max(start - first, 0) : end - first]))
            else:
                pieces += _slice(node.children, max(start - first, 0), min(end, last) - first)
    return pieces


def _insert_at(element: Element, offset: int, removed: list[Node]) -> None:
    """Put `removed`, marked deleted, at text `offset` of `element`: between children where
    it can (outside a bold or a link that starts or ends there), else inside the one it
    falls in."""
    position = 0
    for index, child in enumerate(element.children):
        size = child.size()
        if position == offset:
            element.insert(index, _removed(removed, element))
            return
        if position < offset < position + size:
            if isinstance(child, Element):
                _insert_at(child, offset - position, removed)
            else:
                cut = offset - position
                element.replace(
                    index,
                    index + 1,
                    [Text(child.text[:cut]), _removed(removed, element), Text(child.text[cut:])],
                )
            return
        position += size
    element.append(_removed(removed, element))


def _removed(nodes: list[Node], parent: Element) -> Element:
    """Removed text marked deleted; a link in it loses its <a> inside another link, where
    HTML allows none."""
    ancestor: Element | None = parent
    while ancestor is not None and ancestor.tag != "a":
        ancestor = ancestor.parent
    return _mark("del", _unlinked(nodes) if ancestor is not None else nodes)


def _unlinked(nodes: list[Node]) -> list[Node]:
    result: list[Node] = []
    for node in nodes:
        if isinstance(node, Element):
            children = _unlinked(node.children)
            if node.tag == "a":
                result += children
                continue
            node.children = []
            for child in children:
                node.append(child)
        result.append(node)
    return result


# ------------------------------------------------------------------------------
# The guard
# ------------------------------------------------------------------------------
_BLOCK_CLASSES = {INSERTED_CLASS, DELETED_CLASS}


def _clean(fragment: str) -> str:
    """Delivery's allowlist, plus the marks and their classes only."""
    return sanitize(
        fragment,
        more_tags=frozenset({"ins", "del", "span"}),
        allowed_classes={
            "span": {"sr-only"},
            **dict.fromkeys(BLOCK_TAGS - VOID_TAGS, _BLOCK_CLASSES),
        },
    )
