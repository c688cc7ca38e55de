"""The revision page's rendered compare (the changes marked inside the patient view, a clean
view a link away, the sent-back revision as the base of an answer), notes that quote a
passage, and refusals that say who did what and when."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from articles import services, workflow
from articles.models import Note, Revision
from contentapi.errors import DomainError
from contentapi.models import User
from tests.publishing_helpers import AT, content, make_live, new_revision

pytestmark = pytest.mark.django_db

BODY = (
    "## Week one\n\nWalk a little every hour.\n\n"
    "* Keep the dressing dry.\n* Take your pain medicine on time.\n"
)


def page(response: Any) -> str:
    return response.content.decode()


def url(revision: Revision, query: str = "") -> str:
    return f"/review/articles/{revision.article_id}/revisions/{revision.number}/{query}"


def patient_view(html: str) -> str:
    return html.split('id="patient-view"')[1].split("</section>")[0]


@pytest.fixture
def knee(staff: dict[str, User]) -> Any:
    return make_live(**staff, slug="knee", title="After knee surgery", body=BODY)


@pytest.fixture
def sent_back(knee: Any, staff: dict[str, User]) -> Revision:
    """Revision 2, sent back by the reviewer with a note quoting one sentence."""
    revision = new_revision(
        knee, editor=staff["editor"], body=BODY.replace("every hour", "every two hours")
    )
    workflow.revision_submit(actor=staff["editor"], revision=revision)
    services.note_create(
        actor=staff["reviewer"],
        revision=revision,
        body="Two hours is too long; say every hour while awake.",
        quote="Walk a little every two hours.",
    )
    workflow.revision_request_changes(
        actor=staff["reviewer"], revision=revision, comment="See my note on walking."
    )
    return revision


@pytest.fixture
def answer(knee: Any, sent_back: Revision, staff: dict[str, User]) -> Revision:
    """Revision 3, the editor's answer to the request, waiting in review."""
    revision = new_revision(
        knee,
        editor=staff["editor"],
        body=BODY.replace("every hour", "every hour while you are awake")
        + "* Call us if the wound smells bad.\n",
    )
    workflow.revision_submit(actor=staff["editor"], revision=revision)
    return revision


def test_the_changes_are_marked_inside_the_rendered_article(
    signed_in: Callable[[User], Client], staff: dict[str, User], answer: Revision
) -> None:
    html = page(signed_in(staff["reviewer"]).get(url(answer)))

    view = patient_view(html)
    assert "With the changes since revision 2 marked" in view  # the one sent back
    # Lists and headings keep their shape; the new item is marked inside its <li>.
    assert re.search(
        r'<li class="diff-inserted"><ins><span class="sr-only">\[added: </span>Call us', view
    )
    assert "<h3>Week one</h3>" in view
    assert re.search(r"<del>.*two.*</del>", view)
    assert 'href="?view=clean#patient-view"' in view
    assert 'href="?against=1#patient-view">compare with revision 1, the live one' in view
    # The side column no longer repeats the body.
    changes = html.split('id="changes"')[1].split("</section>")[0]
    assert "Compared with revision 2, the one sent back" in changes
    assert "Body <span" not in changes


def test_the_clean_view_and_the_live_base_are_a_link_away(
    signed_in: Callable[[User], Client], staff: dict[str, User], answer: Revision
) -> None:
    client = signed_in(staff["reviewer"])

    clean = patient_view(page(client.get(url(answer, "?view=clean"))))
    against_live = page(client.get(url(answer, "?against=1")))

    assert "<ins>" not in clean
    assert "<del>" not in clean
    assert "Clean patient view." in clean
    assert "With the changes since revision 1 marked" in patient_view(against_live)
    assert "Compared with revision 1, the live one" in against_live


def test_a_first_revision_has_only_the_clean_view(
    signed_in: Callable[[User], Client], staff: dict[str, User]
) -> None:
    article = services.article_create(
        actor=staff["editor"],
        slug="new",
        locale="en",
        content=content(),
    )
    revision = article.latest_revision

    view = patient_view(page(signed_in(staff["reviewer"]).get(url(revision))))

    assert "<ins>" not in view
    assert "view-toggle" not in view


