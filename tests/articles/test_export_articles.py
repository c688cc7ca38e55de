"""`manage.py export_articles`: the live library (or every latest revision) as content files,
the same bytes every time, and back through an import unchanged."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from articles import services
from articles.models import Article, Revision
from contentapi.models import Role, User
from tests.factories import TopicFactory
from tests.publishing_helpers import (
    approve,
    content,
    create_article,
    latest,
    make_live,
    new_revision,
    publish,
    publish_new_revision,
)

WINDOWS_BODY = "## Line ends\r\n\r\nWritten on Windows.  \r\nA hard break above.\r\n\r\n\r\n"


def export(path: Path, *args: str) -> dict[str, bytes]:
    """Export to `path`; every file written, by its path under `path`."""
    call_command("export_articles", str(path), *args, stdout=StringIO())
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def translate(
    staff: dict[str, User], source: str, number: int, slug: str, **lineage: Any
) -> Article:
    """A live Spanish translation of revision `number` of the English article `source`."""
    article = services.article_create(
        actor=staff["editor"],
        slug=slug,
        locale="es",
        content=content(title=f"Traducción de {source}", summary="En español."),
        translation_of={"slug": source, "locale": "en", "revision": number},
        **lineage,
    )
    approve(latest(article), editor=staff["editor"], reviewer=staff["reviewer"])
    publish(latest(article), publisher=staff["publisher"])
    return article


def make_library(staff: dict[str, User]) -> None:
    """Live articles in two locales, with a translation, a second live revision, a draft on
    top of a live revision, a never-published draft and a live translation of a draft; and a
    machine translation of a specific revision whose source then changed wording only."""
    for slug in ("diabetes", "blood-tests", "heart-health"):
        TopicFactory(slug=slug)
    a1c = make_live(
        **staff,
        slug="understanding-your-a1c",
        title="Understanding your A1C: what it means",
        summary='The "A1C" test shows your average blood sugar.\nOver three months.',
        topics=["diabetes", "blood-tests"],
        codes=[
            {"system": "loinc", "code": "4548-4", "display": "Hemoglobin A1c"},
            {"system": "icd10cm", "code": "e119", "display": "Type 2 diabetes"},
            {"system": "snomedct", "code": "44054006", "display": "Diabetes mellitus type 2"},
        ],
        sources=[{"title": "NIDDK: A1C", "url": "https://www.niddk.nih.gov/a1c?x=1&y=2"}],
        authors=[{"name": "Ana Ruiz", "credentials": "RN"}, {"name": "Marisol Vega"}],
        review_interval_days=90,
    )
    publish_new_revision(
        a1c, **staff, editor_note="Updated.\nWith a second line.", body=WINDOWS_BODY
    )
    make_live(
        **staff,
        slug="entender-su-a1c",
        locale="es",
        translation_of=a1c,
        title="Entender su A1C",
        summary="Qué muestra la prueba, en español: ñ, á, ¿?",
    )
    heart = make_live(**staff, slug="heart-attack-signs", topics=["heart-health"])
    new_revision(heart, editor=staff["editor"], title="A draft on top of the live revision")
    create_article(editor=staff["editor"], slug="never-published")
    draft_original = create_article(editor=staff["editor"], slug="draft-original")
    make_live(**staff, slug="original-en-borrador", locale="es", translation_of=draft_original)
    flu = make_live(**staff, slug="flu-shot", body="## Why it matters\n\nIt protects you.\n")
    translate(staff, "flu-shot", 1, "vacuna-gripe", machine_translated=True)
    publish_new_revision(
        flu, **staff, summary="Why it matters.", meaning_changed=False, meaning_note="Shorter."
    )


def test_export_writes_each_live_article_s_live_revision_and_nothing_else(tmp_path, staff):
    make_library(staff)

    files = export(tmp_path / "live")

    assert sorted(files) == [
        "en/flu-shot.md",
        "en/heart-attack-signs.md",
        "en/understanding-your-a1c.md",
        "es/entender-su-a1c.md",
        "es/original-en-borrador.md",
        "es/vacuna-gripe.md",
    ]
    heart = files["en/heart-attack-signs.md"].decode()
    assert "title: Understanding your result\n" in heart  # the live revision, not the draft
    a1c = files["en/understanding-your-a1c.md"].decode()
    assert "editor_note: |-\n  Updated.\n  With a second line.\n" in a1c
    assert "review_interval_days: 90\n" in a1c
    assert a1c.endswith("---\n\n## Line ends\n\nWritten on Windows.  \nA hard break above.\n")
    spanish = files["es/entender-su-a1c.md"].decode()
    assert "translation_of:\n  slug: understanding-your-a1c\n  locale: en\n" in spanish
    assert "review_interval_days" not in spanish  # the default
    # Its original is not live, so not exported: the export names no article it lacks.
    assert "translation_of" not in files["es/original-en-borrador.md"].decode()
    # It translates revision 1; revision 2, exported, changed wording only: the same text
    # as far as a translation goes, so no number, which an empty database would not have.
    assert (
        files["es/vacuna-gripe.md"]
        .decode()
        .startswith(
            "---\nslug: vacuna-gripe\nlocale: es\ntranslation_of:\n  slug: flu-shot\n  locale: en\n"
            "machine_translated: true\ntitle: "
        )
    )
    # What a revision changes from the one before is not in an export (see library.py).
    assert not any(b"meaning_" in text for text in files.values())


def test_export_latest_writes_each_article_s_latest_revision_drafts_included(tmp_path, staff):
    make_library(staff)

    files = export(tmp_path / "latest", "--latest")

    assert "en/never-published.md" in files
    assert "title: A draft on top of the live revision\n" in files[
        "en/heart-attack-signs.md"
    ].decode("utf-8")
    assert "translation_of:\n  slug: draft-original\n" in files[
        "es/original-en-borrador.md"
    ].decode("utf-8")


def test_the_same_library_exports_to_the_same_bytes(tmp_path, staff):
    make_library(staff)

    assert export(tmp_path / "one") == export(tmp_path / "two")


def test_export_refuses_a_directory_with_anything_in_it(tmp_path, staff):
    (tmp_path / "old.md").write_text("an earlier export")

    with pytest.raises(CommandError, match="is not empty: export into a new or empty directory"):
        call_command("export_articles", str(tmp_path), stdout=StringIO())
    assert (tmp_path / "old.md").read_text() == "an earlier export"


@pytest.mark.django_db(transaction=True)
def test_export_then_import_into_an_empty_database_then_export_gives_the_same_bytes(
    tmp_path, make_staff
):
    staff = {
        "editor": make_staff(Role.EDITOR, username="ana"),
        "reviewer": make_staff(Role.REVIEWER, username="dr.chen", credentials="MD"),
        "publisher": make_staff(Role.PUBLISHER, username="sam"),
    }
    make_library(staff)
    first = export(tmp_path / "first")

    call_command("flush", interactive=False, verbosity=0)
    assert not Article.objects.exists()
    for slug in ("diabetes", "blood-tests", "heart-health"):
        TopicFactory(slug=slug)
    make_staff(Role.EDITOR, username="importer")
    call_command("import_articles", str(tmp_path / "first"), "--as", "importer", stdout=StringIO())
    # An import writes drafts, so the latest revisions are what was live before.
    second = export(tmp_path / "second", "--latest")

    assert len(first) == 6
    assert second == first
    machine = Revision.objects.get(article__slug="vacuna-gripe")
    assert machine.machine_translated
    assert machine.source_revision == Revision.objects.get(article__slug="flu-shot")


def test_a_translation_behind_a_change_of_meaning_names_the_revision_it_translates(tmp_path, staff):
    flu = make_live(**staff, slug="flu-shot", body="## Why it matters\n\nIt protects you.\n")
    translate(staff, "flu-shot", 1, "vacuna-gripe")
    publish_new_revision(
        flu, **staff, body="## Why it matters\n\nCall 911 if you cannot breathe.\n"
    )

    files = export(tmp_path / "one")
    revisions = Revision.objects.count()
    out = StringIO()
    call_command("import_articles", str(tmp_path / "one"), "--as", "editor", stdout=out)

    assert (
        "translation_of:\n  slug: flu-shot\n  locale: en\n  revision: 1\ntitle: "
        in files["es/vacuna-gripe.md"].decode()
    )
    # Into the database it came from, it says what the database says.
    assert Revision.objects.count() == revisions
    assert "2 file(s): created 0, new revision 0, unchanged 2, skipped 0." in out.getvalue()
