"""The domain: articles, their revisions, reviews, notes and audit trail."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from articles import monitoring  # noqa: F401  (registers gauges and a status section)
