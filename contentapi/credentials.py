"""Staff accounts, their tokens, and integrator API keys; every issue and revocation is audited.

Each change of a credential writes one `CredentialEvent` in the same transaction: who did it,
when, whose credential (a username or a key prefix), never the secret itself.
"""

import contextvars
import getpass
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from contentapi.authentication import key_cache_key
from contentapi.errors import NotAllowed, ValidationFailed
from contentapi.models import (
    CredentialAction,
    CredentialEvent,
    IntegratorKey,
    Role,
    StaffToken,
    User,
)


def command_line_actor() -> str:
    """How credential events name whoever ran a management command."""
    return f"command line ({getpass.getuser()})"


def _record(
    action: CredentialAction,
    *,
    chain: str,
    subject: str,
    actor_label: str,
    details: dict[str, Any],
    actor: User | None = None,
) -> CredentialEvent:
    return CredentialEvent.append(
        chain=chain,
        action=action,
        subject=subject,
        actor=actor,
        actor_label=actor.username if actor is not None else actor_label,
        details=details,
    )


def staff_user_create(
    *,
    username: str,
    roles: Iterable[str],
    display_name: str = "",
    credentials: str = "",
    languages: Iterable[str] = (),
    actor_label: str,
) -> tuple[User, str]:
    """Create a staff user with `roles` and a first token; returns the user and the token.

    `languages` are the content locales they may sign off as a reviewer (none: the default
    locale only)."""
    languages = languages_checked(languages)
    roles = sorted(set(roles))
    unknown = [role for role in roles if role not in Role.values]
    if unknown or not roles:
        raise ValidationFailed.on(
            "roles", f"Roles must be some of {', '.join(Role.values)}; got {unknown or 'none'}."
        )
    if User.objects.filter(username=username).exists():
        raise ValidationFailed.on("username", f"User {username!r} already exists.", "unique")
    with transaction.atomic():
        user = User(
            username=username,
            roles=roles,
            display_name=display_name,
            credentials=credentials,
            languages=languages,
        )
        user.set_unusable_password()
        user.save()
        token, plain = StaffToken.issue(user, label="created with the user")
        _record(
            CredentialAction.TOKEN_ISSUED,
            chain=f"user:{user.pk}",
            subject=username,
            actor_label=actor_label,
            details={
                "token": token.pk,
                "user_created": True,
                "roles": roles,
                "languages": user.review_languages,
            },
        )
    return user, plain


def languages_checked(languages: Iterable[str]) -> list[str]:
    """`languages` as a reviewer's qualification stores them: content locales, each once, in
    the service's order; ValidationFailed names any other."""
    wanted = {language.strip() for language in languages if language.strip()}
    unknown = sorted(wanted - set(settings.CONTENT_LOCALES))
    if unknown:
        raise ValidationFailed.on(
            "languages",
            f"Languages must be some of {', '.join(settings.CONTENT_LOCALES)} (the content "
            f"locales); got {', '.join(unknown)}.",
            "invalid_choice",
        )
    return [locale for locale in settings.CONTENT_LOCALES if locale in wanted]


def staff_languages_set(
    *, user: User, languages: Iterable[str], actor_label: str, actor: User | None = None
) -> User:
    """Set the languages `user` may sign off as a reviewer, on the record: who, when, from
    which to which. Nobody changes their own (another admin, or the command line, does)."""
    checked = languages_checked(languages)
    if actor is not None and actor.pk == user.pk:
        raise NotAllowed(
            "Nobody changes their own review languages: another admin, or an operator with "
            "create_staff_user --languages, must."
        )
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if checked == locked.languages:
            return locked  # nothing changes: no event
        before = locked.review_languages
        locked.languages = checked
        locked.save(update_fields=["languages"])
        _record(
            CredentialAction.LANGUAGES_SET,
            chain=f"user:{locked.pk}",
            subject=locked.username,
            actor=actor,
            actor_label=actor_label,
            details={"before": before, "after": locked.review_languages},
        )
    return locked


def _revoke_tokens(user: User) -> int:
    """Revoke every active token of `user` (their row locked by the caller); how many."""
    return StaffToken.objects.active().filter(user=user).update(revoked_at=timezone.now())


