"""Staff token authentication, and the create_staff_user command that issues tokens."""

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connections
from django.utils import timezone
from rest_framework.test import APIClient

from articles.models import Article, Revision
from contentapi.management.commands import create_staff_user as create_staff_user_command
from contentapi.models import Role, StaffToken, User
from tests.problems import assert_problem

ARTICLES_URL = "/api/v1/manage/articles/"


def client_with(authorization: str | None) -> APIClient:
    client = APIClient()
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    return client


def assert_unauthenticated(response: Any) -> dict[str, Any]:
    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Token"
    return body


def create_staff_user(*args: str) -> tuple[str, str]:
    """Run the command; returns its stdout and stderr."""
    out, err = StringIO(), StringIO()
    call_command("create_staff_user", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def last_line(text: str) -> str:
    lines = text.rstrip("\n").split("\n")
    return lines[-1]


# ------------------------------------------------------------------------------
# The Authorization header
# ------------------------------------------------------------------------------
def test_no_authorization_header_is_a_401_problem_with_www_authenticate(db):
    response = client_with(None).get(ARTICLES_URL)

    body = assert_unauthenticated(response)
    assert body["code"] == "not-authenticated"


def test_an_unknown_token_is_a_401(db, editor):
    StaffToken.issue(editor)

    response = client_with("Token pe_not-a-token-anybody-was-given").get(ARTICLES_URL)

    body = assert_unauthenticated(response)
    assert body["code"] == "authentication-failed"


def test_a_revoked_token_is_a_401(editor):
    token_row, token = StaffToken.issue(editor)
    assert client_with(f"Token {token}").get(ARTICLES_URL).status_code == 200
    token_row.revoked_at = timezone.now()
    token_row.save()

    response = client_with(f"Token {token}").get(ARTICLES_URL)

    assert_unauthenticated(response)


def test_the_token_of_an_inactive_user_is_a_401(editor):
    _, token = StaffToken.issue(editor)
    editor.is_active = False
    editor.save()

    response = client_with(f"Token {token}").get(ARTICLES_URL)

    assert_unauthenticated(response)


@pytest.mark.parametrize(
    "header",
    ["Token", "Token ", "Token pe_a pe_b", "Token pe_a extra words here"],
    ids=["keyword-only", "keyword-and-space", "two-values", "many-values"],
)
def test_a_malformed_token_header_is_a_401(editor, header):
    StaffToken.issue(editor)

    response = client_with(header).get(ARTICLES_URL)

    assert_unauthenticated(response)


@pytest.mark.parametrize("header", ["Bearer abc", "Basic ZWRpdG9yOnB3", "pe_abc"])
def test_another_authorization_scheme_is_a_401(db, header):
    response = client_with(header).get(ARTICLES_URL)

    assert_unauthenticated(response)


def test_the_token_keyword_is_case_insensitive(editor):
    _, token = StaffToken.issue(editor)

    response = client_with(f"token {token}").get(ARTICLES_URL)

    assert response.status_code == 200


def test_a_token_with_bytes_that_are_not_utf8_is_a_401_not_a_500(db):
    client = APIClient()
    client.raise_request_exception = False

    response = client.get(ARTICLES_URL, HTTP_AUTHORIZATION="Token pe_\xff\xfe")

    assert_unauthenticated(response)


def test_a_valid_reviewer_token_creating_an_article_is_a_403_and_saves_nothing(
    api, reviewer, new_article_payload
):
    response = api(reviewer).post(ARTICLES_URL, new_article_payload, format="json")

    body = assert_problem(response, 403)
    assert body["code"] == "not-allowed"
    assert "WWW-Authenticate" not in response
    assert not Article.objects.exists()
    assert not Revision.objects.exists()


def test_unauthenticated_writes_save_nothing(db, new_article_payload):
    response = client_with(None).post(ARTICLES_URL, new_article_payload, format="json")

    assert_unauthenticated(response)
    assert not Article.objects.exists()


def test_tokens_are_stored_only_as_their_digest(editor, reviewer):
    issued = [StaffToken.issue(editor)[1], StaffToken.issue(reviewer)[1]]
    out, _ = create_staff_user("ana", "--role", "editor")
    issued.append(last_line(out))

    rows = list(StaffToken.objects.values())
    assert len(rows) == len(issued)
    stored = " ".join(str(value) for row in rows for value in row.values())
    for token in issued:
        assert token not in stored
        assert token[len(StaffToken.PREFIX) :] not in stored
    digests = {row["digest"] for row in rows}
    assert digests == {hashlib.sha256(token.encode()).hexdigest() for token in issued}


def test_each_issued_token_is_different_and_long(editor):
    tokens = {StaffToken.issue(editor)[1] for _ in range(5)}

    assert len(tokens) == 5
    assert all(token.startswith(StaffToken.PREFIX) and len(token) >= 40 for token in tokens)


# ------------------------------------------------------------------------------
# manage.py create_staff_user
# ------------------------------------------------------------------------------
def test_create_staff_user_prints_the_token_alone_on_the_last_line_and_it_works(db):
    out, _ = create_staff_user("ana", "--role", "editor")

    token = last_line(out)
    assert token == token.strip()
    assert " " not in token
    assert token.startswith(StaffToken.PREFIX)
    response = client_with(f"Token {token}").get(ARTICLES_URL)
    assert response.status_code == 200


def test_create_staff_user_token_is_the_users_token(db, new_article_payload):
    out, _ = create_staff_user("ana", "--role", "editor")

    response = client_with(f"Token {last_line(out)}").post(
        ARTICLES_URL, new_article_payload, format="json"
    )

    assert response.status_code == 201, response.json()
    assert Article.objects.get().created_by.username == "ana"


def test_create_staff_user_with_repeated_role_gives_several_roles(db):
    create_staff_user("ana", "--role", "editor", "--role", "reviewer", "--role", "editor")

    user = User.objects.get(username="ana")
    assert sorted(user.roles) == ["editor", "reviewer"]
    assert user.has_role(Role.EDITOR)
    assert user.has_role(Role.REVIEWER)
    assert not user.has_role(Role.PUBLISHER)


def test_create_staff_user_stores_display_name_and_credentials(db):
    create_staff_user(
        "mchen",
        "--role",
        "reviewer",
        "--display-name",
        "Dr. Mei Chen",
        "--credentials",
        "MD, breast radiologist",
    )

    user = User.objects.get(username="mchen")
    assert user.display_name == "Dr. Mei Chen"
    assert user.credentials == "MD, breast radiologist"
    assert user.public_name == "Dr. Mei Chen"
    assert not user.has_usable_password()


def test_create_staff_user_for_an_existing_username_is_a_clear_command_error(db):
    first, _ = create_staff_user("ana", "--role", "editor")

    with pytest.raises(CommandError) as raised:
        create_staff_user("ana", "--role", "reviewer")

    message = str(raised.value)
    assert "'ana' already exists" in message
    assert "--rotate-token" in message
    assert "Traceback" not in message
    user = User.objects.get(username="ana")
    assert user.roles == ["editor"]
    assert StaffToken.objects.filter(user=user).count() == 1
    assert client_with(f"Token {last_line(first)}").get(ARTICLES_URL).status_code == 200


def test_create_staff_user_for_an_existing_username_prints_no_traceback(db, capsys, monkeypatch):
    create_staff_user("ana", "--role", "editor")
    # run_from_argv closes every connection when it ends; keep the test's transaction open.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exited:
        create_staff_user_command.Command().run_from_argv(
            ["manage.py", "create_staff_user", "ana", "--role", "editor"]
        )

    assert exited.value.code == 1
    err = capsys.readouterr().err
    assert "already exists" in err
    assert "Traceback" not in err


def test_rotate_token_revokes_the_old_token_and_the_new_one_works(db):
    first, _ = create_staff_user("ana", "--role", "editor", "--display-name", "Ana Ruiz")
    old = last_line(first)

    second, _ = create_staff_user("ana", "--rotate-token")
    new = last_line(second)

    assert new != old
    assert_unauthenticated(client_with(f"Token {old}").get(ARTICLES_URL))
    assert client_with(f"Token {new}").get(ARTICLES_URL).status_code == 200
    user = User.objects.get(username="ana")
    assert (user.roles, user.display_name) == (["editor"], "Ana Ruiz")
    assert StaffToken.objects.active().filter(user=user).count() == 1


def test_rotate_token_revokes_every_old_token(editor):
    _, one = StaffToken.issue(editor)
    _, two = StaffToken.issue(editor)

    out, _ = create_staff_user("editor", "--rotate-token")

    assert_unauthenticated(client_with(f"Token {one}").get(ARTICLES_URL))
    assert_unauthenticated(client_with(f"Token {two}").get(ARTICLES_URL))
    assert client_with(f"Token {last_line(out)}").get(ARTICLES_URL).status_code == 200


@pytest.mark.parametrize("role", ["doctor", "Editor", "superuser", ""])
def test_create_staff_user_refuses_an_unknown_role(db, role):
    with pytest.raises(CommandError) as raised:
        create_staff_user("ana", "--role", role)

    assert "--role" in str(raised.value)
    assert not User.objects.filter(username="ana").exists()
    assert not StaffToken.objects.exists()


def test_create_staff_user_refuses_a_new_user_without_a_role(db):
    with pytest.raises(CommandError) as raised:
        create_staff_user("ana")

    assert "role" in str(raised.value)
    assert not User.objects.filter(username="ana").exists()


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("Api-Key", "names 'Api-Key' but carries no credential"),
        ("Bearer abc", "scheme 'Bearer' is not accepted here"),
        (None, "Send 'Authorization: Api-Key <key>'"),
    ],
)
def test_a_401_on_delivery_says_what_was_wrong_with_the_header(db, header, says):
    response = client_with(header).get("/api/v1/articles/")

    body = assert_problem(response, 401)
    assert response["WWW-Authenticate"] == "Api-Key"
    assert says in body["detail"]
    assert "'Authorization: Api-Key <key>'" in body["detail"]
