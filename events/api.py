"""/api/events/: the catalogue, read-only, with the admin's filters and cursor pagination."""

import datetime
from collections.abc import Callable

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.pagination import CursorPagination

from events import selectors
from events.models import DataFinding, Event, Organizer, Place

# Fields of the detail that a higher app computes (family registers "family" when it starts):
# imports go one way, events never imports family.
DETAIL_READERS: dict[str, Callable[[Event], dict]] = {}


class TermSerializer(serializers.Serializer):
    id = serializers.CharField()
    label = serializers.CharField()


class PlaceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_text")
    is_physical = serializers.BooleanField(read_only=True)

    class Meta:
        model = Place
        fields = ["id", "name", "street", "postal_code", "city", "country", "is_physical"]


class OrganizerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="name_text")

    class Meta:
        model = Organizer
        fields = ["id", "name"]


class FindingSerializer(serializers.ModelSerializer):
    """A data finding: its kind, field and value as received, the message in the reader's
    language, and when it was found (and closed, when a later version no longer had it)."""

    message = serializers.CharField(read_only=True)

    class Meta:
        model = DataFinding
        fields = ["kind", "field", "value", "message", "opened_at", "closed_at"]


class EventSerializer(serializers.ModelSerializer):
    id = serializers.CharField(source="udb_id")
    name = serializers.DictField(child=serializers.CharField())
    event_type = TermSerializer(allow_null=True)
    themes = TermSerializer(many=True)
    location = PlaceSerializer(allow_null=True)
    organizer = OrganizerSerializer(allow_null=True)
    labels = serializers.ListField(child=serializers.CharField())
    uitdatabank_url = serializers.URLField()

    class Meta:
        model = Event
        fields = [
            "id",
            "name",
            "main_language",
            "event_type",
            "themes",
            "min_age",
            "max_age",
            "all_ages",
            "attendance_mode",
            "online_url",
            "location",
            "organizer",
            "workflow_status",
            "status",
            "audience_type",
            "calendar_type",
            "start",
            "end",
            "labels",
            "modified",
            "uitdatabank_url",
        ]


class EventDetailSerializer(EventSerializer):
    description = serializers.DictField(child=serializers.CharField())
    facilities = TermSerializer(many=True)
    hidden_labels = serializers.ListField(child=serializers.CharField())
    family = serializers.SerializerMethodField()
    findings = serializers.SerializerMethodField()
    document = serializers.SerializerMethodField()

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "description",
            "facilities",
            "hidden_labels",
            "created",
            "imported_at",
            "family",
            "findings",
            "document",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_family(self, event) -> dict:
        """The family offer: the automatic label (`label`: the learned model's where one
        scored the event, else the rule's; `source`, `score`, `model_version`), the rule's
        (`rule_label`, `points`, `matched_keywords`, `excluded_by`, `rule_version`), the
        curator's decision (`curated`), and `final`: the curated value where there is one,
        else the label."""
        return DETAIL_READERS["family"](event)

    @extend_schema_field(FindingSerializer(many=True))
    def get_findings(self, event) -> list[dict]:
        """The event's data findings, open and closed, oldest first."""
        return FindingSerializer(selectors.findings_of(event), many=True).data

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_document(self, event) -> dict:
        return event.document


class UtcDateTimeField(django_filters.fields.IsoDateTimeField):
    """An ISO 8601 moment handed to PostgreSQL in UTC: PostgreSQL refuses offsets beyond 15:59,
    which Python accepts, and a moment that leaves years 1 to 9999 in UTC is refused here."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(datetime.UTC)
        except OverflowError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


def _by(selector):
    """A filter method that hands the value to one of the selectors the admin shares."""
    return lambda queryset, name, value: selector(queryset, value)


class EventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method=_by(selectors.events_matching),
        label=_("name, organiser, city, or the event's id or URL"),
    )
    event_type = django_filters.CharFilter(
        method=_by(selectors.events_of_type), label=_("event type (term id)")
    )
    theme = django_filters.CharFilter(
        method=_by(selectors.events_with_term), label=_("theme (term id)")
    )
    attendance_mode = django_filters.ChoiceFilter(choices=Event.AttendanceMode.choices)
    workflow_status = django_filters.ChoiceFilter(choices=Event.WorkflowStatus.choices)
    status = django_filters.ChoiceFilter(choices=Event.Status.choices)
    calendar_type = django_filters.ChoiceFilter(choices=Event.CalendarType.choices)
    city = django_filters.CharFilter(method=_by(selectors.events_in_city), label=_("city"))
    has_online_url = django_filters.BooleanFilter(
        method=_by(selectors.events_with_online_url), label=_("has an online URL")
    )
    age_group = django_filters.ChoiceFilter(
        choices=selectors.AGE_GROUP_CHOICES,
        method=_by(selectors.events_in_age_group),
        label=_("age group"),
    )
    modified_since = UtcDateTimeFilter(field_name="modified", lookup_expr="gte")
    has_findings = django_filters.BooleanFilter(
        method=_by(selectors.events_with_findings), label=_("has open data findings")
    )

    class Meta:
        model = Event
        fields = []


class EventPagination(CursorPagination):
    # The surrogate key: unique, indexed, never changes; newest imports first.
    ordering = "-id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CanViewEvents(permissions.DjangoModelPermissions):
    """Reading asks for the view permission (curators have it), not just a login."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        **{method: ["%(app_label)s.view_%(model_name)s"] for method in ("GET", "HEAD", "OPTIONS")},
    }


class EventViewSet(viewsets.ReadOnlyModelViewSet):
    """Events of the catalogue; `id` is the UiTdatabank id."""

    permission_classes = [permissions.IsAuthenticated, CanViewEvents]
    filterset_class = EventFilter
    pagination_class = EventPagination
    lookup_field = "udb_id"
    lookup_url_kwarg = "id"
    lookup_value_regex = "[0-9A-Za-z_-]+"

    def get_queryset(self):
        if self.action == "retrieve":
            return selectors.events_for_detail()
        return selectors.events_for_list()

    def get_serializer_class(self):
        return EventDetailSerializer if self.action == "retrieve" else EventSerializer

    def get_object(self):
        self.kwargs[self.lookup_url_kwarg] = self.kwargs[self.lookup_url_kwarg].lower()
        return super().get_object()
