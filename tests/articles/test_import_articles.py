"""`manage.py import_articles`: every fault of every file before anything is written, then
drafts through the domain's own writes, and nothing new the second time."""

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from articles import services, workflow
from articles.content import RevisionContent
from articles.errors import NotAllowed
from articles.library import library_import
from articles.library_files import ArticleFile, ArticleRef, article_file_text, library_read
from articles.models import Article, ArticleStatus, AuditAction, AuditEvent, Revision, RevisionState
from contentapi.models import Role
from tests.factories import TopicFactory
from tests.publishing_helpers import approve, make_live, publish, publish_new_revision
from tests.translation_helpers import live_english, live_translation

# A valid file; the error cases below each change one line of it. Its line numbers:
# 2 slug, 3 locale, 4 title, 5 summary, 7 the topic, 10 the code, 14 the source's URL,
# 18 editor_note, 19 the closing fence, 21 the body.
VALID = """\
---
slug: understanding-your-a1c
locale: en
title: Understanding your A1C
summary: What the A1C blood test measures.
topics:
  - diabetes
codes:
  - system: icd10cm
    code: E11.9
    display: Type 2 diabetes mellitus without complications
sources:
  - title: 'NIDDK: The A1C Test and Diabetes'
    url: https://www.niddk.nih.gov/health-information/diagnostic-tests/a1c-test
authors:
  - name: Ana Ruiz
    credentials: RN
editor_note: ''
---

## What is the A1C test?

A1C is a blood test. It shows your average blood sugar over three months.
"""


def changed(old: str, new: str) -> str:
    assert old in VALID
    return VALID.replace(old, new)


@pytest.fixture
def topics(db: None) -> None:
    TopicFactory(slug="diabetes")
    TopicFactory(slug="heart-health")


