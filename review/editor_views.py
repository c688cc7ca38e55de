"""The editors' pages: their start page, writing an article or a revision with a preview
that renders as delivery will, submitting it, and starting the next revision. Every change
goes through `articles.services` and `articles.workflow`, recorded `via: web`; a refusal
keeps whatever the editor typed."""

import functools
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles import selectors, services, workflow
from articles.content import RevisionContent
from articles.errors import RevisionChanged, StaleRevision
from articles.models import Article, Revision, Topic
from contentapi.errors import DomainError
from contentapi.models import Role
from review import selectors as review_selectors
from review.access import role_required
from review.panels import document_panels
from review.writing import Draft, form_values, read_draft, revision_values

VIA = "web"
ACTIONS = ("preview", "save", "submit")


@require_GET
@role_required(Role.EDITOR)
def editor(request: HttpRequest) -> HttpResponse:
    """What waits on the editor (sent back, drafts), then what waits on others (in review),
    and a search for an article to write the next revision of."""
    query = request.GET.get("q", "").strip()[:100]
    found = review_selectors.articles_to_revise(query) if query else []
    return render(
        request,
        "review/editor.html",
        {
            "desk": review_selectors.editor_desk(request.user),
            "query": query,
            "found": found[:20],
            "more_found": len(found) > 20,
            "nav": "editor",
        },
    )


# ------------------------------------------------------------------------------
# A new article
# ------------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.EDITOR)
def article_new(request: HttpRequest) -> HttpResponse:
    """A blank page: preview it as often as wanted; save it as revision 1, a draft."""
    if request.method != "POST":
        values = {"locale": settings.DEFAULT_CONTENT_LOCALE, "topics": []}
        return _form_page(request, Draft(values=values), article=None)
    draft = read_draft(form_values(request.POST, new_article=True), new_article=True)
    source = _translation_source(draft)
    action = _action(request)
    if not draft.valid or action == "preview":
        return _form_page(request, draft, article=None, status=200 if draft.valid else 400)
    try:
        article = services.article_create(
            actor=request.user,
            slug=draft.data["slug"],
            locale=draft.data["locale"],
            content=draft.content,
            translation_of=source,
            via=VIA,
        )
    except DomainError as refused:
        draft.refuse(refused)
        return _form_page(request, draft, article=None, status=refused.status_code)
    messages.success(request, f"Saved “{draft.content.title}” as a draft (revision 1).")
    return redirect("review:draft", article.pk, 1)


def _translation_source(draft: Draft) -> int | None:
    """`translation_of` as typed (the slug of a live article in another locale) as the API
    also takes it: that article's id, meaning its live revision."""
    slug = str(draft.values.get("translation_of", "")).strip()
    if not slug:
        return None
    original = (
        Article.objects.filter(slug=slug, live_revision__isnull=False)
        .exclude(locale=draft.values.get("locale", ""))
        .values_list("pk", flat=True)
        .first()
    )
    if original is None:
        draft.errors.setdefault("translation_of", []).append(
            f"No live article {slug!r} in another language: give the slug of the live "
            "article this one translates."
        )
    return original