# ------------------------------------------------------------------------------
# Notes on a passage
# ------------------------------------------------------------------------------
def test_a_note_quotes_a_passage_which_is_marked_in_the_text(
    signed_in: Callable[[User], Client], staff: dict[str, User], sent_back: Revision
) -> None:
    note = Note.objects.get(revision=sent_back)

    html = page(signed_in(staff["editor"]).get(url(sent_back, "?view=clean")))

    assert re.search(
        rf'<mark class="quote" id="quote-{note.pk}" data-note="{note.pk}">Walk a little every two '
        r"hours\.</mark>",
        html,
    )
    assert f'href="#note-{note.pk}"' in html
    thread = html.split(f'id="note-{note.pk}"')[1]
    assert f'href="?view=clean#quote-{note.pk}">Show this passage in the text' in thread


def test_a_quote_not_in_the_text_is_refused_keeping_the_note(
    signed_in: Callable[[User], Client], staff: dict[str, User], answer: Revision
) -> None:
    response = signed_in(staff["reviewer"]).post(
        url(answer, "notes/"), {"quote": "Run a marathon.", "body": "Where is this?"}
    )

    html = page(response)
    assert response.status_code == 400
    assert "“Run a marathon.” is not in the text of revision 3" in html
    assert ">Where is this?</textarea>" in html
    assert not Note.objects.filter(revision=answer).exists()


def test_the_api_takes_and_shows_the_quote(
    api: Callable[..., Any], staff: dict[str, User], answer: Revision
) -> None:
    notes = f"/api/v1/manage/articles/{answer.article_id}/revisions/3/notes/"

    created = api(staff["reviewer"]).post(
        notes, {"body": "Good.", "quote": "Call us if the wound   smells bad."}
    )
    refused = api(staff["reviewer"]).post(notes, {"body": "?", "quote": "Not there."})

    assert created.status_code == 201
    assert created.json()["quote"] == "Call us if the wound smells bad."
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "quote"


def test_the_answer_shows_the_earlier_notes_and_whether_their_passages_remain(
    signed_in: Callable[[User], Client],
    staff: dict[str, User],
    answer: Revision,
    knee: Any,
) -> None:
    html = page(signed_in(staff["reviewer"]).get(url(answer)))

    carried = html.split('id="carried-notes"')[1].split("</section>")[0]
    assert "Walk a little every two hours." in carried
    assert "Two hours is too long" in carried
    assert "This passage is no longer in revision 3." in carried
    # A revision that kept the passage says so.
    kept = new_revision(knee, editor=staff["editor"], title="Same words")
    kept_html = page(signed_in(staff["reviewer"]).get(url(kept)))
    assert "carried-notes" not in kept_html  # it was written from 3, whose notes quote nothing


# ------------------------------------------------------------------------------
# Refusals that say who did what, when, and what next
# ------------------------------------------------------------------------------
def test_a_refusal_says_who_approved_it_and_when(staff: dict[str, User], answer: Revision) -> None:
    workflow.revision_approve(actor=staff["reviewer"], revision=answer)

    with pytest.raises(DomainError) as refused:
        workflow.revision_approve(actor=staff["reviewer"], revision=answer)

    assert re.fullmatch(
        r"Dr\. Mei Chen approved revision 3 " + AT + r"\. Nothing is left to decide; a "
        r"publisher can put it live\. Only a revision waiting in review can be approved\.",
        refused.value.detail,
    )


def test_a_refusal_on_a_sent_back_revision_says_what_to_do(
    staff: dict[str, User], sent_back: Revision
) -> None:
    with pytest.raises(DomainError) as refused:
        workflow.revision_publish(actor=staff["publisher"], revision=sent_back)

    assert re.fullmatch(
        r"Dr\. Mei Chen asked for changes to revision 2 " + AT + r"\. Its editor writes a new "
        r"revision from it\. Only an approved revision can go live\.",
        refused.value.detail,
    )


def test_a_decision_refused_keeps_the_comment_typed(
    signed_in: Callable[[User], Client], staff: dict[str, User], answer: Revision
) -> None:
    workflow.revision_approve(actor=staff["reviewer"], revision=answer)

    response = signed_in(staff["reviewer"]).post(
        url(answer, "request-changes/"), {"comment": "One more thing about walking."}
    )

    assert response.status_code == 409
    assert "Dr. Mei Chen approved revision 3" in page(response)
    assert '<blockquote class="kept">One more thing about walking.</blockquote>' in page(response)
