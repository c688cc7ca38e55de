"""`manage.py revoke_credentials` turns off staff tokens and API keys."""

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from contentapi.models import IntegratorKey, Role, StaffToken


def test_revoking_a_users_tokens_makes_them_401(make_staff):
    user = make_staff(Role.EDITOR, username="leaver")
    _, token = StaffToken.issue(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/manage/articles/").status_code == 200

    call_command("revoke_credentials", "--user", "leaver")

    assert client.get("/api/v1/manage/articles/").status_code == 401


@pytest.mark.django_db
def test_revoking_an_api_key_by_prefix_makes_it_401():
    api_key, key = IntegratorKey.objects.create_key(name="old portal", scopes=["delivery"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")

    call_command("revoke_credentials", "--api-key", api_key.prefix)

    assert client.get("/api/v1/articles/").status_code == 401


@pytest.mark.django_db
def test_revoking_something_unknown_is_a_clear_error():
    with pytest.raises(CommandError, match="No staff user"):
        call_command("revoke_credentials", "--user", "nobody")
    with pytest.raises(CommandError, match="No API key"):
        call_command("revoke_credentials", "--api-key", "nope")
