"""Delivery invariants: only live content is served (1), unpublishing is immediate (7),
served HTML is sanitized (9), unpublished work never shows (10), and a portal that replays
the changes feed keeps an exact mirror of the live set."""

import random
import re
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from articles import services, workflow
from articles.models import Article, ArticleStatus, Note, Revision, RevisionState
from contentapi.models import Role, User
from delivery import rendering
from tests.conftest import revision_url
from tests.publishing_helpers import (
    Clock,
    api_key,
    approve,
    create_article,
    key_header,
    latest,
    make_live,
    new_revision,
    publish,
    publish_new_revision,
)

ARTICLES = "/api/v1/articles/"
TOPICS = "/api/v1/topics/"
CHANGES = "/api/v1/changes/"


@pytest.fixture
def headers(db: None) -> dict[str, str]:
    return key_header(api_key("delivery"))


@pytest.fixture
def get(headers: dict[str, str]) -> Callable[..., Any]:
    """GET with a delivery key."""
    client = APIClient()

    def fetch(url: str, **extra: Any) -> Any:
        return client.get(url, **{**headers, **extra})

    return fetch


def every_delivery_body(get: Callable[..., Any], slug: str, locale: str, q: str) -> list[bytes]:
    """What a portal can read about `slug` through every delivery endpoint."""
    responses = [
        get(f"{ARTICLES}{slug}/", data={"locale": locale}),
        get(ARTICLES, data={"page_size": 100}),
        get(ARTICLES, data={"page_size": 100, "locale": locale}),
        get(ARTICLES, data={"q": q}),
        get(TOPICS),
        get(CHANGES, data={"limit": 1000}),
    ]
    for response in responses:
        assert response.status_code in (200, 404), response.content
    return [response.content for response in responses]


def listed(get: Callable[..., Any]) -> set[tuple[str, str]]:
    response = get(ARTICLES, data={"page_size": 100})
    assert response.status_code == 200
    return {(item["slug"], item["locale"]) for item in response.json()["results"]}


def feed(get: Callable[..., Any]) -> list[tuple[str, str, str]]:
    results = get(CHANGES, data={"limit": 1000}).json()["results"]
    return [(r["event"], r["slug"], r["locale"]) for r in results]


# ------------------------------------------------------------------------------
# Invariant 1: nothing that is not live is ever served
# ------------------------------------------------------------------------------
NOT_LIVE = [
    "draft",
    "in_review",
    "changes_requested",
    "approved",
    "scheduled before its time",
    "unpublished",
]


def article_not_live(how: str, staff: dict[str, User], secret: str) -> Article:
    """An article whose content (carrying `secret`) is in the state `how`, never live now."""
    editor, reviewer, publisher = staff["editor"], staff["reviewer"], staff["publisher"]
    fields = {"title": f"Title {secret}", "summary": f"Summary {secret}", "body": f"Body {secret}"}
    if how == "unpublished":
        article = make_live(
            editor=editor,
            reviewer=reviewer,
            publisher=publisher,
            slug="hidden",
            topics=["breast-health"],
            **fields,
        )
        workflow.article_unpublish(actor=publisher, article=article)
        return article
    article = create_article(editor=editor, slug="hidden", topics=["breast-health"], **fields)
    revision = latest(article)
    if how != "draft":
        workflow.revision_submit(actor=editor, revision=revision)
    if how == "changes_requested":
        workflow.revision_request_changes(actor=reviewer, revision=revision, comment="No.")
    if how in ("approved", "scheduled before its time"):
        workflow.revision_approve(actor=reviewer, revision=revision)
    if how == "scheduled before its time":
        publish_at = timezone.now() + timedelta(hours=1)
        workflow.revision_schedule(actor=publisher, revision=revision, publish_at=publish_at)
        assert workflow.scheduled_publish_due(now=publish_at - timedelta(seconds=1)) == []
    return article


