"""The review pages in a real browser (Chromium): a reviewer's day, with and without
JavaScript, checked by axe-core and at tablet and desktop widths."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles import workflow
from articles.models import Article, AuditAction, AuditEvent, Revision, RevisionState
from contentapi.models import Role, User
from contentapi.rates import Rate
from tests.browser.conftest import axe_violations, no_horizontal_scroll, sign_in, with_password
from tests.publishing_helpers import latest, make_live, new_revision

pytestmark = [pytest.mark.django_db(transaction=True)]

HARD = (
    "If your surgeon recommends additional physiotherapy appointments, schedule them "
    "immediately, because delayed rehabilitation frequently complicates the recovery."
)


@pytest.fixture
def library(editor: User, publisher: User, make_staff: Callable[..., User]) -> dict[str, Any]:
    """A live article with revision 2 in review, and an article overdue for re-review."""
    first = make_staff(Role.REVIEWER, username="dr.first", display_name="Dr. F", credentials="MD")
    staff = {"editor": editor, "reviewer": first, "publisher": publisher}
    knee = make_live(
        **staff,
        slug="knee-recovery",
        title="Recovering from knee replacement",
        body="## Week one\n\nWalk a little every hour.\n",
    )
    revision = new_revision(
        knee, editor=editor, body=f"## Week one\n\nWalk a little every two hours.\n\n{HARD}\n"
    )
    workflow.revision_submit(actor=editor, revision=revision)
    kidney = make_live(**staff, slug="kidney", title="Your kidney tests", review_interval_days=1)
    # Overdue by an hour (tests may write dates; the service never does).
    Article.objects.filter(pk=kidney.pk).update(next_review_due=timezone.now() - timedelta(hours=1))
    return {"knee": knee, "in_review": latest(knee), "kidney": kidney}


def test_a_reviewer_reads_a_revision_adds_a_note_and_approves_it(
    new_page: Callable[..., Any], reviewer: User, library: dict[str, Any]
) -> None:
    with_password(reviewer)
    page = new_page()
    page.goto("/review/")
    expect(page).to_have_url(re.compile(r"/review/sign-in/\?next=/review/$"))
    violations = {"sign-in": axe_violations(page)}
    sign_in(page, "reviewer")

    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()
    violations["queue"] = axe_violations(page)
    card = page.locator(".cards li", has_text="Recovering from knee replacement")
    expect(card).to_contain_text("You may approve it.")
    expect(card).to_contain_text("above grade 8")
    card.get_by_role("link", name="Recovering from knee replacement").click()

    # What changed, marked in the rendered article, and the hardest sentence marked with why.
    expect(page.locator("#patient-view .doc-body del").first).to_contain_text("hour")
    expect(page.locator("#patient-view .doc-body ins").first).to_contain_text("two hours")
    expect(page.locator("mark#hard-1")).to_contain_text("If your surgeon recommends")
    expect(page.locator("#hard-why-1")).to_contain_text("Long words (3 or more syllables)")
    violations["revision"] = axe_violations(page)

    page.get_by_label("Add a note").fill("Is two hours right in week one?")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".note", has_text="Is two hours right in week one?")).to_be_visible()

    page.get_by_label("Comment (optional)").fill("Accurate.")
    page.get_by_role("button", name="Approve revision 2").click()
    expect(page).to_have_url(re.compile(r"/review/$"))
    expect(page.get_by_role("status")).to_contain_text(
        "Approved revision 2 of “Recovering from knee replacement”"
    )
    event = AuditEvent.objects.get(revision=library["in_review"], action=AuditAction.APPROVED)
    assert event.details["via"] == "web"
    assert event.actor == reviewer

    page.goto(f"/review/articles/{library['knee'].pk}/history/")
    expect(page.locator(".event").last).to_contain_text("Dr. Mei Chen approved revision 2")
    violations["history"] = axe_violations(page)
    assert violations == {"sign-in": [], "queue": [], "revision": [], "history": []}
    assert page.csp_violations == []


def test_without_javascript_a_contributor_is_told_why_and_changes_need_a_comment(
    new_page: Callable[..., Any], make_staff: Callable[..., User], library: dict[str, Any]
) -> None:
    writer = with_password(
        make_staff(
            Role.EDITOR, Role.REVIEWER, username="dr.w", display_name="Dr. W", credentials="MD"
        )
    )
    own = new_revision(library["kidney"], editor=writer, title="Your kidney tests, rewritten")
    workflow.revision_submit(actor=writer, revision=own)
    page = new_page(javascript=False)
    sign_in(page, "dr.w")
    page.get_by_role("link", name="Your kidney tests, rewritten").click()
    decision = page.locator("#decision")
    expect(decision).to_contain_text("You may not approve this revision.")
    expect(decision).to_contain_text("You wrote part of this text: revision 2.")
    expect(page.get_by_role("button", name=re.compile("^Approve"))).to_have_count(0)

    # Another revision: request changes without a comment, then with one.
    page.goto("/review/")
    page.get_by_role("link", name="Recovering from knee replacement").click()
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("alert")).to_contain_text("A comment is required.")
    assert Revision.objects.get(pk=library["in_review"].pk).state == RevisionState.IN_REVIEW
    page.get_by_label("What must change (required)").fill("Say when to call the surgeon.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("status")).to_contain_text("back to its editor")
    changed = Revision.objects.get(pk=library["in_review"].pk)
    assert changed.state == RevisionState.CHANGES_REQUESTED


def test_recertify_an_overdue_article_and_the_doors_that_stay_shut(
    new_page: Callable[..., Any],
    reviewer: User,
    publisher: User,
    library: dict[str, Any],
    settings: Any,
) -> None:
    kidney: Article = library["kidney"]
    with_password(reviewer)
    page = new_page()
    sign_in(page, "reviewer")
    due = page.locator(".cards li", has_text="Your kidney tests")
    due.get_by_role("link", name=re.compile("^Read and re-certify")).click()
    expect(page.locator("#review-dates")).to_contain_text("Review interval")
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("^Re-certify revision")).click()
    expect(page.get_by_role("status")).to_contain_text("Re-certified “Your kidney tests”")
    expect(page.locator(".cards li", has_text="Your kidney tests")).to_have_count(0)
    certified = AuditEvent.objects.filter(article=kidney).latest("seq")
    assert certified.action == AuditAction.REVIEW_CERTIFIED
    assert certified.details["via"] == "web"

    # A publisher signs in to the publishers' page; the reviewers' queue is not theirs.
    with_password(publisher)
    other = new_page()
    sign_in(other, "publisher")
    expect(other.get_by_role("heading", level=1)).to_have_text("Publishing")
    expect(other.get_by_role("link", name="Review queue")).to_have_count(0)
    assert axe_violations(other) == []

    # Wrong passwords are refused, then rate limited.
    # A day-long window: fixed windows start on the clock, and a minute-long one could
    # turn over between the guesses.
    settings.RATE_LIMIT_AUTH_FAILURES = Rate(3, 86400)
    guesser = new_page()
    for _ in range(3):
        sign_in(guesser, "reviewer", "not the password")
        expect(guesser.get_by_role("alert")).to_have_text("Wrong username or password.")
    sign_in(guesser, "reviewer")
    expect(guesser.get_by_role("alert")).to_contain_text("Too many failed sign-ins.")


@pytest.mark.parametrize("width", [768, 1280])
def test_no_horizontal_scroll_at_tablet_and_desktop_widths(
    new_page: Callable[..., Any], reviewer: User, library: dict[str, Any], width: int
) -> None:
    with_password(reviewer)
    page = new_page(width=width)
    sign_in(page, "reviewer")
    assert no_horizontal_scroll(page), "queue"
    revision = library["in_review"]
    page.goto(f"/review/articles/{revision.article_id}/revisions/{revision.number}/")
    assert no_horizontal_scroll(page), "revision"
    # Keyboard users see where they are: the focused element has an outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
