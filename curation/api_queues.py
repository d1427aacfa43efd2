"""/api/curation/: claim, decide and release tasks, and read decisions back (for UiTdatabank).

Thin views over the same services and forms as the task page: the decision form validates the
request body (its field names are the API's), a refused action answers 409 with the reason.
"""

import datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import CURATOR, has_role
from curation import selectors
from curation.forms import DECISION_FORMS
from curation.models import Decision, Queue, Task
from curation.services.decisions import task_decide
from curation.services.queues import TaskNotHeld, task_claim_next, task_release


class IsCurator(permissions.BasePermission):
    message = _("Only curators work on review tasks.")

    def has_permission(self, request, view):
        return has_role(request.user, CURATOR)


class TaskSerializer(serializers.ModelSerializer):
    queue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    queue_kind = serializers.CharField(source="queue.kind")
    event = serializers.CharField(source="event.udb_id")
    event_name = serializers.CharField(source="event.name_text")
    decision_fields = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "queue",
            "queue_kind",
            "state",
            "event",
            "event_name",
            "claimed_at",
            "lease_until",
            "decision_fields",
        ]

    def get_decision_fields(self, task) -> list[str]:
        return list(DECISION_FORMS[task.queue.kind]().fields)


class DecisionSerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event.udb_id")
    decision = serializers.CharField(source="outcome")
    curator = serializers.CharField(source="curator.username", allow_null=True)
    values = serializers.JSONField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "event",
            "queue_kind",
            "decision",
            "values",
            "note",
            "curator",
            "decided_at",
        ]


class _TaskView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsCurator]

    def task(self, task_id) -> Task:
        return get_object_or_404(Task.objects.select_related("queue", "event"), pk=task_id)

    def handle_exception(self, exc):
        """A refused action answers 409 with the reason; nothing was written."""
        if isinstance(exc, TaskNotHeld):
            return Response(
                {"detail": str(exc), "reason": exc.reason}, status=status.HTTP_409_CONFLICT
            )
        return super().handle_exception(exc)


class QueueClaimView(_TaskView):
    @extend_schema(
        request=None,
        responses={200: TaskSerializer, 204: OpenApiResponse(description="the queue is empty")},
    )
    def post(self, request, slug):
        """The task this curator holds in the queue, or the next free one, leased to them."""
        queue = get_object_or_404(Queue, slug=slug, is_active=True)
        task = task_claim_next(queue=queue, curator=request.user)
        if task is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(TaskSerializer(self.task(task.pk)).data)


class TaskDecideView(_TaskView):
    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: DecisionSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
    )
    def post(self, request, task_id):
        """Decide the task with the fields of its queue kind's form (see `decision_fields`)."""
        task = self.task(task_id)
        form = DECISION_FORMS[task.queue.kind](data=request.data)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=status.HTTP_400_BAD_REQUEST)
        values, note = form.values(), form.cleaned_data["note"]
        decision = task_decide(task=task, curator=request.user, values=values, note=note)
        return Response(DecisionSerializer(decision).data)


class TaskReleaseView(_TaskView):
    @extend_schema(request=None, responses={200: TaskSerializer, 409: OpenApiTypes.OBJECT})
    def post(self, request, task_id):
        task = self.task(task_id)
        task_release(task=task, curator=request.user)
        return Response(TaskSerializer(task).data)


class DecisionPagination(CursorPagination):
    ordering = ("decided_at", "id")
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


_SINCE = OpenApiParameter("since", OpenApiTypes.DATETIME, description="decisions taken at or after")


@extend_schema_view(get=extend_schema(parameters=[_SINCE]))
class DecisionListView(generics.ListAPIView):
    """Decisions in the order they were taken, so curated labels can flow back."""

    permission_classes = [permissions.IsAuthenticated, IsCurator]
    serializer_class = DecisionSerializer
    pagination_class = DecisionPagination
    filter_backends = []

    def get_queryset(self):
        raw = self.request.query_params.get("since")
        return selectors.decisions_since(parse_since(raw) if raw else None)


def parse_since(raw: str):
    """An ISO 8601 date and time ("+" in a query string arrives as a space); local time when
    it has no offset. ValidationError when it is not one."""
    try:
        since = parse_datetime(raw.strip().replace(" ", "+"))
        if since is not None:
            since = timezone.make_aware(since) if timezone.is_naive(since) else since
            # PostgreSQL refuses offsets beyond 15:59, which Python accepts: it gets UTC.
            return since.astimezone(datetime.UTC)
    except (ValueError, OverflowError):  # not a date and time, or beyond year 1 or 9999 in UTC
        pass
    raise ValidationError(
        {"since": _("'%(value)s' is not an ISO 8601 date and time.") % {"value": raw}}
    )
