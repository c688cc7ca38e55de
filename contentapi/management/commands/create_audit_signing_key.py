"""Make a new audit signing key and print it alone on the last line; no database needed."""

from typing import Any

from django.core.management.base import BaseCommand

from contentapi.signing import new_private_key, public_key_of


class Command(BaseCommand):
    help = (
        "Print a new Ed25519 key for AUDIT_SIGNING_KEY (alone on the last line), with its "
        "public key and key id. Rotating: keep the old public key in AUDIT_RETIRED_PUBLIC_KEYS."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def handle(self, *args: Any, **options: Any) -> None:
        private = new_private_key()
        public = public_key_of(private)
        self.stdout.write(f"Key id: {public.key_id}")
        self.stdout.write(f"Public key (for AUDIT_RETIRED_PUBLIC_KEYS later): {public.public_key}")
        self.stdout.write("AUDIT_SIGNING_KEY (keep it secret, never in the database):")
        self.stdout.write(private)
