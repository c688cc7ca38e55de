"""The review pages through Django's test client: who gets in, what each page shows, and that
every decision goes through the workflow with its own refusals and a `via: web` audit event."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from articles import workflow
from articles.models import Article, AuditAction, AuditEvent, Note, Revision, RevisionState
from articles.services import note_create
from contentapi.models import Role, User
from contentapi.rates import Rate
from tests.publishing_helpers import AT, make_live, new_revision

pytestmark = pytest.mark.django_db


def page(response: Any) -> str:
    return response.content.decode()


def revision_url(revision: Revision, action: str = "") -> str:
    base = f"/review/articles/{revision.article_id}/revisions/{revision.number}/"
    return f"{base}{action}/" if action else base


# ------------------------------------------------------------------------------
# Who gets in
# ------------------------------------------------------------------------------
def test_a_stranger_is_sent_to_sign_in_and_comes_back_after() -> None:
    client = Client()
    response = client.get("/review/articles/1/history/")
    assert response.status_code == 302
    assert response["Location"] == "/review/sign-in/?next=/review/articles/1/history/"


def test_sign_in_with_the_right_password_and_back_to_next(reviewer: User) -> None:
    reviewer.set_password("a long enough password")
    reviewer.save()
    client = Client()
    response = client.post(
        "/review/sign-in/",
        {"username": "reviewer", "password": "a long enough password", "next": "/review/x/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/review/x/"
    assert client.get("/review/").status_code == 200


def test_next_may_not_leave_the_site(reviewer: User) -> None:
    reviewer.set_password("a long enough password")
    reviewer.save()
    response = Client().post(
        "/review/sign-in/?next=https://evil.example/",
        {"username": "reviewer", "password": "a long enough password"},
    )
    assert response["Location"] == "/review/"


def test_a_wrong_password_is_refused_on_the_page(reviewer: User) -> None:
    reviewer.set_password("a long enough password")
    reviewer.save()
    response = Client().post("/review/sign-in/", {"username": "reviewer", "password": "nope"})
    assert response.status_code == 200
    assert "Wrong username or password." in page(response)
    assert "_auth_user_id" not in Client().session


def test_failed_sign_ins_are_limited_by_address_and_by_username(
    reviewer: User, settings: Any
) -> None:
    settings.RATE_LIMIT_AUTH_FAILURES = Rate(3, 86400)  # no window turns over meanwhile
    reviewer.set_password("a long enough password")
    reviewer.save()
    client = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(3):
        wrong = client.post("/review/sign-in/", {"username": "reviewer", "password": "x"})
        assert wrong.status_code == 200
    # Now even the right password is not checked from this address ...
    refused = client.post(
        "/review/sign-in/", {"username": "reviewer", "password": "a long enough password"}
    )
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert "Too many failed sign-ins." in page(refused)
    # ... nor for this username from another address,
    elsewhere = Client(REMOTE_ADDR="10.0.0.2").post(
        "/review/sign-in/", {"username": "Reviewer", "password": "a long enough password"}
    )
    assert elsewhere.status_code == 429
    # while another user from another address is refused as usual (any text is a username).
    Client(REMOTE_ADDR="10.0.0.4").post(
        "/review/sign-in/", {"username": "with spaces\tand ünïcode", "password": "x"}
    )
    other = Client(REMOTE_ADDR="10.0.0.3").post(
        "/review/sign-in/", {"username": "someone", "password": "x"}
    )
    assert other.status_code == 200


def test_the_api_and_the_sign_in_share_the_address_budget(reviewer: User, settings: Any) -> None:
    settings.RATE_LIMIT_AUTH_FAILURES = Rate(2, 86400)  # no window turns over meanwhile
    api = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(2):
        api.get("/api/v1/manage/articles/", HTTP_AUTHORIZATION="Token pe_wrong")
    response = api.post("/review/sign-in/", {"username": "reviewer", "password": "x"})
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("roles", "start"),
    [
        ([Role.EDITOR], "/review/write/"),
        ([Role.PUBLISHER], "/review/publish/"),
        ([Role.EDITOR, Role.PUBLISHER], "/review/write/"),
    ],
)
def test_without_the_reviewer_role_the_queue_and_decisions_stay_shut(
    make_staff: Callable[..., User],
    signed_in: Callable[[User], Client],
    roles: list[Role],
    start: str,
    in_review: Revision,
) -> None:
    client = signed_in(make_staff(*roles, username="sam"))

    # Each starts on the page of their own role, and may read a revision and its history.
    assert client.get("/review/")["Location"] == start
    shown = client.get(revision_url(in_review))
    assert shown.status_code == 200
    assert 'id="decision"' not in page(shown)
    for action in ("approve", "request-changes"):
        refused = client.post(revision_url(in_review, action), {"comment": "Looks fine."})
        assert refused.status_code == 403
        assert "this page is for users with the clinical reviewer (or admin) role" in page(refused)
        assert f'<a href="{start}">Go to your own page</a>' in page(refused)
    in_review.refresh_from_db()
    assert in_review.state == RevisionState.IN_REVIEW


def test_a_user_with_no_role_gets_in_nowhere(
    make_staff: Callable[..., User], signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(make_staff(username="nobody"))

    for url in ("/review/", "/review/profile/", "/review/write/", "/review/publish/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "with no role" in page(response)
        assert "Ask an administrator to give you a role" in page(response)


def test_an_admin_gets_in(admin: User, signed_in: Callable[[User], Client]) -> None:
    assert signed_in(admin).get("/review/").status_code == 200


def test_a_form_without_its_csrf_token_is_refused(reviewer: User, in_review: Revision) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(reviewer)
    response = client.post(revision_url(in_review, "approve"), {"comment": ""})
    assert response.status_code == 403
    assert "without a valid security token" in page(response)
    in_review.refresh_from_db()
    assert in_review.state == RevisionState.IN_REVIEW


def test_sign_out_is_a_post_and_ends_the_session(
    reviewer: User, signed_in: Callable[[User], Client]
) -> None:
    client = signed_in(reviewer)
    assert client.get("/review/sign-out/").status_code == 405
    assert client.post("/review/sign-out/").status_code == 302
    assert client.get("/review/").status_code == 302


def test_a_session_does_not_authenticate_the_api(
    reviewer: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(reviewer).get("/api/v1/manage/articles/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


# ------------------------------------------------------------------------------
# The queue
# ------------------------------------------------------------------------------
def test_the_queue_lists_revisions_in_review_oldest_first(
    reviewer: User,
    signed_in: Callable[[User], Client],
    in_review: Revision,
    first_draft_in_review: Revision,
) -> None:
    html = page(signed_in(reviewer).get("/review/"))
    assert html.index("Recovering from knee replacement") < html.index("A brand new article")
    assert "English (en)" in html
    assert "Ana Ruiz" in html  # the author
    assert html.count("You may approve it.") == 2


def test_the_queue_flags_a_grade_above_8(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    assert in_review.reading_grade > 8
    html = page(signed_in(reviewer).get("/review/"))
    assert f"{in_review.reading_grade}" in html
    assert "above grade 8" in html


def test_the_queue_says_why_a_contributor_may_not_approve(
    make_staff: Callable[..., User], signed_in: Callable[[User], Client], live_article: Article
) -> None:
    writer = make_staff(
        Role.EDITOR, Role.REVIEWER, username="dr.writer", display_name="Dr. W", credentials="MD"
    )
    revision = workflow.revision_submit(
        actor=writer,
        revision=new_revision(live_article, editor=writer, title="Rewritten"),
    )
    html = page(signed_in(writer).get("/review/"))
    assert "You may not approve it." in html
    assert f"You wrote part of this text: revision {revision.number}." in html


def test_the_re_review_list_is_overdue_first_and_within_30_days(
    reviewer: User,
    signed_in: Callable[[User], Client],
    editor: User,
    publisher: User,
    make_staff: Callable[..., User],
) -> None:
    other = make_staff(Role.REVIEWER, username="dr.o", display_name="Dr. O", credentials="MD")
    staff = {"editor": editor, "reviewer": other, "publisher": publisher}
    make_live(**staff, slug="far", title="Due next year", review_interval_days=365)
    soon = make_live(**staff, slug="soon", title="Due in ten days", review_interval_days=60)
    Article.objects.filter(pk=soon.pk).update(next_review_due=soon.next_review_due - timedelta(50))
    # Reviewed every 10 days and due in 9: not yet (within half its interval, 5 days, it is).
    make_live(**staff, slug="often", title="Reviewed often", review_interval_days=10)
    overdue = make_live(**staff, slug="late", title="Due yesterday", review_interval_days=1)
    Article.objects.filter(pk=overdue.pk).update(
        next_review_due=overdue.next_review_due - timedelta(days=2)
    )
    html = page(signed_in(reviewer).get("/review/"))
    due = html[html.index("Due for re-review") :]
    assert "Due next year" not in due
    assert "Reviewed often" not in due
    assert due.index("Due yesterday") < due.index("Due in ten days")
    assert due.count("overdue</span>") == 1
    assert re.findall(r'href="/review/articles/(\d+)/certify/"', due) == [
        str(overdue.pk),
        str(soon.pk),
    ]


def test_re_certify_on_the_articles_page_then_it_leaves_the_due_list(
    reviewer: User, signed_in: Callable[[User], Client], editor: User, publisher: User,
    make_staff: Callable[..., User],
) -> None:  # fmt: skip
    other = make_staff(Role.REVIEWER, username="dr.o", display_name="Dr. O", credentials="MD")
    staff = {"editor": editor, "reviewer": other, "publisher": publisher}
    daily = make_live(**staff, slug="kidney", title="Your kidney tests", review_interval_days=1)
    Article.objects.filter(pk=daily.pk).update(next_review_due=timezone.now() - timedelta(days=1))
    client = signed_in(reviewer)
    assert "Your kidney tests" in page(client.get("/review/")).split("Due for re-review")[1]

    shown = page(client.get(f"/review/articles/{daily.pk}/certify/"))
    done = client.post(f"/review/articles/{daily.pk}/certify/", {"comment": "Still right."})

    dates = shown.split('id="review-dates"')[1].split("</dl>")[0]
    assert "<dt>Review interval</dt><dd>1 day</dd>" in dates
    assert "overdue</span>" in dates
    assert "Next due if you re-certify now" in dates
    assert "Most results like this are normal." in shown.split('id="patient-view"')[1]
    assert done.status_code == 302
    assert "Your kidney tests" not in page(client.get("/review/")).split("Due for re-review")[1]


def test_re_certify_goes_through_the_workflow_from_the_web(
    reviewer: User, signed_in: Callable[[User], Client], live_article: Article
) -> None:
    response = signed_in(reviewer).post(
        f"/review/articles/{live_article.pk}/certify/", {"comment": "Still right."}, follow=True
    )
    assert "Re-certified “Recovering from knee replacement”" in page(response)
    event = AuditEvent.objects.filter(article=live_article).latest("seq")
    assert event.action == AuditAction.REVIEW_CERTIFIED
    assert event.comment == "Still right."
    assert event.details["via"] == "web"
    live_article.refresh_from_db()
    assert live_article.last_reviewed_by == reviewer


def test_re_certify_refused_shows_the_workflow_message(
    make_staff: Callable[..., User], signed_in: Callable[[User], Client], live_article: Article
) -> None:
    nameless = make_staff(Role.REVIEWER, username="dr.x", display_name="", credentials="")
    client = signed_in(nameless)
    shown = page(client.get(f"/review/articles/{live_article.pk}/certify/"))
    response = client.post(f"/review/articles/{live_article.pk}/certify/", {"comment": "Fine."})
    assert "Your staff profile needs a display name and credentials" in shown
    assert response.status_code == 403
    assert "Not re-certified.</strong> Your staff profile needs a display name" in page(response)
    assert '<blockquote class="kept">Fine.</blockquote>' in page(response)  # kept


# ------------------------------------------------------------------------------
# One revision
# ------------------------------------------------------------------------------
def test_the_revision_page_shows_the_document_the_diff_and_the_hard_sentences(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    html = page(signed_in(reviewer).get(revision_url(in_review)))
    # Rendered by the delivery renderer; the body's h2 is an h3 under the page's own h2.
    assert "<h3>Week one</h3>" in html
    assert "Compared with revision 1, the live one." in html
    assert re.search(r"<del><span class=\"sr-only\">\[removed: </span>hour", html)
    assert re.search(r"<ins><span class=\"sr-only\">\[added: </span>two hours", html)
    assert '<mark class="hard" id="hard-1"' in html
    assert "Long words (3 or more syllables): “recommends”, “additional”" in html
    assert "Approve revision 2" in html


def test_a_first_revision_has_nothing_to_compare_with(
    reviewer: User, signed_in: Callable[[User], Client], first_draft_in_review: Revision
) -> None:
    html = page(signed_in(reviewer).get(revision_url(first_draft_in_review)))
    assert "This is the first version of the article" in html


def test_approve_goes_through_the_workflow_and_lands_on_the_queue(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    client = signed_in(reviewer)
    response = client.post(revision_url(in_review, "approve"), {"comment": "Accurate."})
    assert response.status_code == 302
    assert response["Location"] == "/review/"
    assert "Approved revision 2 of “Recovering from knee replacement”" in page(
        client.get("/review/")
    )
    in_review.refresh_from_db()
    assert in_review.state == RevisionState.APPROVED
    assert in_review.approved_by == reviewer
    event = AuditEvent.objects.get(revision=in_review, action=AuditAction.APPROVED)
    assert event.details["via"] == "web"
    assert event.comment == "Accurate."
    assert event.details["contributors"][0]["username"] == "editor"


def test_a_contributor_sees_why_and_has_no_approve_button(
    make_staff: Callable[..., User], signed_in: Callable[[User], Client], live_article: Article
) -> None:
    writer = make_staff(
        Role.EDITOR, Role.REVIEWER, username="dr.writer", display_name="Dr. W", credentials="MD"
    )
    revision = workflow.revision_submit(
        actor=writer, revision=new_revision(live_article, editor=writer, title="Rewritten")
    )
    client = signed_in(writer)
    html = page(client.get(revision_url(revision)))
    assert "You may not approve this revision." in html
    assert "You wrote part of this text: revision 2. Another reviewer" in html
    assert "Approve revision 2" not in html
    # Posting anyway is refused by the workflow, in its own words.
    response = client.post(revision_url(revision, "approve"), {"comment": ""})
    assert response.status_code == 403
    assert "You wrote part of this text: revision 2." in page(response)
    revision.refresh_from_db()
    assert revision.state == RevisionState.IN_REVIEW


def test_request_changes_without_a_comment_is_refused_with_the_workflow_message(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    response = signed_in(reviewer).post(
        revision_url(in_review, "request-changes"), {"comment": "  "}
    )
    assert response.status_code == 400
    assert "<strong>Not done.</strong> A comment is required." in page(response)
    in_review.refresh_from_db()
    assert in_review.state == RevisionState.IN_REVIEW
    assert not AuditEvent.objects.filter(action=AuditAction.CHANGES_REQUESTED).exists()


def test_request_changes_with_a_comment(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    client = signed_in(reviewer)
    response = client.post(
        revision_url(in_review, "request-changes"), {"comment": "Say when to call."}, follow=True
    )
    assert "Sent revision 2 of “Recovering from knee replacement” back" in page(response)
    in_review.refresh_from_db()
    assert in_review.state == RevisionState.CHANGES_REQUESTED
    event = AuditEvent.objects.get(revision=in_review, action=AuditAction.CHANGES_REQUESTED)
    assert event.details == {"via": "web"}


def test_a_decision_on_a_revision_no_longer_in_review_says_so(
    reviewer: User, signed_in: Callable[[User], Client], live_article: Article
) -> None:
    response = signed_in(reviewer).post(
        f"/review/articles/{live_article.pk}/revisions/1/approve/", {}
    )
    assert response.status_code == 409
    assert re.search(
        r"[^<>]+ put revision 1 live " + AT + r"\. Nothing is left to decide: it is what readers "
        r"see\. Only a revision waiting in review can be approved\.",
        page(response),
    )


def test_a_comment_too_long_is_refused(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    response = signed_in(reviewer).post(revision_url(in_review, "approve"), {"comment": "x" * 5001})
    assert response.status_code == 400
    assert "at most 5000 characters" in page(response)


def test_notes_are_added_and_replied_to(
    reviewer: User, editor: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    first = note_create(actor=editor, revision=in_review, body="Is two hours right?")
    client = signed_in(reviewer)
    response = client.post(
        revision_url(in_review, "notes"), {"body": "Yes, for week one.", "reply_to": first.pk}
    )
    reply = Note.objects.get(reply_to=first)
    assert response["Location"] == f"{revision_url(in_review)}#note-{reply.pk}"
    assert reply.author == reviewer
    client.post(revision_url(in_review, "notes"), {"body": "A new thread."})
    html = page(client.get(revision_url(in_review)))
    assert html.index("Is two hours right?") < html.index("Yes, for week one.")
    assert html.index("Yes, for week one.") < html.index("A new thread.")


def test_a_note_refused_says_why(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision, live_article: Article
) -> None:
    elsewhere = note_create(
        actor=reviewer, revision=Revision.objects.get(article=live_article, number=1), body="x"
    )
    client = signed_in(reviewer)
    response = client.post(
        revision_url(in_review, "notes"), {"body": "y", "reply_to": elsewhere.pk}
    )
    assert response.status_code == 400
    assert f"Note {elsewhere.pk} is not a note on this revision." in page(response)
    assert client.post(revision_url(in_review, "notes"), {"body": ""}).status_code == 400


def test_an_unknown_revision_is_an_html_404(
    reviewer: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(reviewer).get("/review/articles/999/revisions/1/")
    assert response.status_code == 404
    assert "Page not found" in page(response)


# ------------------------------------------------------------------------------
# History, the root, headers
# ------------------------------------------------------------------------------
def test_history_is_a_readable_timeline(
    reviewer: User, signed_in: Callable[[User], Client], in_review: Revision
) -> None:
    client = signed_in(reviewer)
    client.post(revision_url(in_review, "approve"), {"comment": "Accurate."})
    html = page(client.get(f"/review/articles/{in_review.article_id}/history/"))
    sentences = re.findall(r"UTC</time>: ([^<]+)</h2>", html)
    assert sentences[0] == "Ana Ruiz created the article with revision 1"
    assert sentences[-1] == "Dr. Mei Chen approved revision 2"
    assert "Done on the review pages." in html
    assert "editor wrote revision 2 and so could not approve it." in html


def test_the_root_sends_browsers_to_the_review_pages_and_api_clients_a_404() -> None:
    client = Client()
    browser = client.get("/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert browser.status_code == 302
    assert browser["Location"] == "/review/"
    for accept in ("application/json", "*/*", None):
        headers = {"HTTP_ACCEPT": accept} if accept else {}
        response = client.get("/", **headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_review_pages_have_the_strict_content_security_policy(
    reviewer: User, signed_in: Callable[[User], Client]
) -> None:
    response = signed_in(reviewer).get("/review/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert "form-action 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert "no-cache" in response["Cache-Control"]
    docs = Client().get("/api/docs/")
    assert "'unsafe-inline'" in docs["Content-Security-Policy"]


def test_api_decisions_record_no_via(
    reviewer: User, api: Callable[[User], Any], in_review: Revision
) -> None:
    response = api(reviewer).post(
        f"/api/v1/manage/articles/{in_review.article_id}/revisions/2/approve/", {"comment": "ok"}
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(revision=in_review, action=AuditAction.APPROVED)
    assert "via" not in event.details


def test_review_pages_are_not_in_the_openapi_document() -> None:
    schema = Client().get("/api/schema/").content.decode()
    assert "/review/" not in schema


def test_a_session_key_read_from_the_database_signs_nobody_in(reviewer: User) -> None:

    reviewer.set_password("a long enough password")
    reviewer.save()
    browser = Client()
    browser.post("/review/sign-in/", {"username": "reviewer", "password": "a long enough password"})
    cookie = browser.cookies["sessionid"].value
    stored = Session.objects.get()  # what a dump of the database holds
    attacker = Client()
    attacker.cookies["sessionid"] = stored.session_key

    assert stored.session_key != cookie
    assert cookie not in stored.session_key
    assert browser.get("/review/").status_code == 200
    assert attacker.get("/review/").status_code == 302  # sent to sign in


def test_signing_out_removes_the_stored_session(reviewer: User) -> None:
    reviewer.set_password("a long enough password")
    reviewer.save()
    browser = Client()
    browser.post("/review/sign-in/", {"username": "reviewer", "password": "a long enough password"})
    signed_in = Session.objects.get()
    cookie = browser.cookies["sessionid"].value

    browser.post("/review/sign-out/")
    replayed = Client()
    replayed.cookies["sessionid"] = cookie

    assert not Session.objects.filter(session_key=signed_in.session_key).exists()
    assert replayed.get("/review/").status_code == 302


def test_a_secret_key_rotation_with_the_old_key_as_fallback_keeps_reviewers_signed_in(
    reviewer: User, settings: Any
) -> None:
    reviewer.set_password("a long enough password")
    reviewer.save()
    active, away = Client(), Client()
    for browser in (active, away):
        browser.post(
            "/review/sign-in/", {"username": "reviewer", "password": "a long enough password"}
        )
    old = settings.SECRET_KEY

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the-new-secret-key-of-2027", [old]
    during = active.get("/review/").status_code  # its session is signed anew with the new key
    settings.SECRET_KEY_FALLBACKS = []
    after = active.get("/review/").status_code
    not_seen_during_the_overlap = away.get("/review/").status_code

    assert (during, after, not_seen_during_the_overlap) == (200, 200, 302)
