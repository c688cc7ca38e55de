"""A translation reviewed beside its source: the source revision it translates, section by
section; the source's word diff since the translation it replaces was made; outdated
translations listed in the queue, oldest first; the language rule on the pages; and the
reviewer's profile."""

import re
from typing import Any

import pytest

from articles import workflow
from articles.diffs import aligned_sections, markdown_sections
from articles.models import Article, AuditEvent
from contentapi.models import Role
from tests.publishing_helpers import approve, new_revision, publish
from tests.translation_helpers import live_english, live_translation, submitted_translation

pytestmark = pytest.mark.django_db

ENGLISH = (
    "## Why it matters\n\nThe vaccine protects you and your family.\n\n"
    "## After the shot\n\nYour arm may be sore for a day.\n"
)
SPANISH_BODY = (
    "## Por qué importa\n\nLa vacuna le protege a usted y a su familia.\n\n"
    "## Después de la vacuna\n\nEl brazo puede doler un día.\n"
)


def page(response: Any) -> str:
    return response.content.decode()


def review_url(revision: Any, action: str = "") -> str:
    base = f"/review/articles/{revision.article_id}/revisions/{revision.number}/"
    return f"{base}{action}/" if action else base


@pytest.fixture
def flu(staff: dict) -> Article:
    return live_english(staff, title="The flu shot", body=ENGLISH)


def _warning_sign(flu: Article, staff: dict) -> None:
    """English revision 2 adds a warning sign and goes live: a change of meaning."""
    revision = new_revision(
        flu,
        editor=staff["editor"],
        body=ENGLISH + "\n## When to get help\n\nCall 911 if you have trouble breathing.\n",
    )
    approve(revision, editor=staff["editor"], reviewer=staff["reviewer"])
    publish(revision, publisher=staff["publisher"])


# ------------------------------------------------------------------------------
# Sections aligned by headings
# ------------------------------------------------------------------------------
def test_sections_are_cut_at_headings_but_not_inside_code() -> None:
    body = "Intro.\n\n## One\n\nA.\n\n```\n## not a heading\n```\n\n### Two\n\nB.\n"

    assert markdown_sections(body) == [
        "Intro.\n\n",
        "## One\n\nA.\n\n```\n## not a heading\n```\n\n",
        "### Two\n\nB.\n",
    ]


def test_text_before_the_first_heading_pairs_with_the_others() -> None:
    pairs = aligned_sections("## Uno\n\nuno\n", "Before.\n\n## One\n\none\n\n## Two\n\ntwo\n")

    assert pairs == [
        ("", "<p>Before.</p>\n"),
        ("<h2>Uno</h2>\n<p>uno</p>\n", "<h2>One</h2>\n<p>one</p>\n"),
        ("", "<h2>Two</h2>\n<p>two</p>\n"),
    ]


# ------------------------------------------------------------------------------
# The review page of a translation
# ------------------------------------------------------------------------------
def test_the_review_page_shows_the_source_beside_the_translation(signed_in, staff, flu):
    revision = submitted_translation(staff, body=SPANISH_BODY)

    html = page(signed_in(staff["reviewer"]).get(review_url(revision)))

    assert "This translates revision 1 of <code>flu-shot</code>, the source as it reads now" in html
    rows = re.findall(r"<tr>\s*<td lang=\"es\".*?</tr>", html, re.S)
    assert len(rows) == 2
    assert "Por qué importa" in rows[0]
    assert "Why it matters" in rows[0]
    assert "Después de la vacuna" in rows[1]
    assert "After the shot" in rows[1]
    assert "Nothing: revision 1 of the source is the one this was made from." in html
    # Spanish readers' own indices beside the grade.
    indices = html.split('id="spanish-readability"')[1].split("</dl>")[0]
    assert re.search(
        r"INFLESZ</dt><dd><strong>\d+\.\d</strong>, (muy |algo |bastante )?\w", indices
    )
    assert "Fernández-Huerta" in indices


def test_the_new_translation_shows_the_english_change_since_the_old_one(signed_in, staff, flu):
    gripe = live_translation(staff, body=SPANISH_BODY)
    _warning_sign(flu, staff)
    update = new_revision(
        gripe,
        editor=staff["editor"],
        body=SPANISH_BODY + "\n## Cuándo pedir ayuda\n\nLlame al 911 si le cuesta respirar.\n",
        translation_of={"slug": "flu-shot", "locale": "en", "revision": 2},
    )
    workflow.revision_submit(actor=staff["editor"], revision=update)

    html = page(signed_in(staff["reviewer"]).get(review_url(update)))

    changes = html.split('id="source-changes"')[1].split("</section>")[0]
    assert "From revision 1, which the translation it replaces was made from, to revision 2" in (
        changes
    )
    assert re.search(r"<ins>.*Call 911 if you have trouble breathing", changes, re.S)
    rows = re.findall(r"<tr>\s*<td lang=\"es\".*?</tr>", html, re.S)
    assert "Cuándo pedir ayuda" in rows[2]
    assert "When to get help" in rows[2]


def test_a_translation_of_an_old_source_says_it_will_be_outdated(signed_in, staff, flu):
    gripe = live_translation(staff, body=SPANISH_BODY)
    _warning_sign(flu, staff)
    stale = new_revision(gripe, editor=staff["editor"], summary="Cada otoño, sin falta.")
    workflow.revision_submit(actor=staff["editor"], revision=stale)

    html = page(signed_in(staff["reviewer"]).get(review_url(stale)))

    assert "The source has moved on:</strong> revision 2 is live now" in html
    changes = html.split('id="source-changes"')[1].split("</section>")[0]
    assert "From revision 1, which this translation was made from, to revision 2" in changes


