"""The publishers' page: approved revisions waiting to go live, what is scheduled and when,
and taking a live article down. Every change goes through `articles.workflow`, and a refusal
shows the workflow's own message (the same words the API answers).

Times are shown, and a schedule is taken, in the hospital's time zone (`TIME_ZONE`); what is
stored stays UTC. Forms post and redirect, so nothing needs JavaScript.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views.decorators.http import require_GET, require_POST

from articles import selectors, workflow
from articles.models import Article, ArticleStatus, Revision, RevisionState
from contentapi.errors import DomainError
from contentapi.models import Role
from review import selectors as review_selectors
from review.access import role_required
from review.views import VIA

# Live articles shown for one search; the page says when more match.
SEARCH_LIMIT = 20


# ------------------------------------------------------------------------------
# The hospital's time zone
# ------------------------------------------------------------------------------
def hospital_zone() -> ZoneInfo:
    """`TIME_ZONE`, read at each request (settings checked it is a zone name at start)."""
    return ZoneInfo(settings.TIME_ZONE)


def utc_offset(moment: datetime) -> str:
    """'UTC-06:00' (with a true minus sign) for an aware `moment` six hours behind UTC;
    'UTC' for none."""
    offset = moment.utcoffset() or timedelta(0)
    if not offset:
        return "UTC"
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes > 0 else "\N{MINUS SIGN}"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def clock_name(local: datetime) -> str:
    """What the clocks of `local`'s zone are called then: 'CST', or 'UTC-03:00' for a zone
    with no letters for it."""
    abbreviation = local.tzname() or ""
    return abbreviation if abbreviation.isalpha() else utc_offset(local)


def zone_label(zone: ZoneInfo, moment: datetime) -> str:
    """The zone as the page names it: 'America/Chicago (CST, UTC-06:00)' at `moment`."""
    local = moment.astimezone(zone)
    if zone.key == "UTC":
        return "UTC"
    name, offset = clock_name(local), utc_offset(local)
    return f"{zone.key} ({name}, {offset})" if name != offset else f"{zone.key} ({offset})"


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` on the clocks of `zone`, as an aware datetime.

    Refuses, in words, a time the clocks skip when they go forward (it never happens) and
    one they show twice when they go back (it would be a guess which of the two was meant).
    """
    naive = datetime.combine(day, at)
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    when = f"{at:%H:%M} on {day.day} {day:%B %Y}"
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise forms.ValidationError(
            f"{when} does not exist in {zone.key}: the clocks go forward an hour then. "
            "Choose a time after the change.",
            code="nonexistent",
        )
    raise forms.ValidationError(
        f"{when} happens twice in {zone.key}: the clocks go back an hour then, so it is both "
        f"{utc_offset(first)} and, an hour later, {utc_offset(second)}. Choose a time outside "
        "that hour.",
        code="ambiguous",
    )


