"""Staff accounts and their tokens."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from contentapi.errors import ValidationFailed
from contentapi.models import Role, StaffToken, User


def staff_user_create(
    *,
    username: str,
    roles: Iterable[str],
    display_name: str = "",
    credentials: str = "",
) -> tuple[User, str]:
    """Create a staff user with `roles` and a first token; returns the user and the token."""
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
            username=username, roles=roles, display_name=display_name, credentials=credentials
        )
        user.set_unusable_password()
        user.save()
        _, plain = StaffToken.issue(user, label="created with the user")
    return user, plain


def staff_token_rotate(*, user: User, label: str = "") -> str:
    """Revoke every token of `user` and issue a new one; returns the new token."""
    with transaction.atomic():
        StaffToken.objects.active().filter(user=user).update(revoked_at=timezone.now())
        _, plain = StaffToken.issue(user, label=label)
    return plain
