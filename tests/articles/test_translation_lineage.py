"""Translations tied to the English they translate: the source revision is recorded, a live
change of meaning makes the live translation outdated in the same transaction (document,
feed, webhooks, trail), a wording-only change does not, and a translation of the current
source is current again."""

import json

import pytest
from django.db import IntegrityError, connection, transaction

from articles import services, workflow
from articles.content import RevisionContent
from articles.models import AuditAction, AuditEvent, Revision
from delivery.models import ChangeEvent, ChangeKind, PublishedDocument
from tests.publishing_helpers import approve, latest, make_live, new_revision, publish
from tests.translation_helpers import SPANISH, live_english, live_translation
from webhooks.fanout import fan_out
from webhooks.models import WebhookDelivery
from webhooks.services import subscription_create

ARTICLES = "/api/v1/manage/articles/"


@pytest.fixture
def flu(staff):
    return live_english(staff)


@pytest.fixture
def gripe(staff, flu):
    """The live Spanish translation of revision 1 of `flu`."""
    return live_translation(staff)


def _document(article) -> dict:
    return json.loads(bytes(PublishedDocument.objects.get(article_id=article.pk).body))


def _english_change(flu, staff, **changes) -> Revision:
    revision = new_revision(flu, editor=staff["editor"], **changes)
    approve(revision, editor=staff["editor"], reviewer=staff["reviewer"])
    return publish(revision, publisher=staff["publisher"])


def test_a_translation_records_the_revision_it_translates(api, editor, flu):
    response = api(editor).post(
        ARTICLES,
        {
            **SPANISH,
            "slug": "vacuna-gripe",
            "locale": "es",
            "translation_of": {"slug": "flu-shot", "locale": "en", "revision": 1},
        },
    )

    assert response.status_code == 201, response.content
    article_id = response.json()["id"]
    detail = api(editor).get(f"{ARTICLES}{article_id}/revisions/1/").json()
    assert detail["translation_of"] == {"slug": "flu-shot", "locale": "en", "revision": 1}
    created = AuditEvent.objects.get(article_id=article_id, action=AuditAction.ARTICLE_CREATED)
    assert created.attests["translates"] == {"slug": "flu-shot", "locale": "en", "revision": 1}
    # A new revision carries the source over, and may name a newer one.
    revision = api(editor).post(
        f"{ARTICLES}{article_id}/revisions/", {"base_revision": 1, "summary": "Cada otoño."}
    )
    assert revision.json()["translation_of"]["revision"] == 1


def test_an_article_id_means_that_articles_live_revision(staff, flu):
    new_revision(flu, editor=staff["editor"], summary="A draft nobody approved yet.")

    article = services.article_create(
        actor=staff["editor"], slug="vacuna-gripe", locale="es",
        content=RevisionContent.from_input(SPANISH), translation_of=flu.pk,
    )  # fmt: skip

    assert latest(article).source_revision == flu.live_revision


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ({"slug": "flu-shot", "locale": "en", "revision": 9}, "not_found"),
        ({"slug": "flu-shot", "locale": "es", "revision": 1}, "not_found"),
        ({"slug": "flu", "locale": "en"}, None),
        ("flu-shot", "invalid"),
        (True, "invalid"),
    ],
)
def test_a_source_that_is_not_one_is_refused(api, editor, flu, source, code):
    response = api(editor).post(
        ARTICLES, {**SPANISH, "slug": "vacuna-gripe", "locale": "es", "translation_of": source}
    )

    assert response.status_code == 400
    if code:
        assert response.json()["errors"][0] == {
            "field": "translation_of",
            "message": response.json()["errors"][0]["message"],
            "code": code,
        }


def test_a_change_of_meaning_outdates_the_live_translation_at_once(
    staff, flu, gripe, admin, settings
):
    settings.WEBHOOK_ALLOWED_PRIVATE_HOSTS = ["127.0.0.1"]
    subscription, _ = subscription_create(actor=admin, url="http://127.0.0.1:9/hooks")
    assert _document(gripe)["translation"] == {
        "source_locale": "en", "source_revision": 1, "status": "current", "outdated_since": None,
    }  # fmt: skip

    _english_change(flu, staff, body="## Why it matters\n\nCall 911 if you cannot breathe.\n")

    translation = _document(gripe)["translation"]
    assert translation["status"] == "outdated"
    assert translation["outdated_since"] is not None
    event = ChangeEvent.objects.filter(article_id=gripe.pk).latest("id")
    assert event.event == ChangeKind.TRANSLATION_OUTDATED
    trail = AuditEvent.objects.filter(article=gripe).latest("seq")
    assert trail.action == AuditAction.TRANSLATION_OUTDATED
    assert "flu-shot (en) revision 2" in trail.comment
    fan_out()
    kinds = [
        json.loads(d.payload)["type"]
        for d in WebhookDelivery.objects.filter(subscription=subscription).order_by("id")
    ]
    assert "article.translation_outdated" in kinds
    assert _document(flu)["translation"] is None  # the English is no translation


