"""Four eyes by words: nobody signs off their own sentences copied into another article.

The lineage rule (`test_sign_off.py`) cannot see text copied into a new article row or a
translation; these tests are about the words rule that can (`articles.authorship`).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import workflow
from articles.authorship import copied_from
from articles.errors import NotAllowed
from articles.models import AuditEvent, Review, RevisionState
from contentapi.models import Role
from review.selectors import review_queue
from tests.conftest import revision_url
from tests.problems import assert_problem
from tests.publishing_helpers import (
    approve,
    create_article,
    latest,
    make_live,
    new_revision,
    publish,
)

TITLE = "Washing your hands"
SUMMARY = "Clean hands are one of the best ways to stop infections spreading."
# The reviewer's own words; the sentences are numbered in the comments by their order.
MINE = [
    "Washing your hands removes germs that cause infections.",  # 0
    "Soap breaks down the oily layer that holds germs on your skin.",  # 1
    "Rinsing under running water carries the loosened germs away.",  # 2
    "Rub soap over every surface for at least twenty seconds.",  # 3
    "Dry your hands with a clean towel or let them dry in the air.",  # 4
]
BODY = (
    f"## Why it matters\n\n{MINE[0]} {MINE[1]}\n{MINE[2]}\n\n"
    f"## How to do it\n\n{MINE[3]} {MINE[4]}\n\n## Getting help\n\nCall your doctor.\n"
)
# A colleague's own words, none of them the reviewer's.
THEIRS = [
    "Infection control keeps patients and staff safe in every clinic.",
    "Gloves do not replace washing your hands between patients.",
    "Alcohol gel works well when your hands do not look dirty.",
    "Keep your fingernails short so that dirt cannot collect under them.",
    "Cover cuts and grazes with a waterproof dressing before work.",
    "Change your uniform every day and wash it at a high temperature.",
    "Clean shared equipment between one patient and the next.",
    "Ask the infection control team if you are unsure what to do.",
    "Report any outbreak of vomiting or diarrhoea on a ward at once.",
]
DETAIL_END = "Another reviewer, who wrote none of it, must approve it."


@pytest.fixture
def writer_reviewer(make_staff):
    """Someone who both writes and reviews: the person the four-eyes rule is about."""
    return make_staff(
        Role.EDITOR, Role.REVIEWER, username="ana", display_name="Ana Ruiz", credentials="MD"
    )


@pytest.fixture
def hand_washing(writer_reviewer, reviewer, publisher):
    """The reviewer's own article, approved by another reviewer and live: revision 1."""
    return make_live(
        editor=writer_reviewer,
        reviewer=reviewer,
        publisher=publisher,
        slug="hand-washing",
        title=TITLE,
        summary=SUMMARY,
        body=BODY,
    )


def _submitted_article(colleague, slug, body, **fields):
    """A new article by `colleague` whose first revision is in review."""
    article = create_article(
        editor=colleague,
        slug=slug,
        title=fields.pop("title", "Infection control at work"),
        summary=fields.pop("summary", "What every member of staff does to stop infections."),
        body=body,
        **fields,
    )
    revision = latest(article)
    workflow.revision_submit(actor=colleague, revision=revision)
    return article, revision


def _assert_refused_unchanged(response, revision, events_before, detail):
    body = assert_problem(response, 403)
    assert body["code"] == "not-allowed"
    assert body["detail"] == detail
    revision.refresh_from_db()
    assert revision.state == RevisionState.IN_REVIEW
    assert revision.approved_by is None
    assert not Review.objects.filter(revision=revision).exists()
    assert AuditEvent.objects.count() == events_before