@pytest.fixture
def library(tmp_path: Path, topics: None) -> Callable[..., Path]:
    """A directory of content files: `library(name=text, ...)`, names with / for folders."""

    def make(**files: str) -> Path:
        root = tmp_path / "library"
        for name, text in files.items():
            path = root / name.replace("__", "/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


def article_text(slug: str, locale: str = "en", **fields: Any) -> str:
    """A valid content file, as export writes it. `translation_of` is (slug, locale) or
    (slug, locale, revision)."""
    translation_of = fields.pop("translation_of", None)
    interval = fields.pop("review_interval_days", None)
    lineage = {
        name: fields.pop(name)
        for name in ("machine_translated", "meaning_changed", "meaning_note")
        if name in fields
    }
    content = {"title": f"About {slug}", "summary": "Plain words.", "body": "Some text.\n"}
    return article_file_text(
        ArticleFile(
            article=ArticleRef(slug, locale),
            translation_of=ArticleRef(*translation_of[:2]) if translation_of else None,
            translates_revision=(*(translation_of or ()), None, None, None)[2],
            review_interval_days=interval,
            content=RevisionContent.from_input({**content, **fields}),
            **lineage,
        )
    )


def run_import(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused_import(path: Path, *args: str) -> tuple[str, str]:
    """(the command's error, what it wrote to stderr) of an import that fails."""
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_articles", str(path), *args, stdout=StringIO(), stderr=err)
    return str(refused.value), err.getvalue()


def nothing_written() -> bool:
    return not Article.objects.exists() and not AuditEvent.objects.exists()


def latest(slug: str, locale: str = "en") -> Revision:
    article = Article.objects.get(slug=slug, locale=locale)
    return Revision.objects.get(pk=article.latest_revision_id)


# ------------------------------------------------------------------------------
# Every fault, with its file and line, and nothing written
# ------------------------------------------------------------------------------
ERRORS = [
    # (what is wrong, the file, the line the import reports)
    (
        "a tag that would build a python object",
        changed("title: Understanding your A1C", "title: !!python/object/apply:os.system [id]"),
        "a.md:4: YAML syntax: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'.",
    ),
    (
        "yaml syntax",
        changed("summary: What the", "summary: What: the"),
        "a.md:5: YAML syntax: mapping values are not allowed here",
    ),
    ("no front matter", VALID.removeprefix("---\n"), "a.md:1: The file must start with a line"),
    ("unclosed front matter", VALID.split("---\n\n")[0], "a.md:1: The front matter opened"),
    (
        "front matter not a mapping",
        "---\n- a list\n---\n\nText.\n",
        "a.md:2: The front matter must be a mapping",
    ),
    (
        "unknown key",
        changed("editor_note: ''", "editor_notes: ''"),
        "a.md:18: editor_notes: Unknown key. Did you mean 'editor_note'?",
    ),
    (
        "key given twice",
        changed("editor_note: ''", "title: Again"),
        "a.md:18: title: Given twice (first on line 4).",
    ),
    (
        "missing required key",
        changed("summary: What the A1C blood test measures.\n", ""),
        "a.md:1: summary: This field is required.",
    ),
    (
        "number for text",
        changed("title: Understanding your A1C", "title: 1234"),
        "a.md:4: title: Must be a string. YAML reads 1234 as a number or a date: put it in quotes.",
    ),
    (
        "text for a list",
        changed("topics:\n  - diabetes", "topics: diabetes\n#"),
        'a.md:6: topics: Expected a list of items but got type "str".',
    ),
    (
        "text for a number",
        changed("editor_note: ''", "review_interval_days: '30'"),
        "a.md:18: review_interval_days: Must be an integer.",
    ),
    (
        "invalid code",
        changed("code: E11.9", "code: X9"),
        "a.md:10: codes[0].code: 'X9' is not a valid ICD-10-CM code.",
    ),
    (
        "unknown code system",
        changed("system: icd10cm", "system: icd9"),
        'a.md:9: codes[0].system: "icd9" is not a valid choice.',
    ),
    (
        "unknown topic",
        changed("  - diabetes", "  - diabetus"),
        "a.md:7: topics: Unknown topic 'diabetus'.",
    ),
    (
        "slug that is not a slug",
        changed("slug: understanding-your-a1c", "slug: Understanding Your A1C"),
        "a.md:2: slug: Use lower-case letters, digits and single hyphens",
    ),
    (
        "unknown locale",
        changed("locale: en", "locale: fr"),
        'a.md:3: locale: "fr" is not a valid choice.',
    ),
    (
        "bad url",
        changed("url: https://www.niddk", "url: ftp://www.niddk"),
        "a.md:14: sources[0].url: Must be an absolute http or https URL",
    ),
    (
        "translation of nothing",
        changed("editor_note: ''", "translation_of: {slug: nowhere, locale: es}"),
        "a.md:18: translation_of: There is no article nowhere (es), here or in the database.",
    ),
    (
        "translation in its own locale",
        changed("editor_note: ''", "translation_of: {slug: understanding-your-a1c, locale: en}"),
        "a.md:18: translation_of: understanding-your-a1c (en) is in the same locale",
    ),
    (
        "revision of a translation not a revision number",
        changed("editor_note: ''", "translation_of: {slug: a1c, locale: es, revision: 0}"),
        "a.md:18: translation_of.revision: Ensure this value is greater than or equal to 1.",
    ),
    (
        "machine translation of nothing",
        changed("editor_note: ''", "machine_translated: true"),
        "a.md:18: machine_translated: A machine translation names the source revision it was "
        "made from (translation_of): its reviewer must read both.",
    ),
    (
        "text for true or false",
        changed("editor_note: ''", "meaning_changed: 'no'"),
        "a.md:18: meaning_changed: Must be true or false.",
    ),
    (
        "meaning note too long",
        changed("editor_note: ''", f"meaning_note: {'x' * 501}"),
        "a.md:18: meaning_note: Ensure this field has no more than 500 characters.",
    ),
    (
        "wording only on the file that creates the article",
        changed("editor_note: ''", "meaning_changed: false\nmeaning_note: Typos."),
        "a.md:18: meaning_changed: This file creates understanding-your-a1c (en), and its first "
        "revision changes no earlier one: meaning_changed and meaning_note are for the files "
        "after it.",
    ),
    ("blank body", VALID.split("---\n\n")[0] + "---\n\n  \n", "a.md:20: body: This field may not"),
    (
        "body too long",
        VALID + "x" * 200_000,
        "a.md:21: body: Ensure this field has no more than 200000 characters.",
    ),
]


@pytest.mark.parametrize(("text", "error"), [pytest.param(t, e, id=i) for i, t, e in ERRORS])
def test_each_kind_of_fault_is_reported_with_its_file_and_line(library, editor, text, error):
    refusal, errors = refused_import(library(**{"a.md": text}), "--as", "editor")

    assert error in errors
    assert "nothing was imported" in refusal
    assert nothing_written()


def test_a_directory_without_content_files_is_refused(library, editor):
    message, _ = refused_import(library(**{"notes.txt": "not a content file"}), "--as", "editor")

    assert message.endswith("/library: no *.md content files here; nothing was imported.")


def test_a_file_that_is_not_utf8_is_reported_at_the_line_of_its_first_bad_byte(library, editor):
    root = library(**{"a.md": VALID})
    (root / "a.md").write_bytes(
        VALID.replace("Understanding", "Underst\xe1nding").encode("latin-1")
    )

    _, errors = refused_import(root, "--as", "editor")

    assert f"{root}/a.md:4: The file is not UTF-8 text." in errors
    assert nothing_written()


@pytest.mark.parametrize(
    ("limit", "body", "error"),
    [
        (
            "MAX_BODY_LINES",
            "One.\nTwo.\nThree.\n",
            "a.md:21: body: The body has 4 lines; at most 3.",
        ),
        ("MAX_BODY_MARKUP", "*One* _two_.\n", "a.md:21: body: The body has 4 Markdown markup"),
    ],
)
def test_a_body_over_the_limits_rendering_needs_is_reported_at_its_first_line(
    library, editor, settings, limit, body, error
):
    setattr(settings, limit, 3)
    text = VALID.split("---\n\n")[0] + "---\n\n" + body

    _, errors = refused_import(library(**{"a.md": text}), "--as", "editor")

    assert error in errors
    assert nothing_written()


def test_every_fault_in_every_file_is_reported_at_once_and_nothing_is_written(library, editor):
    root = library(
        **{
            "en__good.md": article_text("good"),
            "en__bad.md": changed("code: E11.9", "code: X9").replace("locale: en", "locale: fr"),
            "es__broken.md": changed("title: Understanding your A1C", "title: [Understanding"),
            "es__orphan.md": article_text("huerfano", "es", translation_of=("nowhere", "en")),
        }
    )

    refusal, errors = refused_import(root, "--as", "editor")

    assert errors.splitlines() == [
        f'{root}/en/bad.md:3: locale: "fr" is not a valid choice.',
        f"{root}/en/bad.md:10: codes[0].code: 'X9' is not a valid ICD-10-CM code.",
        f"{root}/es/broken.md:5: YAML syntax: expected ',' or ']', but got ':' (while "
        "parsing a flow sequence, which starts on line 4).",
        f"{root}/es/orphan.md:4: translation_of: There is no article nowhere (en), here or "
        "in the database.",
    ]
    assert refusal == "4 error(s) in 3 of 4 file(s); nothing was imported."
    assert nothing_written()


@pytest.mark.parametrize(
    ("files", "error"),
    [
        pytest.param(
            {
                "a.r1.md": article_text("a"),
                "a.r2.md": article_text("a", review_interval_days=30),
            },
            "a.r2.md:11: review_interval_days: Differs from",
            id="files of one article that disagree",
        ),
        pytest.param(
            {
                "a-en.md": article_text("a"),
                "a-es.md": article_text("a-es", "es", translation_of=("a", "en")),
                "b-es.md": article_text("b-es", "es", translation_of=("a", "en")),
            },
            "b-es.md:4: translation_of: ",
            id="two translations into one locale",
        ),
        pytest.param(
            {
                "a.md": article_text("a", "es", translation_of=("b", "en")),
                "b.md": article_text("b", "en", translation_of=("a", "es")),
            },
            "a.md:4: translation_of: b (en) translates, in turn, an article that translates",
            id="translations in a loop",
        ),
        pytest.param(
            {
                "a-en.md": article_text("a"),
                "a-es.md": article_text("a-es", "es", translation_of=("a", "en", 2)),
            },
            "a-es.md:7: translation_of.revision: There is no revision 2 of a (en): it has 0, "
            "and this import writes at most 1 more.",
            id="a source revision nowhere to be found",
        ),
    ],
)
def test_what_only_the_whole_set_shows_is_reported_too(library, editor, files, error):
    _, errors = refused_import(library(**files), "--as", "editor")

    assert error in errors
    assert nothing_written()


# ------------------------------------------------------------------------------
# Who imports
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "refusal"),
    [
        ((), "Say which editor the revisions are written by: --as USERNAME"),
        (("--as", "nobody"), "There is no active staff user 'nobody'."),
        (("--as", "reviewer"), "'reviewer' is not an editor (roles: reviewer)"),
    ],
)
def test_only_an_editor_named_with_as_may_import(library, reviewer, args, refusal):
    message, _ = refused_import(library(**{"a.md": VALID}), *args)

    assert refusal in message
    assert nothing_written()


