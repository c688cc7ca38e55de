"""The rendered compare: a body as delivery renders it, with what changed marked in place."""

import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.demo import DEMO_LIBRARY
from articles.library_files import article_file_parse, library_paths
from articles.rendered_diff import rendered_compare
from articles.textdiff import changed_words, word_diff
from delivery.rendering import html_to_text, markdown_to_html

# A body with every kind of block delivery renders.
BODY = """\
## What is a colonoscopy?

A colonoscopy lets your doctor look inside your **large intestine** (colon). It finds
polyps early, when they are [easy to remove](https://example.org/polyps).

## How to get ready

1. Stop taking iron pills 5 days before.
2. Drink only clear liquids the day before.
3. Take the prep drink as your sheet says.

* Water.
* Clear broth.
  * Chicken or beef.

| Time | What to do |
| --- | --- |
| 6 pm | Drink the first half |
| 5 am | Drink the rest |

> Call us if you cannot finish the drink.

```text
Prep: 2 L
Start: 6 pm
```

Sodium &amp; potassium &lt;5&gt; & you.\u00a0Done.\\
New line after a hard break.
"""


def added(html: str) -> str:
    return f'<ins><span class="sr-only">[added: </span>{html}<span class="sr-only">]</span></ins>'


def removed(html: str) -> str:
    return f'<del><span class="sr-only">[removed: </span>{html}<span class="sr-only">]</span></del>'


class _Rebuild(HTMLParser):
    """The compare with every change accepted (`keep="ins"`: the marks and the removed blocks
    go) or rejected (`keep="del"`: the additions go), written back as it came."""

    def __init__(self, keep: str) -> None:
        super().__init__(convert_charrefs=False)
        self.keep, self.drop = keep, {"ins": "del", "del": "ins"}[keep]
        self.whole = {"ins": "diff-deleted", "del": "diff-inserted"}[keep]
        self.out: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, written)
        self.skipping: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class")
        void = tag in ("br", "hr")
        if self.skipping or tag == self.drop or css in (self.whole, "sr-only"):
            if not void:
                self.skipping.append(tag)
            return
        if not void:
            self.open.append((tag, tag != self.keep))
        if tag == self.keep:
            return
        if self.keep == "del" and tag in _BLOCKS:
            # Read for its words only: a block starts on a line of its own, as a reader sees
            # it, even where a removed paragraph follows the text of a tight list item.
            self.out.append("\n")
        if css in ("diff-inserted", "diff-deleted"):
            rest = "".join(f' {name}="{value}"' for name, value in attrs if name != "class")
            self.out.append(f"<{tag}{rest}>")
        else:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            self.skipping.pop()
            return
        opened, written = self.open.pop()
        assert opened == tag
        if written:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")


_BLOCKS = frozenset(
    {"p", "div", "ul", "ol", "li", "pre", "blockquote", "table", "tr", "h1", "h2", "h3", "h4"}
)


def accepted(html: str) -> str:
    rebuild = _Rebuild("ins")
    rebuild.feed(html)
    rebuild.close()
    return "".join(rebuild.out)


def rejected_words(html: str) -> list[str]:
    rebuild = _Rebuild("del")
    rebuild.feed(html)
    rebuild.close()
    return re.findall(r"\w+", html_to_text("".join(rebuild.out)))


