"""GET /api/curation/family-labels/: each event's family label with its source, so that
UiTdatabank can take them. Curators' labels and the model's sure labels by default; the labels
still waiting for a curator (the model unsure) only with `pending=true`."""

from django.conf import settings
from django.db.models import Q
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, permissions, serializers
from rest_framework.pagination import CursorPagination

from curation.api_queues import IsCurator
from family.models import FamilyClassification
from family.services.model import active_version


class FamilyLabelSerializer(serializers.ModelSerializer):
    event = serializers.CharField(source="event.udb_id")
    family = serializers.SerializerMethodField()
    source = serializers.SerializerMethodField()
    rule_version = serializers.IntegerField(source="rule_id")
    curated_at = serializers.DateTimeField(source="event.curation.family_decided_at", default=None)

    class Meta:
        model = FamilyClassification
        fields = [
            "event",
            "family",
            "source",
            "score",
            "model_version",
            "rule_version",
            "curated_at",
            "classified_at",
        ]

    def _curated(self, row) -> bool | None:
        curation = getattr(row.event, "curation", None)
        return curation.family if curation else None

    def get_family(self, row) -> bool:
        curated = self._curated(row)
        if curated is not None:
            return curated
        return row.model_label if row.model_version is not None else row.label

    def get_source(self, row) -> str:
        """curator, model or rule: who gave the label."""
        if self._curated(row) is not None:
            return "curator"
        return "model" if row.model_version is not None else "rule"


class FamilyLabelPagination(CursorPagination):
    ordering = ("event_id",)
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


_PENDING = OpenApiParameter(
    "pending",
    OpenApiTypes.BOOL,
    description="also the labels of the model that still wait for a curator (it is unsure)",
)


@extend_schema_view(get=extend_schema(parameters=[_PENDING]))
class FamilyLabelListView(generics.ListAPIView):
    """Family labels with their source (curator, model, rule), by event."""

    permission_classes = [permissions.IsAuthenticated, IsCurator]
    serializer_class = FamilyLabelSerializer
    pagination_class = FamilyLabelPagination
    filter_backends = []

    def get_queryset(self):
        rows = FamilyClassification.objects.select_related("event", "event__curation").only(
            "event__udb_id",
            "event__curation__family",
            "event__curation__family_decided_at",
            "label",
            "score",
            "model_version",
            "model_label",
            "rule_id",
            "classified_at",
        )
        active = active_version()
        pending = self.request.query_params.get("pending", "").lower() in ("1", "true", "yes")
        if active is None or pending:
            return rows
        (version, threshold), margin = active, settings.FAMILY_UNSURE_MARGIN
        unsure = Q(
            model_version=version, score__gt=threshold - margin, score__lt=threshold + margin
        )
        return rows.exclude(unsure & Q(event__curation__family__isnull=True))