# ------------------------------------------------------------------------------
# What an import writes
# ------------------------------------------------------------------------------
def test_a_new_file_becomes_a_draft_article_written_by_the_editor_with_its_audit_event(
    library, editor
):
    out, _ = run_import(library(**{"a.md": VALID}), "--as", "editor")

    revision = latest("understanding-your-a1c")
    assert revision.number == 1
    assert revision.state == RevisionState.DRAFT
    assert revision.author == editor
    assert revision.article.status == ArticleStatus.DRAFT
    assert revision.title == "Understanding your A1C"
    assert [c.code for c in revision.codes.all()] == ["E11.9"]
    assert revision.sources[0]["title"] == "NIDDK: The A1C Test and Diabetes"
    assert list(AuditEvent.objects.values_list("action", "actor", "revision")) == [
        (AuditAction.ARTICLE_CREATED, editor.pk, revision.pk)
    ]
    assert "a.md: created: understanding-your-a1c (en), revision 1, a draft" in out
    assert out.endswith("1 file(s): created 1, new revision 0, unchanged 0, skipped 0.\n")


def test_importing_the_same_files_twice_writes_no_revision_and_no_audit_event(library, editor):
    root = library(
        **{
            "a.md": VALID,
            "b.md": article_text("b"),
            "c.r1.md": article_text("c"),
            "c.r2.md": article_text("c", title="Better"),
        }
    )
    run_import(root, "--as", "editor")
    revisions, events = Revision.objects.count(), AuditEvent.objects.count()

    out, _ = run_import(root, "--as", "editor", "--submit")

    assert (Revision.objects.count(), AuditEvent.objects.count()) == (revisions, events)
    assert "a.md: unchanged: understanding-your-a1c (en), revision 1 has this content" in out
    assert "c.r1.md: skipped: an earlier revision of c (en)" in out
    assert "4 file(s): created 0, new revision 0, unchanged 3, skipped 1." in out


