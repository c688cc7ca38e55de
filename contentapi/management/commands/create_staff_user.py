"""Create a staff user with roles and print their token alone on the last line."""

import getpass
import sys
from argparse import ArgumentTypeError
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from contentapi.credentials import (
    command_line_actor,
    staff_languages_set,
    staff_password_set,
    staff_token_rotate,
    staff_user_create,
)
from contentapi.errors import ValidationFailed
from contentapi.models import Role, User


class Command(BaseCommand):
    help = (
        "Create a staff user and print a new API token on the last line. For an existing "
        "user this fails, unless --rotate-token is given: then the user's roles and names are "
        "left as they are, every old token is revoked and a new one is printed. With "
        "--password, also set the password for the review pages (new or existing user); with "
        "--languages, set the languages they may sign off as a reviewer (new or existing user)."
    )

    # call_command(..., stdin=StringIO("...")) in tests, as Django's createsuperuser takes it.
    stealth_options = ("stdin",)

    def execute(self, *args: Any, **options: Any) -> str | None:
        self.stdin = options.get("stdin", sys.stdin)
        return super().execute(*args, **options)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--role",
            action="append",
            dest="roles",
            choices=Role.values,
            default=[],
            help="editor, reviewer, publisher or admin; repeat for several.",
        )
        parser.add_argument("--display-name", default="", help='The name readers see, "Ana Ruiz".')
        parser.add_argument("--credentials", default="", help='"MD, breast radiologist".')
        parser.add_argument(
            "--languages",
            type=_language_list,
            default=None,
            help="The content locales they may approve and re-certify as a reviewer, "
            'comma-separated: "en,es". Without it, the default locale only. For an existing '
            "user, replaces their languages.",
        )
        parser.add_argument(
            "--rotate-token",
            action="store_true",
            help="For an existing user: revoke their tokens and print a new one.",
        )
        parser.add_argument(
            "--password",
            action="store_true",
            help="Set a password for the review pages: asked twice on a terminal, else read "
            "as one line from standard input (never from the command line).",
        )

    def handle(self, *args: Any, username: str, roles: list[str], **options: Any) -> None:
        # Read first: a mistyped password must not leave a user created without one.
        password = self._read_password() if options["password"] else None
        existing = User.objects.filter(username=username).first()
        if password is not None:
            self._check_password(password, existing or User(username=username))
        languages = options["languages"]
        if existing is not None:
            if password is not None or languages is not None:
                self._update(existing, password, languages)
                if not options["rotate_token"]:
                    return
            if not options["rotate_token"]:
                raise CommandError(
                    f"User {username!r} already exists. Use --rotate-token to issue them a new "
                    "token (their old tokens stop working)."
                )
            token = staff_token_rotate(
                user=existing,
                label="rotated by create_staff_user",
                actor_label=command_line_actor(),
            )
            self.stderr.write(f"Revoked the old tokens of {username!r}; new token:")
            self.stdout.write(token)
            return
        if not roles:
            raise CommandError("Give at least one --role (editor, reviewer, publisher, admin).")
        try:
            user, token = staff_user_create(
                username=username,
                roles=roles,
                display_name=options["display_name"],
                credentials=options["credentials"],
                languages=languages or (),
                actor_label=command_line_actor(),
            )
        except ValidationFailed as exc:
            raise CommandError(exc.detail) from exc
        if password is not None:
            self._set_password(user, password)
        if {"reviewer", "admin"} & set(user.roles) and not (user.display_name and user.credentials):
            self.stderr.write(
                "Note: reviewers need --display-name and --credentials before they can approve "
                "(readers are shown both)."
            )
        self.stderr.write(
            f"Created {user.username} with roles {', '.join(user.roles)}"
            + (
                f", reviewing {', '.join(user.review_languages)}"
                if {"reviewer", "admin"} & set(user.roles)
                else ""
            )
            + "; token:"
        )
        self.stdout.write(token)

    def _update(self, user: User, password: str | None, languages: list[str] | None) -> None:
        """Set what was given of an existing user's password and languages."""
        if languages is not None:
            try:
                user = staff_languages_set(
                    user=user, languages=languages, actor_label=command_line_actor()
                )
            except ValidationFailed as exc:
                raise CommandError(exc.detail) from exc
            self.stderr.write(f"{user.username} reviews {', '.join(user.review_languages)}.")
        if password is not None:
            self._set_password(user, password)
            self.stderr.write(f"Set the password of {user.username!r}.")

    def _read_password(self) -> str:
        stdin = self.stdin
        if stdin.isatty():
            first = getpass.getpass("Password: ")
            if getpass.getpass("Password (again): ") != first:
                raise CommandError("The two passwords differ; nothing was changed.")
            password = first
        else:
            password = stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError("No password given; nothing was changed.")
        return password

    def _check_password(self, password: str, user: User) -> None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            raise CommandError(f"Password refused: {' '.join(exc.messages)}") from exc

    def _set_password(self, user: User, password: str) -> None:
        try:
            staff_password_set(user=user, password=password, actor_label=command_line_actor())
        except ValidationFailed as exc:
            raise CommandError(f"Password refused: {exc.detail}") from exc


def _language_list(value: str) -> list[str]:
    """`--languages en,es` as a list; an empty value is refused (it would mean "none")."""
    languages = [part.strip() for part in value.split(",") if part.strip()]
    if not languages:
        raise ArgumentTypeError('Give the languages comma-separated: "en,es".')
    return languages
