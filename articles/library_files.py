"""Content files: one revision of an article as Markdown with YAML front matter; read, check, write.

A content file looks like this (docs/content-files.md explains every field to hospitals)::

    ---
    slug: entender-su-a1c
    locale: es
    translation_of:
      slug: understanding-your-a1c
      locale: en
      revision: 3
    machine_translated: true
    title: Entender su prueba de A1C
    summary: La prueba de A1C muestra su nivel promedio de azúcar en la sangre.
    topics:
      - diabetes
    codes:
      - system: icd10cm
        code: E11.9
        display: Type 2 diabetes mellitus without complications
    sources:
      - title: 'MedlinePlus: Prueba de A1C'
        url: https://medlineplus.gov/spanish/pruebas-de-laboratorio/prueba-de-a1c/
    authors:
      - name: Marisol Vega
        credentials: RN
    editor_note: ''
    ---

    ## ¿Qué es la prueba de A1C?
    ...

Reading a file checks it against the rules the management API applies to the same fields
(its serializers, then `articles.content`), and reports each fault with the file and line it
is on, taken from the YAML nodes. Checking a set of files adds what only the set shows
(translations naming an article nowhere to be found, files of one article that disagree).
Writing is deterministic: fixed key order, fixed style, no line wrapping, so the same
content always gives the same bytes. YAML is only ever read with PyYAML's SafeLoader.
"""

import difflib
import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from django.db.models import F
from rest_framework import serializers

from articles import content as article_content
from articles.api.serializers import (
    ArticleCreateSerializer,
    LineageInputSerializer,
    SourceRefSerializer,
)
from articles.content import RevisionContent
from articles.errors import ValidationFailed
from articles.models import Article, Revision
from articles.translations import SourceRef, lineage_check
from contentapi.exception_handler import flatten_validation_errors

# The front matter's keys, in the order the writer puts them.
KEYS = (
    "slug",
    "locale",
    "translation_of",
    "machine_translated",
    "meaning_changed",
    "meaning_note",
    "title",
    "summary",
    "topics",
    "codes",
    "sources",
    "authors",
    "editor_note",
    "review_interval_days",
)
# Keys the writer leaves out at their default, here (every other key is always written).
OPTIONAL_KEYS = {
    "translation_of": None,
    "machine_translated": False,
    "meaning_changed": True,
    "meaning_note": "",
    "review_interval_days": None,
}
# Keys about the article rather than the revision: every file of one article agrees on them.
ARTICLE_KEYS = ("translation_of", "review_interval_days")
# Keys about how the revision came to be: what it translates, whether a machine wrote it,
# whether it changes meaning (`articles.translations`).
LINEAGE_KEYS = ("translation_of", "machine_translated", "meaning_changed", "meaning_note")
# Keys of the entries of a list or mapping, in the order the writer puts them.
ENTRY_KEYS = {
    "translation_of": ("slug", "locale", "revision"),
    "codes": ("system", "code", "display"),
    "sources": ("title", "url"),
    "authors": ("name", "credentials"),
}
# Keys whose value may be left empty (`editor_note:`): the same as leaving the key out.
EMPTY_MEANS_ABSENT = frozenset(KEYS) - {"slug", "locale", "title", "summary"}

FENCE = "---"
_STR_TAG = "tag:yaml.org,2002:str"


@dataclass(frozen=True)
class FileError:
    """One fault in a content file: where it is, which field, and what is wrong."""

    path: Path
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        # Line 0: the file as a whole (it cannot be read, or there is none).
        line = f"{self.line}:" if self.line else ""
        where = f" {self.field}:" if self.field else ""
        return f"{self.path}:{line}{where} {self.message}"


class LibraryInvalid(Exception):
    """Content files with faults; `errors` lists every one, in file and line order."""

    def __init__(self, errors: Sequence[FileError]) -> None:
        self.errors = sorted(errors, key=lambda e: (str(e.path), e.line))
        super().__init__(f"{len(self.errors)} error(s) in content files.")


@dataclass(frozen=True)
class ArticleRef:
    """An article named by slug and locale, as `translation_of` names one."""

    slug: str
    locale: str

    def __str__(self) -> str:
        return f"{self.slug} ({self.locale})"


