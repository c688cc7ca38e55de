"""Who may open which page: every page needs a signed-in, active member of staff, and most a
role (admins hold every role). Each person starts on the page of their first role's work."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from contentapi.models import Role, User

View = Callable[..., HttpResponse]

# Each role's own page, in the order a person holding several starts on them.
START_PAGES = (
    (Role.REVIEWER, "review:queue"),
    (Role.EDITOR, "review:editor"),
    (Role.PUBLISHER, "review:publisher"),
)


def may_use(user: User, role: Role | None) -> bool:
    """An active member of staff holding `role` (any role when None)."""
    if not (user.is_active and isinstance(user, User)):
        return False
    return bool(user.roles) if role is None else user.has_role(role)


def start_page(user: User) -> str | None:
    """The URL of the first page `user` has a role for; None if they hold none."""
    for role, name in START_PAGES:
        if user.has_role(role):
            return reverse(name)
    return None


def role_required(role: Role | None) -> Callable[[View], View]:
    """Signed in (else to the sign-in page), holding `role` (any role when None; else the
    403 page, which says whose pages these are). Never cached."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if not may_use(request.user, role):
                return forbidden(request, role=role)
            return view(request, *args, **kwargs)

        return never_cache(wrapper)

    return decorate


def forbidden(request: HttpRequest, reason: str = "", *, role: Role | None = None) -> HttpResponse:
    """The 403 page: `reason`, or whose pages these are and where this person's are."""
    context = {
        "reason": reason,
        "role": role.label.lower() if role is not None else "",
        "start": start_page(request.user) if request.user.is_authenticated else None,
    }
    return render(request, "review/forbidden.html", context, status=403)


def staff_roles(request: HttpRequest) -> dict[str, Any]:
    """Template context: `staff_roles.reviewer` (editor, publisher) for whoever is signed in,
    so the pages show each person the links their roles open."""
    user = request.user
    roles = {role.value: isinstance(user, User) and may_use(user, role) for role in Role}
    return {"staff_roles": roles}
