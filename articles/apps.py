"""The write side: articles, their revisions, the workflow, authorship, notes, reviews and the
audit trail.

Owns everything an editor, a reviewer or a publisher changes (only through
`articles.workflow` and `articles.services`), the management API, the topic vocabulary, and
what a live article shows (`articles.publication`, which hands rendered documents to the
read side's door). Content comes in and goes out as files (`import_articles`,
`export_articles`).

May import: `delivery` (its door, rendering, codes and readability) and `contentapi`. Never
`ehr`, `webhooks` or `review`, which build on it or on the read side.
"""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        # Register gauges and a status section, and what makes a checkpoint due at once.
        from articles import audit, monitoring  # noqa: F401