# ------------------------------------------------------------------------------
# Forms: what a browser posts
# ------------------------------------------------------------------------------
class ScheduleForm(forms.Form):
    """A date and a time on the hospital's clocks; `cleaned_data["publish_at"]` is aware.
    Whether it is in the future is the workflow's rule, answered in its own words."""

    date = forms.DateField(
        input_formats=["%Y-%m-%d"],
        error_messages={
            "required": "Give the date it should go live.",
            "invalid": "Give the date as year-month-day, such as 2031-03-04.",
        },
    )
    time = forms.TimeField(
        input_formats=["%H:%M", "%H:%M:%S"],
        error_messages={
            "required": "Give the time it should go live.",
            "invalid": "Give the time as hours:minutes on a 24-hour clock, such as 09:30.",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "date" in cleaned and "time" in cleaned:
            publish_at = local_moment(cleaned["date"], cleaned["time"], hospital_zone())
            try:
                publish_at.astimezone(UTC)  # what is stored; the last day of 9999 may not be
            except OverflowError:
                raise forms.ValidationError("That date is too far ahead.", code="far") from None
            cleaned["publish_at"] = publish_at
        return cleaned


class TakeDownForm(forms.Form):
    """The page asks why, always: the reason is what the article's history keeps."""

    reason = forms.CharField(
        max_length=5_000,
        error_messages={
            "required": "Give the reason for taking it down: the article's history keeps it."
        },
    )


class SearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=200)


def form_error(form: forms.Form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


# ------------------------------------------------------------------------------
# Reads
# ------------------------------------------------------------------------------
def approved_waiting() -> list[Revision]:
    """Approved revisions not yet live or scheduled, the longest-approved first."""
    return list(
        Revision.objects.filter(state=RevisionState.APPROVED)
        .select_related("article__live_revision", "approved_by")
        .order_by("approved_at", "pk")
    )


def scheduled() -> list[Revision]:
    """Scheduled revisions, the soonest first."""
    return list(
        Revision.objects.filter(state=RevisionState.SCHEDULED)
        .select_related("article__live_revision", "scheduled_by")
        .order_by("publish_at", "pk")
    )


def live_articles_matching(q: str, *, limit: int = SEARCH_LIMIT) -> tuple[list[Article], int]:
    """Up to `limit` live articles with `q` in their live title or slug (all when `q` is
    empty), by title; and how many match in all."""
    live = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    if q:
        live = live.filter(Q(slug__icontains=q) | Q(live_revision__title__icontains=q))
    found = list(
        live.select_related("live_revision").order_by("live_revision__title", "slug", "locale")[
            : limit + 1
        ]
    )
    total = len(found) if len(found) <= limit else live.count()
    return found[:limit], total


# ------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Refusal:
    """What the workflow (or the form) refused, on which form, and what the person typed."""

    message: str
    # The id of the refused form on the page.
    target: str
    form: forms.Form | None = None


@dataclass(frozen=True)
class Waiting:
    revision: Revision
    # Blank, or what was typed in it when it was refused.
    schedule: ScheduleForm
    # Which of its forms was refused: "publish", "schedule" or "".
    refused: str


@dataclass(frozen=True)
class Scheduled:
    revision: Revision
    # "3 days, 4 hours"; empty once it is due.
    goes_live_in: str
    refused: bool


@dataclass(frozen=True)
class Live:
    article: Article
    take_down: TakeDownForm
    refused: bool


def _refused(refusal: Refusal | None, target: str) -> bool:
    return refusal is not None and refusal.target == target


def _kept(refusal: Refusal | None, target: str, blank: forms.Form) -> Any:
    """What was typed in the form `target` if it was the one refused; else `blank`."""
    if refusal is not None and refusal.target == target and refusal.form is not None:
        return refusal.form
    return blank


def _waiting(revision: Revision, refusal: Refusal | None) -> Waiting:
    refused = [
        form for form in ("publish", "schedule") if _refused(refusal, f"{form}-{revision.pk}")
    ]
    return Waiting(
        revision=revision,
        schedule=_kept(refusal, f"schedule-{revision.pk}", ScheduleForm()),
        refused=refused[0] if refused else "",
    )


def _scheduled(revision: Revision, refusal: Refusal | None, *, now: datetime) -> Scheduled:
    publish_at = revision.publish_at or now
    return Scheduled(
        revision=revision,
        goes_live_in=timeuntil(publish_at, now) if publish_at > now else "",
        refused=_refused(refusal, f"unschedule-{revision.pk}"),
    )


def _live(article: Article, refusal: Refusal | None) -> Live:
    target = f"take-down-{article.pk}"
    return Live(
        article=article,
        take_down=_kept(refusal, target, TakeDownForm()),
        refused=_refused(refusal, target),
    )


def _search(request: HttpRequest) -> tuple[str | None, str]:
    """The search typed (None when nobody searched), and any error in it."""
    if "q" not in request.GET:
        return None, ""
    form = SearchForm(request.GET)
    if not form.is_valid():
        return None, form_error(form)
    return form.cleaned_data["q"].strip(), ""


def _page_url(request: HttpRequest) -> str:
    """The page, with the search it was on (forms post to URLs that carry it)."""
    q, _ = _search(request)
    url = reverse("review:publisher")
    return f"{url}?{urlencode({'q': q})}" if q is not None else url


def _page(
    request: HttpRequest, *, status: int = 200, refusal: Refusal | None = None
) -> HttpResponse:
    now = timezone.now()
    zone = hospital_zone()
    q, search_error = _search(request)
    found, total = live_articles_matching(q) if q is not None else ([], 0)
    context = {
        "waiting": [_waiting(revision, refusal) for revision in approved_waiting()],
        "scheduled": [_scheduled(revision, refusal, now=now) for revision in scheduled()],
        "live": [_live(article, refusal) for article in found],
        "searched": q is not None,
        "q": q or "",
        "search_error": search_error,
        "search_suffix": f"?{urlencode({'q': q})}" if q is not None else "",
        "more_found": total - len(found),
        "found_total": total,
        "search_limit": SEARCH_LIMIT,
        "zone": zone.key,
        "zone_label": zone_label(zone, now),
        "today": now.astimezone(zone).date(),
        "refusal": refusal,
        "nav": "publisher",
    }
    return render(request, "review/publisher.html", context, status=status)


@require_GET
@role_required(Role.PUBLISHER)
def publisher(request: HttpRequest) -> HttpResponse:
    return _page(request)


def _attempt(
    request: HttpRequest, change: Callable[[], str], *, target: str, form: forms.Form | None = None
) -> HttpResponse:
    """Run one workflow call: on success back to the page with `change`'s message; refused,
    the page again with the workflow's words and whatever was typed."""
    try:
        done = change()
    except DomainError as refused:
        return _page(
            request,
            status=refused.status_code,
            refusal=Refusal(message=refused.detail, target=target, form=form),
        )
    messages.success(request, done)
    return redirect(_page_url(request))


def _invalid(request: HttpRequest, form: forms.Form, *, target: str) -> HttpResponse:
    return _page(request, status=400, refusal=Refusal(form_error(form), target=target, form=form))


def _named(revision: Revision) -> str:
    return f"revision {revision.number} of “{revision.title}”"


# ------------------------------------------------------------------------------
# Going live
# ------------------------------------------------------------------------------
@require_POST
@role_required(Role.PUBLISHER)
def publish_now(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    revision = review_selectors.revision_for_review(article_id, number)

    def publish() -> str:
        workflow.revision_publish(actor=request.user, revision=revision, via=VIA)
        return f"Published {_named(revision)}. Readers see it now."

    return _attempt(request, publish, target=f"publish-{revision.pk}")


@require_POST
@role_required(Role.PUBLISHER)
def schedule(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    revision = review_selectors.revision_for_review(article_id, number)
    target = f"schedule-{revision.pk}"
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, target=target)
    publish_at = form.cleaned_data["publish_at"]

    def schedule() -> str:
        workflow.revision_schedule(
            actor=request.user, revision=revision, publish_at=publish_at, via=VIA
        )
        zone = hospital_zone()
        local = publish_at.astimezone(zone)
        return (
            f"Scheduled {_named(revision)} to go live on {local:%A} {local.day} "
            f"{local:%B %Y} at {local:%H:%M} {clock_name(local)} ({zone.key})."
        )

    return _attempt(request, schedule, target=target, form=form)


@require_POST
@role_required(Role.PUBLISHER)
def cancel_schedule(request: HttpRequest, article_id: int, number: int) -> HttpResponse:
    revision = review_selectors.revision_for_review(article_id, number)

    def unschedule() -> str:
        workflow.revision_unschedule(actor=request.user, revision=revision, via=VIA)
        return (
            f"Cancelled the schedule of {_named(revision)}. It is approved and waits for "
            "you to publish or schedule it again."
        )

    return _attempt(request, unschedule, target=f"unschedule-{revision.pk}")


# ------------------------------------------------------------------------------
# Coming down
# ------------------------------------------------------------------------------
@require_POST
@role_required(Role.PUBLISHER)
def take_down(request: HttpRequest, article_id: int) -> HttpResponse:
    article = selectors.managed_article_get(article_id)
    target = f"take-down-{article.pk}"
    form = TakeDownForm(request.POST)
    if not form.is_valid():
        return _invalid(request, form, target=target)
    title = article.live_revision.title if article.live_revision else article.slug

    def unpublish() -> str:
        workflow.article_unpublish(
            actor=request.user, article=article, reason=form.cleaned_data["reason"], via=VIA
        )
        return (
            f"Took “{title}” down. Readers no longer see it; its last live revision is "
            "approved again, so it can be published again later."
        )

    return _attempt(request, unpublish, target=target, form=form)
