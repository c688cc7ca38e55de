"""The EHR answers: what the one ranking chose (`ehr.ranking`), in Infobutton's and CDS Hooks'
shapes, kept until the live set changes (`delivery.answers`)."""

import json
from typing import Any

from django.conf import settings

from delivery.answers import cached_answer
from delivery.selectors import last_delivery_change_at, published_bodies
from ehr import cds_hooks, infobutton
from ehr.ranking import ranked_answers


def infobutton_feed(
    *,
    system: str,
    requested: str,
    codes: list[str],
    lang: infobutton.Language,
    categories: list[tuple[str, str]],
    limit: int,
) -> infobutton.Feed:
    """The Infobutton answer for `codes` (most specific first) of `system`: one query (and
    for an empty answer a second, for when the live library last changed). `requested` is
    the code as asked for; no `codes` (it is no code of the system) is an empty answer."""
    question = [(system, code) for code in codes]
    answers = ranked_answers([question], locales=lang.locales, per_question=limit, with_body=True)
    entries = [
        infobutton.entry(
            a.system,
            a.code,
            json.loads(a.body),
            requested=lang.requested,
            translation_updating=a.translation_updating and a.locale != lang.locales[0],
        )
        for a in answers
    ]
    return infobutton.feed(
        system=system,
        code=codes[0] if codes else requested.strip(),
        lang=lang,
        categories=categories,
        entries=entries,
        library_changed_at=None if entries else last_delivery_change_at(),
    )


def cds_hooks_cards(
    conditions: list[list[tuple[str, str]]],
    *,
    hook_instance: str,
    lang: infobutton.Language | None = None,
) -> list[dict[str, Any]]:
    """CDS Hooks cards for the patient's conditions (`cds_hooks.condition_codes`): at most
    one per condition, no article twice, in the patient's language (`lang`, from
    `cds_hooks.patient_language`; the default locale if not given), each card saying when it
    is not. The cards for a set of conditions and a language are kept (without their
    per-call `uuid`) until the live set changes; otherwise two queries, whatever the
    conditions."""
    lang = lang or infobutton.language(None)
    # The language asked for is part of the key as well as the locales looked in: `fr` and
    # no language both look in English only, but only the first card says it is no French.
    # The settings that shape a card are part of it too, as for Infobutton.
    shaping = (
        settings.OUTDATED_TRANSLATIONS,
        settings.ARTICLE_PUBLIC_URL,
        settings.PATIENT_PAGES,
        settings.PUBLISHER_NAME,
        settings.PUBLIC_BASE_URL,
    )
    key = (conditions, lang.requested, lang.locales, shaping)
    templates = cached_answer("cds-hooks", repr(key), lambda: _cds_cards(conditions, lang))
    return [cds_hooks.card_for(template, hook_instance=hook_instance) for template in templates]


def _cds_cards(
    conditions: list[list[tuple[str, str]]], lang: infobutton.Language
) -> list[dict[str, Any]]:
    """The cards (without `uuid`) of the articles chosen for `conditions`, in order."""
    # A condition's card is the best of its answers that no earlier condition took, so it is
    # among its first len(conditions) answers.
    answers = ranked_answers(conditions, locales=lang.locales, per_question=len(conditions))
    chosen = cds_hooks.choose(answers)
    bodies = published_bodies([answer.article_id for answer in chosen])
    return [
        cds_hooks.card_template(
            json.loads(bodies[answer.article_id]),
            requested=lang.requested,
            # As in Infobutton: an answer in the first locale is the translation itself.
            translation_updating=answer.translation_updating and answer.locale != lang.locales[0],
        )
        for answer in chosen
        if answer.article_id in bodies
    ]
