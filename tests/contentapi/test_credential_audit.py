"""Every credential issued, rotated or revoked leaves exactly one audit event, never the secret."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction

from contentapi.models import CredentialAction, CredentialEvent, IntegratorKey, Role, User
from tests.db_guards import record_rewrite


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue().strip().splitlines()[-1]


def _only_new_event(before: int) -> CredentialEvent:
    events = list(CredentialEvent.objects.order_by("id")[before:])
    assert len(events) == 1, events
    return events[0]


def _never_holds(event: CredentialEvent, secret: str) -> None:
    assert secret not in str(event.chained_fields())
    assert secret.split(".")[-1] not in str(event.details)


@pytest.mark.django_db
def test_creating_a_staff_user_records_the_token_issued():
    token = _run("create_staff_user", "mei", "--role", "reviewer")

    event = _only_new_event(0)
    assert event.action == CredentialAction.TOKEN_ISSUED
    assert event.subject == "mei"
    assert event.actor_label.startswith("command line (")
    assert event.details["roles"] == ["reviewer"]
    _never_holds(event, token)


def test_rotating_a_token_records_one_event(make_staff):
    make_staff(Role.EDITOR, username="ana")
    before = CredentialEvent.objects.count()

    token = _run("create_staff_user", "ana", "--rotate-token")

    event = _only_new_event(before)
    assert (event.action, event.subject) == (CredentialAction.TOKENS_ROTATED, "ana")
    _never_holds(event, token)


def test_revoking_a_users_tokens_records_one_event(make_staff):
    make_staff(Role.EDITOR, username="leaver")
    before = CredentialEvent.objects.count()

    _run("revoke_credentials", "--user", "leaver")

    event = _only_new_event(before)
    assert (event.action, event.subject) == (CredentialAction.TOKENS_REVOKED, "leaver")


@pytest.mark.django_db
def test_creating_and_revoking_an_api_key_record_one_event_each():
    key = _run("create_api_key", "patient-portal", "--scope", "delivery")
    prefix = key.split(".")[0]

    issued = _only_new_event(0)
    assert (issued.action, issued.subject) == (CredentialAction.API_KEY_ISSUED, prefix)
    assert issued.details == {"name": "patient-portal", "scopes": ["delivery"]}
    _never_holds(issued, key)

    _run("revoke_credentials", "--api-key", prefix)

    revoked = _only_new_event(1)
    assert (revoked.action, revoked.subject) == (CredentialAction.API_KEY_REVOKED, prefix)
    assert revoked.chain == issued.chain == f"api-key:{prefix}"
    assert (issued.seq, revoked.seq) == (1, 2)
    assert IntegratorKey.objects.get(prefix=prefix).revoked


@pytest.mark.django_db
def test_credential_events_cannot_be_rewritten():
    _run("create_staff_user", "mei", "--role", "reviewer")

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE contentapi_credentialevent SET subject = 'someone-else'")

    assert CredentialEvent.objects.get().subject == "mei"


def _backdated(event: CredentialEvent) -> dict[str, object]:
    return {"at": event.at - timedelta(days=30)}


def _granted_more(event: CredentialEvent) -> dict[str, object]:
    return {"details": {**event.details, "roles": ["admin"]}}


@pytest.mark.django_db
@pytest.mark.parametrize("rewrite", [_backdated, _granted_more], ids=["at", "details"])
def test_a_rewritten_credential_event_is_named_by_verify_audit(rewrite):
    _run("create_staff_user", "mei", "--role", "reviewer")
    event = CredentialEvent.objects.get()
    record_rewrite(event, **rewrite(event))

    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())

    mei = User.objects.get(username="mei")
    assert f"chain user:{mei.pk} seq 1 (CredentialEvent {event.pk})" in str(failure.value)
    assert "hash does not match" in str(failure.value)