@dataclass(frozen=True)
class ArticleFile:
    """One revision of one article, as read from a content file (or about to be written)."""

    article: ArticleRef
    content: RevisionContent
    translation_of: ArticleRef | None = None
    review_interval_days: int | None = None
    path: Path = Path()
    # The number of the revision of `translation_of` this one translates (`translation_of:
    # revision`); None: its live revision when the import creates the article, and for a
    # new revision, the source of the revision it is based on.
    translates_revision: int | None = None
    machine_translated: bool = False
    # False: this revision changes the wording of the one before it only (`meaning_note`
    # says why), so it outdates no translation.
    meaning_changed: bool = True
    meaning_note: str = ""

    @property
    def source(self) -> SourceRef | None:
        """The source revision the file names, if it names one by number."""
        if self.translation_of is None or self.translates_revision is None:
            return None
        target = self.translation_of
        return SourceRef(target.slug, target.locale, self.translates_revision)


@dataclass(frozen=True)
class _Identity:
    """The article-level fields of one file, and what the set checks of its lineage,
    checked on their own so that the checks of the whole set run even on files with faults
    elsewhere."""

    path: Path
    article: ArticleRef
    translation_of: ArticleRef | None
    review_interval_days: int | None
    # The line of each front-matter key.
    lines: dict[str, int]
    translates_revision: int | None = None
    machine_translated: bool = False
    # The file gives `meaning_changed: false` or a `meaning_note`.
    says_meaning: bool = False

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


# ------------------------------------------------------------------------------
# The rules: the management API's own serializers
# ------------------------------------------------------------------------------
class TranslationOfSerializer(SourceRefSerializer):
    """`{slug, locale, revision}` as the API takes it, but `revision` may be left out: the
    file then names the article (docs/content-files.md says which revision that means)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revision"].required = False


class ArticleFileSerializer(ArticleCreateSerializer, LineageInputSerializer):
    """What POST /api/v1/manage/articles/ takes, with the lineage a new revision may give
    (`meaning_changed`, `meaning_note`: a file may be a later revision), but for
    `translation_of`: a file names what it translates by slug and locale, since ids differ
    from one database to another."""

    translation_of = TranslationOfSerializer(required=False)


def body_normalize(body: str) -> str:
    """A body as a file carries it: Unix line ends, no blank lines before it, and its end
    trimmed to one newline. Markdown renders the same either way; files stay tidy in git."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    body = re.sub(r"\A(?:[ \t]*\n)+", "", body).rstrip()
    return f"{body}\n" if body else ""


def content_matches(revision_content: RevisionContent, file: ArticleFile) -> bool:
    """True if a stored revision already has exactly the content of `file`."""
    stored = replace(revision_content, body=body_normalize(revision_content.body))
    return stored == file.content


# ------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------
def library_paths(path: Path) -> list[Path]:
    """Every `*.md` file under `path` (or `path` itself), in sorted order; hidden files and
    folders (a name starting with '.') are left out."""
    if path.is_file():
        return [path]
    return sorted(
        found
        for found in path.rglob("*.md")
        if found.is_file() and not any(p.startswith(".") for p in found.relative_to(path).parts)
    )


def library_read(path: Path) -> list[ArticleFile]:
    """Read and check every content file under `path`; raise LibraryInvalid listing every
    fault in every file if any is wrong."""
    paths = library_paths(path)
    if not paths:
        raise LibraryInvalid([FileError(path, 0, "", "No *.md content files here.")])
    return library_check(paths)


def library_check(paths: Iterable[Path]) -> list[ArticleFile]:
    """The files at `paths`, read and checked one by one and then as a set."""
    files: list[ArticleFile] = []
    identities: list[_Identity] = []
    errors: list[FileError] = []
    for path in paths:
        text = _read_text(path, errors)
        if text is None:
            continue
        parsed = _FrontMatter.parse(path, text)
        parsed.check(database=True)
        errors.extend(parsed.errors)
        identity = parsed.identity()
        if identity is not None:
            identities.append(identity)
        if not parsed.errors:
            files.append(parsed.article_file())
    errors.extend(_set_errors(identities))
    if errors:
        raise LibraryInvalid(errors)
    return files


def _read_text(path: Path, errors: list[FileError]) -> str | None:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        errors.append(FileError(path, line, "", "The file is not UTF-8 text."))
    except OSError as exc:
        errors.append(FileError(path, 0, "", f"Cannot read the file: {exc.strerror}."))
    return None


def article_file_read(path: Path, text: str) -> tuple[ArticleFile | None, list[FileError]]:
    """The article file in `text` (read from `path`) and its faults; None if it has any.

    Checks everything one file can show, the database's topics included; not what needs the
    whole set (see `library_check`).
    """
    parsed = _FrontMatter.parse(path, text)
    parsed.check(database=True)
    return (None if parsed.errors else parsed.article_file()), parsed.errors


