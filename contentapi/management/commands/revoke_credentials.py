"""Revoke a staff user's tokens or an integrator API key; they stop working at once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contentapi.credentials import api_key_revoke, command_line_actor, staff_tokens_revoke
from contentapi.models import IntegratorKey, User


class Command(BaseCommand):
    help = (
        "Revoke every token of a staff user (--user USERNAME) or an integrator API key "
        "(--api-key PREFIX, the part of the key before the dot)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        target = parser.add_mutually_exclusive_group(required=True)
        target.add_argument("--user", help="Username whose tokens to revoke.")
        target.add_argument("--api-key", dest="prefix", help="Prefix of the API key to revoke.")

    def handle(self, *args: Any, user: str | None, prefix: str | None, **options: Any) -> None:
        if user is not None:
            staff = User.objects.filter(username=user).first()
            if staff is None:
                raise CommandError(f"No staff user {user!r}.")
            count = staff_tokens_revoke(user=staff, actor_label=command_line_actor())
            self.stdout.write(f"Revoked {count} token(s) of {user!r}.")
            return
        key = IntegratorKey.objects.filter(prefix=prefix).first()
        if key is None:
            raise CommandError(f"No API key with prefix {prefix!r}.")
        api_key_revoke(api_key=key, actor_label=command_line_actor())
        self.stdout.write(
            f"Revoked API key {key.name!r} ({prefix}). With a shared cache (CACHE_URL=redis://...) "
            "it stops at once; a per-process cache may accept it for API_KEY_CACHE_SECONDS more."
        )
