"""Re-encrypt every stored webhook signing secret under the newest WEBHOOK_ENCRYPTION_KEYS key.

Rotating the key that protects the secrets, with no downtime:

1. put a new key in front: `WEBHOOK_ENCRYPTION_KEYS=<new>,<old>`, and restart the web
   servers and workers (each decrypts with either key, encrypts with the new one);
2. run this command (each subscription is re-encrypted in a transaction of its own, under
   its row lock, so it runs beside the worker and the admins);
3. drop the old key: `WEBHOOK_ENCRYPTION_KEYS=<new>`, and restart.

The signing secrets themselves do not change, so receivers notice nothing. A secret that no
key decrypts is reported (exit status 1) and left as it is: put back its key, or rotate that
subscription's secret.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from webhooks.models import WebhookSubscription
from webhooks.secrets import SecretUnreadable, secret_reencrypt


class Command(BaseCommand):
    help = "Re-encrypt every stored webhook secret under the newest WEBHOOK_ENCRYPTION_KEYS key."

    def handle(self, *args: Any, **options: Any) -> None:
        done, unreadable = 0, []
        for pk in WebhookSubscription.objects.order_by("pk").values_list("pk", flat=True):
            with transaction.atomic():
                subscription = WebhookSubscription.objects.select_for_update().filter(pk=pk).first()
                if subscription is None:  # deleted meanwhile
                    continue
                try:
                    subscription.secret_encrypted = secret_reencrypt(subscription.secret_encrypted)
                except SecretUnreadable:
                    unreadable.append(pk)
                    continue
                if subscription.previous_secret_encrypted:
                    try:
                        subscription.previous_secret_encrypted = secret_reencrypt(
                            subscription.previous_secret_encrypted
                        )
                    except SecretUnreadable:  # it can no longer sign: its overlap ends now
                        subscription.previous_secret_encrypted = ""
                        subscription.previous_secret_expires_at = None
                subscription.save(update_fields=["secret_encrypted", "previous_secret_encrypted"])
                done += 1
        self.stdout.write(
            f"Re-encrypted the secrets of {done} subscription(s) under the newest key."
        )
        if unreadable:
            raise CommandError(
                f"No key in WEBHOOK_ENCRYPTION_KEYS decrypts the secret of subscription(s) "
                f"{', '.join(map(str, unreadable))}: put back the key they were stored under, "
                "or rotate their secrets."
            )
