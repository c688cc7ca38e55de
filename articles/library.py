"""Content files in and out: import them through the domain's own writes, export the library.

Importing never writes a state, a date or a row itself: an article is created with
`services.article_create`, a changed text becomes a new draft revision with
`services.revision_create`, and `--submit` sends it to review with `workflow.revision_submit`.
So every import is a draft (or in review), reviewed and published the usual way, and has its
audit events. Importing the same files again changes nothing.

The files of one article (same slug and locale) are its revisions, oldest first, in sorted
path order. The import brings the article up to its last file: files the article is already
past are skipped, each later one becomes a new revision. A file's lineage (the source
revision it translates, whether a machine wrote it, whether it changes meaning) goes with
the revision it writes. See docs/content-files.md.
"""

import enum
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Min, QuerySet

from articles import services, workflow
from articles.content import RevisionContent
from articles.library_files import (
    ArticleFile,
    ArticleRef,
    article_file_text,
    content_matches,
)
from articles.models import Article, ArticleStatus, Revision
from articles.translations import SourceRef, source_reference
from contentapi.models import Role, User


class Outcome(enum.StrEnum):
    CREATED = "created"
    REVISED = "new revision"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass
class FileImport:
    """What importing one file did (or, in a dry run, would do)."""

    file: ArticleFile
    outcome: Outcome
    # The revision with the file's content: the one written, or the one that had it already.
    number: int | None = None
    revision: Revision | None = None
    based_on: int | None = None
    submitted: bool = False
    # What the file says that an import does not change (see `_kept`).
    notes: list[str] = field(default_factory=list)

    def line(self, *, dry_run: bool = False) -> str:
        """One line for the person importing: the file, then what happened."""
        article = self.file.article
        would = "would be " if dry_run else ""
        if self.outcome is Outcome.CREATED:
            said = f"created: {article}, revision 1, {would}{self._state()}"
        elif self.outcome is Outcome.REVISED:
            said = (
                f"new revision: {article}, revision {self.number} based on {self.based_on}, "
                f"{would}{self._state()}"
            )
        elif self.outcome is Outcome.UNCHANGED:
            said = f"unchanged: {article}, revision {self.number} has this content"
        else:
            said = f"skipped: {self.notes[0]}"
            return f"{self.file.path}: {said}"
        return "; ".join([f"{self.file.path}: {said}", *self.notes])

    def _state(self) -> str:
        return "in review" if self.submitted else "a draft"


def article_file_import(file: ArticleFile, *, actor: User) -> FileImport:
    """Bring the article of `file` to the file's content: create it, write a new draft
    revision on its latest, or nothing if its latest revision has this content already."""
    ref = file.article
    article = Article.objects.filter(slug=ref.slug, locale=ref.locale).first()
    if article is None:
        # Revision 1 changes no earlier one: `library_files` refuses meaning_changed on it.
        article = services.article_create(
            actor=actor,
            slug=ref.slug,
            locale=ref.locale,
            content=file.content,
            review_interval_days=file.review_interval_days,
            translation_of=_translation_of(file),
            machine_translated=file.machine_translated,
        )
        revision = Revision.objects.get(pk=article.latest_revision_id)
        return FileImport(file, Outcome.CREATED, number=1, revision=revision)
    latest = _latest(article)
    notes = _kept(file, article)
    if _revision_matches(latest, file):
        notes += _lineage_kept(file, latest)
        return FileImport(file, Outcome.UNCHANGED, number=latest.number, notes=notes)
    revision = services.revision_create(
        actor=actor, article=article, base_revision=latest.number, changes=_changes(file)
    )
    return FileImport(
        file,
        Outcome.REVISED,
        number=revision.number,
        revision=revision,
        based_on=latest.number,
        notes=notes,
    )


def library_import(
    files: list[ArticleFile], *, actor: User | None, submit: bool = False, dry_run: bool = False
) -> list[FileImport]:
    """Import checked files (`library_files.library_read`), article by article, originals
    before their translations. `actor` must be an editor (None only for a dry run)."""
    if not dry_run:
        if actor is None:
            raise ValueError("An import needs an actor.")
        workflow.check_role(actor, (Role.EDITOR,), "import articles")
    results: list[FileImport] = []
    for article_files in _articles_in_order(files):
        results.extend(_article_import(article_files, actor=actor, submit=submit, dry_run=dry_run))
    return results


