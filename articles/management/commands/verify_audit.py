"""Check every audit chain, signature, approval and live document; exit 1 naming what is
broken. With --checkpoints, also compare the database with checkpoints kept elsewhere."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.audit import approvals_problems, chain_name, documents_problems
from contentapi.checkpoints import (
    chained_models,
    checkpoints_problems,
    checkpoints_wanted,
    load_checkpoints,
    sealed_heads,
)
from contentapi.ledger import BrokenLink, ChainReport, chains_verify


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of every article, topic and credential audit trail and "
        "check every record's signature, every approval against the words its revision "
        "holds, every live document against the rendering of its approved revision, and the "
        "database's own signed checkpoints; with --checkpoints FILE_OR_URL, also checkpoints "
        "kept elsewhere. Exits 1 and names each problem (article, chain and seq)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoints",
            action="append",
            default=[],
            metavar="FILE_OR_URL",
            help="Checkpoints kept outside the database: a JSON file of them (a list, one "
            "object per line, or pages of /api/v1/audit/checkpoints/), or that URL. Repeat "
            "for several.",
        )

    def handle(self, *args: Any, checkpoints: list[str], **options: Any) -> None:
        kept = [document for source in checkpoints for document in load_checkpoints(source)]
        report = ChainReport(wanted=checkpoints_wanted(kept))
        sealed = sealed_heads()
        broken: list[BrokenLink] = []
        for model in chained_models():
            records = model.objects.order_by("chain", "seq").iterator(chunk_size=2000)
            broken += chains_verify(records, report=report, sealed=sealed)
        problems = [
            f"{chain_name(link.chain)} seq {link.seq} ({link.model} {link.record_id}): "
            f"{link.reason}"
            for link in broken
        ]
        problems += [_named(problem) for problem in checkpoints_problems(report, kept=kept)]
        problems += approvals_problems()
        problems += documents_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"The audit trail does not verify ({len(problems)} problem(s)): {problems[0]}"
            )
        outside = f", and {len(kept)} kept checkpoint(s) agree" if kept else ""
        self.stdout.write(
            f"Verified {report.records} audit records in {report.chains} chains "
            f"({report.unsigned} from before signing began, sealed): every link and signature "
            "holds, every approval matches the words its revision holds, every live document "
            f"is its approved revision's rendering, the database's checkpoints agree{outside}."
        )


def _named(problem: str) -> str:
    """Checkpoint problems name chains as `article:12`; say which article that is."""
    head, _, rest = problem.partition(" ")
    if head.startswith("article:"):
        return f"{chain_name(head)} {rest}"
    return problem
