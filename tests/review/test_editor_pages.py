"""The editors' pages: a start page of what waits on them, writing an article from a blank
page with a server-side preview and the reviewer's readability findings, saving, submitting,
starting the next revision, and refusals that keep what was typed."""

import html as html_module
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from articles import workflow
from articles.models import Article, AuditAction, AuditEvent, Revision, RevisionState
from contentapi.models import Role, User
from tests.publishing_helpers import create_article, latest, make_live, new_revision
from tests.translation_helpers import live_english, live_translation

pytestmark = pytest.mark.django_db

NEW = "/review/write/new/"
BODY = (
    "## What the test is\n\nA short test of your blood.\n\n"
    "## When to call\n\nCall us if you feel faint.\n"
)


def page(response: Any) -> str:
    return response.content.decode()


def draft_url(revision: Revision) -> str:
    return f"/review/write/articles/{revision.article_id}/revisions/{revision.number}/"


def form(**fields: Any) -> dict[str, Any]:
    return {
        "slug": "blood-test",
        "locale": "en",
        "title": "Your blood test",
        "summary": "What the test shows.",
        "body": BODY,
        "editor_note": "",
        "topics": ["breast-health"],
        "codes": "icd10cm z13.0 Screening for blood disorders",
        "sources": "Hospital lab guide | https://example.org/lab",
        "authors": "Ana Ruiz, RN",
        **fields,
    }


@pytest.fixture
def writer(signed_in: Callable[[User], Client], editor: User) -> Client:
    return signed_in(editor)


# ------------------------------------------------------------------------------
# From a blank page to a draft
# ------------------------------------------------------------------------------
def test_preview_renders_as_delivery_will_and_saves_nothing(writer, topic):
    response = writer.post(NEW, {**form(), "action": "preview"})

    html = page(response)
    assert response.status_code == 200
    assert not Article.objects.exists()
    preview = html.split('id="patient-view"')[1]
    assert "<h3>What the test is</h3>" in preview  # the body's h2, one level down
    assert "Your blood test" in preview
    assert "Z13.0" in preview  # the code as the API normalises it
    assert 'id="readability"' in html
    # What was typed stays in the form.
    assert 'value="blood-test"' in html
    assert "Call us if you feel faint." in html.split('id="writing"')[1]


def test_save_creates_revision_one_through_the_service_via_web(writer, editor, topic):
    response = writer.post(NEW, {**form(), "action": "save"})

    article = Article.objects.get(slug="blood-test")
    assert response.status_code == 302
    assert response["Location"] == f"/review/write/articles/{article.pk}/revisions/1/"
    revision = latest(article)
    assert (revision.author, revision.state, revision.title) == (editor, "draft", "Your blood test")
    assert [(c.system, c.code) for c in revision.codes.all()] == [("icd10cm", "Z13.0")]
    assert revision.sources == [{"title": "Hospital lab guide", "url": "https://example.org/lab"}]
    assert revision.authors == [{"name": "Ana Ruiz", "credentials": "RN"}]
    created = AuditEvent.objects.get(article=article, action=AuditAction.ARTICLE_CREATED)
    assert created.details["via"] == "web"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "This field may not be blank."),
        ({"codes": "icd10 E11"}, "codes", "Line 1: write the system"),
        ({"codes": "icd10cm NOT-A-CODE"}, "codes", "is not a valid ICD-10-CM code"),
        ({"sources": "Just a title"}, "sources", "Line 1: write the title, a bar"),
        ({"sources": "Guide | not a url"}, "sources", "Line 1:"),
        ({"topics": ["no-such-topic"]}, "topics", "Unknown topic 'no-such-topic'"),
        ({"slug": "Not A Slug"}, "slug", ""),
    ],
)
def test_what_the_api_refuses_the_page_refuses_keeping_the_text(
    writer, topic, fields, field, message
):
    response = writer.post(NEW, {**form(**fields), "action": "save"})

    html = page(response)
    assert response.status_code == 400
    assert not Article.objects.exists()
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert error, html.split('id="errors"')[1][:500] if 'id="errors"' in html else html[:500]
    assert message in html_module.unescape(error[1])
    assert "Call us if you feel faint." in html  # nothing typed is lost