def article_file_parse(path: Path, text: str) -> tuple[ArticleFile | None, list[FileError]]:
    """As `article_file_read`, but only the checks that need no database: the file's shape
    and the API's rules for each field; not whether its topics exist, its codes are well
    formed or its body is too complex to render."""
    parsed = _FrontMatter.parse(path, text)
    parsed.check(database=False)
    return (None if parsed.errors else parsed.article_file()), parsed.errors


@dataclass
class _FrontMatter:
    """A file split into its front matter (as YAML nodes and data) and its body."""

    path: Path
    node: yaml.MappingNode | None = None
    data: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    errors: list[FileError] = field(default_factory=list)
    validated: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, path: Path, text: str) -> "_FrontMatter":
        parsed = cls(path)
        lines = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if lines[0].rstrip() != FENCE:
            parsed.fault(
                1, "", "The file must start with a line '---' that opens its front matter."
            )
            return parsed
        closing = next((i for i, line in enumerate(lines) if i and line.rstrip() == FENCE), None)
        if closing is None:
            parsed.fault(1, "", "The front matter opened here is never closed by a line '---'.")
            return parsed
        rest = "\n".join(lines[closing + 1 :])
        parsed.body = body_normalize(rest)
        skipped = len(rest) - len(re.sub(r"\A(?:[ \t]*\n)+", "", rest))
        # The line the body starts on (after the fence, where an empty body would be).
        parsed.body_line = closing + 2 + (rest[:skipped].count("\n") if parsed.body else 0)
        parsed._load("\n".join(lines[1:closing]) + "\n")
        return parsed

    def fault(self, line: int, name: str, message: str) -> None:
        self.errors.append(FileError(self.path, line, name, message))

    def line(self, node: yaml.Node) -> int:
        # Front-matter line 0 is the file's line 2 (line 1 is the opening '---').
        return node.start_mark.line + 2

    def _load(self, front: str) -> None:
        try:
            node, data = _compose(front, _FAST_LOADER)
        except yaml.YAMLError:
            # PyYAML's own loader says what is wrong, in the same words on every machine.
            try:
                node, data = _compose(front, yaml.SafeLoader)
            except yaml.MarkedYAMLError as exc:
                mark = exc.problem_mark or exc.context_mark
                line = mark.line + 2 if mark is not None else 2
                context = ""
                if exc.context and exc.context_mark and exc.context_mark is not mark:
                    context = f" ({exc.context}, which starts on line {exc.context_mark.line + 2})"
                self.fault(line, "", f"YAML syntax: {exc.problem or exc.context}{context}.")
                return
            except yaml.YAMLError as exc:
                self.fault(2, "", f"YAML: {exc}.")
                return
        if not isinstance(node, yaml.MappingNode):
            where = self.line(node) if node is not None else 2
            self.fault(where, "", "The front matter must be a mapping of keys to values.")
            return
        self.node = node
        known = self._check_keys(node)
        self.data = {
            k: v
            for k, v in data.items()
            if k in known and not (v is None and k in EMPTY_MEANS_ABSENT)
        }

    def _check_keys(self, node: yaml.MappingNode) -> set[str]:
        """The known keys; unknown and repeated ones are faults."""
        seen: dict[str, int] = {}
        for key_node, _ in node.value:
            key = key_node.value
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR_TAG:
                self.fault(self.line(key_node), "", f"{key!r} is not a key this format knows.")
            elif key in seen:
                # YAML would let the last one win without a word: refuse it instead.
                self.fault(self.line(key_node), key, f"Given twice (first on line {seen[key]}).")
            elif key not in KEYS:
                close = difflib.get_close_matches(key, KEYS, n=1)
                hint = f" Did you mean {close[0]!r}?" if close else ""
                self.fault(
                    self.line(key_node),
                    key,
                    f"Unknown key.{hint} The keys are: {', '.join(KEYS)}.",
                )
            else:
                seen[key] = self.line(key_node)
        return set(seen)

    def check(self, *, database: bool) -> None:
        """The API's rules, then (`database`) the content's: topics exist, codes are well
        formed, the body is not too complex to render."""
        if self.node is None:
            return  # unreadable: its fault is recorded already
        serializer = ArticleFileSerializer(data={**self.data, "body": self.body})
        if serializer.is_valid():
            self.validated = dict(serializer.validated_data)
        else:
            # Flattened as the API flattens them for its problem responses: `codes[1].code`.
            for error in flatten_validation_errors(serializer.errors):
                name = "" if error["field"] == "non_field_errors" else error["field"]
                self._field_fault(name, error["message"])
        self._lineage_rules()
        if database:
            self._content_rules()

    def _lineage_rules(self) -> None:
        """The API's rules across the lineage keys (`translations.lineage_check`), on those
        that passed the serializer (the others are reported already)."""
        valid = self._valid(LINEAGE_KEYS)
        refused = {key for key in LINEAGE_KEYS if key in self.data and key not in valid}
        checks = []
        if "machine_translated" not in refused:
            # `lineage_check` asks only whether there is a source; a file names one by slug
            # and locale, so any id stands for it here.
            source_id = 0 if "translation_of" in self.data else None
            checks.append(
                Revision(
                    machine_translated=valid.get("machine_translated", False),
                    source_revision_id=source_id,
                )
            )
        if not {"meaning_changed", "meaning_note"} & refused:
            checks.append(
                Revision(
                    meaning_changed=valid.get("meaning_changed", True),
                    meaning_note=valid.get("meaning_note", ""),
                )
            )
        for revision in checks:
            try:
                lineage_check(revision)
            except ValidationFailed as exc:
                for error in exc.errors:
                    self._field_fault(error["field"], error["message"])

    def _valid(self, names: Iterable[str]) -> dict[str, Any]:
        """The values of `names` the file gives that pass the API's rules for each field on
        its own."""
        fields = _fields()
        values: dict[str, Any] = {}
        for name in names:
            if name not in self.data:
                continue
            try:
                values[name] = fields[name].run_validation(self.data[name])
            except serializers.ValidationError:
                continue
        return values

    def _content_rules(self) -> None:
        """`articles.content`'s checks on the body and on each topic and code that passed the
        serializer (the others are reported already)."""
        fields = _fields()
        checked: dict[str, Any] = {"body": self.body}
        # Where each checked code was in the file: content's messages count checked codes.
        code_index: list[int] = []
        for name in ("topics", "codes"):
            items = self.data.get(name)
            if not isinstance(items, list):
                continue
            checked[name] = []
            for index, item in enumerate(items):
                try:
                    checked[name].append(fields[name].child.run_validation(item))
                except serializers.ValidationError:
                    continue
                if name == "codes":
                    code_index.append(index)
        try:
            # The same check `content_write` makes before it stores a revision.
            article_content.content_check(RevisionContent.from_input(checked))
        except ValidationFailed as exc:
            for error in exc.errors:
                name = re.sub(
                    r"^codes\[(\d+)\]", lambda m: f"codes[{code_index[int(m[1])]}]", error["field"]
                )
                self._field_fault(name, error["message"])

    def _field_fault(self, name: str, message: str) -> None:
        if name == "body" or name.startswith("body."):
            self.fault(self.body_line, "body", message)
            return
        node = self._node_at(name)
        if node is None and name in _ASKED_BY:
            # A missing note is missing where `meaning_changed: false` asks for it.
            node = self._node_at(_ASKED_BY[name])
        if isinstance(node, yaml.SequenceNode):
            # "Unknown topic 'x'.": point at the item named, where the message names one.
            named = [
                item
                for item in node.value
                if isinstance(item, yaml.ScalarNode)
                and item.tag == _STR_TAG
                and repr(item.value) in message
            ]
            node = named[0] if len(named) == 1 else node
        if (
            isinstance(node, yaml.ScalarNode)
            and node.tag != _STR_TAG
            and message == "Must be a string."
        ):
            message += f" YAML reads {node.value} as a number or a date: put it in quotes."
        line = self.line(node) if node is not None else 1
        self.fault(line, name, message)

    def _node_at(self, name: str) -> yaml.Node | None:
        """The deepest node of the front matter on the path `name` (`codes[1].code`)."""
        node: yaml.Node | None = self.node
        for step in re.findall(r"[^.\[\]]+", name):
            if isinstance(node, yaml.MappingNode):
                values = [v for k, v in node.value if k.value == step]
                if not values:
                    return node if node is not self.node else None
                node = values[0]
            elif isinstance(node, yaml.SequenceNode) and step.isdigit():
                if int(step) >= len(node.value):
                    return node
                node = node.value[int(step)]
            else:
                return node
        return node

    def identity(self) -> _Identity | None:
        """The article-level fields, if each of them passes the API's rules, and the lineage
        fields that do."""
        if self.node is None:
            return None
        names = ("slug", "locale", *ARTICLE_KEYS)
        values = self._valid(names)
        if any(name in self.data and name not in values for name in names):
            return None
        if "slug" not in values or "locale" not in values:
            return None
        target = values.get("translation_of")
        lineage = self._valid(LINEAGE_KEYS)
        lines = {k.value: self.line(k) for k, _ in self.node.value}
        if target and "revision" in target:
            lines["translation_of.revision"] = self.line(self._node_at("translation_of.revision"))
        return _Identity(
            path=self.path,
            article=ArticleRef(values["slug"], values["locale"]),
            translation_of=ArticleRef(target["slug"], target["locale"]) if target else None,
            review_interval_days=values.get("review_interval_days"),
            lines=lines,
            translates_revision=target.get("revision") if target else None,
            machine_translated=lineage.get("machine_translated", False),
            says_meaning=(
                lineage.get("meaning_changed", True) is False or bool(lineage.get("meaning_note"))
            ),
        )

    def article_file(self) -> ArticleFile:
        data = self.validated
        target = data.get("translation_of")
        return ArticleFile(
            article=ArticleRef(data["slug"], data["locale"]),
            content=RevisionContent.from_input(data),
            translation_of=ArticleRef(target["slug"], target["locale"]) if target else None,
            review_interval_days=data.get("review_interval_days"),
            path=self.path,
            translates_revision=target.get("revision") if target else None,
            machine_translated=data.get("machine_translated", False),
            meaning_changed=data.get("meaning_changed", True),
            meaning_note=data.get("meaning_note", ""),
        )