def staff_token_rotate(*, user: User, label: str = "", actor_label: str) -> str:
    """Revoke every token of `user` and issue a new one; returns the new token."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        revoked = _revoke_tokens(user)
        token, plain = StaffToken.issue(user, label=label)
        _record(
            CredentialAction.TOKENS_ROTATED,
            chain=f"user:{user.pk}",
            subject=user.username,
            actor_label=actor_label,
            details={"token": token.pk, "revoked": revoked},
        )
    return plain


def staff_tokens_revoke(*, user: User, actor_label: str) -> int:
    """Revoke every token of `user` at once; returns how many were active."""
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        revoked = _revoke_tokens(user)
        _record(
            CredentialAction.TOKENS_REVOKED,
            chain=f"user:{user.pk}",
            subject=user.username,
            actor_label=actor_label,
            details={"revoked": revoked},
        )
    return revoked


def api_key_create(
    *, name: str, scopes: Iterable[str], actor_label: str, rate_limit: str = ""
) -> tuple[Any, str]:
    """A new integrator API key; returns the key row and the key, shown only this once.

    `rate_limit` is the key's own request rate (`12000/min`); blank: RATE_LIMIT_DELIVERY.
    """
    scopes = sorted(set(scopes))
    with transaction.atomic():
        api_key, plain = IntegratorKey.objects.create_key(
            name=name, scopes=scopes, rate_limit=rate_limit
        )
        details: dict[str, Any] = {"name": name, "scopes": scopes}
        if rate_limit:
            details["rate_limit"] = rate_limit
        _record(
            CredentialAction.API_KEY_ISSUED,
            chain=f"api-key:{api_key.prefix}",
            subject=api_key.prefix,
            actor_label=actor_label,
            details=details,
        )
    return api_key, plain


def api_key_revoke(*, api_key: IntegratorKey, actor_label: str) -> None:
    """Revoke an integrator key; a shared cache forgets it at once (a per-process cache may
    accept it for API_KEY_CACHE_SECONDS more)."""
    with transaction.atomic():
        transaction.on_commit(lambda: cache.delete(key_cache_key(api_key.prefix)))
        IntegratorKey.objects.select_for_update().filter(pk=api_key.pk).first()
        api_key.revoked = True
        api_key.save(update_fields=["revoked"])
        _record(
            CredentialAction.API_KEY_REVOKED,
            chain=f"api-key:{api_key.prefix}",
            subject=api_key.prefix,
            actor_label=actor_label,
            details={"name": api_key.name},
        )


# ------------------------------------------------------------------------------
# Passwords (the review pages' sign-in)
# ------------------------------------------------------------------------------
# Who is setting a password now, when a caller knows better than "the command line".
_password_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "password_actor", default=None
)


def staff_password_set(*, user: User, password: str, actor_label: str) -> None:
    """Check `password` against the validators (ValidationFailed says why not), then set it;
    the credential event is written by `PasswordChangeRecorder` as the user is saved."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed.on("password", " ".join(exc.messages), "weak") from exc
    token = _password_actor.set(actor_label)
    try:
        with transaction.atomic():
            user.set_password(password)
            user.save(update_fields=["password"])
    finally:
        _password_actor.reset(token)


class PasswordChangeRecorder:
    """A password "validator" that validates nothing: Django calls `password_changed` on
    every validator after a user with a new password is saved, whatever set it
    (`create_staff_user --password`, Django's `changepassword`, a shell). Each time this
    writes one `password_set` credential event: who, when, whose; never the password."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def get_help_text(self) -> str:
        return ""

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        with transaction.atomic():
            User.objects.select_for_update().filter(pk=user.pk).first()
            _record(
                CredentialAction.PASSWORD_SET,
                chain=f"user:{user.pk}",
                subject=user.username,
                actor_label=_password_actor.get() or command_line_actor(),
                details={},
            )


def webhook_event_record(
    action: CredentialAction, *, actor: User, webhook_id: int, details: dict[str, Any]
) -> CredentialEvent:
    """A webhook subscription's credential event (never its secret); the caller holds the
    subscription's row lock, which orders its chain."""
    return _record(
        action,
        chain=f"webhook:{webhook_id}",
        subject=f"webhook {webhook_id}",
        actor=actor,
        actor_label=actor.username,
        details=details,
    )