@pytest.mark.parametrize("how", NOT_LIVE)
def test_nothing_that_is_not_live_is_served(get, staff, topic, how):
    secret = "Zanzibarquux"
    article = article_not_live(how, staff, secret)
    # A live neighbour, so the list and topics are not trivially empty.
    make_live(**staff, slug="visible", topics=["breast-health"], body="Visible body.")

    detail = get(f"{ARTICLES}hidden/")

    assert detail.status_code == 404
    assert detail["Content-Type"] == "application/problem+json"
    assert get(f"{ARTICLES}hidden/", data={"locale": "es"}).status_code == 404
    assert listed(get) == {("visible", "en")}
    assert get(ARTICLES, data={"q": secret}).json()["results"] == []
    assert get(TOPICS).json()[0]["live_articles"] == 1
    hidden_events = [event for event, slug, _ in feed(get) if slug == "hidden"]
    assert hidden_events == (["published", "unpublished"] if how == "unpublished" else [])
    for body in every_delivery_body(get, "hidden", "en", secret):
        assert secret.encode() not in body
    assert Article.objects.get(pk=article.pk).status != ArticleStatus.PUBLISHED


def test_internal_notes_never_appear_on_delivery(api, get, staff, editor, reviewer):
    article = make_live(**staff, slug="noted", title="Noted", body="Public words.")
    pending = new_revision(article, editor=editor, title="Noted again")
    secret = "Internalnotexyzzy"
    for revision, author in ((latest(article), editor), (pending, reviewer)):
        response = api(author).post(
            revision_url(article, revision.number, "notes"), {"body": f"{secret} do not publish"}
        )
        assert response.status_code == 201, response.content
    services.note_create(
        actor=editor,
        revision=Revision.objects.get(article=article, number=1),
        body=f"Another {secret}",
    )
    publish(approve(pending, editor=editor, reviewer=reviewer), publisher=staff["publisher"])
    assert Note.objects.filter(body__contains=secret).count() == 3
    preview = APIClient().get(
        f"/api/v1/preview/articles/{article.pk}/revisions/2/", **key_header(api_key("preview"))
    )

    bodies = [*every_delivery_body(get, "noted", "en", secret), preview.content]

    assert get(f"{ARTICLES}noted/").json()["title"] == "Noted again"
    assert preview.status_code == 200
    for body in bodies:
        assert secret.encode() not in body
        assert b"do not publish" not in body


# ------------------------------------------------------------------------------
# Invariant 7: unpublishing removes the article at once and says so in the feed
# ------------------------------------------------------------------------------
def test_unpublishing_removes_the_article_from_delivery_at_once(get, staff, topic):
    article = make_live(**staff, slug="withdrawn", topics=["breast-health"], body="Calcium.")
    make_live(**staff, slug="stays")
    etag = get(f"{ARTICLES}withdrawn/")["ETag"]
    assert get(TOPICS).json()[0]["live_articles"] == 1

    workflow.article_unpublish(actor=staff["publisher"], article=article, reason="Recalled.")

    assert get(f"{ARTICLES}withdrawn/").status_code == 404
    # A portal revalidating its cached copy must hear 404, never 304.
    assert get(f"{ARTICLES}withdrawn/", HTTP_IF_NONE_MATCH=etag).status_code == 404
    assert listed(get) == {("stays", "en")}
    assert get(ARTICLES, data={"q": "calcium"}).json()["results"] == []
    assert get(ARTICLES, data={"topic": "breast-health"}).json()["results"] == []
    assert get(TOPICS).json() == []  # no live article names the topic any more
    assert feed(get)[-1] == ("unpublished", "withdrawn", "en")


def test_unpublishing_over_http_is_immediate_too(api, get, staff):
    article = make_live(**staff, slug="withdrawn")

    response = api(staff["publisher"]).post(f"/api/v1/manage/articles/{article.pk}/unpublish/")

    assert response.status_code == 200, response.content
    assert get(f"{ARTICLES}withdrawn/").status_code == 404
    assert feed(get)[-1] == ("unpublished", "withdrawn", "en")