# Where a fault of a key the file leaves out is reported: at the key that asks for it.
_ASKED_BY = {"meaning_note": "meaning_changed"}

# libyaml's safe loader where PyYAML was built with it: several times faster than the
# pure-Python one, which is kept for the wording of faults.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(front: str, loader_class: type) -> tuple[yaml.Node | None, Any]:
    """The front matter's node tree and, for a mapping, its data; safe loaders only."""
    loader = loader_class(front)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if isinstance(node, yaml.MappingNode) else None
        return node, data
    finally:
        loader.dispose()


@functools.cache
def _fields() -> dict[str, serializers.Field]:
    """The serializer's fields, built once: each file checks a few of them on their own."""
    return dict(ArticleFileSerializer().fields)


def _set_errors(files: list[_Identity]) -> list[FileError]:
    """What only the whole set shows: every file of one article must agree on the article's
    own fields, and each translation must name an article found in the set or the database,
    in another locale, whose translation group has no article in its locale yet."""
    errors: list[FileError] = []
    first: dict[ArticleRef, _Identity] = {}
    for file in files:
        head = first.setdefault(file.article, file)
        for key in ARTICLE_KEYS:
            if getattr(file, key) != getattr(head, key):
                errors.append(
                    FileError(
                        file.path,
                        file.line_of(key),
                        key,
                        f"Differs from {head.path}, an earlier file of {file.article}: every "
                        "file of one article gives the same value.",
                    )
                )
    refs = set(first) | {f.translation_of for f in files if f.translation_of}
    stored = {
        ArticleRef(a.slug, a.locale): a
        for a in Article.objects.filter(slug__in={r.slug for r in refs})
        .annotate(latest_number=F("latest_revision__number"))
        .only("slug", "locale", "translation_group")
        if ArticleRef(a.slug, a.locale) in refs
    }
    errors.extend(_lineage_errors(files, first, stored))
    taken: dict[tuple[Any, str], _Identity] = {}
    for ref, file in first.items():
        target = file.translation_of
        if target is None or ref in stored:
            continue  # an existing article keeps its links (the import says so if they differ)
        problem = None
        root = _translation_root(file, first)
        if target.locale == ref.locale:
            problem = f"{target} is in the same locale; a translation is in another one."
        elif root is None:
            problem = f"{target} translates, in turn, an article that translates this one."
        elif target not in stored and target not in first:
            problem = f"There is no article {target}, here or in the database."
        else:
            group = stored[root].translation_group if root in stored else root
            other = taken.setdefault((group, ref.locale), file)
            existing = (
                Article.objects.filter(translation_group=group, locale=ref.locale).first()
                if root in stored
                else None
            )
            if existing is not None:
                problem = (
                    f"{target} already has a {ref.locale!r} version: "
                    f"{ArticleRef(existing.slug, existing.locale)}."
                )
            elif other is not file:
                problem = f"{other.path} is the {ref.locale!r} version of {target} already."
        if problem:
            errors.append(
                FileError(file.path, file.line_of("translation_of"), "translation_of", problem)
            )
    return errors