def test_a_duplicate_slug_is_refused_with_the_apis_words(writer, editor, topic):
    create_article(editor=editor, slug="blood-test")

    response = writer.post(NEW, {**form(), "action": "save"})

    assert response.status_code == 400
    assert "An article with slug &#x27;blood-test&#x27; already exists" in page(response)


def test_a_translation_names_the_live_article_it_translates(writer, staff, topic):
    flu = live_english(staff)

    writer.post(
        NEW,
        {**form(slug="vacuna", locale="es", translation_of="flu-shot"), "action": "save"},
    )
    unknown = writer.post(
        NEW,
        {**form(slug="otra", locale="es", translation_of="nothing"), "action": "save"},
    )

    assert latest(Article.objects.get(slug="vacuna")).source_revision == flu.live_revision
    assert unknown.status_code == 400
    assert "No live article &#x27;nothing&#x27; in another language" in page(unknown)


# ------------------------------------------------------------------------------
# A draft: save, submit, conflicts
# ------------------------------------------------------------------------------
def test_save_then_submit_a_draft(writer, editor, topic):
    article = create_article(editor=editor, slug="blood-test")
    revision = latest(article)
    url = draft_url(revision)
    shown = page(writer.get(url))
    version = re.search(r'name="version" value="(\d+)"', shown)[1]

    saved = writer.post(
        url, {**form(title="A clearer title"), "version": version, "action": "save"}
    )
    revision.refresh_from_db()
    submitted = writer.post(
        url, {**form(title="A clearer title"), "version": revision.version, "action": "submit"}
    )

    assert saved.status_code == 302
    assert submitted["Location"] == f"/review/articles/{article.pk}/revisions/1/"
    revision.refresh_from_db()
    assert (revision.title, revision.state) == ("A clearer title", RevisionState.IN_REVIEW)
    edited = AuditEvent.objects.get(article=article, action=AuditAction.REVISION_EDITED)
    assert edited.details["via"] == "web"


def test_a_stale_form_is_refused_and_both_versions_are_kept(writer, editor, topic):
    article = create_article(editor=editor, slug="blood-test", title="First words")
    revision = latest(article)
    url = draft_url(revision)
    opened = revision.version
    # The same editor saves from another tab meanwhile.
    writer.post(url, {**form(title="Saved in another tab"), "version": opened, "action": "save"})

    response = writer.post(
        url, {**form(title="Typed in this tab"), "version": opened, "action": "save"}
    )

    html = page(response)
    assert response.status_code == 412
    assert "Not saved: this revision changed since you opened it." in html
    assert 'value="Typed in this tab"' in html  # theirs below, yours kept
    assert "Saved in another tab" in html.split('id="theirs"')[1]
    revision.refresh_from_db()
    assert revision.title == "Saved in another tab"


def test_only_the_author_edits_a_draft_and_only_while_a_draft(
    signed_in, editor, other_editor, topic
):
    article = create_article(editor=editor, slug="blood-test")
    revision = latest(article)

    shown = page(signed_in(other_editor).get(draft_url(revision)))
    tried = signed_in(other_editor).post(
        draft_url(revision), {**form(), "version": revision.version, "action": "save"}
    )

    assert "Only the author of a draft may edit it" in shown
    assert 'value="save"' not in shown  # no buttons to press
    assert tried.status_code == 403
    workflow.revision_submit(actor=editor, revision=revision)
    assert "is in review and can no longer change" in page(
        signed_in(editor).get(draft_url(revision))
    )


# ------------------------------------------------------------------------------
# The start page and the next revision
# ------------------------------------------------------------------------------
def test_the_start_page_puts_the_reviewers_request_first(writer, staff, editor):
    live = make_live(**staff, slug="blood-test")
    sent_back = new_revision(live, editor=editor, summary="Shorter.")
    workflow.revision_submit(actor=editor, revision=sent_back)
    workflow.revision_request_changes(
        actor=staff["reviewer"], revision=sent_back, comment="Say when to call the clinic."
    )
    create_article(editor=editor, slug="a-draft", title="A draft of mine")

    html = page(writer.get("/review/write/"))

    returned = html.split('id="sent-back"')[1].split("</section>")[0]
    assert "Say when to call the clinic." in returned
    assert "Dr. Mei Chen" in returned
    assert "Write revision 3 from it" in returned
    assert "A draft of mine" in html.split('id="drafts"')[1].split("</section>")[0]


