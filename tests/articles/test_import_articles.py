"""`manage.py import_articles`: every fault of every file before anything is written, then
drafts through the domain's own writes, and nothing new the second time."""

from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from articles import workflow
from articles.content import RevisionContent
from articles.errors import NotAllowed
from articles.library import library_import
from articles.library_files import ArticleFile, ArticleRef, article_file_text, library_read
from articles.models import Article, ArticleStatus, AuditAction, AuditEvent, Revision, RevisionState
from contentapi.models import Role
from tests.factories import TopicFactory
from tests.publishing_helpers import make_live, publish

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
    """A valid content file, as export writes it."""
    translation_of = fields.pop("translation_of", None)
    interval = fields.pop("review_interval_days", None)
    content = {"title": f"About {slug}", "summary": "Plain words.", "body": "Some text.\n"}
    return article_file_text(
        ArticleFile(
            article=ArticleRef(slug, locale),
            translation_of=ArticleRef(*translation_of) if translation_of else None,
            review_interval_days=interval,
            content=RevisionContent.from_input({**content, **fields}),
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