def _article_import(
    files: list[ArticleFile], *, actor: User | None, submit: bool, dry_run: bool
) -> list[FileImport]:
    """The files of one article, oldest first."""
    ref = files[0].article
    article = Article.objects.filter(slug=ref.slug, locale=ref.locale).first()
    latest = _latest(article) if article else None
    results, start = _already_there(files, article, latest)
    if dry_run:
        results.extend(_simulated(files[start:], article, latest))
        return results
    if actor is None:
        raise ValueError("An import needs an actor.")
    for file in files[start:]:
        results.append(article_file_import(file, actor=actor))
    written = [r for r in results if r.revision is not None]
    if submit and written:
        # Only the newest: the files before it are its history, not texts to review.
        workflow.revision_submit(actor=actor, revision=written[-1].revision)
        written[-1].submitted = True
    return results


def _already_there(
    files: list[ArticleFile], article: Article | None, latest: Revision | None
) -> tuple[list[FileImport], int]:
    """The results of the files the article is at or past already, and where the rest start.

    The article is at the last file whose content its latest revision has; the files before
    that one are its history. If no file matches, the article has moved on from all of them,
    and only the last file is imported onto it.
    """
    if article is None or latest is None:
        return [], 0
    matching = [i for i, file in enumerate(files) if _revision_matches(latest, file)]
    if not matching:
        reason = (
            f"an earlier revision of {files[-1].article}, which has moved on since: only its "
            f"last file, {files[-1].path}, is imported onto it"
        )
        return [FileImport(f, Outcome.SKIPPED, notes=[reason]) for f in files[:-1]], len(files) - 1
    at = matching[-1]
    reason = (
        f"an earlier revision of {files[at].article}, whose latest revision "
        f"({latest.number}) has the content of {files[at].path}"
    )
    results = [FileImport(f, Outcome.SKIPPED, notes=[reason]) for f in files[:at]]
    notes = _kept(files[at], article) + _lineage_kept(files[at], latest)
    results.append(FileImport(files[at], Outcome.UNCHANGED, number=latest.number, notes=notes))
    return results, at + 1


def _simulated(
    files: list[ArticleFile], article: Article | None, latest: Revision | None
) -> Iterator[FileImport]:
    """What importing `files` would do, without writing."""
    current = (RevisionContent.of(latest), _source(latest)) if latest else None
    number = latest.number if latest else 0
    for file in files:
        notes = _kept(file, article) if article else []
        if current is None:
            number = 1
            yield FileImport(file, Outcome.CREATED, number=number)
        elif _matches(*current, file):
            if latest is not None and number == latest.number:
                notes += _lineage_kept(file, latest)
            yield FileImport(file, Outcome.UNCHANGED, number=number, notes=notes)
            continue  # nothing written: the current revision stays as it is
        else:
            number += 1
            yield FileImport(file, Outcome.REVISED, number=number, based_on=number - 1, notes=notes)
        # The revision written: the file's text, translating what the file names, or (as far
        # as a dry run can tell) what its base translates.
        current = (file.content, file.source or (current[1] if current else None))


def _kept(file: ArticleFile, article: Article) -> list[str]:
    """What the file says about the article that an import leaves as it is: the review
    interval and the translation link are set when an import creates the article, and only
    then (changing them is not a revision)."""
    notes = []
    interval = file.review_interval_days or settings.DEFAULT_REVIEW_INTERVAL_DAYS
    if interval != article.review_interval_days:
        notes.append(
            f"review interval kept at {article.review_interval_days} days (the file says "
            f"{interval}; an import sets it only on an article it creates)"
        )
    target = file.translation_of
    if target is not None:
        original = Article.objects.filter(slug=target.slug, locale=target.locale).first()
        if original is None or original.translation_group != article.translation_group:
            notes.append(
                f"not linked as a translation of {target} (an import links only an article "
                "it creates)"
            )
    return notes


