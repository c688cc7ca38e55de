"""The HTTP platform: authentication (staff tokens, integrator keys), roles, accounts and the
credential ledger, rate limits, errors and problem types, pagination, conditional requests,
health, metrics and the operator status page, OpenAPI pieces.

Knows nothing of articles: every other app builds on it, and it imports none of them (apps
add their gauges and status sections through `register_database_collector` and
`register_section`).
"""

from django.apps import AppConfig


class ContentApiConfig(AppConfig):
    name = "contentapi"
    verbose_name = "Content API layer"

    def ready(self) -> None:
        from contentapi.logs import install_excepthook

        install_excepthook()  # a crash's traceback is a JSON line too