def test_a_changed_file_makes_a_new_draft_revision_based_on_the_latest(library, staff):
    make_live(**staff, slug="understanding-your-a1c", topics=["diabetes"])

    out, _ = run_import(library(**{"a.md": VALID}), "--as", "editor")

    article = Article.objects.get()
    revision = latest("understanding-your-a1c")
    assert revision.number == 2
    assert revision.base_revision == 1
    assert revision.state == RevisionState.DRAFT
    assert revision.title == "Understanding your A1C"
    # Readers still see revision 1 until this one is reviewed and published.
    assert article.live_revision.number == 1
    assert AuditEvent.objects.filter(action=AuditAction.REVISION_CREATED).get().revision == revision
    assert "a.md: new revision: understanding-your-a1c (en), revision 2 based on 1, a draft" in out


def test_a_body_that_differs_only_in_line_ends_and_blank_lines_at_its_ends_is_unchanged(
    library, editor
):
    run_import(library(**{"a.md": VALID}), "--as", "editor")
    windows = VALID.replace("\n", "\r\n").replace("---\r\n\r\n", "---\r\n\r\n\r\n") + "\r\n\r\n"

    out, _ = run_import(library(**{"a.md": windows}), "--as", "editor")

    assert "unchanged" in out
    assert Revision.objects.count() == 1


def test_submit_sends_each_article_s_new_revision_to_review(library, editor):
    root = library(**{"a.md": VALID, "b.md": article_text("b")})
    run_import(root, "--as", "editor")
    root = library(**{"b.md": article_text("b", title="Better"), "c.md": article_text("c")})

    out, _ = run_import(root, "--as", "editor", "--submit")

    assert latest("understanding-your-a1c").state == RevisionState.DRAFT  # unchanged
    assert latest("b").state == RevisionState.IN_REVIEW
    assert latest("c").state == RevisionState.IN_REVIEW
    submitted = AuditEvent.objects.filter(action=AuditAction.SUBMITTED, actor=editor)
    assert sorted(e.revision.article.slug for e in submitted) == ["b", "c"]
    assert "b.md: new revision: b (en), revision 2 based on 1, in review" in out