class _Balance(HTMLParser):
    """Fails on an element closed in another parent than the one it was opened in, and on a
    mark inside a mark."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.marks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("ins", "del"):
            assert not any(t in ("ins", "del") for t in self.open), "a mark inside a mark"
            self.marks += 1
        if tag not in ("br", "hr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, f"</{tag}> closes nothing"
        assert self.open.pop() == tag, f"</{tag}> closes another element"


def assert_balanced(html: str) -> int:
    """Assert every element, the marks first, is closed in its parent; return the marks."""
    checker = _Balance()
    checker.feed(html)
    checker.close()
    assert checker.open == []
    return checker.marks


def assert_sound(before: str, after: str) -> str:
    """The rules every compare keeps; returns its HTML."""
    result = rendered_compare(before, after)
    assert_balanced(result.html)
    assert accepted(result.html) == markdown_to_html(after)
    # Nothing of the old text is lost: rejecting every change gives back its words.
    old_words = re.findall(r"\w+", html_to_text(markdown_to_html(before)))
    assert Counter(rejected_words(result.html)) == Counter(old_words)
    return result.html


# ------------------------------------------------------------------------------
# No change
# ------------------------------------------------------------------------------
def test_an_unchanged_body_renders_exactly_as_delivery_renders_it():
    result = rendered_compare(BODY, BODY)
    assert result.html == markdown_to_html(BODY)
    assert (result.inserted_words, result.deleted_words) == (0, 0)


@pytest.mark.parametrize(
    "path", library_paths(DEMO_LIBRARY), ids=lambda p: p.relative_to(DEMO_LIBRARY).as_posix()
)
def test_each_unchanged_demo_body_renders_exactly_as_delivery_renders_it(path):
    file, errors = article_file_parse(path, path.read_text(encoding="utf-8"))
    assert file is not None, errors
    body = file.content.body
    assert rendered_compare(body, body).html == markdown_to_html(body)


# ------------------------------------------------------------------------------
# Words and blocks
# ------------------------------------------------------------------------------
def test_a_changed_word_is_shown_deleted_then_inserted_in_its_paragraph():
    result = rendered_compare("Walk a little every hour.\n", "Walk a little every two hours.\n")
    assert result.html == f"<p>Walk a little every {removed('hour.')}{added('two hours.')}</p>\n"


def test_a_removed_word_keeps_the_space_that_separates_it():
    html = rendered_compare("Call your own doctor.\n", "Call your doctor.\n").html
    assert html == f"<p>Call your {removed('own ')}doctor.</p>\n"


def test_a_removed_last_sentence_keeps_the_space_before_it():
    html = rendered_compare("Take one pill. Then rest.\n", "Take one pill.\n").html
    assert html == f"<p>Take one pill.{removed(' Then rest.')}</p>\n"


def test_a_removed_phrase_carries_no_space_that_the_text_around_it_still_has():
    html = rendered_compare(
        "Call your doctor today\nor tomorrow.\n", "Call your doctor\ntomorrow.\n"
    ).html
    gone = removed(" today\nor")  # not " today\nor ": the line break after it is still there
    assert html == f"<p>Call your doctor{gone}\ntomorrow.</p>\n"


def test_an_edited_paragraph_is_paired_with_its_new_version_not_with_a_new_neighbour():
    before = "Intro.\n\nCall your doctor today if the pain gets worse.\n"
    after = "Intro.\n\nA brand new paragraph.\n\nCall your doctor now if the pain gets worse.\n"
    html = assert_sound(before, after)
    assert html == (
        "<p>Intro.</p>\n"
        f'<p class="diff-inserted">{added("A brand new paragraph.")}</p>\n'
        f"<p>Call your doctor {removed('today')}{added('now')} if the pain gets worse.</p>\n"
    )


def test_a_paragraph_that_became_a_heading_is_shown_removed_and_added():
    html = assert_sound("Call your doctor\n", "## Call your doctor\n")
    assert html == (
        f'<p class="diff-deleted">{removed("Call your doctor")}</p>'
        f'<h2 class="diff-inserted">{added("Call your doctor")}</h2>\n'
    )


def test_spacing_a_list_out_changes_no_item():
    result = rendered_compare("* Water.\n* Broth.\n", "* Water.\n\n* Broth.\n")
    assert result.html == markdown_to_html("* Water.\n\n* Broth.\n")
    assert (result.inserted_words, result.deleted_words) == (0, 0)


def test_a_new_list_item_is_an_inserted_item_of_the_same_list():
    html = assert_sound("* Water.\n* Broth.\n", "* Water.\n* Ice pops.\n* Broth.\n")
    assert html == (
        "<ul>\n<li>Water.</li>\n"
        f'<li class="diff-inserted">{added("Ice pops.")}</li>\n'
        "<li>Broth.</li>\n</ul>\n"
    )


def test_a_removed_list_item_comes_back_in_its_list():
    html = assert_sound("1. One.\n2. Two.\n3. Three.\n", "1. One.\n2. Three.\n")
    assert html == (
        "<ol>\n<li>One.</li>"
        f'<li class="diff-deleted">{removed("Two.")}</li>\n'
        "<li>Three.</li>\n</ol>\n"
    )


def test_a_removed_paragraph_comes_back_where_it_was_marked_deleted():
    before = "First.\n\nSecond, now gone.\n\nThird.\n"
    html = assert_sound(before, "First.\n\nThird.\n")
    assert html == (
        f'<p>First.</p><p class="diff-deleted">{removed("Second, now gone.")}</p>\n<p>Third.</p>\n'
    )


def test_a_changed_heading_keeps_its_level_with_the_change_inside():
    html = assert_sound("## Warning signs\n\nText.\n", "## Signs of a stroke\n\nText.\n")
    assert html == (
        f"<h2>{removed('Warning signs')}{added('Signs of a stroke')}</h2>\n<p>Text.</p>\n"
    )


def test_a_change_inside_bold_text_is_marked_inside_the_bold():
    html = assert_sound("**Call 911** now.\n", "**Call your doctor** now.\n")
    assert html == (f"<p><strong>Call {removed('911')}{added('your doctor')}</strong> now.</p>\n")


def test_a_removed_bold_word_keeps_its_bold():
    html = assert_sound("Take it **with food** daily.\n", "Take it daily.\n")
    assert removed("<strong>with food</strong> ") in html


def test_removed_words_put_back_inside_a_link_lose_their_own_link():
    before = "[Read the guide](https://example.org/b) [today](https://example.org/a) now.\n"
    html = assert_sound(before, "[Read the guide now](https://example.org/b).\n")
    assert html.count("<a ") == 1  # HTML allows no link in a link
    assert f"guide {removed('today ')}now</a>" in html


def test_a_new_section_at_the_end_is_marked_inserted_whole():
    after = BODY + "\n## After the test\n\nYou may feel *bloated* for a few hours.\n"
    html = assert_sound(BODY, after)
    assert html.startswith(markdown_to_html(BODY))
    assert html[len(markdown_to_html(BODY)) :] == (
        f'<h2 class="diff-inserted">{added("After the test")}</h2>\n'
        f'<p class="diff-inserted">{added("You may feel <em>bloated</em> for a few hours.")}</p>\n'
    )


def test_a_removed_section_comes_back_whole_where_it_was():
    before = "## One\n\nText one.\n\n## Two\n\nText two.\n\n* a\n* b\n\n## Three\n\nText three.\n"
    after = "## One\n\nText one.\n\n## Three\n\nText three.\n"
    html = assert_sound(before, after)
    assert html.index("Text one.") < html.index("[removed: </span>Two") < html.index("Three")
    assert '<ul class="diff-deleted">' in html


def test_a_removed_block_whose_container_is_gone_comes_back_in_a_copy_of_it():
    html = assert_sound("> Kept words.\n>\n> Gone words.\n", "Kept words.\n")
    assert html == (
        "<p>Kept words.</p>"
        f'<blockquote class="diff-deleted"><p class="diff-deleted">{removed("Gone words.")}</p>'
        "</blockquote>\n"
    )


# ------------------------------------------------------------------------------
# Tables and code
# ------------------------------------------------------------------------------
def cells_per_row(html: str) -> list[int]:
    return [len(re.findall(r"<t[dh][ >]", row)) for row in re.findall(r"<tr.*?</tr>", html, re.S)]


def test_a_changed_table_cell_keeps_a_valid_table():
    after = BODY.replace("| 5 am | Drink the rest |", "| 4 am | Drink the rest |")
    html = assert_sound(BODY, after)
    assert cells_per_row(html) == cells_per_row(markdown_to_html(after)) == [2, 2, 2]
    assert f"<td>{removed('5')}{added('4')} am</td>" in html


def test_a_removed_table_row_stays_a_row_of_the_same_table():
    after = BODY.replace("| 5 am | Drink the rest |\n", "")
    html = assert_sound(BODY, after)
    assert html.count("<table>") == 1
    assert cells_per_row(html) == [2, 2, 2]
    assert f'<tr class="diff-deleted">\n<td>{removed("5 am")}</td>' in html


def test_a_removed_column_leaves_its_cells_in_their_rows():
    before = "| a | b | c |\n| --- | --- | --- |\n| 1 | 2 | 3 |\n"
    html = assert_sound(before, "| a | b |\n| --- | --- |\n| 1 | 2 |\n")
    assert cells_per_row(html) == [3, 3]
    assert f'<td class="diff-deleted">{removed("3")}</td>' in html


def test_a_code_block_is_compared_line_by_line_inside_the_code():
    before = "```\nline a\nline b\nline c\n```\n"
    result = rendered_compare(before, "```\nline a\nline c\nline d\n```\n")
    line_b = removed("line b\n")  # a removed line keeps its line break
    assert result.html == f"<pre><code>line a\n{line_b}line c\n{added('line d')}\n</code></pre>\n"
    assert (result.inserted_words, result.deleted_words) == (2, 2)


# ------------------------------------------------------------------------------
# Counts
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("Walk a little every hour.", "Walk a little every two hours, then rest."),
        ("Call us if you have a fever.", "Call your surgeon if you have a fever or chills."),
        ("Call your own doctor today.", "Call your doctor."),
        ("Same words.", "Same words."),
    ],
)
def test_a_paragraphs_counts_are_the_review_pages_word_counts(before, after):
    result = rendered_compare(before, after)
    assert (result.inserted_words, result.deleted_words) == changed_words(word_diff(before, after))


def test_blocks_added_or_removed_whole_count_all_their_words():
    result = rendered_compare(
        "Keep.\n\n## Old heading here\n\nGone too.\n", "Keep.\n\n* One new item\n"
    )
    assert (result.inserted_words, result.deleted_words) == (3, 5)


# ------------------------------------------------------------------------------
# Safety
# ------------------------------------------------------------------------------
def test_what_an_editor_types_never_becomes_a_mark_or_a_tag():
    typed = (
        "Fake <ins>added</ins> and \\<del>removed\\</del> "
        '<span class="sr-only">x</span> <script>alert(1)</script>'
        " `<script>alert(2)</script>` \ue000sentinel\ue001 \ue002old\ue003 &lt;ins&gt;\n"
    )
    result = rendered_compare("Plain words.\n", f"Plain words.\n\n{typed}")
    html = result.html
    assert assert_balanced(html) == 1  # the one inserted paragraph
    assert "<script" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html
    assert "&lt;del&gt;removed&lt;/del&gt;" in html
    assert "\ue000sentinel\ue001 \ue002old\ue003 &lt;ins&gt;" in html
    assert html.count('class="sr-only"') == 2
    # And typed into the old text, removed.
    html = rendered_compare(f"Plain words.\n\n{typed}", "Plain words.\n").html
    assert assert_balanced(html) == 1
    assert "<script" not in html
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_a_link_keeps_deliverys_rules():
    html = rendered_compare(
        "Read this.\n", "Read [this](https://example.org) or [that](/x).\n"
    ).html
    assert '<a href="https://example.org" rel="noopener noreferrer">' in html
    assert 'href="/x"' not in html


# ------------------------------------------------------------------------------
# Any edit
# ------------------------------------------------------------------------------
SNIPPETS = [
    "",
    "* A new item",
    "1. A numbered item",
    "## A new heading",
    "| x | y |",
    "| --- | --- |",
    "```",
    "> Quoted words",
    "    indented code",
    "Some **bold and *nested* words** here.",
    "A [link](https://example.org) in text.",
    "===",
    "---",
]
WORDS = ["call", "your", "doctor", "**now**", "_soon_", "|", "`code`", "-", "1.", "#", ">", ""]

_edit = st.tuples(
    st.sampled_from(["delete", "copy", "word", "snippet"]),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=10_000),
)


def edited(body: str, edits: list[tuple[str, int, int]]) -> str:
    lines = body.split("\n")
    for kind, at, pick in edits:
        k = at % len(lines)
        if kind == "delete" and len(lines) > 1:
            del lines[k]
        elif kind == "copy":
            lines.insert(k, lines[pick % len(lines)])
        elif kind == "word":
            words = lines[k].split(" ")
            words[pick % len(words)] = WORDS[pick % len(WORDS)]
            lines[k] = " ".join(words)
        else:
            lines.insert(k, SNIPPETS[pick % len(SNIPPETS)])
    return "\n".join(lines)


@settings(max_examples=200, deadline=None)
@given(edits=st.lists(_edit, min_size=1, max_size=8), backwards=st.booleans())
def test_any_edit_marks_a_balanced_copy_of_deliverys_rendering(edits, backwards):
    before, after = BODY, edited(BODY, edits)
    if backwards:
        before, after = after, before
    assert_sound(before, after)
