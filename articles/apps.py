"""The domain: articles, their revisions, reviews, notes and audit trail."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"

    def ready(self) -> None:
        from articles import metrics  # noqa: F401  (registers the articles' gauges)
