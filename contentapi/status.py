"""The operator status page (`GET /api/v1/manage/status/`, admins): the workers' heartbeats,
and what each app says operators should watch.

Like the database gauges of /metrics, each app registers its own section (`register_section`,
from its `ready()`), so this module knows none of them: the write side adds the scheduled
revisions past due, the webhooks their backlog.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from contentapi.models import WorkerHeartbeat
from contentapi.permissions import IsAdmin


@dataclass(frozen=True)
class Section:
    name: str
    read: Callable[[], dict[str, Any]]
    serializer: type[serializers.Serializer]


_SECTIONS: dict[str, Section] = {}


def register_section(
    name: str, read: Callable[[], dict[str, Any]], serializer: type[serializers.Serializer]
) -> None:
    """Show `read()` on the status page as `name`, in the shape `serializer` documents."""
    _SECTIONS[name] = Section(name, read, serializer)


class WorkerStatusSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The worker process: kind@host:pid.")
    kind = serializers.CharField()
    started_at = serializers.DateTimeField()
    last_run_at = serializers.DateTimeField()
    last_ok_at = serializers.DateTimeField(allow_null=True)
    consecutive_failures = serializers.IntegerField(help_text="Passes in a row that failed.")
    last_error = serializers.CharField()
    interval_seconds = serializers.FloatField(help_text="Seconds between its passes.")
    stale = serializers.BooleanField(
        help_text="Its heartbeat has not moved for three intervals (at least 30 s): the process "
        "died or hangs. Rows not moved for a day are removed."
    )


_status_serializer: type[serializers.Serializer] | None = None


def status_serializer() -> type[serializers.Serializer]:
    """The page's serializer: the common fields and every registered section (made once,
    after the apps registered theirs, so the schema names one component)."""
    global _status_serializer
    if _status_serializer is None:
        fields: dict[str, serializers.Field] = {
            "checked_at": serializers.DateTimeField(),
            "database": serializers.CharField(),
            "workers": WorkerStatusSerializer(many=True),
        }
        fields |= {name: section.serializer() for name, section in sorted(_SECTIONS.items())}
        _status_serializer = type("OperatorStatusSerializer", (serializers.Serializer,), fields)
    return _status_serializer


def operator_status() -> dict[str, Any]:
    return {
        "checked_at": timezone.now(),
        "database": "ok",
        "workers": list(WorkerHeartbeat.objects.all()),
        **{name: section.read() for name, section in _SECTIONS.items()},
    }


class OperatorStatus(generics.GenericAPIView):
    """What an operator checks first (admins)."""

    permission_classes = [IsAdmin]

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # Asked for when the schema is made or a request comes, after every app registered.
        return status_serializer()

    @extend_schema(
        summary="Operator status: background workers, overdue scheduled revisions, webhooks"
    )
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(operator_status()).data)
