"""The whole editorial team in Chromium: an article goes from a blank page to live without the
API. An editor writes and submits it; a reviewer requests changes on one quoted sentence; the
editor answers with a new revision; the reviewer approves it from the rendered compare; a
publisher schedules it; the clock puts it live and delivery serves it. axe-core checks each
page on the way, at 768 and 1280 px."""

import io
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from articles import workflow
from articles.models import Article, AuditAction, AuditEvent
from contentapi.models import Role, User
from delivery.models import PublishedDocument
from tests.browser.conftest import axe_violations, no_horizontal_scroll, sign_in, with_password

BODY = (
    "## Before the test\n\nDo not eat for eight hours before the test.\n\n"
    "## After the test\n\nYou can eat and drink as usual.\n"
)


@pytest.fixture
def team(make_staff: Callable[..., User], topic: Any) -> dict[str, User]:
    return {
        "editor": with_password(make_staff(Role.EDITOR, username="ana", display_name="Ana Ruiz")),
        "reviewer": with_password(
            make_staff(
                Role.REVIEWER, username="drchen", display_name="Dr. Mei Chen", credentials="MD"
            )
        ),
        "publisher": with_password(make_staff(Role.PUBLISHER, username="sam")),
    }


def checked(page: Any, what: str) -> None:
    assert axe_violations(page) == [], what
    assert no_horizontal_scroll(page), what