def test_three_consecutive_sentences_copied_into_a_new_article_are_refused(
    api, hand_washing, writer_reviewer, other_editor, reviewer
):
    # Copied with other case, spacing, markup and line wrapping: still the reviewer's words.
    wrapped = MINE[3].replace("surface ", "surface\n  ")
    copied = f"- **{MINE[1].upper()}**\n- {MINE[2].replace(' ', '   ')}\n- _{wrapped}_"
    body = " ".join(THEIRS[:5]) + "\n\n" + copied + "\n\n" + " ".join(THEIRS[5:]) + "\n"
    article, revision = _submitted_article(other_editor, "infection-control", body)
    events_before = AuditEvent.objects.count()

    response = api(writer_reviewer).post(revision_url(article, 1, "approve"), {})

    detail = (
        "Three consecutive sentences of this text match what you wrote in hand-washing (en) "
        f"revision 1. {DETAIL_END}"
    )
    _assert_refused_unchanged(response, revision, events_before, detail)
    # The review pages show the same refusal before the reviewer tries.
    assert workflow.refusal("approve", actor=writer_reviewer, revision=revision) == detail
    # A reviewer who wrote none of it may approve it.
    approved = workflow.revision_approve(actor=reviewer, revision=revision)
    assert approved.approved_by == reviewer


def test_a_translation_carrying_the_reviewers_body_is_refused(
    api, hand_washing, writer_reviewer, other_editor
):
    article, revision = _submitted_article(
        other_editor,
        "lavado-de-manos",
        BODY,
        locale="es",
        translation_of=hand_washing,
        title="Lavarse las manos",
        summary="Las manos limpias evitan que las infecciones se propaguen.",
    )
    assert article.translation_group == hand_washing.translation_group
    events_before = AuditEvent.objects.count()

    response = api(writer_reviewer).post(revision_url(article, 1, "approve"), {})

    _assert_refused_unchanged(
        response,
        revision,
        events_before,
        "Three consecutive sentences of this text match what you wrote in hand-washing (en) "
        f"revision 1. {DETAIL_END}",
    )


def test_spanish_sentences_match_whatever_their_inverted_marks_and_case(
    api, writer_reviewer, other_editor, reviewer, publisher
):
    make_live(
        editor=writer_reviewer,
        reviewer=reviewer,
        publisher=publisher,
        slug="lavado-de-manos",
        locale="es",
        title="Lavarse las manos",
        summary="Las manos limpias evitan infecciones.",
        body=(
            "¿Por qué hay que lavarse las manos? El jabón arrastra los gérmenes de la piel. "
            "¡Hágalo siempre antes de comer algo! Séquese las manos con una toalla limpia.\n"
        ),
    )
    body = (
        "La higiene en la clínica protege a todo el mundo cada día.\n\n"
        "POR QUÉ HAY QUE LAVARSE LAS MANOS\n\nEl  jabón arrastra los gérmenes de la piel. "
        "¡Hágalo siempre antes de comer algo!\n\nUse guantes cuando toque sangre o heridas. "
        "Cambie el uniforme todos los días sin falta. Limpie el equipo entre dos pacientes.\n"
    )
    article, revision = _submitted_article(
        other_editor,
        "higiene-en-la-clinica",
        body,
        locale="es",
        title="Higiene en la clínica",
        summary="Lo que hace el personal para evitar infecciones en la clínica.",
    )
    events_before = AuditEvent.objects.count()

    response = api(writer_reviewer).post(revision_url(article, 1, "approve"), {})

    _assert_refused_unchanged(
        response,
        revision,
        events_before,
        "Three consecutive sentences of this text match what you wrote in lavado-de-manos (es) "
        f"revision 1. {DETAIL_END}",
    )


def test_a_third_of_the_text_copied_without_three_consecutive_sentences_is_refused(
    api, hand_washing, writer_reviewer, other_editor
):
    # Title and summary and six body sentences: three of the eight are the reviewer's.
    body = "\n\n".join([MINE[0], THEIRS[0], MINE[2], THEIRS[1], MINE[4], THEIRS[2]])
    article, revision = _submitted_article(other_editor, "interleaved", body)
    events_before = AuditEvent.objects.count()

    response = api(writer_reviewer).post(revision_url(article, 1, "approve"), {})

    _assert_refused_unchanged(
        response,
        revision,
        events_before,
        "A third of this text matches what you wrote in hand-washing (en) revision 1. "
        f"{DETAIL_END}",
    )