# ------------------------------------------------------------------------------
# Invariant 9: HTML served to readers is sanitized, whatever the editor typed
# ------------------------------------------------------------------------------
# Written out by hand, not read from publishing, so that the test checks the allowlist.
SAFE_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "ul", "ol", "li", "blockquote",
    "pre", "code", "em", "strong", "b", "i", "sub", "sup", "table", "thead", "tbody", "tr",
    "th", "td", "a",
}  # fmt: skip
SAFE_ATTRIBUTES = {"a": {"href", "rel"}, "th": {"align"}, "td": {"align"}, "ol": {"start"}}
# Harmless text attributes the sanitizer allows on any tag.
ANY_TAG_ATTRIBUTES = {"title", "lang"}
NEVER_IN_OUTPUT = ("<script", "<style", "<iframe", "<object", "<embed", "<svg")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
# What a browser's URL parser ignores: tab and newlines anywhere, C0 controls and space at
# either end.
URL_NOISE = re.compile(r"[\t\n\r]")
URL_EDGES = "".join(chr(c) for c in range(0x21))

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<sCrIpT>alert(document.cookie)</ScRiPt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=javascript:alert('XSS')>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x]( javascript:alert(1) )",
    "[x](<javascript:alert(1)>)",
    "[ref]\n\n[ref]: javascript:alert(1)\n",
    "<javascript:alert(1)>",
    "![img](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="DATA:text/html,x">x</a>',
    "<iframe src=//evil.example></iframe>",
    "<IFRAME SRCDOC='<script>alert(1)</script>'>",
    "<style>body{display:none}</style>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<object data=x.swf></object>",
    "<embed src=x.swf>",
    '<p onclick="alert(1)">x</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
    "<div style=\"background:url('javascript:alert(1)')\">x</div>",
    "<body onload=alert(1)>",
    "<input onfocus=alert(1) autofocus>",
    "<details open ontoggle=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "<!-- <script>alert(1)</script> -->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href=javascript:/>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```\n",
    "<a href='https://ok.example' title='\" onclick=alert(1) x=\"'>ok</a>",
    "<<script>script>alert(1)<</script>/script>",
    '<a href="mailto:help@example.org">mail</a>',
    "[fine](https://example.org/a?b=c&d=e)",
    "**bold** and *em*",
    "\n\n# Heading\n\n",
    "* item\n* item\n",
    "> quoted\n",
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n",
]
EVENTS = ["onload", "onerror", "onclick", "onmouseover", "onfocus", "ONLOAD", "OnError"]
TAGS = ["a", "p", "img", "div", "svg", "body", "td", "strong", "video", "x"]


class Inspector(HTMLParser):
    """Collects every tag and its attributes (values already unescaped by the parser)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.end_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        self.end_tags.append(tag)


def url_scheme_is_dangerous(value: str) -> bool:
    cleaned = URL_NOISE.sub("", value).strip(URL_EDGES).lower()
    return cleaned.startswith(BAD_SCHEMES)


def assert_safe_html(fragment: str) -> None:
    lowered = fragment.lower()
    for marker in NEVER_IN_OUTPUT:
        assert marker not in lowered, (marker, fragment)
    inspector = Inspector()
    inspector.feed(fragment)
    inspector.close()
    for tag, attrs in inspector.tags:
        assert tag in SAFE_TAGS, (tag, fragment)
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name, fragment)
            allowed = SAFE_ATTRIBUTES.get(tag, set()) | ANY_TAG_ATTRIBUTES
            assert name in allowed, (tag, name, fragment)
            if name in ("href", "src") and value is not None:
                assert not url_scheme_is_dangerous(value), (tag, name, value, fragment)
    for tag in inspector.end_tags:
        assert tag in SAFE_TAGS, (tag, fragment)


def mixed_case(text: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda flips: "".join(
            c.upper() if up else c.lower() for c, up in zip(text, flips, strict=True)
        )
    )


event_attribute = st.builds(
    lambda tag, event, quote: f"<{tag} {event}={quote}alert(1){quote}>x</{tag}>",
    st.sampled_from(TAGS),
    st.sampled_from(EVENTS),
    st.sampled_from(["", '"', "'"]),
)
hostile_piece = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(HOSTILE).flatmap(mixed_case),
    event_attribute,
    st.text(max_size=30),
    st.sampled_from(["\n", "\n\n", " ", "<", ">", '"', "'", "&", "`", "[", "](", ")", "    "]),
)
hostile_markdown = st.lists(hostile_piece, max_size=12).map("".join)


@pytest.mark.parametrize("source", HOSTILE)
def test_each_known_attack_is_sanitized(source):
    assert_safe_html(rendering.markdown_to_html(source))
    assert_safe_html(rendering.markdown_to_html(f"Before.\n\n{source}\n\nAfter."))


