"""What an editor types on the writing page, read into the fields the API takes and checked
by the API's own serializers, so a page and a client are refused the same things.

Lists are written one item per line, so that the page needs no JavaScript:

* codes: `system code display`, e.g. `icd10cm E11.9 Type 2 diabetes mellitus`;
* sources: `title | https://address`;
* authors: `name, credentials`, e.g. `Ana Ruiz, RN`.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rest_framework import serializers

from articles.api.serializers import ArticleCreateSerializer, RevisionContentInputSerializer
from articles.content import RevisionContent
from articles.models import Revision
from contentapi.errors import DomainError
from contentapi.exception_handler import flatten_validation_errors
from delivery.codes import CodeSystem

# The text fields of the form, as the API names them.
TEXT_FIELDS = ("title", "summary", "body", "editor_note")
LIST_FIELDS = ("codes", "sources", "authors")
# What only a new article's form has: `translation_of` is the slug of the article it
# translates (its live revision).
ARTICLE_FIELDS = ("slug", "locale", "translation_of")


@dataclass
class Draft:
    """The form as typed (`values`, strings), the content read from it, and what is wrong
    with it, field by field."""

    values: dict[str, Any]
    content: RevisionContent | None = None
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors

    def refuse(self, refused: DomainError) -> None:
        """Put the domain's refusal on the fields it names (else on the form)."""
        for error in getattr(refused, "errors", None) or [{"field": "", "message": refused.detail}]:
            self.errors.setdefault(_form_field(error["field"]), []).append(
                _line_message(error["field"], error["message"])
            )


def form_values(post: Any, *, new_article: bool = False) -> dict[str, Any]:
    """What the browser sent, as strings (topics as a list of slugs)."""
    names = (*TEXT_FIELDS, *LIST_FIELDS, *(ARTICLE_FIELDS if new_article else ()))
    values = {name: post.get(name, "") for name in names}
    values["topics"] = post.getlist("topics")
    return values


def revision_values(revision: Revision) -> dict[str, Any]:
    """A stored revision as the form shows it."""
    content = RevisionContent.of(revision)
    return {
        "title": content.title,
        "summary": content.summary,
        "body": content.body,
        "editor_note": content.editor_note,
        "topics": list(content.topics),
        "codes": "\n".join(
            f"{c['system']} {c['code']} {c['display']}".strip() for c in content.codes
        ),
        "sources": "\n".join(f"{s['title']} | {s['url']}" for s in content.sources),
        "authors": "\n".join(
            ", ".join(part for part in (a["name"], a.get("credentials", "")) if part)
            for a in content.authors
        ),
    }


def read_draft(values: dict[str, Any], *, new_article: bool = False) -> Draft:
    """Read and check the form: the API's serializer decides what is acceptable."""
    draft = Draft(values=values)
    data: dict[str, Any] = {name: values.get(name, "") for name in TEXT_FIELDS}
    data["topics"] = list(values.get("topics") or [])
    data["codes"] = _rows(values.get("codes", ""), _code, "codes", draft)
    data["sources"] = _rows(values.get("sources", ""), _source, "sources", draft)
    data["authors"] = _rows(values.get("authors", ""), _author, "authors", draft)
    if new_article:
        data["slug"] = values.get("slug", "").strip()
        data["locale"] = values.get("locale", "")
    checker: type[serializers.Serializer] = (
        ArticleCreateSerializer if new_article else RevisionContentInputSerializer
    )
    serializer = checker(data=data)
    if not serializer.is_valid():
        for error in flatten_validation_errors(serializer.errors):
            draft.errors.setdefault(_form_field(error["field"]), []).append(
                _line_message(error["field"], error["message"])
            )
    if draft.valid:
        draft.data = dict(serializer.validated_data)
        draft.content = RevisionContent.from_input(draft.data)
    return draft


def _rows(text: str, read: Any, name: str, draft: Draft) -> list[dict[str, str]]:
    rows = []
    for number, line in enumerate(_lines(text), start=1):
        row = read(line)
        if isinstance(row, str):
            draft.errors.setdefault(name, []).append(f"Line {number}: {row}")
        else:
            rows.append(row)
    return rows


def _lines(text: str) -> Iterable[str]:
    return (line.strip() for line in text.splitlines() if line.strip())


def _code(line: str) -> dict[str, str] | str:
    parts = line.split(maxsplit=2)
    systems = ", ".join(CodeSystem.values)
    if len(parts) < 2 or parts[0].lower() not in CodeSystem.values:
        return f"write the system ({systems}), the code, then its name: “icd10cm E11.9 Type 2 …”."
    return {"system": parts[0].lower(), "code": parts[1], "display": parts[2] if parts[2:] else ""}


def _source(line: str) -> dict[str, str] | str:
    title, bar, url = line.rpartition("|")
    if not bar:
        return "write the title, a bar, then the address: “CDC: About diabetes | https://…”."
    return {"title": title.strip(), "url": url.strip()}


def _author(line: str) -> dict[str, str]:
    name, _, credentials = line.partition(",")
    return {"name": name.strip(), "credentials": credentials.strip()}


def _form_field(api_field: str) -> str:
    """`codes[2].code` -> `codes`: the form field an API error belongs to."""
    return api_field.split("[")[0].split(".")[0] if api_field else ""


def _line_message(api_field: str, message: str) -> str:
    """`codes[2].code` + message -> "Line 3: message" for the fields written as lines."""
    if "[" in api_field and _form_field(api_field) in LIST_FIELDS:
        index = int(api_field.split("[")[1].split("]")[0])
        return f"Line {index + 1}: {message}"
    return message