def _lineage_errors(
    files: list[_Identity], first: dict[ArticleRef, _Identity], stored: dict[ArticleRef, Article]
) -> Iterator[FileError]:
    """What the set shows of each file's lineage: a file that creates its article says
    nothing of meaning (revision 1 changes nothing), a new revision of an article the
    database has names a source in its own translation group (the import links only the
    articles it creates), and a source revision named by number is one the database has or
    this import may write."""
    count = Counter(file.article for file in files)
    for file in files:
        target = file.translation_of
        if file.says_meaning and first[file.article] is file and file.article not in stored:
            key = "meaning_changed" if "meaning_changed" in file.lines else "meaning_note"
            yield FileError(
                file.path,
                file.line_of(key),
                key,
                f"This file creates {file.article}, and its first revision changes no "
                "earlier one: meaning_changed and meaning_note are for the files after it.",
            )
        if target is None or not (file.translates_revision or file.machine_translated):
            continue
        article = stored.get(file.article)
        if article is not None and (
            target not in stored or stored[target].translation_group != article.translation_group
        ):
            yield FileError(
                file.path,
                file.line_of("translation_of"),
                "translation_of",
                f"{target} is not a translation of {file.article} or its original, and an "
                "import links only an article it creates: a new revision translates an "
                "article it is linked to.",
            )
            continue
        number = file.translates_revision
        if number is None or (target not in stored and target not in first):
            continue  # no number, or no such article (said above)
        have = stored[target].latest_number if target in stored else 0
        if number > have + count[target]:
            more = f", and this import writes at most {count[target]} more" if count[target] else ""
            yield FileError(
                file.path,
                file.line_of("translation_of.revision"),
                "translation_of.revision",
                f"There is no revision {number} of {target}: it has {have}{more}.",
            )