def test_the_files_of_one_article_are_its_revisions_in_sorted_order(library, editor):
    root = library(
        **{
            "en__a.r1.md": article_text("a", title="First"),
            "en__a.r2.md": article_text("a", title="Second"),
        }
    )
    run_import(root, "--as", "editor")
    assert [(r.number, r.base_revision, r.title) for r in Revision.objects.order_by("number")] == [
        (1, None, "First"),
        (2, 1, "Second"),
    ]

    out, _ = run_import(
        library(**{"en__a.r2.md": article_text("a", title="Third")}), "--as", "editor"
    )

    assert Revision.objects.order_by("number").last().title == "Third"
    assert Revision.objects.count() == 3
    assert "a.r1.md: skipped: an earlier revision of a (en)" in out


def test_an_article_at_an_earlier_file_gets_each_later_file_as_a_revision(library, editor):
    # As after an import that stopped part-way, or files added since.
    run_import(library(**{"a.r1.md": article_text("a", title="One")}), "--as", "editor")
    root = library(
        **{"a.r2.md": article_text("a", title="Two"), "a.r3.md": article_text("a", title="Three")}
    )

    out, _ = run_import(root, "--as", "editor")

    assert [r.title for r in Revision.objects.order_by("number")] == ["One", "Two", "Three"]
    assert "a.r1.md: unchanged: a (en), revision 1 has this content" in out


def test_a_file_with_the_content_of_the_file_before_it_writes_nothing(library, editor):
    root = library(**{"a.r1.md": article_text("a"), "a.r2.md": article_text("a")})

    out, _ = run_import(root, "--as", "editor")

    assert Revision.objects.count() == 1
    assert AuditEvent.objects.count() == 1
    assert "a.r2.md: unchanged: a (en), revision 1 has this content" in out


def test_a_translation_is_linked_to_the_article_it_translates(library, editor):
    # Sorted first, created second: an original is created before its translations.
    root = library(
        **{
            "a.md": article_text("entender-su-a1c", "es", translation_of=("a1c", "en")),
            "b.md": article_text("a1c"),
        }
    )

    out, _ = run_import(root, "--as", "editor")

    english = Article.objects.get(slug="a1c")
    spanish = Article.objects.get(slug="entender-su-a1c")
    assert spanish.translation_group == english.translation_group
    assert spanish.pk > english.pk
    assert out.index("b.md: created") < out.index("a.md: created")


def test_a_translation_of_an_article_already_in_the_database_is_linked_to_it(
    library, staff, editor
):
    english = make_live(**staff, slug="a1c")

    run_import(
        library(**{"es.md": article_text("entender", "es", translation_of=("a1c", "en"))}),
        "--as",
        "editor",
    )

    assert Article.objects.get(slug="entender").translation_group == english.translation_group


def test_an_import_changes_no_review_interval_or_translation_link_and_says_so(
    library, staff, editor
):
    make_live(**staff, slug="a1c")
    make_live(**staff, slug="entender", locale="es", review_interval_days=365)
    text = article_text("entender", "es", translation_of=("a1c", "en"), review_interval_days=30)

    root = library(**{"es.md": text})

    for _ in range(2):  # a new revision the first time, unchanged the second
        out, _ = run_import(root, "--as", "editor")

        spanish = Article.objects.get(slug="entender")
        assert spanish.review_interval_days == 365
        assert spanish.translation_group != Article.objects.get(slug="a1c").translation_group
        assert "review interval kept at 365 days (the file says 30" in out
        assert "not linked as a translation of a1c (en)" in out


def test_a_dry_run_writes_nothing_and_says_what_it_would_do(library, editor):
    root = library(**{"a.r1.md": article_text("a"), "a.r2.md": article_text("a", title="Two")})

    out, _ = run_import(root, "--dry-run")

    assert nothing_written()
    assert "a.r1.md: created: a (en), revision 1, would be a draft" in out
    assert "a.r2.md: new revision: a (en), revision 2 based on 1, would be a draft" in out
    assert "Dry run, nothing written. 2 file(s): created 1, new revision 1" in out