def test_a_third_by_characters_is_refused_too(api, hand_washing, writer_reviewer, other_editor):
    # One long copied sentence among short ones of the colleague's: under a third of the
    # sentences, over a third of the characters.
    long_mine = (
        "Germs from unwashed hands get into food and drinks while people prepare and eat "
        "them, and they spread to tables, handrails, toys and phones."
    )
    new_revision(hand_washing, editor=writer_reviewer, body=BODY + "\n" + long_mine + "\n")
    body = "\n\n".join(["Wash often.", long_mine, "Use soap.", "Ask us.", "Stay well."])
    article, _ = _submitted_article(other_editor, "germs", body, title="Germs", summary="Wash.")

    response = api(writer_reviewer).post(revision_url(article, 1, "approve"), {})

    assert assert_problem(response, 403)["detail"] == (
        f"A third of this text matches what you wrote in hand-washing (en) revision 2. {DETAIL_END}"
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("\n\n".join(THEIRS[:6]), id="unrelated"),
        # Short sentences only in common with the reviewer's article (two of six would be a
        # third), and no three consecutive ones.
        pytest.param(
            f"## Getting help\n\nCall your doctor.\n\n{THEIRS[0]} {THEIRS[1]}\n", id="boilerplate"
        ),
        # Two of the reviewer's sentences in a row among many of the colleague's.
        pytest.param(" ".join([*THEIRS[:4], MINE[0], MINE[1], *THEIRS[4:]]), id="two-in-a-row"),
    ],
)
def test_text_that_is_not_substantially_the_reviewers_may_be_approved(
    api, hand_washing, writer_reviewer, other_editor, body
):
    article, revision = _submitted_article(other_editor, "infection-control", body)

    response = api(writer_reviewer).post(revision_url(article, 1, "approve"), {})

    assert response.status_code == 200, response.content
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED
    assert revision.approved_by == writer_reviewer


def test_editing_a_sentence_of_a_colleagues_article_does_not_make_the_rest_yours(
    api, writer_reviewer, other_editor
):
    colleagues = create_article(
        editor=other_editor,
        slug="infection-control",
        title="Infection control at work",
        summary=THEIRS[0],
        body=" ".join(THEIRS[1:6]),
    )
    # The reviewer's revision 2 changes one sentence; the others stay the colleague's.
    new_revision(colleagues, editor=writer_reviewer, body=" ".join([*THEIRS[1:5], MINE[0]]))
    article, revision = _submitted_article(
        other_editor, "staff-hygiene", " ".join(THEIRS[1:5]), title="Staff hygiene"
    )

    response = api(writer_reviewer).post(revision_url(article, 1, "approve"), {})

    assert response.status_code == 200, response.content
    revision.refresh_from_db()
    assert revision.approved_by == writer_reviewer


def test_the_reviewers_words_another_clinician_approved_in_the_same_article_may_be_approved(
    api, hand_washing, writer_reviewer, other_editor
):
    # A colleague edits one sentence of the live article the reviewer wrote.
    edited = new_revision(hand_washing, editor=other_editor, body=BODY.replace(MINE[3], THEIRS[2]))
    workflow.revision_submit(actor=other_editor, revision=edited)

    response = api(writer_reviewer).post(revision_url(hand_washing, 2, "approve"), {})

    assert response.status_code == 200, response.content
    edited.refresh_from_db()
    assert edited.state == RevisionState.APPROVED
    assert edited.approved_by == writer_reviewer


def test_the_reviewers_unapproved_words_restored_in_the_same_article_are_refused(
    writer_reviewer, other_editor, reviewer, publisher
):
    """An approved revision ends the lineage, but only words another clinician approved
    stop being the reviewer's: sentences they added that the approved revision dropped and a
    colleague put back are still theirs."""
    article = make_live(
        editor=other_editor,
        reviewer=reviewer,
        publisher=publisher,
        slug="infection-control",
        title="Infection control at work",
        summary=THEIRS[0],
        body=" ".join(THEIRS[1:4]),
    )
    mine = new_revision(article, editor=writer_reviewer, body=" ".join(THEIRS[1:4] + MINE[:3]))
    workflow.revision_submit(actor=writer_reviewer, revision=mine)
    workflow.revision_request_changes(actor=reviewer, revision=mine, comment="Too long.")
    approve(
        new_revision(article, editor=other_editor, body=" ".join(THEIRS[1:4])),
        editor=other_editor,
        reviewer=reviewer,
    )
    restored = new_revision(article, editor=other_editor, body=" ".join(THEIRS[1:4] + MINE[:3]))
    workflow.revision_submit(actor=other_editor, revision=restored)

    with pytest.raises(NotAllowed) as refused:
        workflow.revision_approve(actor=writer_reviewer, revision=restored)

    assert refused.value.detail == (
        "Three consecutive sentences of this text match what you wrote in infection-control "
        f"(en) revision 2. {DETAIL_END}"
    )