@settings(max_examples=500, deadline=None)
@given(source=hostile_markdown)
def test_whatever_the_editor_types_the_html_is_sanitized(source):
    assert_safe_html(rendering.markdown_to_html(source))


def test_the_sanitizer_keeps_safe_markup():
    html = rendering.markdown_to_html(
        "## Heading\n\n**bold** [link](https://example.org/x) [mail](mailto:a@example.org)\n\n"
        "1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )

    assert "<h2>Heading</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org/x"' in html
    assert 'href="mailto:a@example.org"' in html
    assert "<ol>" in html
    assert "<table>" in html
    assert_safe_html(html)


def test_a_published_article_with_a_hostile_body_serves_sanitized_html(get, staff):
    body = "Safe start with [a link](https://example.org).\n\n" + "\n\n".join(HOSTILE)
    article = make_live(**staff, slug="hostile", title="<script>alert(1)</script>", body=body)

    doc = get(f"{ARTICLES}hostile/").json()
    preview = APIClient().get(
        f"/api/v1/preview/articles/{article.pk}/revisions/1/", **key_header(api_key("preview"))
    )

    assert doc["body_markdown"] == body
    assert 'href="https://example.org"' in doc["body_html"]
    assert_safe_html(doc["body_html"])
    assert_safe_html(preview.json()["body_html"])
    assert doc["title"] == "<script>alert(1)</script>"  # text, not HTML: portals escape it


# ------------------------------------------------------------------------------
# Invariant 10: work on a new revision never changes what readers see until published
# ------------------------------------------------------------------------------
def test_work_on_a_new_revision_does_not_change_delivery_until_it_is_published(
    api, get, staff, editor, reviewer, publisher
):
    article = make_live(**staff, slug="steady", title="Steady", body="The live words.")
    other = make_live(**staff, slug="neighbour")
    manage = f"/api/v1/manage/articles/{article.pk}"
    detail_url = f"{ARTICLES}steady/"
    before = get(detail_url)
    list_before = get(ARTICLES).content
    feed_before = feed(get)
    as_editor, as_reviewer, as_publisher = api(editor), api(reviewer), api(publisher)

    def unchanged(step: str) -> None:
        now = get(detail_url)
        assert now.status_code == 200, step
        assert now.content == before.content, step
        assert now["ETag"] == before["ETag"], step
        assert now["Last-Modified"] == before["Last-Modified"], step
        assert get(ARTICLES).content == list_before, step
        assert feed(get) == feed_before, step

    created = as_editor.post(
        f"{manage}/revisions/", {"base_revision": 1, "title": "Draft", "body": "New words."}
    )
    assert created.status_code == 201, created.content
    unchanged("new draft")
    edited = as_editor.patch(
        revision_url(article, 2), {"summary": "Edited"}, HTTP_IF_MATCH=created["ETag"]
    )
    assert edited.status_code == 200, edited.content
    unchanged("draft edited")
    assert as_reviewer.post(revision_url(article, 2, "notes"), {"body": "Hm."}).status_code == 201
    unchanged("note")
    assert as_editor.post(revision_url(article, 2, "submit"), {}).status_code == 200
    unchanged("submitted")
    sent_back = as_reviewer.post(revision_url(article, 2, "request-changes"), {"comment": "No."})
    assert sent_back.status_code == 200
    unchanged("changes requested")
    third = as_editor.post(f"{manage}/revisions/", {"base_revision": 2, "title": "Third"})
    assert third.status_code == 201
    assert as_editor.post(revision_url(article, 3, "submit"), {}).status_code == 200
    unchanged("third submitted")
    assert as_reviewer.post(revision_url(article, 3, "approve"), {}).status_code == 200
    unchanged("third approved")
    preview = as_editor.get(f"/api/v1/preview/articles/{article.pk}/revisions/3/")
    assert preview.json()["title"] == "Third"
    unchanged("previewed")
    publish_at = (timezone.now() + timedelta(days=1)).isoformat()
    scheduled = as_publisher.post(revision_url(article, 3, "publish"), {"publish_at": publish_at})
    assert scheduled.json()["state"] == RevisionState.SCHEDULED
    unchanged("third scheduled")
    publish_new_revision(other, **staff, title="Neighbour changed")
    assert get(detail_url).content == before.content

    assert as_publisher.post(revision_url(article, 3, "publish"), {}).status_code == 200

    after = get(detail_url)
    assert after["ETag"] != before["ETag"]
    assert (after.json()["revision"], after.json()["title"]) == (3, "Third")


# ------------------------------------------------------------------------------
# The changes feed keeps a portal's mirror exact
# ------------------------------------------------------------------------------
class Portal:
    """A portal's copy of the live set, kept only by replaying /api/v1/changes/."""

    def __init__(self, get: Callable[..., Any], *, page: int = 7) -> None:
        self.get = get
        self.page = page
        self.documents: dict[tuple[str, str], bytes] = {}
        self.cursor: str | None = None

    def sync(self) -> None:
        while True:
            query: dict[str, Any] = {"limit": self.page}
            if self.cursor is not None:
                query["since"] = self.cursor
            response = self.get(CHANGES, data=query)
            assert response.status_code == 200, response.content
            page = response.json()
            for change in page["results"]:
                self.apply(change)
            self.cursor = page["cursor"]
            if not page["results"]:
                return

    def apply(self, change: dict[str, Any]) -> None:
        key = (change["slug"], change["locale"])
        if change["event"] == "unpublished":
            self.documents.pop(key, None)
            return
        assert change["event"] in ("published", "updated"), change
        response = self.get(f"{ARTICLES}{change['slug']}/", data={"locale": change["locale"]})
        if response.status_code == 200:
            self.documents[key] = response.content
        else:
            # Gone again since this event; a later "unpublished" event says so too.
            assert response.status_code == 404, response.content
            self.documents.pop(key, None)


def live_documents(get: Callable[..., Any]) -> dict[tuple[str, str], bytes]:
    """The live set read directly: every listed article's detail bytes."""
    documents = {}
    for slug, locale in listed(get):
        response = get(f"{ARTICLES}{slug}/", data={"locale": locale})
        assert response.status_code == 200
        documents[(slug, locale)] = response.content
    return documents


def cursor_after(get: Callable[..., Any], events: int) -> str:
    """The cursor the feed gives after its first `events` events."""
    return get(CHANGES, data={"limit": events}).json()["cursor"]


class Newsroom:
    """Runs random publication steps over four articles, as a newsroom would."""

    def __init__(self, rng: random.Random, clock: Clock, people: dict[str, User]) -> None:
        self.rng = rng
        self.clock = clock
        self.people = people
        self.editors = [people["editor"], people["other_editor"]]
        self.reviewers = [people["reviewer"], people["second_reviewer"]]
        editor = people["editor"]
        mammogram = create_article(editor=editor, slug="mammogram", title="Mammogram")
        self.articles = [
            mammogram,
            create_article(
                editor=editor,
                slug="mamografia",
                locale="es",
                translation_of=mammogram,
                title="Mamografía",
            ),
            create_article(editor=editor, slug="colonoscopy", title="Colonoscopy"),
            create_article(editor=editor, slug="colonoscopia", locale="es", title="Colonoscopia"),
        ]
        self.edits = 0
        # What each step really did (an action that does not apply falls back to publish).
        self.done: list[str] = []
        self.translations_live_together = False

    def step(self) -> str:
        self.clock.advance(minutes=self.rng.randint(1, 90))
        for article in self.articles:
            article.refresh_from_db()
        action = self.rng.choice(
            ["publish", "publish", "schedule", "unpublish", "republish", "certify", "draft"]
        )
        # Prefer an article the action applies to, so that every kind of step happens.
        wanted = {"unpublish": "published", "certify": "published", "republish": "unpublished"}
        fitting = [a for a in self.articles if a.status == wanted.get(action, a.status)]
        article = self.rng.choice(fitting or self.articles)
        done = getattr(self, action)(article)
        self.done.append(done)
        pair = Article.objects.filter(slug__in=["mammogram", "mamografia"], status="published")
        self.translations_live_together |= pair.count() == 2
        return f"{done} {article.slug}"

    def _approved(self, article: Article) -> Revision:
        self.edits += 1
        editor = self.rng.choice(self.editors)
        revision = new_revision(
            article,
            editor=editor,
            title=f"{article.slug} edit {self.edits}",
            body=f"Edit {self.edits}: " + " ".join(self.rng.sample(WORDS, 6)),
        )
        return approve(revision, editor=editor, reviewer=self.rng.choice(self.reviewers))

    def publish(self, article: Article) -> str:
        publish(self._approved(article), publisher=self.people["publisher"])
        return "publish"

    def schedule(self, article: Article) -> str:
        revision = self._approved(article)
        publish_at = self.clock.now + timedelta(minutes=10)
        workflow.revision_schedule(
            actor=self.people["publisher"], revision=revision, publish_at=publish_at
        )
        self.clock.advance(minutes=11)
        published = workflow.scheduled_publish_due(now=self.clock.now)
        assert [r.pk for r in published] == [revision.pk]
        return "schedule"

    def unpublish(self, article: Article) -> str:
        if article.status != ArticleStatus.PUBLISHED:
            return self.publish(article)
        workflow.article_unpublish(actor=self.people["publisher"], article=article)
        return "unpublish"

    def republish(self, article: Article) -> str:
        if article.status != ArticleStatus.UNPUBLISHED:
            return self.publish(article)
        former = article.revisions.filter(state=RevisionState.APPROVED).order_by("-number")[0]
        publish(former, publisher=self.people["publisher"])
        return "republish"

    def certify(self, article: Article) -> str:
        if article.status != ArticleStatus.PUBLISHED:
            return self.publish(article)
        live = Revision.objects.get(pk=article.live_revision_id)
        reviewer = next(r for r in self.reviewers if r.pk != live.author_id)
        workflow.article_certify_review(actor=reviewer, article=article)
        return "certify"

    def draft(self, article: Article) -> str:
        """Work that must not reach readers: a submitted, unapproved revision."""
        revision = new_revision(article, editor=self.rng.choice(self.editors), title="Unfinished")
        workflow.revision_submit(actor=revision.author, revision=revision)
        return "draft"


WORDS = [
    "breast", "mammogram", "calcification", "biopsy", "colon", "screening", "result", "doctor",
    "mama", "mamografía", "colonoscopia", "resultado", "médico", "prueba", "cambio", "seguimiento",
]  # fmt: skip


@pytest.fixture
def people(
    make_staff: Callable[..., User], staff: dict[str, User], other_editor: User
) -> dict[str, User]:
    return {
        **staff,
        "other_editor": other_editor,
        "second_reviewer": make_staff(Role.REVIEWER, username="reviewer2"),
    }


@pytest.mark.parametrize("seed", [1, 7, 2024])
def test_replaying_the_changes_feed_keeps_an_exact_mirror(clock, get, people, seed):
    rng = random.Random(seed)
    newsroom = Newsroom(rng, clock, people)
    follower = Portal(get, page=3)  # syncs after every step
    snapshot_at = set(rng.sample(range(39), 3))
    snapshots: list[Portal] = []  # portals that stopped syncing part-way
    steps = []
    for number in range(40):
        steps.append(newsroom.step())
        truth = live_documents(get)
        published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
        assert set(truth) == {(a.slug, a.locale) for a in published}, steps
        follower.sync()
        assert follower.documents == truth, steps
        if number in snapshot_at:
            snapshot = Portal(get, page=5)
            snapshot.documents, snapshot.cursor = dict(follower.documents), follower.cursor
            snapshots.append(snapshot)

    # The run exercised every kind of step, and the translation pair was live together.
    expected_kinds = {"publish", "schedule", "unpublish", "republish", "certify", "draft"}
    assert set(newsroom.done) == expected_kinds, steps
    assert newsroom.translations_live_together, steps
    truth = live_documents(get)
    assert truth, steps  # the run left something live to compare

    fresh = Portal(get)
    fresh.sync()
    assert fresh.documents == truth, steps
    for snapshot in snapshots:
        snapshot.sync()
        assert snapshot.documents == truth, steps

    # Replaying again from an arbitrary point of the feed converges to the same mirror.
    events = len(get(CHANGES, data={"limit": 1000}).json()["results"])
    for start in sorted(rng.sample(range(1, events), 3)):
        again = Portal(get, page=4)
        again.documents = dict(fresh.documents)
        again.cursor = cursor_after(get, start)
        again.sync()
        assert again.documents == truth, (start, steps)
