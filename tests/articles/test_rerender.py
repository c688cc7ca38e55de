"""`manage.py rerender_published`: after a renderer change every live document is rewritten."""

import io
from unittest import mock

from django.core.management import call_command
from django.db import connection

from articles.models import Article
from delivery import rendering
from delivery.models import ChangeEvent, PublishedDocument, PublishedSearch
from tests.publishing_helpers import create_article, make_live


def _rerender(*args: str) -> str:
    out = io.StringIO()
    call_command("rerender_published", "--processes", "1", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _changed_renderer(markdown: str) -> str:
    return original_markdown_to_html(markdown) + "<p>New footer.</p>"


original_markdown_to_html = rendering.markdown_to_html


def test_a_renderer_change_rewrites_every_live_document_with_one_event_each(
    editor, reviewer, publisher
):
    live = [
        make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug=f"live-{n}")
        for n in range(3)
    ]
    draft = create_article(editor=editor, slug="never-live")
    events_before = ChangeEvent.objects.count()
    versions = {a.pk: Article.objects.get(pk=a.pk).version for a in live}

    with mock.patch("delivery.rendering.markdown_to_html", _changed_renderer):
        summary = _rerender()

    assert "3 changed" in summary
    for article in live:
        body = bytes(PublishedDocument.objects.get(article=article).body)
        assert b"New footer." in body
        assert Article.objects.get(pk=article.pk).version == versions[article.pk] + 1
    new_events = ChangeEvent.objects.order_by("id")[events_before:]
    assert sorted((e.event, e.slug) for e in new_events) == [
        ("updated", "live-0"),
        ("updated", "live-1"),
        ("updated", "live-2"),
    ]
    assert not PublishedDocument.objects.filter(article=draft).exists()


def test_nothing_changed_means_nothing_written_and_no_events(editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="steady")
    stored = PublishedDocument.objects.get(article=article)
    events_before = ChangeEvent.objects.count()

    summary = _rerender()

    assert "0 changed" in summary
    assert ChangeEvent.objects.count() == events_before
    assert PublishedDocument.objects.get(article=article).rendered_at == stored.rendered_at


def test_force_rewrites_unchanged_documents_without_announcing_them(editor, reviewer, publisher):
    article = make_live(editor=editor, reviewer=reviewer, publisher=publisher, slug="forced")
    stored = PublishedDocument.objects.get(article=article)
    PublishedSearch.objects.filter(document_id=article.pk).delete()
    events_before = ChangeEvent.objects.count()

    summary = _rerender("--force")

    again = PublishedDocument.objects.get(article=article)
    assert "0 changed" in summary
    assert again.etag == stored.etag
    assert again.rendered_at > stored.rendered_at
    # Only PostgreSQL keeps a search row (SQLite searches the document's plain text).
    has_search_row = PublishedSearch.objects.filter(document_id=article.pk).exists()
    assert has_search_row == (connection.vendor == "postgresql")
    assert ChangeEvent.objects.count() == events_before