def _articles_in_order(files: list[ArticleFile]) -> list[list[ArticleFile]]:
    """The files grouped by article, in order of first appearance, except that an article
    comes after the one it translates when both are in the set."""
    by_article: dict[ArticleRef, list[ArticleFile]] = {}
    for file in files:
        by_article.setdefault(file.article, []).append(file)
    ordered: list[list[ArticleFile]] = []
    done: set[ArticleRef] = set()
    pending = list(by_article)
    while pending:
        waiting = []
        for ref in pending:
            target = by_article[ref][0].translation_of
            if target in by_article and target not in done:
                waiting.append(ref)
            else:
                ordered.append(by_article[ref])
                done.add(ref)
        if len(waiting) == len(pending):
            # `library_files` refuses loops of translations; this never happens after it.
            raise ValueError(f"Translations that translate each other: {waiting}.")
        pending = waiting
    return ordered


def _revision_matches(revision: Revision, file: ArticleFile) -> bool:
    """True if `revision` is what `file` would write: the same content and, if the file
    names its source revision by number, that source.

    A translator who finds a text still says what a newer source revision says names that
    revision in an unchanged file: a new revision, reviewed as any other, records it. Whether
    a machine wrote the text, or it changes meaning, is said of a text when it is written;
    an unchanged text keeps what its revision says (`_lineage_kept`).
    """
    return _matches(RevisionContent.of(revision), _source(revision), file)


def _matches(content: RevisionContent, source: SourceRef | None, file: ArticleFile) -> bool:
    return content_matches(content, file) and file.source in (None, source)


def _source(revision: Revision) -> SourceRef | None:
    reference = source_reference(revision)
    return SourceRef.of(reference) if reference else None


def _translation_of(file: ArticleFile) -> int | dict[str, Any] | None:
    """`translation_of` as `article_create` takes it: the source revision the file names by
    number, or the id of the article it names (its live revision)."""
    if file.source is not None:
        return asdict(file.source)
    if file.translation_of is None:
        return None
    ref = file.translation_of
    return Article.objects.values_list("pk", flat=True).get(slug=ref.slug, locale=ref.locale)


def _lineage_kept(file: ArticleFile, revision: Revision) -> list[str]:
    """What the file says of how its text was written that the revision with that text
    already has otherwise: an import leaves it (lineage is said when a text is written, and
    is frozen once the text goes to review)."""
    said = []
    if file.machine_translated and not revision.machine_translated:
        said.append("machine_translated: true")
    meaning = (file.meaning_changed, file.meaning_note)
    if meaning != (True, "") and meaning != (revision.meaning_changed, revision.meaning_note):
        said.append(f"meaning_changed: {str(file.meaning_changed).lower()} with its note")
    if not said:
        return []
    return [
        f"revision {revision.number} kept as it is, without the file's {' and '.join(said)} "
        "(an import says how a text was written only when it writes the text)"
    ]


def _latest(article: Article) -> Revision:
    return (
        Revision.objects.filter(pk=article.latest_revision_id)
        .select_related("source_revision__article")
        .prefetch_related("topics", "codes")
        .get()
    )


def _changes(file: ArticleFile) -> dict[str, Any]:
    """Every content field of the file and its lineage, as `revision_create` takes changes.
    Without a source revision named by number, the new revision keeps its base's source."""
    changes: dict[str, Any] = {f.name: getattr(file.content, f.name) for f in fields(file.content)}
    changes.update(
        meaning_changed=file.meaning_changed,
        meaning_note=file.meaning_note,
        machine_translated=file.machine_translated,
    )
    if file.source is not None:
        changes["translation_of"] = asdict(file.source)
    return changes


# ------------------------------------------------------------------------------
# Export
# ------------------------------------------------------------------------------
class ExportRefused(Exception):
    """The export's directory holds files already."""


