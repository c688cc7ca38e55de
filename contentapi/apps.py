"""The API layer: authentication, roles, errors, pagination, conditional requests, health."""

from django.apps import AppConfig


class ContentApiConfig(AppConfig):
    name = "contentapi"
    verbose_name = "Content API layer"
