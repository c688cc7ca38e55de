"""The domain: articles, their revisions, reviews, notes and audit trail."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