def test_a_wording_only_change_leaves_translations_current(staff, flu, gripe):
    _english_change(flu, staff, summary="It protects you.", meaning_changed=False,
                    meaning_note="A shorter summary; nothing a reader does changes.")  # fmt: skip

    assert _document(gripe)["translation"]["status"] == "current"
    assert not ChangeEvent.objects.filter(event=ChangeKind.TRANSLATION_OUTDATED).exists()


def test_a_wording_only_change_must_say_why(api, editor, flu):
    response = api(editor).post(
        f"{ARTICLES}{flu.pk}/revisions/", {"base_revision": 1, "meaning_changed": False}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "meaning_note"


def test_a_translation_of_the_current_source_is_current_again(staff, flu, gripe):
    _english_change(flu, staff, body="## Why it matters\n\nCall 911 if you cannot breathe.\n")
    stale = new_revision(gripe, editor=staff["editor"], summary="Sin cambios aún.")
    approve(stale, editor=staff["editor"], reviewer=staff["reviewer"])
    publish(stale, publisher=staff["publisher"])
    assert _document(gripe)["translation"]["status"] == "outdated"  # still of revision 1

    fresh = new_revision(
        gripe,
        editor=staff["editor"],
        body="## Por qué importa\n\nLlame al 911 si no puede respirar.\n",
        translation_of={"slug": "flu-shot", "locale": "en", "revision": 2},
    )
    approve(fresh, editor=staff["editor"], reviewer=staff["reviewer"])
    publish(fresh, publisher=staff["publisher"])

    gripe.refresh_from_db()
    assert gripe.outdated_since is None
    assert _document(gripe)["translation"] == {
        "source_locale": "en", "source_revision": 2, "status": "current", "outdated_since": None,
    }  # fmt: skip


def test_a_submitted_revisions_lineage_never_changes(staff, flu, gripe):
    submitted = new_revision(gripe, editor=staff["editor"], summary="Para revisar.")
    workflow.revision_submit(actor=staff["editor"], revision=submitted)

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_revision SET meaning_changed = %s WHERE id = %s",
            [False, submitted.pk],
        )


# ------------------------------------------------------------------------------
# EHR answers never present an outdated translation as current
# ------------------------------------------------------------------------------
def _infobutton_es(client, headers) -> dict:
    response = client.get(
        "/api/v1/infobutton/",
        {
            "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.96",
            "mainSearchCriteria.v.c": "6142004",
            "informationRecipient.languageCode.c": "es",
            "knowledgeResponseType": "application/json",
        },
        **headers,
    )
    assert response.status_code == 200, response.content
    [entry] = response.json()["feed"]["entry"]
    return entry


@pytest.fixture
def flu_coded(staff):
    code = [{"system": "snomedct", "code": "6142004", "display": "Influenza"}]
    english = make_live(**staff, slug="flu-shot", body="## Why\n\nIt protects you.\n", codes=code)
    spanish = services.article_create(
        actor=staff["editor"], slug="vacuna-gripe", locale="es",
        content=RevisionContent.from_input({**SPANISH, "codes": code}), translation_of=english.pk,
    )  # fmt: skip
    approve(latest(spanish), editor=staff["editor"], reviewer=staff["reviewer"])
    publish(latest(spanish), publisher=staff["publisher"])
    return english


def test_infobutton_falls_back_to_the_current_english_while_the_spanish_is_outdated(
    client, delivery_headers, staff, flu_coded
):
    assert _infobutton_es(client, delivery_headers)["lang"] == "es"
    assert _infobutton_es(client, delivery_headers)["translation_status"] == "current"

    _english_change(flu_coded, staff, body="## Why\n\nCall 911 if you cannot breathe.\n")

    entry = _infobutton_es(client, delivery_headers)
    assert entry["lang"] == "en"
    assert entry["language_fallback"] is True
    assert entry["translation_updating"] is True
    assert entry["translation_status"] is None  # the English is no translation


def test_infobutton_serves_the_outdated_translation_flagged_when_told_to(
    client, delivery_headers, staff, flu_coded, settings
):
    settings.OUTDATED_TRANSLATIONS = "serve"
    _english_change(flu_coded, staff, body="## Why\n\nCall 911 if you cannot breathe.\n")

    entry = _infobutton_es(client, delivery_headers)

    assert (entry["lang"], entry["translation_status"]) == ("es", "outdated")
    assert entry["language_fallback"] is False
    assert entry["translation_updating"] is False  # it is the translation, flagged itself


def test_changing_the_setting_changes_a_cached_infobutton_answer(
    client, delivery_headers, staff, flu_coded, settings
):
    _english_change(flu_coded, staff, body="## Why\n\nCall 911 if you cannot breathe.\n")
    assert _infobutton_es(client, delivery_headers)["lang"] == "en"  # now cached

    settings.OUTDATED_TRANSLATIONS = "serve"

    assert _infobutton_es(client, delivery_headers)["lang"] == "es"
