"""The content of a revision as the domain sees it, and its normalisation."""

from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.conf import settings

from articles.errors import ValidationFailed
from articles.models import Revision, RevisionCode, Topic
from delivery.codes import CODE_PATTERNS, CodeSystem, normalize_code
from delivery.rendering import body_complexity, body_reading_grade, content_hash


@dataclass(frozen=True)
class RevisionContent:
    """Everything an editor writes in a revision."""

    title: str
    summary: str
    body: str
    editor_note: str = ""
    topics: tuple[str, ...] = ()
    codes: tuple[dict[str, str], ...] = ()
    sources: tuple[dict[str, str], ...] = ()
    authors: tuple[dict[str, str], ...] = ()

    @classmethod
    def from_input(cls, data: dict[str, Any]) -> "RevisionContent":
        """The content an editor sent (fields left out are empty), normalised."""
        return cls(title="", summary="", body="").updated(data)

    @classmethod
    def of(cls, revision: Revision) -> "RevisionContent":
        """The content of a stored revision (its topics and codes should be prefetched)."""
        return cls(
            title=revision.title,
            summary=revision.summary,
            body=revision.body,
            editor_note=revision.editor_note,
            topics=tuple(sorted(topic.slug for topic in revision.topics.all())),
            codes=tuple(
                {"system": c.system, "code": c.code, "display": c.display}
                for c in revision.codes.all()
            ),
            sources=tuple(revision.sources),
            authors=tuple(revision.authors),
        )

    @property
    def content_hash(self) -> str:
        """The hash a reviewer's approval records, and the live document carries."""
        return content_hash(
            title=self.title,
            summary=self.summary,
            body=self.body,
            editor_note=self.editor_note,
            topics=self.topics,
            codes=[(c["system"], c["code"], c["display"]) for c in self.codes],
            sources=self.sources,
            authors=self.authors,
        )

    def updated(self, changes: dict[str, Any]) -> "RevisionContent":
        """A copy with the fields named in `changes` replaced."""
        known = {f.name for f in fields(self)}
        values = {
            name: tuple(value) if isinstance(value, list) else value
            for name, value in changes.items()
            if name in known
        }
        if "topics" in values:
            values["topics"] = tuple(sorted(set(values["topics"])))
        if "codes" in values:
            values["codes"] = tuple(
                {
                    **c,
                    "code": normalize_code(c["system"], c["code"]),
                    "display": c.get("display", ""),
                }
                for c in values["codes"]
            )
        if "authors" in values:
            values["authors"] = tuple(
                {"name": a["name"], "credentials": a.get("credentials", "")}
                for a in values["authors"]
            )
        return replace(self, **values)


@dataclass
class CheckedContent:
    """A revision's content as stored: its topics found, its codes normalised."""

    topics: list[Topic] = field(default_factory=list)
    codes: list[RevisionCode] = field(default_factory=list)


def _body_errors(body: str) -> list[dict[str, str]]:
    """A body whose structure would make rendering slow is refused (see body_complexity)."""
    lines, markup = body_complexity(body)
    errors = []
    if lines > settings.MAX_BODY_LINES:
        errors.append(
            {
                "field": "body",
                "message": f"The body has {lines} lines; at most {settings.MAX_BODY_LINES}.",
                "code": "too_many_lines",
            }
        )
    if markup > settings.MAX_BODY_MARKUP:
        errors.append(
            {
                "field": "body",
                "message": f"The body has {markup} Markdown markup characters (*_[]`<>|&\\); "
                f"at most {settings.MAX_BODY_MARKUP}.",
                "code": "too_much_markup",
            }
        )
    return errors


def content_check(content: RevisionContent) -> CheckedContent:
    """Check what needs the database (topics exist) and normalise codes; 400 on any fault."""
    errors: list[dict[str, str]] = _body_errors(content.body)
    topics = list(Topic.objects.filter(slug__in=content.topics))
    missing = sorted(set(content.topics) - {t.slug for t in topics})
    for slug in missing:
        errors.append(
            {"field": "topics", "message": f"Unknown topic {slug!r}.", "code": "unknown_topic"}
        )
    codes: list[RevisionCode] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(content.codes):
        system = item["system"]
        code = normalize_code(system, item["code"])
        if not CODE_PATTERNS[system].match(code):
            errors.append(
                {
                    "field": f"codes[{index}].code",
                    "message": f"{item['code']!r} is not a valid {CodeSystem(system).label} code.",
                    "code": "invalid_code",
                }
            )
            continue
        if (system, code) in seen:
            errors.append(
                {
                    "field": f"codes[{index}]",
                    "message": f"{system} {code} is listed twice.",
                    "code": "duplicate",
                }
            )
            continue
        seen.add((system, code))
        codes.append(RevisionCode(system=system, code=code, display=item.get("display", "")))
    if errors:
        raise ValidationFailed(errors[0]["message"], errors=errors)
    return CheckedContent(topics=topics, codes=codes)


def content_write(revision: Revision, content: RevisionContent) -> None:
    """Store `content` on a saved or unsaved revision, replacing topics and codes."""
    resolved = content_check(content)
    revision.title = content.title
    revision.summary = content.summary
    revision.body = content.body
    revision.editor_note = content.editor_note
    revision.sources = [dict(s) for s in content.sources]
    revision.authors = [dict(a) for a in content.authors]
    revision.reading_grade = body_reading_grade(content.body, revision.article.locale)
    revision.save()
    revision.topics.set(resolved.topics)
    revision.codes.all().delete()
    for code in resolved.codes:
        code.revision = revision
    RevisionCode.objects.bulk_create(resolved.codes)
