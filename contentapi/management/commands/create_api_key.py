"""Create an integrator API key and print it alone on the last line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contentapi.credentials import api_key_create, command_line_actor
from contentapi.models import Scope


class Command(BaseCommand):
    help = "Create an API key for a portal or website; the key is shown once, on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Who the key is for, e.g. 'patient-portal'.")
        parser.add_argument(
            "--scope", action="append", dest="scopes", choices=Scope.values, default=[],
            help="delivery (default) and/or preview; repeat for both.",
        )  # fmt: skip

    def handle(self, *args: Any, name: str, scopes: list[str], **options: Any) -> None:
        if len(name) > 50:
            raise CommandError("The name may be at most 50 characters.")
        scopes = sorted(set(scopes)) or [Scope.DELIVERY.value]
        _, key = api_key_create(name=name, scopes=scopes, actor_label=command_line_actor())
        self.stderr.write(f"Created API key {name!r} with scopes {', '.join(scopes)}; key:")
        self.stdout.write(key)