def _translation_root(file: _Identity, first: dict[ArticleRef, _Identity]) -> Any:
    """The article at the start of `file`'s chain of translations (None for a loop)."""
    seen = {file.article}
    ref = file.translation_of
    while ref in first and first[ref].translation_of is not None:
        ref = first[ref].translation_of
        if ref in seen:
            return None
        seen.add(ref)
    return ref


# ------------------------------------------------------------------------------
# Writing
# ------------------------------------------------------------------------------
class _Dumper(yaml.SafeDumper):
    """PyYAML's safe emitter (the pure-Python one, whatever libyaml is installed, so the
    output never depends on it), with list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Text with line breaks as a literal block, which reads as it is written.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar(_STR_TAG, value, style=style)


_Dumper.add_representer(str, _represent_str)


def article_file_text(file: ArticleFile) -> str:
    """The content file of `file`, byte-stable: the same content gives the same text."""
    content = file.content
    target = file.translation_of
    values: dict[str, Any] = {
        "slug": file.article.slug,
        "locale": file.article.locale,
        "translation_of": (
            {"slug": target.slug, "locale": target.locale, "revision": file.translates_revision}
            if target
            else None
        ),
        "machine_translated": file.machine_translated,
        "meaning_changed": file.meaning_changed,
        "meaning_note": file.meaning_note,
        "title": content.title,
        "summary": content.summary,
        "topics": list(content.topics),
        "codes": content.codes,
        "sources": content.sources,
        "authors": content.authors,
        "editor_note": content.editor_note,
        "review_interval_days": file.review_interval_days,
    }
    front = {
        key: _ordered(key, values[key])
        for key in KEYS
        if not (key in OPTIONAL_KEYS and values[key] == OPTIONAL_KEYS[key])
    }
    text = yaml.dump(
        front,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        # No wrapping: a changed word changes one line of a diff, not a paragraph.
        width=1_000_000,
    )
    return f"{FENCE}\n{text}{FENCE}\n\n{body_normalize(content.body)}"


def _ordered(key: str, value: Any) -> Any:
    """Lists and mappings with their entries' keys in the fixed order."""
    order = ENTRY_KEYS.get(key)
    if order is None:
        return value
    if isinstance(value, dict):
        # A mapping's keys without a value are left out (`translation_of` without `revision`).
        return {k: value[k] for k in order if value.get(k) is not None}
    return [{k: item.get(k, "") for k in order} for item in value]
