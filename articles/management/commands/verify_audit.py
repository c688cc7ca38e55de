"""Check every audit chain and every recorded approval; exit non-zero naming what is broken."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from articles.models import AuditAction, AuditEvent, Revision
from contentapi.ledger import BrokenLink, ChainReport, chains_verify
from contentapi.models import CredentialEvent


class Command(BaseCommand):
    help = (
        "Recompute the hash chain of every article, topic and credential audit trail, and "
        "check that each revision's recorded approver is the one its trail names. Exits 1 "
        "and names the first broken link of each chain if any record was changed or removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = ChainReport()
        broken: list[BrokenLink] = []
        for model in (AuditEvent, CredentialEvent):
            records = model.objects.order_by("chain", "seq").iterator(chunk_size=2000)
            broken += chains_verify(records, report=report)
        problems = [f"broken chain: {link}" for link in broken]
        problems += _approvals_without_trail()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"The audit trail does not verify: {problems[0]}")
        self.stdout.write(
            f"Verified {report.records} audit records in {report.chains} chains: every link "
            "holds, and every approval matches its audit event."
        )


def _approvals_without_trail() -> list[str]:
    """Revisions whose approver differs from the actor of their `approved` audit event."""
    recorded = dict(
        AuditEvent.objects.filter(action=AuditAction.APPROVED).values_list(
            "revision_id", "actor_id"
        )
    )
    problems = []
    approved = Revision.objects.filter(approved_by__isnull=False).values_list(
        "pk", "article_id", "number", "approved_by_id"
    )
    for pk, article_id, number, approver in approved.iterator(chunk_size=2000):
        if recorded.get(pk) != approver:
            problems.append(
                f"revision {number} of article {article_id} names user {approver} as its "
                f"approver, but its audit trail records {recorded.get(pk) or 'no approval'}"
            )
    return problems
