"""Import content files (Markdown with YAML front matter) as drafts, through the workflow."""

from collections import Counter
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.library import Outcome, library_import
from articles.library_files import LibraryInvalid, library_paths, library_read
from contentapi.errors import DomainError
from contentapi.models import Role, User


class Command(BaseCommand):
    help = (
        "Import every *.md content file under PATH (docs/content-files.md). Every file is "
        "checked first; if any is wrong, every fault is listed with its file and line and "
        "nothing is written. New articles and changed texts become draft revisions by the "
        "--as editor (sent to review with --submit); files whose content an article already "
        "has change nothing, so importing twice is harmless."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A content file, or a directory searched for *.md.")
        parser.add_argument(
            "--as",
            dest="username",
            metavar="USERNAME",
            help="The editor the revisions are written by (required unless --dry-run).",
        )
        parser.add_argument(
            "--submit", action="store_true", help="Send each new revision to clinical review."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and say what would happen; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["path"])
        dry_run = options["dry_run"]
        if not root.exists():
            raise CommandError(f"{root}: no such file or directory.")
        actor = self._actor(options["username"], required=not dry_run)
        if not library_paths(root):
            raise CommandError(f"{root}: no *.md content files here; nothing was imported.")
        try:
            files = library_read(root)
        except LibraryInvalid as invalid:
            for error in invalid.errors:
                self.stderr.write(str(error))
            bad = len({error.path for error in invalid.errors})
            raise CommandError(
                f"{len(invalid.errors)} error(s) in {bad} of {len(library_paths(root))} "
                "file(s); nothing was imported."
            ) from None
        try:
            results = library_import(files, actor=actor, submit=options["submit"], dry_run=dry_run)
        except DomainError as exc:
            # Something changed under the import (another editor, at the same moment).
            # Each file is written in a transaction of its own, and a second run picks up
            # where this one stopped.
            raise CommandError(
                f"The import stopped: {exc.detail} Files before the one named were imported; "
                "run it again to carry on."
            ) from exc
        for result in results:
            self.stdout.write(result.line(dry_run=dry_run))
        counts = Counter(result.outcome for result in results)
        summary = ", ".join(f"{outcome} {counts[outcome]}" for outcome in Outcome)
        prefix = "Dry run, nothing written. " if dry_run else ""
        self.stdout.write(f"{prefix}{len(results)} file(s): {summary}.")

    def _actor(self, username: str | None, *, required: bool) -> User | None:
        if username is None:
            if required:
                raise CommandError(
                    "Say which editor the revisions are written by: --as USERNAME (every "
                    "revision has an author, and the audit trail names them)."
                )
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"There is no active staff user {username!r}.")
        if not user.has_role(Role.EDITOR):
            roles = ", ".join(user.roles) or "none"
            raise CommandError(
                f"{username!r} is not an editor (roles: {roles}): only an editor may write "
                "articles, so only an editor may import them."
            )
        return user
