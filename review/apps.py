from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Server-rendered pages for clinical reviewers under /review/ (sessions, not tokens)."""

    name = "review"
    verbose_name = "Review pages"
