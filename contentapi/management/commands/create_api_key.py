"""Create an integrator API key and print it alone on the last line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contentapi.credentials import api_key_create, command_line_actor
from contentapi.models import Scope
from contentapi.rates import Rate


class Command(BaseCommand):
    help = "Create an API key for a portal or website; the key is shown once, on the last line."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="Who the key is for, e.g. 'patient-portal'.")
        parser.add_argument(
            "--scope", action="append", dest="scopes", choices=Scope.values, default=[],
            help="delivery (default) and/or preview; repeat for both.",
        )  # fmt: skip
        parser.add_argument(
            "--rate", default="",
            help="Its own request rate, e.g. 12000/min (default: RATE_LIMIT_DELIVERY).",
        )  # fmt: skip

    def handle(self, *args: Any, name: str, scopes: list[str], rate: str, **options: Any) -> None:
        if len(name) > 50:
            raise CommandError("The name may be at most 50 characters.")
        if rate:
            try:
                Rate.parse(rate)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        scopes = sorted(set(scopes)) or [Scope.DELIVERY.value]
        _, key = api_key_create(
            name=name, scopes=scopes, rate_limit=rate, actor_label=command_line_actor()
        )
        self.stderr.write(f"Created API key {name!r} with scopes {', '.join(scopes)}; key:")
        self.stdout.write(key)
