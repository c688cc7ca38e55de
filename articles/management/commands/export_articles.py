"""Export the library as content files: each live article's live revision, or its latest."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.library import ExportRefused, library_export


class Command(BaseCommand):
    help = (
        "Write each live article's live revision as a content file, <locale>/<slug>.md, "
        "under PATH, a new or empty directory (docs/content-files.md). With --latest, each "
        "article's latest revision, whatever its state: drafts too. The same library gives "
        "the same bytes, and `import_articles` reads the files back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The directory to write (created if missing).")
        parser.add_argument(
            "--latest",
            action="store_true",
            help="Each article's latest revision, whatever its state, instead of the live one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["path"])
        try:
            written = library_export(directory, latest=options["latest"])
        except ExportRefused as exc:
            raise CommandError(str(exc)) from None
        which = "latest" if options["latest"] else "live"
        self.stdout.write(
            f"Wrote {len(written)} article(s), each its {which} revision, to {directory}."
        )