def library_export(directory: Path, *, latest: bool = False) -> list[Path]:
    """Write each live article's live revision (`latest`: each article's latest revision,
    whatever its state) as `<locale>/<slug>.md` under `directory`; return the paths written.

    The directory must be new or empty, so that no file from an earlier export is mistaken
    for part of this one. The same library gives the same bytes.
    """
    if directory.exists() and any(directory.iterdir()):
        raise ExportRefused(
            f"{directory} is not empty: export into a new or empty directory, so that no "
            "file of an earlier export is mistaken for part of this one."
        )
    directory.mkdir(parents=True, exist_ok=True)
    articles = (
        Article.objects.all() if latest else Article.objects.filter(status=ArticleStatus.PUBLISHED)
    )
    revision_of = "latest_revision" if latest else "live_revision"
    written = []
    for file in _article_files(articles, revision_of):
        path = directory / file.article.locale / f"{file.article.slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_file_text(file), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _article_files(articles: QuerySet[Article], revision_of: str) -> Iterator[ArticleFile]:
    """The file of each article in `articles`: its `revision_of` revision."""
    lineage = _ExportLineage.of(articles, revision_of)
    revisions = (
        articles.order_by("locale", "slug")
        .select_related(revision_of, f"{revision_of}__source_revision__article")
        .prefetch_related(f"{revision_of}__topics", f"{revision_of}__codes")
    )
    for article in revisions.iterator(chunk_size=500):
        revision = getattr(article, revision_of)
        interval = article.review_interval_days
        yield ArticleFile(
            article=ArticleRef(article.slug, article.locale),
            content=RevisionContent.of(revision),
            # Left out at the default, which is what an import gives an article without one.
            review_interval_days=(
                interval if interval != settings.DEFAULT_REVIEW_INTERVAL_DAYS else None
            ),
            **lineage.fields(article, revision),
        )


@dataclass(frozen=True)
class _ExportLineage:
    """What the files of one export say of what each revision translates.

    A file can name only an article of the export, or it would not import on its own; and
    a revision number only where it means the same text in an empty database too, where
    each exported article starts again at revision 1. So a translation names the article
    whose revision it translates, without a number when that revision says what the
    exported one says (it is the exported one, or only wording changed in between), and
    with it when a change of meaning lies in between (the translation is outdated).
    Anything else (a source not exported, or created after the translation, which could
    make files that translate each other in a loop) names the first-created exported
    article of the group, as a plain link, with no lineage.

    Whether a revision changes meaning is not written: it says what a revision changes
    from the one before it, which is not in the export; re-imported with a new text, it
    would say it of a change it was never said of.
    """

    originals: dict[Any, ArticleRef]
    # Each exported article's exported revision number, by article id.
    exported: dict[int, int]
    # The numbers of the revisions that changed meaning, by article id.
    meaning_changes: dict[int, list[int]]

    @classmethod
    def of(cls, articles: QuerySet[Article], revision_of: str) -> "_ExportLineage":
        meaning_changes: dict[int, list[int]] = {}
        for article_id, number in Revision.objects.filter(
            article__in=articles, meaning_changed=True
        ).values_list("article_id", "number"):
            meaning_changes.setdefault(article_id, []).append(number)
        return cls(
            originals=_first_of_each_group(articles),
            exported=dict(articles.values_list("pk", f"{revision_of}__number")),
            meaning_changes=meaning_changes,
        )

    def fields(self, article: Article, revision: Revision) -> dict[str, Any]:
        """`translation_of`, `translates_revision` and `machine_translated` of the file of
        `revision`, the exported revision of `article`."""
        source = revision.source_revision
        if (
            source is None
            or source.article_id not in self.exported
            or source.article_id > article.pk
        ):
            original = self.originals[article.translation_group]
            own = ArticleRef(article.slug, article.locale)
            return {"translation_of": original if original != own else None}
        low, high = sorted((source.number, self.exported[source.article_id]))
        changed = any(low < n <= high for n in self.meaning_changes.get(source.article_id, ()))
        return {
            "translation_of": ArticleRef(source.article.slug, source.article.locale),
            "translates_revision": source.number if changed else None,
            "machine_translated": revision.machine_translated,
        }


def _first_of_each_group(articles: QuerySet[Article]) -> dict[Any, ArticleRef]:
    """The first-created exported article of each translation group: the one the others
    name as `translation_of`, so that an export is a set of files that imports on its own."""
    # order_by(): the model's default ordering would join the GROUP BY.
    first_ids = (
        articles.order_by().values("translation_group").annotate(first=Min("id")).values("first")
    )
    return {
        group: ArticleRef(slug, locale)
        for group, slug, locale in Article.objects.filter(pk__in=first_ids).values_list(
            "translation_group", "slug", "locale"
        )
    }
