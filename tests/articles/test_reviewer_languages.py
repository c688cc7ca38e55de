"""Only a reviewer qualified in a revision's language signs it off, admins included; a
machine translation needs both languages; the languages are granted by someone else, on
the record (create_staff_user --languages, the management API), and shown to their holder."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError

from articles import workflow
from articles.models import AuditEvent
from contentapi.credentials import staff_languages_set
from contentapi.errors import NotAllowed
from contentapi.models import CredentialAction, CredentialEvent, Role, User
from tests.publishing_helpers import make_live, publish
from tests.translation_helpers import SPANISH, live_english, submitted_translation

ARTICLES = "/api/v1/manage/articles/"
USERS = "/api/v1/manage/users/"


@pytest.fixture
def flu(staff):
    return live_english(staff)


@pytest.fixture
def english_only(make_staff):
    return make_staff(
        Role.REVIEWER, username="dr-en", display_name="Dr. En", credentials="MD", languages=[]
    )


@pytest.fixture
def spanish_only(make_staff):
    return make_staff(
        Role.REVIEWER, username="dr-es", display_name="Dra. Es", credentials="MD", languages=["es"]
    )


def _approve_url(revision) -> str:
    return f"{ARTICLES}{revision.article_id}/revisions/{revision.number}/approve/"


# ------------------------------------------------------------------------------
# Approving
# ------------------------------------------------------------------------------
def test_a_reviewer_without_the_language_may_not_approve_it(api, staff, flu, english_only):
    revision = submitted_translation(staff)

    response = api(english_only).post(_approve_url(revision), {})

    assert response.status_code == 403
    assert response.json()["detail"] == (
        "Revision 1 is in Spanish (es), and you review English (en): a reviewer qualified "
        "in Spanish (es) must approve it. An admin can add languages to your profile."
    )
    revision.refresh_from_db()
    assert revision.state == "in_review"
    # The same words before they try, for the pages.
    assert "a reviewer qualified in Spanish (es)" in workflow.refusal(
        "approve", actor=english_only, revision=revision
    )


def test_a_reviewer_with_the_language_approves_it(api, staff, flu, spanish_only):
    revision = submitted_translation(staff)

    response = api(spanish_only).post(_approve_url(revision), {})

    assert response.status_code == 200, response.content
    assert response.json()["state"] == "approved"


def test_an_admin_is_no_exception(api, staff, flu, make_staff):
    admin = make_staff(
        Role.ADMIN, username="boss", display_name="Dr. Boss", credentials="MD", languages=["en"]
    )
    revision = submitted_translation(staff)

    response = api(admin).post(_approve_url(revision), {})

    assert response.status_code == 403
    assert "Spanish (es)" in response.json()["detail"]


def test_a_reviewer_given_no_languages_reviews_the_default_one(staff, english_only, settings):
    english = make_live(
        editor=staff["editor"], reviewer=english_only, publisher=staff["publisher"], slug="x-ray"
    )

    assert english_only.review_languages == ["en"]
    assert english.live_revision.approved_by == english_only
    settings.DEFAULT_CONTENT_LOCALE = "es"
    assert english_only.review_languages == ["es"]


def test_re_certifying_a_live_translation_needs_its_language(api, staff, flu, english_only):
    revision = submitted_translation(staff)
    workflow.revision_approve(actor=staff["reviewer"], revision=revision)
    publish(revision, publisher=staff["publisher"])

    response = api(english_only).post(f"{ARTICLES}{revision.article_id}/certify-review/", {})

    assert response.status_code == 403
    assert "Spanish (es)" in response.json()["detail"]
    assert (
        api(staff["reviewer"])
        .post(f"{ARTICLES}{revision.article_id}/certify-review/", {})
        .status_code
        == 200
    )


# ------------------------------------------------------------------------------
# Machine translations
# ------------------------------------------------------------------------------
def test_a_machine_translation_needs_a_reviewer_of_both_languages(api, staff, flu, spanish_only):
    revision = submitted_translation(staff, machine_translated=True)

    refused = api(spanish_only).post(_approve_url(revision), {})
    approved = api(staff["reviewer"]).post(_approve_url(revision), {})

    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Revision 1 was machine translated from English (en): only a reviewer qualified in "
        "both English (en) and Spanish (es) may approve it. You review Spanish (es)."
    )
    assert approved.status_code == 200, approved.content
    event = AuditEvent.objects.get(article_id=revision.article_id, action="approved")
    assert event.attests["machine_translated"] is True
    assert event.attests["translates"] == {"slug": "flu-shot", "locale": "en", "revision": 1}


def test_machine_translated_is_set_over_the_api_and_shown(api, editor, flu):
    created = api(editor).post(
        ARTICLES,
        {
            **SPANISH,
            "slug": "vacuna-gripe",
            "locale": "es",
            "translation_of": {"slug": "flu-shot", "locale": "en", "revision": 1},
            "machine_translated": True,
        },
    )
    assert created.status_code == 201, created.content
    url = f"{ARTICLES}{created.json()['id']}/revisions/"

    assert api(editor).get(f"{url}1/").json()["machine_translated"] is True
    # A new revision says so again (a person's edit is not a machine's).
    second = api(editor).post(url, {"base_revision": 1, "summary": "Cada otoño, sin falta."})
    assert second.json()["machine_translated"] is False


def test_a_machine_translation_names_its_source(api, editor):
    response = api(editor).post(
        ARTICLES, {**SPANISH, "slug": "vacuna-gripe", "locale": "es", "machine_translated": True}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "machine_translated"


def test_machine_translated_is_frozen_once_submitted(staff, flu):
    revision = submitted_translation(staff, machine_translated=True)

    with pytest.raises(DatabaseError, match="a submitted revision never changes"):
        type(revision).objects.filter(pk=revision.pk).update(machine_translated=False)


# ------------------------------------------------------------------------------
# Who grants languages
# ------------------------------------------------------------------------------
def _command(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_staff_user", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_create_staff_user_takes_languages(db):
    _, err = _command(
        "ana", "--role", "reviewer", "--display-name", "Dra. Ana", "--credentials", "MD",
        "--languages", "es,en",
    )  # fmt: skip

    user = User.objects.get(username="ana")
    assert user.review_languages == ["en", "es"]
    assert "reviewing en, es" in err
    issued = CredentialEvent.objects.get(subject="ana")
    assert issued.details["languages"] == ["en", "es"]


def test_without_languages_a_new_reviewer_reviews_the_default_only(db):
    _command("ben", "--role", "reviewer")

    user = User.objects.get(username="ben")
    assert user.languages == []
    assert user.review_languages == ["en"]


def test_an_unknown_language_creates_nobody(db):
    with pytest.raises(CommandError, match=r"Languages must be some of en, es .*got fr"):
        _command("cleo", "--role", "reviewer", "--languages", "en,fr")

    assert not User.objects.filter(username="cleo").exists()


def test_the_command_sets_an_existing_users_languages_on_the_record(db, reviewer):
    reviewer.languages = []
    reviewer.save()

    out, _ = _command("reviewer", "--languages", "en,es")

    reviewer.refresh_from_db()
    assert reviewer.review_languages == ["en", "es"]
    assert out == ""  # no token: none was asked for
    event = CredentialEvent.objects.get(action=CredentialAction.LANGUAGES_SET)
    assert (event.subject, event.details) == (
        "reviewer",
        {"before": ["en"], "after": ["en", "es"]},
    )
    assert event.actor_label.startswith("command line")


def test_an_admin_sets_a_reviewers_languages(api, admin, english_only):
    response = api(admin).patch(f"{USERS}dr-en/", {"languages": ["es", "en"]})

    assert response.status_code == 200, response.content
    assert response.json()["languages"] == ["en", "es"]
    english_only.refresh_from_db()
    assert english_only.review_languages == ["en", "es"]
    event = CredentialEvent.objects.get(action=CredentialAction.LANGUAGES_SET)
    assert (event.actor, event.details["after"]) == (admin, ["en", "es"])


@pytest.mark.parametrize(
    ("body", "field"),
    [({"languages": ["fr"]}, "languages"), ({"languages": []}, "languages"), ({}, "languages")],
)
def test_languages_must_be_content_locales(api, admin, english_only, body, field):
    response = api(admin).patch(f"{USERS}dr-en/", body)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].startswith(field)
    assert not CredentialEvent.objects.filter(action=CredentialAction.LANGUAGES_SET).exists()


def test_nobody_grants_themselves_a_language(api, make_staff):
    admin = make_staff(Role.ADMIN, username="boss", languages=["en"])

    response = api(admin).patch(f"{USERS}boss/", {"languages": ["en", "es"]})

    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.review_languages == ["en"]


def test_only_admins_manage_staff(api, reviewer, english_only):
    assert api(reviewer).patch(f"{USERS}dr-en/", {"languages": ["es"]}).status_code == 403
    assert api(reviewer).get(USERS).status_code == 403
    assert api(None).get(USERS).status_code == 401


def test_staff_read_their_own_profile(api, spanish_only):
    response = api(spanish_only).get("/api/v1/manage/me/")

    assert response.status_code == 200
    assert response.json() == {
        "username": "dr-es",
        "display_name": "Dra. Es",
        "credentials": "MD",
        "roles": ["reviewer"],
        "languages": ["es"],
        "is_active": True,
    }


def test_an_admin_lists_staff_with_their_languages(api, admin, english_only, spanish_only):
    listed = {user["username"]: user["languages"] for user in api(admin).get(USERS).json()}

    assert listed["dr-en"] == ["en"]
    assert listed["dr-es"] == ["es"]
    assert api(admin).get(f"{USERS}nobody/").status_code == 404


def test_a_language_taken_away_stops_the_next_approval(staff, flu, spanish_only, admin):
    revision = submitted_translation(staff)

    staff_languages_set(user=spanish_only, languages=["en"], actor=admin, actor_label="admin")
    spanish_only.refresh_from_db()

    with pytest.raises(NotAllowed):
        workflow.revision_approve(actor=spanish_only, revision=revision)