def test_an_english_revision_shows_no_source(signed_in, staff, flu):
    revision = new_revision(flu, editor=staff["editor"], summary="Every autumn.")
    workflow.revision_submit(actor=staff["editor"], revision=revision)

    html = page(signed_in(staff["reviewer"]).get(review_url(revision)))

    assert 'id="translation"' not in html


def test_a_wording_only_revision_shows_its_reason_to_the_reviewer(signed_in, staff, flu):
    revision = new_revision(
        flu,
        editor=staff["editor"],
        summary="Why to get it each year.",
        meaning_changed=False,
        meaning_note="Plainer summary; the advice is the same.",
    )
    workflow.revision_submit(actor=staff["editor"], revision=revision)

    html = page(signed_in(staff["reviewer"]).get(review_url(revision)))

    assert "Wording only, says its editor" in html
    assert "Why: Plainer summary; the advice is the same." in html


def test_a_machine_translation_says_so(signed_in, staff, flu):
    revision = submitted_translation(staff, machine_translated=True)

    html = page(signed_in(staff["reviewer"]).get(review_url(revision)))

    assert "<strong>Machine translated</strong> from English (en)" in html


# ------------------------------------------------------------------------------
# The language rule on the pages
# ------------------------------------------------------------------------------
def test_a_reviewer_without_spanish_sees_why_and_cannot_approve(signed_in, staff, flu, make_staff):
    english_only = make_staff(
        Role.REVIEWER, username="dr-en", display_name="Dr. En", credentials="MD", languages=["en"]
    )
    revision = submitted_translation(staff, body=SPANISH_BODY)
    client = signed_in(english_only)

    shown = page(client.get(review_url(revision)))
    queue = page(client.get("/review/"))
    tried = client.post(review_url(revision, "approve"), {"comment": ""})

    message = "a reviewer qualified in Spanish (es) must approve it"
    assert message in shown
    assert f'action="{review_url(revision, "approve")}"' not in shown
    assert message in queue
    assert tried.status_code == 403
    assert message in page(tried)
    revision.refresh_from_db()
    assert revision.state == "in_review"
    # A reviewer with Spanish approves it from the same page.
    done = signed_in(staff["reviewer"]).post(review_url(revision, "approve"), {"comment": ""})
    assert done.status_code == 302
    assert (
        AuditEvent.objects.get(article_id=revision.article_id, action="approved").details["via"]
        == "web"
    )


def test_the_profile_shows_the_languages_one_may_sign_off(signed_in, make_staff):
    english_only = make_staff(
        Role.REVIEWER, username="dr-en", display_name="Dr. En", credentials="MD", languages=[]
    )

    html = page(signed_in(english_only).get("/review/profile/"))

    languages = html.split('id="review-languages"')[1].split("</ul>")[0]
    assert re.findall(r"<li>(.*?)</li>", languages) == ["English (en)"]
    assert "nobody has given you any" in html
    assert 'name="languages"' not in html  # shown, never changed here


# ------------------------------------------------------------------------------
# The queue
# ------------------------------------------------------------------------------
def test_the_queue_lists_outdated_translations_oldest_first(signed_in, staff, flu):
    shingles = live_english(staff, slug="shingles", title="Shingles", body=ENGLISH)
    newer = live_translation(staff, slug="herpes-zoster", source="shingles")
    older = live_translation(staff, body=SPANISH_BODY)
    _warning_sign(flu, staff)  # outdates the Spanish flu article, created last, first
    change = new_revision(shingles, editor=staff["editor"], summary="Now for everyone 50+.")
    approve(change, editor=staff["editor"], reviewer=staff["reviewer"])
    publish(change, publisher=staff["publisher"])

    html = page(signed_in(staff["reviewer"]).get("/review/"))

    section = html.split('id="outdated"')[1].split("</section>")[0]
    titles = re.findall(r'<h3><a href="([^"]+)">', section)
    assert titles == [
        f"/review/articles/{older.pk}/revisions/1/#translation",
        f"/review/articles/{newer.pk}/revisions/1/#translation",
    ]
    assert "Outdated since" in section
    assert "revision 1 of <code>flu-shot</code>" in section
    assert "No newer translation yet" in section


def test_a_translation_made_current_leaves_the_queue(signed_in, staff, flu):
    gripe = live_translation(staff, body=SPANISH_BODY)
    _warning_sign(flu, staff)
    listed = page(signed_in(staff["reviewer"]).get("/review/")).split('id="outdated"')[1]
    assert f"/review/articles/{gripe.pk}/revisions/1/#translation" in listed.split("</section>")[0]
    update = new_revision(
        gripe,
        editor=staff["editor"],
        translation_of={"slug": "flu-shot", "locale": "en", "revision": 2},
        body=SPANISH_BODY + "\n## Cuándo pedir ayuda\n\nLlame al 911 si le cuesta respirar.\n",
    )
    approve(update, editor=staff["editor"], reviewer=staff["reviewer"])
    publish(update, publisher=staff["publisher"])

    section = page(signed_in(staff["reviewer"]).get("/review/")).split('id="outdated"')[1]
    assert (
        "Every live translation translates its source as it reads now."
        in section.split("</section>")[0]
    )
