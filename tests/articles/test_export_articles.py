"""`manage.py export_articles`: the live library (or every latest revision) as content files,
the same bytes every time, and back through an import unchanged."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from contentapi.models import Role, User
from tests.factories import TopicFactory
from tests.publishing_helpers import create_article, make_live, new_revision, publish_new_revision

WINDOWS_BODY = "## Line ends\r\n\r\nWritten on Windows.  \r\nA hard break above.\r\n\r\n\r\n"


def export(path: Path, *args: str) -> dict[str, bytes]:
    """Export to `path`; every file written, by its path under `path`."""
    call_command("export_articles", str(path), *args, stdout=StringIO())
    return {
        p.relative_to(path).as_posix(): p.read_bytes()
        for p in sorted(path.rglob("*"))
        if p.is_file()
    }


def make_library(staff: dict[str, User]) -> None:
    """Live articles in two locales, with a translation, a second live revision, a draft on
    top of a live revision, a never-published draft and a live translation of a draft."""
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


def test_export_writes_each_live_article_s_live_revision_and_nothing_else(tmp_path, staff):
    make_library(staff)

    files = export(tmp_path / "live")

    assert sorted(files) == [
        "en/heart-attack-signs.md",
        "en/understanding-your-a1c.md",
        "es/entender-su-a1c.md",
        "es/original-en-borrador.md",
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

    assert len(first) == 4
    assert second == first
