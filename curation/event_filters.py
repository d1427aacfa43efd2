"""The curators' event search: which filters, each narrowing with an indexed lookup (the
events' selectors, shared with the admin and the events API)."""

from __future__ import annotations

from datetime import datetime, time

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from curation.models import LIVE_STATES, EventCuration, Task, TaskState
from events import selectors
from events.models import Event

QUEUE_STATES = [
    ("live", _("in a queue now")),
    ("decided", _("decided in a queue")),
    ("none", _("never in a queue")),
]
YES_NO = [("yes", _("yes")), ("no", _("no"))]


def _by(selector):
    return lambda queryset, name, value: selector(queryset, value)


def _moment(day, end_of_day=False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end_of_day else time.min))


class EventSearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method=_by(selectors.events_matching),
        label=_("name, organiser, city, or id"),
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}),
    )
    city = django_filters.CharFilter(method=_by(selectors.events_in_city), label=_("city"))
    starts_from = django_filters.DateFilter(
        method="filter_from", label=_("takes place from"), widget=forms.DateInput({"type": "date"})
    )
    starts_until = django_filters.DateFilter(
        method="filter_until", label=_("until"), widget=forms.DateInput({"type": "date"})
    )
    queue_state = django_filters.ChoiceFilter(
        choices=QUEUE_STATES, method="filter_queue_state", label=_("queue status")
    )
    family = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_family", label=_("family offer (curated)")
    )
    family_label = django_filters.ChoiceFilter(
        choices=YES_NO, method="filter_family_label", label=_("family offer (the rule's label)")
    )
    label = django_filters.CharFilter(method="filter_label", label=_("label"))

    class Meta:
        model = Event
        fields = []

    def filter_from(self, queryset: QuerySet[Event], name, day) -> QuerySet[Event]:
        """Still on at the start of `day`: not ended before it (undated offer always is)."""
        moment = _moment(day)
        return queryset.exclude(end__lt=moment).exclude(end__isnull=True, start__lt=moment)

    def filter_until(self, queryset: QuerySet[Event], name, day) -> QuerySet[Event]:
        return queryset.exclude(start__gt=_moment(day, end_of_day=True))

    def filter_queue_state(self, queryset: QuerySet[Event], name, state) -> QuerySet[Event]:
        tasks = Task.objects.filter(event=OuterRef("pk"))
        if state == "live":
            return queryset.filter(Exists(tasks.filter(state__in=LIVE_STATES)))
        if state == "decided":
            return queryset.filter(Exists(tasks.filter(state=TaskState.DECIDED)))
        return queryset.exclude(Exists(tasks))

    def filter_family(self, queryset: QuerySet[Event], name, value) -> QuerySet[Event]:
        curated = EventCuration.objects.filter(family=value == "yes").values("event_id")
        return queryset.filter(pk__in=curated)

    def filter_family_label(self, queryset: QuerySet[Event], name, value) -> QuerySet[Event]:
        # By the relation's name: curation never imports family (family registers with it).
        return queryset.filter(family_classification__label=value == "yes")

    def filter_label(self, queryset: QuerySet[Event], name, label) -> QuerySet[Event]:
        return queryset.filter(labels__contains=[label.strip()])