# ------------------------------------------------------------------------------
# A draft
# ------------------------------------------------------------------------------
@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.EDITOR)
def draft(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    """Edit one's own draft in place: preview, save, or save and submit it for review."""
    revision = _revision(article_id, number)
    if request.method != "POST":
        return _form_page(
            request,
            Draft(values=revision_values(revision), content=RevisionContent.of(revision)),
            article=revision.article,
            revision=revision,
        )
    draft = read_draft(form_values(request.POST))
    action = _action(request)
    page = functools.partial(
        _form_page,
        request,
        draft,
        article=revision.article,
        revision=revision,
        version=_version(request),
    )
    if not draft.valid or action == "preview":
        return page(status=200 if draft.valid else 400)
    try:
        saved = services.revision_edit(
            actor=request.user,
            revision=revision,
            expected_version=_version(request),
            changes=draft.data,
            via=VIA,
        )
        if action == "submit":
            workflow.revision_submit(actor=request.user, revision=saved, via=VIA)
    except (RevisionChanged, StaleRevision) as refused:
        # Both versions kept: the editor's in the form, the saved one shown below it.
        latest = _revision(article_id, number)
        return page(
            status=refused.status_code, conflict=refused.detail, theirs=revision_values(latest)
        )
    except DomainError as refused:
        draft.refuse(refused)
        return page(status=refused.status_code)
    if action == "submit":
        messages.success(request, f"Sent revision {number} of “{saved.title}” for clinical review.")
        return redirect("review:revision", article_id, number)
    messages.success(request, f"Saved revision {number} of “{saved.title}”.")
    return redirect("review:draft", article_id, number)


@require_GET
@role_required(Role.EDITOR)
def code_lookup(request: HttpRequest) -> JsonResponse:
    """Codes the library already uses that match `q` (code or name), for the writing page's
    look-up as you type (JavaScript on; without it the editor types the line)."""
    query = request.GET.get("q", "")[:100]
    return JsonResponse({"results": review_selectors.known_codes(query)})


@require_POST
@role_required(Role.EDITOR)
def revision_start(request: HttpRequest, article_id: int) -> HttpResponse:
    """A new draft revision from the article's latest one; with `translate`, translating
    its source as it is live now (for a translation that is behind)."""
    article = get_object_or_404(Article.objects.select_related("latest_revision"), pk=article_id)
    changes: dict[str, Any] = {}
    if request.POST.get("translate"):
        source = _current_source(article)
        if source is None:
            messages.error(request, "This article translates no live article.")
            return redirect("review:editor")
        changes["translation_of"] = source
    try:
        base = int(request.POST.get("base_revision", ""))
    except ValueError:
        base = article.latest_revision.number
    try:
        revision = services.revision_create(
            actor=request.user, article=article, base_revision=base, changes=changes, via=VIA
        )
    except DomainError as refused:
        messages.error(request, f"No new revision: {refused.detail}")
        return redirect(reverse("review:editor") + "#start")
    messages.success(
        request,
        f"Started revision {revision.number} of “{revision.title}” from revision {base}.",
    )
    return redirect("review:draft", article_id, revision.number)


def _current_source(article: Article) -> dict[str, Any] | None:
    """The live revision of what `article`'s latest revision translates, as the API names it."""
    latest = article.latest_revision
    source = latest.source_revision if latest is not None else None
    if source is None or source.article.live_revision is None:
        return None
    original = source.article
    return {
        "slug": original.slug,
        "locale": original.locale,
        "revision": original.live_revision.number,
    }


# ------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------
def _form_page(
    request: HttpRequest,
    draft: Draft,
    *,
    article: Article | None,
    revision: Revision | None = None,
    version: int | None = None,
    status: int = 200,
    conflict: str = "",
    theirs: dict[str, Any] | None = None,
) -> HttpResponse:
    """The writing form with what was typed, its errors, and (when it reads) its preview
    with the same readability findings the reviewer will see."""
    refusal = None
    if revision is not None:
        try:
            services.draft_edit_check(request.user, revision)
        except DomainError as refused:
            refusal = refused.detail
    panels: dict[str, Any] = {}
    if draft.content is not None:
        panels = document_panels(
            selectors.content_preview(
                draft.content,
                article=article,
                slug=article.slug if article else draft.values.get("slug", ""),
                locale=article.locale if article else draft.values.get("locale", ""),
            )
        )
    context = {
        **panels,
        "preview": bool(panels),
        "draft": draft,
        "values": draft.values,
        "errors": draft.errors,
        "article": article,
        "revision": revision,
        "version": version if version is not None else (revision.version if revision else None),
        "refusal": refusal,
        "conflict": conflict,
        "theirs": theirs,
        "topics": Topic.objects.order_by("name"),
        "locales": settings.CONTENT_LOCALES,
        "nav": "editor",
    }
    return render(request, "review/editor_form.html", context, status=status)


def _revision(article_id: int, number: int) -> Revision:
    return get_object_or_404(
        Revision.objects.select_related(
            "article", "author", "source_revision__article"
        ).prefetch_related("topics", "codes"),
        article_id=article_id,
        number=number,
    )


def _action(request: HttpRequest) -> str:
    action = request.POST.get("action", "preview")
    return action if action in ACTIONS else "preview"


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None