def test_the_next_revision_starts_from_the_latest(writer, staff, editor):
    live = make_live(**staff, slug="blood-test")

    response = writer.post(
        f"/review/write/articles/{live.pk}/start/", {"base_revision": live.live_revision.number}
    )

    revision = latest(live)
    assert revision.number == 2
    assert revision.base_revision == 1
    assert response["Location"] == draft_url(revision)
    stale = writer.post(f"/review/write/articles/{live.pk}/start/", {"base_revision": 1})
    assert "No new revision: You edited revision 1, but the latest is 2" in page(
        writer.get(stale["Location"])
    )


def test_an_outdated_translation_starts_a_revision_of_the_current_source(writer, staff):
    flu = live_english(staff)
    gripe = live_translation(staff)
    change = new_revision(flu, editor=staff["editor"], body="## Why\n\nCall 911 now.\n")
    workflow.revision_submit(actor=staff["editor"], revision=change)
    workflow.revision_approve(actor=staff["reviewer"], revision=change)
    workflow.revision_publish(actor=staff["publisher"], revision=change)

    found = page(writer.get("/review/write/", {"q": "vacuna"}))
    writer.post(f"/review/write/articles/{gripe.pk}/start/", {"base_revision": 1, "translate": "1"})

    assert "Translate the source as it is now" in found
    assert latest(gripe).source_revision.number == 2


def test_an_editor_page_is_not_for_reviewers_without_the_editor_role(signed_in, reviewer):
    response = signed_in(reviewer).get("/review/write/")

    assert response.status_code == 403


def test_a_reviewer_who_also_edits_sees_both(signed_in, make_staff):
    both = make_staff(Role.EDITOR, Role.REVIEWER, username="both")

    html = page(signed_in(both).get("/review/write/"))

    assert 'href="/review/">Review queue</a>' in html
    assert 'aria-current="page">Writing</a>' in html


def test_the_editor_sees_the_findings_the_reviewer_will_see(
    writer, editor, signed_in, reviewer, topic
):
    body = (
        "## If someone collapses\n\nCall 911. Start CPR and use the AED if there is one.\n\n"
        "## Afterwards\n\nA cardiologist, a heart doctor, will see you.\n"
    )
    preview = page(writer.post(NEW, {**form(body=body), "action": "preview"}))
    writer.post(NEW, {**form(body=body), "action": "save"})
    revision = latest(Article.objects.get(slug="blood-test"))
    workflow.revision_submit(actor=editor, revision=revision)
    review = page(signed_in(reviewer).get(f"/review/articles/{revision.article_id}/revisions/1/"))

    def findings(html: str) -> str:
        return html.split('id="readability"')[1].split("</section>")[0]

    terms = re.findall(r"<li><strong[^>]*>([^<]+)</strong>", findings(preview))
    assert terms == ["CPR", "AED"]  # the cardiologist is explained where first used
    assert findings(preview) == findings(review)


def test_the_code_look_up_offers_codes_the_library_uses(writer, staff, signed_in, reviewer):
    make_live(
        **staff,
        slug="a1c",
        codes=[{"system": "icd10cm", "code": "E11.9", "display": "Type 2 diabetes mellitus"}],
    )

    by_code = writer.get("/review/write/codes/", {"q": "e11"}).json()
    by_name = writer.get("/review/write/codes/", {"q": "diabetes"}).json()

    expected = [{"system": "icd10cm", "code": "E11.9", "display": "Type 2 diabetes mellitus"}]
    assert by_code["results"] == expected
    assert by_name["results"] == expected
    assert writer.get("/review/write/codes/", {"q": "e"}).json() == {"results": []}
    assert signed_in(reviewer).get("/review/write/codes/", {"q": "e11"}).status_code == 403
