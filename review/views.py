"""The review pages. Thin views: selectors read, `articles.workflow` and `articles.services`
write, and a refusal shows the workflow's own message (the same words the API answers).

Every page needs a signed-in user with the reviewer role (admins hold every role); anyone
else signed in gets the 403 page. Forms post and redirect, so nothing needs JavaScript.
"""

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles import diffs, selectors, services, workflow
from articles.models import Revision
from articles.rendered_diff import rendered_compare
from contentapi.cache import CacheUnavailable
from contentapi.errors import DomainError
from contentapi.models import Role, User
from contentapi.throttling import client_address, sign_in_blocked, sign_in_failure_record
from delivery.plain_language import mark_sentences
from delivery.readability import PLAIN_LANGUAGE_GRADE
from review import selectors as review_selectors
from review.access import forbidden, role_required, start_page
from review.forms import DecisionForm, NoteForm, SignInForm
from review.history import timeline
from review.panels import document_panels, mark_quotes, shift_headings

logger = logging.getLogger(__name__)

# Seconds a sign-in is asked to wait while the cache that limits failures is away.
CACHE_RETRY_AFTER_SECONDS = 30

# Recorded in the audit event of every state change made from these pages.
VIA = "web"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: only these pages take cookies, so only they can fail the check."""
    return forbidden(
        request,
        "The form was sent without a valid security token (it may have been open for too "
        "long, or cookies are off). Go back, reload the page and send it again.",
    )


# ------------------------------------------------------------------------------
# Signing in and out
# ------------------------------------------------------------------------------
def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("review:queue")


@sensitive_post_parameters("password")
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """Username and password (Argon2-hashed); failures rate limited by address and username."""
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    if request.user.is_authenticated and request.method != "POST":
        return redirect(_next_url(request))
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    status, retry_after, limiter_away = 200, None, False
    if request.method == "POST":
        username = request.POST.get("username", "")
        try:
            blocked = sign_in_blocked(request, username)
            if blocked is not None:
                status, retry_after = 429, blocked.reset
            elif form.is_valid():
                login(request, form.get_user())
                return redirect(_next_url(request))
            else:
                sign_in_failure_record(request, username)
                logger.info(
                    "Sign-in refused for %r from %s", username[:150], client_address(request)
                )
        except CacheUnavailable:
            # Passwords can be guessed: without the limiter (Redis is away), nobody signs in.
            status, retry_after, limiter_away = 503, CACHE_RETRY_AFTER_SECONDS, True
        if status != 200:
            form = SignInForm(request)  # nothing checked, nothing shown back but the name
            form.initial["username"] = username
    response = render(
        request,
        "review/sign_in.html",
        {
            "form": form,
            "next": _next_url(request),
            "retry_after": retry_after,
            "limiter_away": limiter_away,
        },
        status=status,
    )
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are signed out.")
    return redirect("review:sign-in")


# ------------------------------------------------------------------------------
# The queue
# ------------------------------------------------------------------------------
@require_GET
@role_required(None)
def queue(request: HttpRequest) -> HttpResponse:
    """The reviewers' queue; anyone else goes on to the page of their own role."""
    if not request.user.has_role(Role.REVIEWER):
        return redirect(start_page(request.user))
    return render(
        request,
        "review/queue.html",
        {
            "queue": review_selectors.review_queue(request.user),
            "due": review_selectors.review_due(request.user),
            "due_within_days": review_selectors.REVIEW_DUE_WITHIN_DAYS,
            "outdated": review_selectors.outdated_translations(),
            "target_grade": PLAIN_LANGUAGE_GRADE,
            "nav": "queue",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(Role.REVIEWER)
def certify(request: HttpRequest, article_id: int) -> HttpResponse:
    """Re-certify a live article on its own page: the live text as patients read it, its
    review interval, when it was last reviewed and when it would next be due."""
    article = selectors.managed_article_get(article_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    error, status = "", 200
    if request.method == "POST":
        if form.is_valid():
            try:
                certified = workflow.article_certify_review(
                    actor=request.user,
                    article=article,
                    comment=form.cleaned_data["comment"],
                    via=VIA,
                )
            except DomainError as refused:
                error, status = refused.detail, refused.status_code
            else:
                title = article.live_revision.title if article.live_revision else article.slug
                due = timezone.localtime(certified.next_review_due)
                messages.success(
                    request,
                    f"Re-certified “{title}”. Its next review is due on {due:%-d %B %Y}.",
                )
                return redirect("review:queue")
        else:
            error, status = _form_error(form), 400
        article = selectors.managed_article_get(article_id)
    return _certify_page(request, article, form=form, error=error, status=status)


def _certify_page(
    request: HttpRequest, article: Any, *, form: DecisionForm, error: str, status: int
) -> HttpResponse:
    live = article.live_revision
    now = timezone.now()
    context: dict[str, Any] = {
        "article": article,
        "live": live,
        "form": form,
        "error": error,
        "nav": "queue",
        "overdue": article.next_review_due is not None and article.next_review_due < now,
        "next_due_if_certified": now + timedelta(days=article.review_interval_days),
    }
    if live is not None:
        context.update(document_panels(selectors.revision_preview(live)))
        context["certify_refusal"] = workflow.refusal(
            "certify-review", actor=request.user, revision=live
        )
    return render(request, "review/certify.html", context, status=status)


# ------------------------------------------------------------------------------
# One revision
# ------------------------------------------------------------------------------
def _revision_page(
    request: HttpRequest,
    revision: Revision,
    *,
    status: int = 200,
    error: str = "",
    error_form: str = "",
    forms: dict[str, Any] | None = None,
) -> HttpResponse:
    """The revision as patients will see it, what changed, how hard it reads, the notes,
    and the decision forms (or why this reviewer may not decide)."""
    actor = request.user
    document = selectors.revision_preview(revision)
    base = review_selectors.review_base(revision)
    sent_back = review_selectors.sent_back_base(revision)
    compare_with = _compare_with(request, revision, base, sent_back)
    changed, unchanged = (
        diffs.review_diff(compare_with, revision, skip=("Body",)) if compare_with else ([], [])
    )
    notes = list(selectors.revision_notes(revision))
    replies: dict[int, list[Any]] = {}
    for note in notes:
        if note.reply_to_id:
            replies.setdefault(note.reply_to_id, []).append(note)
    threads = [(note, replies.get(note.pk, [])) for note in notes if not note.reply_to_id]
    translation = review_selectors.translation_view(revision, base)
    panels = document_panels(document)
    quotes = [(note.pk, note.quote) for note in notes if note.quote and not note.reply_to_id]
    panels["body_html"] = mark_quotes(panels["body_html"], quotes)
    view = "clean" if request.GET.get("view") == "clean" or compare_with is None else "changes"
    changes = view == "changes" and compare_with is not None
    compare = rendered_compare(compare_with.body, revision.body) if changes else None
    context = {
        **panels,
        "revision": revision,
        "article": revision.article,
        "base": base,
        "sent_back": sent_back,
        "compare_with": compare_with,
        "view": view,
        "compare": compare,
        # The same marks as the clean view, where the changed text still holds them whole.
        "compare_html": mark_quotes(
            shift_headings(
                mark_sentences(compare.html, [h.text for h in panels["hard_sentences"]])
            ),
            quotes,
        )
        if compare
        else "",
        # The notes whose passage is marked in the text (found in the body, not the title).
        "quoted_in_body": {i for i, _ in quotes if f'id="quote-{i}"' in panels["body_html"]},
        "carried": review_selectors.carried_notes(revision),
        "topic_renames": review_selectors.topic_renames_unreviewed(revision, base),
        "changed": changed,
        "unchanged": unchanged,
        "translation": translation,
        "sections": [
            (shift_headings(mine), shift_headings(theirs))
            for mine, theirs in (translation.sections if translation else [])
        ],
        "threads": threads,
        "contributors": selectors.article_contributors(revision.article_id).get(
            revision.number, []
        ),
        "is_reviewer": actor.has_role(Role.REVIEWER),
        "approve_refusal": workflow.refusal("approve", actor=actor, revision=revision),
        "request_changes_refusal": workflow.refusal(
            "request-changes", actor=actor, revision=revision
        ),
        "error": error,
        "error_form": error_form,
        "forms": {
            "approve": DecisionForm(),
            "request_changes": DecisionForm(),
            "note": NoteForm(),
            **(forms or {}),
        },
    }
    return render(request, "review/revision.html", context, status=status)


def _compare_with(
    request: HttpRequest, revision: Revision, base: Revision | None, sent_back: Revision | None
) -> Revision | None:
    """What the page compares `revision` with: `?against=N` if that is the sent-back or the
    live (or last approved) revision; else the one sent back, if it answers a request;
    else the live one."""
    choices = {r.number: r for r in (sent_back, base) if r is not None}
    try:
        asked = int(request.GET.get("against", ""))
    except ValueError:
        asked = None
    if asked in choices:
        return choices[asked]
    return sent_back or base


@require_GET
@role_required(None)
def revision(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    return _revision_page(request, review_selectors.revision_for_review(article_id, number))


def _form_error(form: Any) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


def _decide(
    request: HttpRequest,
    article_id: int,
    number: int,
    *,
    form_name: str,
    decide: Callable[[User, Revision, str], Any],
    done: str,
) -> HttpResponse:
    revision = review_selectors.revision_for_review(article_id, number)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _revision_page(
            request,
            revision,
            status=400,
            error=_form_error(form),
            error_form=form_name,
            forms={form_name: form},
        )
    try:
        decide(request.user, revision, form.cleaned_data["comment"])
    except DomainError as refused:
        # The workflow's own words, as the API's problem detail says them.
        return _revision_page(
            request,
            review_selectors.revision_for_review(article_id, number),
            status=refused.status_code,
            error=refused.detail,
            error_form=form_name,
            forms={form_name: form},
        )
    messages.success(request, done.format(number=revision.number, title=revision.title))
    return redirect("review:queue")


@require_POST
@role_required(Role.REVIEWER)
def approve(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    return _decide(
        request,
        article_id,
        number,
        form_name="approve",
        decide=lambda actor, revision, comment: workflow.revision_approve(
            actor=actor, revision=revision, comment=comment, via=VIA
        ),
        done="Approved revision {number} of “{title}”. A publisher can now put it live.",
    )


@require_POST
@role_required(Role.REVIEWER)
def request_changes(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    return _decide(
        request,
        article_id,
        number,
        form_name="request_changes",
        decide=lambda actor, revision, comment: workflow.revision_request_changes(
            actor=actor, revision=revision, comment=comment, via=VIA
        ),
        done="Sent revision {number} of “{title}” back to its editor with your comment.",
    )


@require_POST
@role_required(None)
def note_add(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    revision = review_selectors.revision_for_review(article_id, number)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note = services.note_create(
                actor=request.user,
                revision=revision,
                body=form.cleaned_data["body"],
                reply_to=form.cleaned_data["reply_to"],
                quote=form.cleaned_data["quote"],
            )
        except DomainError as refused:
            error, status = refused.detail, refused.status_code
        else:
            messages.success(request, "Your note is added.")
            url = reverse("review:revision", args=[article_id, number])
            return HttpResponseRedirect(f"{url}#note-{note.pk}")
    else:
        error, status = _form_error(form), 400
    return _revision_page(
        request, revision, status=status, error=error, error_form="note", forms={"note": form}
    )


# ------------------------------------------------------------------------------
# An article's history
# ------------------------------------------------------------------------------
@require_GET
@role_required(None)
def history(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.managed_article_get(article_id)
    events = timeline(selectors.article_history(article))
    title = article.latest_revision.title if article.latest_revision else article.slug
    return render(
        request, "review/history.html", {"article": article, "title": title, "events": events}
    )


# ------------------------------------------------------------------------------
# Your profile
# ------------------------------------------------------------------------------
@require_GET
@role_required(None)
def profile(request: HttpRequest) -> HttpResponse:
    """What readers see of you, your roles, and the languages you may sign off; an admin
    changes them (never you), so the page only shows them."""
    return render(request, "review/profile.html", {"profile": request.user, "nav": "profile"})