@pytest.mark.parametrize("width", [768, 1280])
def test_an_article_goes_from_a_blank_page_to_live_in_the_browser(
    new_page: Callable[..., Any], team: dict[str, User], width: int, settings: Any
) -> None:
    # The editor writes it, previews it, and sends it for review.
    editor = new_page(width=width)
    sign_in(editor, "ana")
    expect(editor.get_by_role("heading", level=1)).to_have_text("Writing")
    checked(editor, "editor's start page")
    editor.get_by_role("link", name="Write a new article").click()
    editor.get_by_label(re.compile("^Slug")).fill("fasting-blood-test")
    editor.get_by_label(re.compile("^Title")).fill("Your fasting blood test")
    editor.get_by_label(re.compile("^Summary")).fill(
        "How to get ready for a blood test after fasting."
    )
    editor.get_by_label(re.compile("^Body")).fill(BODY)
    editor.get_by_label("Breast health").check()
    editor.get_by_role("button", name="Preview").click()
    expect(editor.locator("#patient-view")).to_contain_text("Do not eat for eight hours")
    checked(editor, "writing page with its preview")
    editor.get_by_role("button", name="Save as a draft").click()
    expect(editor.locator(".messages")).to_contain_text("Saved “Your fasting blood test”")
    editor.get_by_role("button", name="Save and send for review").click()
    expect(editor.locator(".messages")).to_contain_text("Sent revision 1")
    article = Article.objects.get(slug="fasting-blood-test")

    # The reviewer asks for a change on one sentence, quoting it.
    reviewer = new_page(width=width)
    sign_in(reviewer, "drchen")
    reviewer.get_by_role("link", name="Your fasting blood test").click()
    reviewer.get_by_label("The passage it is about").fill(
        "Do not eat for eight hours before the test."
    )
    reviewer.get_by_label("Add a note").fill("Say that water is fine.")
    reviewer.get_by_role("button", name="Add note").click()
    expect(reviewer.locator("mark.quote")).to_have_text(
        "Do not eat for eight hours before the test."
    )
    checked(reviewer, "revision page with a quoted note")
    reviewer.get_by_label("What must change (required)").fill("See my note on fasting.")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(reviewer.get_by_role("status")).to_contain_text("back to its editor")

    # The editor answers with revision 2.
    editor.goto("/review/write/")
    sent_back = editor.locator("#sent-back")
    expect(sent_back).to_contain_text("See my note on fasting.")
    sent_back.get_by_role("button", name="Write revision 2 from it").click()
    body = editor.get_by_label(re.compile("^Body"))
    body.fill(
        BODY.replace("eight hours before the test.", "eight hours before the test. Water is fine.")
    )
    editor.get_by_role("button", name="Save and send for review").click()
    expect(editor.locator(".messages")).to_contain_text("Sent revision 2")

    # The reviewer reads the answer in the rendered compare and approves it.
    reviewer.goto("/review/")
    reviewer.get_by_role("link", name="Your fasting blood test").click()
    patient_view = reviewer.locator("#patient-view")
    expect(patient_view).to_contain_text("With the changes since revision 1 marked")
    expect(patient_view.locator(".doc-body ins")).to_contain_text("Water is fine.")
    expect(reviewer.locator("#carried-notes")).to_contain_text("still in revision 2")
    checked(reviewer, "rendered compare")
    reviewer.get_by_role("button", name="Approve revision 2").click()
    expect(reviewer.get_by_role("status")).to_contain_text("Approved revision 2")

    # The publisher schedules it for tomorrow, in the hospital's time zone.
    publisher = new_page(width=width)
    sign_in(publisher, "sam")
    expect(publisher.get_by_role("heading", level=1)).to_have_text("Publishing")
    checked(publisher, "publisher's page")
    tomorrow = timezone.localtime() + timedelta(days=1)
    waiting = publisher.locator(".card", has_text="Your fasting blood test")
    waiting.get_by_label("Date to go live").fill(f"{tomorrow:%Y-%m-%d}")
    waiting.get_by_label(re.compile("^Time")).fill("09:30")
    waiting.get_by_role("button", name=re.compile("^Schedule")).click()
    expect(publisher.get_by_role("status")).to_contain_text("Scheduled")

    # Nobody acts: the clock puts it live, and delivery serves it.
    workflow.scheduled_publish_due(now=timezone.now() + timedelta(days=2))
    document = json.loads(bytes(PublishedDocument.objects.get(article=article).body))
    assert document["revision"] == 2
    assert "Water is fine." in document["body_markdown"]
    trail = list(
        AuditEvent.objects.filter(article=article).order_by("seq").values_list("action", "details")
    )
    actions = [action for action, _ in trail]
    assert actions == [
        AuditAction.ARTICLE_CREATED, AuditAction.SUBMITTED,
        AuditAction.CHANGES_REQUESTED, AuditAction.REVISION_CREATED, AuditAction.REVISION_EDITED,
        AuditAction.SUBMITTED, AuditAction.APPROVED, AuditAction.SCHEDULED, AuditAction.PUBLISHED,
    ]  # fmt: skip
    people = [details.get("via") for action, details in trail if action != AuditAction.PUBLISHED]
    assert set(people) == {"web"}
    # And the whole trail verifies: links, signatures, approvals, the live document.
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    assert "every link and signature holds" in out.getvalue()


def test_with_javascript_a_code_is_looked_up_as_the_editor_types(
    new_page: Callable[..., Any], team: dict[str, User], staff: dict[str, User]
) -> None:
    from tests.publishing_helpers import make_live

    make_live(
        **staff,
        slug="a1c",
        codes=[{"system": "icd10cm", "code": "E11.9", "display": "Type 2 diabetes mellitus"}],
    )
    editor = new_page()
    sign_in(editor, "ana")
    editor.goto("/review/write/new/")
    lookup = editor.get_by_label("Look up a code the library uses")
    lookup.fill("diabetes")
    option = "icd10cm E11.9 — Type 2 diabetes mellitus"
    expect(editor.locator(f'#code-lookup-options option[value="{option}"]')).to_have_count(1)
    lookup.fill(option)
    expect(editor.get_by_label(re.compile("^Medical codes"))).to_have_value(
        "icd10cm E11.9 Type 2 diabetes mellitus"
    )
    expect(editor.locator("#code-lookup [role=status]")).to_have_text(
        "Added: icd10cm E11.9 Type 2 diabetes mellitus"
    )
    assert editor.csp_violations == []
