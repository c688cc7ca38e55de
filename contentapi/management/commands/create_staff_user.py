"""Create a staff user with roles and print their token alone on the last line."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contentapi.credentials import command_line_actor, staff_token_rotate, staff_user_create
from contentapi.errors import ValidationFailed
from contentapi.models import Role, User


class Command(BaseCommand):
    help = (
        "Create a staff user and print a new API token on the last line. For an existing "
        "user this fails, unless --rotate-token is given: then the user's roles and names are "
        "left as they are, every old token is revoked and a new one is printed."
    )

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
            "--rotate-token",
            action="store_true",
            help="For an existing user: revoke their tokens and print a new one.",
        )

    def handle(self, *args: Any, username: str, roles: list[str], **options: Any) -> None:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
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
                actor_label=command_line_actor(),
            )
        except ValidationFailed as exc:
            raise CommandError(exc.detail) from exc
        if {"reviewer", "admin"} & set(user.roles) and not (user.display_name and user.credentials):
            self.stderr.write(
                "Note: reviewers need --display-name and --credentials before they can approve "
                "(readers are shown both)."
            )
        self.stderr.write(f"Created {user.username} with roles {', '.join(user.roles)}; token:")
        self.stdout.write(token)