def test_the_imported_revision_goes_live_through_the_usual_review(library, staff):
    run_import(library(**{"a.md": VALID}), "--as", "editor", "--submit")
    revision = latest("understanding-your-a1c")

    workflow.revision_approve(actor=staff["reviewer"], revision=revision, comment="Accurate.")
    publish(revision, publisher=staff["publisher"])

    assert Article.objects.get().status == ArticleStatus.PUBLISHED


def test_a_user_without_the_editor_role_is_refused_even_when_there_is_nothing_to_write(
    library, editor, make_staff
):
    # The command checks first; the import refuses on its own too, whatever the files hold.
    root = library(**{"a.md": VALID})
    run_import(root, "--as", "editor")
    events = AuditEvent.objects.count()

    with pytest.raises(NotAllowed):
        library_import(library_read(root), actor=make_staff(Role.REVIEWER))
    assert AuditEvent.objects.count() == events


# ------------------------------------------------------------------------------
# Lineage: what a revision translates, whether a machine wrote it, whether it changes meaning
# ------------------------------------------------------------------------------
NEW_MEANING = "## Why it matters\n\nCall 911 if you cannot breathe.\n"


@pytest.fixture
def flu(staff):
    return live_english(staff)


@pytest.fixture
def gripe(staff, flu):
    """The live Spanish translation of revision 1 of `flu`."""
    return live_translation(
        staff, title="La vacuna", summary="Cada otoño.", body="## Por qué\n\nLe protege.\n"
    )


def staff_of(staff: dict[str, Any]) -> dict[str, Any]:
    return {"editor": staff["editor"], "reviewer": staff["reviewer"]}


def gripe_text(**lineage: Any) -> str:
    """The file of the Spanish translation's latest revision, with `lineage`."""
    return article_file_text(
        ArticleFile(
            article=ArticleRef("vacuna-gripe", "es"),
            translation_of=ArticleRef("flu-shot", "en"),
            content=RevisionContent.of(latest("vacuna-gripe", "es")),
            **lineage,
        )
    )


@pytest.mark.parametrize(
    ("lineage", "outdated"),
    [
        pytest.param(
            {"meaning_changed": False, "meaning_note": "Plainer words; no advice changes."},
            False,
            id="wording only",
        ),
        pytest.param({}, True, id="a change of meaning"),
    ],
)
def test_an_imported_wording_only_revision_leaves_the_live_translation_current(
    library, staff, flu, gripe, lineage, outdated
):
    run_import(library(**{"flu.md": article_text("flu-shot", **lineage)}), "--as", "editor")
    revision = latest("flu-shot")
    assert revision.number == 2
    assert (revision.meaning_changed, revision.meaning_note) == (
        lineage.get("meaning_changed", True),
        lineage.get("meaning_note", ""),
    )

    publish(approve(revision, **staff_of(staff)), publisher=staff["publisher"])

    gripe.refresh_from_db()
    assert (gripe.outdated_since is not None) is outdated


def test_a_wording_only_file_without_a_note_is_a_fault_on_its_line(library, editor):
    root = library(
        **{
            "a.r1.md": article_text("a"),
            "a.r2.md": article_text("a", title="Two", meaning_changed=False),
        }
    )

    _, errors = refused_import(root, "--as", "editor")

    assert errors.splitlines() == [
        f"{root}/a.r2.md:4: meaning_note: Say why this revision changes wording only, not "
        "meaning: the reviewer approves that too, and translations stay current because of it."
    ]
    assert nothing_written()


def test_a_translation_names_by_number_the_source_revision_it_translates(library, staff, flu):
    publish_new_revision(flu, **staff, body=NEW_MEANING)
    text = article_text("vacuna-gripe", "es", translation_of=("flu-shot", "en", 1))

    out, _ = run_import(library(**{"es.md": text}), "--as", "editor")

    source = latest("vacuna-gripe", "es").source_revision
    assert (source.article, source.number) == (flu, 1)  # not the live revision 2
    assert "es.md: created: vacuna-gripe (es), revision 1, a draft" in out


