"""Passwords for the review pages: set by create_staff_user --password (a terminal prompt
twice, or one line of standard input) or Django's changepassword, hashed with Argon2, each
set written down as a `password_set` credential event, never the password."""

import io
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core.management import CommandError, call_command

from contentapi.models import CredentialAction, CredentialEvent, User

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def create(*args: str, stdin: io.StringIO | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("create_staff_user", *args, stdin=stdin or io.StringIO(), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def actions(user: User) -> list[str]:
    return list(
        CredentialEvent.objects.filter(chain=f"user:{user.pk}")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_new_user_with_a_password_from_standard_input() -> None:
    out, _ = create("mei", "--role", "reviewer", "--password", stdin=io.StringIO(PASSWORD + "\n"))
    user = User.objects.get(username="mei")
    assert out.strip().startswith("pe_")  # the token, alone on the last line, as before
    assert user.check_password(PASSWORD)
    assert identify_hasher(user.password).algorithm == "argon2"
    assert actions(user) == [CredentialAction.TOKEN_ISSUED, CredentialAction.PASSWORD_SET]
    event = CredentialEvent.objects.get(action=CredentialAction.PASSWORD_SET)
    assert event.subject == "mei"
    assert event.actor_label.startswith("command line (")
    assert PASSWORD not in str(event.chained_fields())


def test_an_existing_user_gets_a_password_and_keeps_their_token() -> None:
    create("mei", "--role", "reviewer")
    out, err = create("mei", "--password", stdin=io.StringIO(PASSWORD + "\n"))
    user = User.objects.get(username="mei")
    assert out == ""
    assert "Set the password of 'mei'." in err
    assert user.check_password(PASSWORD)
    assert actions(user) == [CredentialAction.TOKEN_ISSUED, CredentialAction.PASSWORD_SET]


def test_on_a_terminal_the_password_is_asked_twice() -> None:
    with mock.patch("getpass.getpass", side_effect=[PASSWORD, PASSWORD]) as prompt:
        create("mei", "--role", "reviewer", "--password", stdin=Terminal())
    assert prompt.call_count == 2
    assert User.objects.get(username="mei").check_password(PASSWORD)


def test_two_different_answers_change_nothing() -> None:
    with (
        mock.patch("getpass.getpass", side_effect=[PASSWORD, "something else entirely"]),
        pytest.raises(CommandError, match="The two passwords differ"),
    ):
        create("mei", "--role", "reviewer", "--password", stdin=Terminal())
    assert not User.objects.filter(username="mei").exists()


@pytest.mark.parametrize(("password", "why"), [("short", "too short"), ("", "No password")])
def test_a_weak_or_empty_password_is_refused_before_anything_is_created(
    password: str, why: str
) -> None:
    with pytest.raises(CommandError, match=why):
        create("mei", "--role", "reviewer", "--password", stdin=io.StringIO(password + "\n"))
    assert not User.objects.filter(username="mei").exists()
    assert not CredentialEvent.objects.exists()


def test_djangos_changepassword_is_recorded_too(make_staff: Any) -> None:
    user = make_staff(username="mei")
    with mock.patch(
        "django.contrib.auth.management.commands.changepassword.getpass.getpass",
        return_value=PASSWORD,
    ):
        call_command("changepassword", "mei", stdout=io.StringIO())
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert actions(user) == [CredentialAction.PASSWORD_SET]


def test_signing_in_with_argon2(make_staff: Any, client: Any) -> None:
    from contentapi.models import Role

    user = make_staff(Role.REVIEWER, username="mei")
    user.set_password(PASSWORD)
    user.save()
    assert user.password.startswith("argon2$argon2id$")
    response = client.post("/review/sign-in/", {"username": "mei", "password": PASSWORD})
    assert response.status_code == 302
