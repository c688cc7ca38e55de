"""The one ranking of live documents for medical codes, for Infobutton and CDS Hooks alike.

A question is a list of (system, code) pairs, most specific first (an ICD-10-CM code and its
ancestors: E11.65, E11.6, E11). Its answers are translation groups, not articles: a group
answers on the most specific code that any of its live articles carries (so a live Spanish
translation answers for the codes its English original carries), with its live article in
the first of the preferred locales that it has; groups rank by that code's position, then
newest first. Infobutton asks one question; CDS Hooks asks one per condition, all in the
same query. The database does the choosing, so only the chosen rows leave it.

An outdated translation (its source has since put live a change of meaning) is never
chosen as if it were current: unless OUTDATED_TRANSLATIONS is `serve`, the group answers in
its next preferred locale instead, and the answer says a translation in the first one is
being updated.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from django.conf import settings

from contentapi.replicas import read_connection
from delivery.models import PublishedCode, PublishedDocument

_DOC = PublishedDocument._meta.db_table
_DOC_CODE = PublishedCode._meta.db_table

Question = Sequence[tuple[str, str]]


@dataclass(frozen=True)
class Answer:
    """The live document that answers `question` for one translation group."""

    question: int  # index of the question asked
    position: int  # of the matched code in the question: 0 is the most specific
    system: str
    code: str
    article_id: int
    translation_group: UUID
    locale: str
    body: bytes  # the stored detail document (b"" unless asked for)
    # The group's article in the first preferred locale is an outdated translation, so this
    # answer is in another locale (or, with OUTDATED_TRANSLATIONS=serve, is that one).
    translation_updating: bool = False


def ranked_answers(
    questions: Sequence[Question],
    *,
    locales: Sequence[str],
    per_question: int,
    with_body: bool = False,
) -> list[Answer]:
    """The best `per_question` answers to each question, best first, in question order.

    One query. `locales` are the languages to answer in, preferred first; a group with no
    live article in any of them does not answer. `with_body` also reads each answer's stored
    document in the same query.
    """
    asked = [
        (index, position, system, code)
        for index, question in enumerate(questions)
        for position, (system, code) in enumerate(question)
    ]
    if not asked or not locales or per_question < 1:
        return []
    serve_outdated = settings.OUTDATED_TRANSLATIONS == "serve"
    values = ", ".join(["(%s, %s, %s, %s)"] * len(asked))
    preference = " ".join("WHEN %s THEN %s" for _ in locales)
    in_locales = ", ".join(["%s"] * len(locales))
    body, body_join = ("doc.body", f"JOIN {_DOC} doc ON doc.article_id = r.article_id")
    if not with_body:
        body, body_join = "''", ""
    sql = (
        f"WITH asked (q, pos, system, code) AS (VALUES {values}), "
        # Per question and group, the most specific code any live article of it carries.
        "hits AS (SELECT a.q, cd.translation_group AS grp, MIN(a.pos) AS pos "
        f"FROM asked a JOIN {_DOC_CODE} c ON c.system = a.system AND c.code = a.code "
        f"JOIN {_DOC} cd ON cd.article_id = c.document_id GROUP BY a.q, cd.translation_group), "
        # The group's live article in the most preferred locale it has.
        "picks AS (SELECT h.q, h.pos, d.article_id, d.translation_group, d.locale, "
        "d.last_updated_at, ROW_NUMBER() OVER (PARTITION BY h.q, h.grp "
        f"ORDER BY CASE d.locale {preference} END) AS pick "
        f"FROM hits h JOIN {_DOC} d ON d.translation_group = h.grp "
        f"WHERE d.locale IN ({in_locales}) AND (d.outdated_since IS NULL OR %s)), "
        "ranked AS (SELECT p.*, ROW_NUMBER() OVER (PARTITION BY p.q "
        "ORDER BY p.pos, p.last_updated_at DESC, p.article_id DESC) AS n "
        "FROM picks p WHERE p.pick = 1) "
        f"SELECT r.q, r.pos, r.article_id, r.translation_group, r.locale, {body}, "
        f"EXISTS (SELECT 1 FROM {_DOC} o WHERE o.translation_group = r.translation_group "
        "AND o.locale = %s AND o.outdated_since IS NOT NULL) "
        f"FROM ranked r {body_join} WHERE r.n <= %s ORDER BY r.q, r.n"
    )
    params = [
        *(value for row in asked for value in row),
        *(value for index, locale in enumerate(locales) for value in (locale, index)),
        *locales,
        serve_outdated,
        locales[0],
        per_question,
    ]
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Answer(
            question=q,
            position=pos,
            system=questions[q][pos][0],
            code=questions[q][pos][1],
            article_id=article_id,
            translation_group=group if isinstance(group, UUID) else UUID(str(group)),
            locale=locale,
            body=bytes(body) if body else b"",
            translation_updating=bool(updating),
        )
        for q, pos, article_id, group, locale, body, updating in rows
    ]