def test_recertifying_a_live_copy_of_the_reviewers_words_is_refused(
    api, hand_washing, writer_reviewer, other_editor, reviewer, publisher
):
    translation = make_live(
        editor=other_editor,
        reviewer=reviewer,
        publisher=publisher,
        slug="lavado-de-manos",
        locale="es",
        translation_of=hand_washing,
        title="Lavarse las manos",
        summary="Las manos limpias evitan que las infecciones se propaguen.",
        body=BODY,
    )
    before = (translation.last_reviewed_at, translation.last_reviewed_by_id)
    events_before = AuditEvent.objects.count()

    response = api(writer_reviewer).post(
        f"/api/v1/manage/articles/{translation.pk}/certify-review/", {}
    )

    body = assert_problem(response, 403)
    assert body["code"] == "not-allowed"
    assert body["detail"] == (
        "Three consecutive sentences of this text match what you wrote in hand-washing (en) "
        "revision 1. Another reviewer, who wrote none of it, must certify-review it."
    )
    translation.refresh_from_db()
    assert (translation.last_reviewed_at, translation.last_reviewed_by_id) == before
    assert AuditEvent.objects.count() == events_before
    # Whoever wrote none of it may re-certify.
    workflow.article_certify_review(actor=reviewer, article=translation)


def test_the_refusal_names_every_article_the_words_were_written_in(
    hand_washing, writer_reviewer, other_editor, reviewer, publisher
):
    # The reviewer wrote the first sentence again in a draft of another article, and added
    # one in a second revision of their live one.
    create_article(
        editor=writer_reviewer, slug="clean-kitchen", title="A clean kitchen", body=MINE[0]
    )
    added = "Hand washing matters most after using the toilet and before eating."
    second = new_revision(hand_washing, editor=writer_reviewer, body=f"{BODY}\n{added}\n")
    approve(second, editor=writer_reviewer, reviewer=reviewer)
    publish(second, publisher=publisher)
    body = " ".join([*THEIRS[:6], MINE[0], MINE[1], added])
    _, revision = _submitted_article(other_editor, "infection-control", body)

    with pytest.raises(NotAllowed) as refused:
        workflow.revision_approve(actor=writer_reviewer, revision=revision)

    assert refused.value.detail == (
        "Three consecutive sentences of this text match what you wrote in "
        "clean-kitchen (en) revision 1 and hand-washing (en) revisions 1 and 2. "
        f"{DETAIL_END}"
    )


def test_the_words_check_takes_one_query_however_much_the_reviewer_wrote(
    hand_washing, writer_reviewer, other_editor, django_assert_num_queries
):
    for n in range(5):
        create_article(editor=writer_reviewer, slug=f"other-{n}", body=f"{THEIRS[n]} Page {n}.")
    _, unrelated = _submitted_article(other_editor, "unrelated", "\n\n".join(THEIRS[5:]))
    _, copy = _submitted_article(other_editor, "copy", BODY)

    with django_assert_num_queries(1):
        assert copied_from(writer_reviewer.pk, unrelated) is None
    # A match looks once more, for words another clinician approved in that article.
    with django_assert_num_queries(2):
        assert copied_from(writer_reviewer.pk, copy) is not None


def test_the_review_queue_reads_the_reviewers_words_once_for_every_revision(
    hand_washing, writer_reviewer, other_editor
):
    for n in range(3):
        _submitted_article(other_editor, f"queued-{n}", f"{THEIRS[n]} Page {n}.")
    _submitted_article(other_editor, "copy", BODY)

    with CaptureQueriesContext(connection) as queries:
        queue = review_queue(writer_reviewer)

    assert [bool(item.approve_refusal) for item in queue] == [False, False, False, True]
    assert sum('"base_body"' in query["sql"] for query in queries.captured_queries) == 1