def test_without_a_number_a_new_translation_translates_the_live_source_revision(
    library, staff, flu
):
    publish_new_revision(flu, **staff, body=NEW_MEANING)
    new_revision_of_flu = {"body": "## Why it matters\n\nA draft nobody approved.\n"}
    services.revision_create(
        actor=staff["editor"], article=flu, base_revision=2, changes=new_revision_of_flu
    )
    text = article_text("vacuna-gripe", "es", translation_of=("flu-shot", "en"))

    run_import(library(**{"es.md": text}), "--as", "editor")

    assert latest("vacuna-gripe", "es").source_revision.number == 2


def test_the_revisions_of_a_translation_may_translate_different_source_revisions(library, editor):
    root = library(
        **{
            "en__a.r1.md": article_text("a"),
            "en__a.r2.md": article_text("a", title="Two"),
            "es__a.r1.md": article_text("a-es", "es", translation_of=("a", "en", 1)),
            "es__a.r2.md": article_text("a-es", "es", title="Dos", translation_of=("a", "en", 2)),
        }
    )

    run_import(root, "--as", "editor")

    spanish = Revision.objects.filter(article__slug="a-es").order_by("number")
    assert [r.source_revision.number for r in spanish] == [1, 2]


def test_an_unchanged_translation_naming_a_newer_source_revision_is_a_new_revision(
    library, staff, flu, gripe
):
    # The English changes meaning; the translator finds the Spanish says it already.
    publish_new_revision(flu, **staff, body=NEW_MEANING)
    gripe.refresh_from_db()
    assert gripe.outdated_since is not None
    root = library(**{"es.md": gripe_text(translates_revision=2)})

    dry, _ = run_import(root, "--dry-run")
    out, _ = run_import(root, "--as", "editor")
    again, _ = run_import(root, "--as", "editor")

    revision = latest("vacuna-gripe", "es")
    assert (revision.number, revision.source_revision.number) == (2, 2)
    assert "es.md: new revision: vacuna-gripe (es), revision 2 based on 1, would be" in dry
    assert "es.md: new revision: vacuna-gripe (es), revision 2 based on 1, a draft" in out
    assert "es.md: unchanged: vacuna-gripe (es), revision 2 has this content" in again
    publish(approve(revision, **staff_of(staff)), publisher=staff["publisher"])
    gripe.refresh_from_db()
    assert gripe.outdated_since is None


def test_an_unchanged_text_keeps_its_lineage_and_the_import_says_so(library, staff, flu, gripe):
    root = library(**{"es.md": gripe_text(machine_translated=True)})

    for args in (("--dry-run",), ("--as", "editor")):
        out, _ = run_import(root, *args)

        assert (
            "es.md: unchanged: vacuna-gripe (es), revision 1 has this content; revision 1 " in out
        )
        assert "kept as it is, without the file's machine_translated: true" in out
    assert Revision.objects.filter(article=gripe).count() == 1
    assert not latest("vacuna-gripe", "es").machine_translated


def test_a_machine_translation_is_imported_as_one_and_its_next_text_says_so_again(
    library, staff, flu
):
    text = article_text("vacuna-gripe", "es", translation_of=("flu-shot", "en"))
    machine = article_text(
        "vacuna-gripe", "es", translation_of=("flu-shot", "en"), machine_translated=True
    )

    run_import(library(**{"es.md": machine}), "--as", "editor")
    first = latest("vacuna-gripe", "es")
    run_import(
        library(**{"es.md": text.replace("Some text.", "Edited by a person.")}), "--as", "editor"
    )

    assert (first.machine_translated, first.source_revision) == (True, flu.live_revision)
    assert not latest("vacuna-gripe", "es").machine_translated


def test_a_new_revision_may_name_only_a_source_it_is_linked_to(library, staff, flu):
    make_live(**staff, slug="vacuna-gripe", locale="es")  # not linked to flu-shot
    text = article_text("vacuna-gripe", "es", translation_of=("flu-shot", "en", 1))

    _, errors = refused_import(library(**{"es.md": text}), "--as", "editor")

    assert errors.splitlines() == [
        f"{library()}/es.md:4: translation_of: flu-shot (en) is not a translation of "
        "vacuna-gripe (es) or its original, and an import links only an article it creates: "
        "a new revision translates an article it is linked to."
    ]
