"""Reads for the channel pages, exports and API: month figures from `ChannelMonth` only (a
channel's page adds its own daily rows), a fixed number of queries whatever the number of
channels."""

import datetime

from django.db.models import (
    Count,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import get_language

from channels.models import (
    ApiUsage,
    Channel,
    ChannelMonth,
    EventViews,
    StatusChange,
    WidgetDay,
    WidgetPage,
)
from events.models import Event

FIGURES = ("registered", "alive", "new", "lost", "views", "impressions", "clicks", "requests")
FLAGS = ("registered", "alive", "new", "lost")
DIMENSIONS = {
    "type": "channel__type",
    "party": "channel__party",
    "municipality": "channel__partner__municipality",
}


def _aggregates() -> dict:
    flags = {name: Count("id", filter=Q(**{name: True})) for name in FLAGS}
    sums = {name: Sum(name) for name in ("views", "impressions", "clicks", "requests")}
    return {**flags, **sums}


def month_figures(
    first: datetime.date, last: datetime.date, *, by: str | None = None, channels=None
) -> dict:
    """{(month, group): {figure: value}} for the months from `first` to `last` (first days);
    group is "" without `by`, else the channel's type, party or partner municipality."""
    rows = ChannelMonth.objects.filter(month__range=(first, last))
    if channels is not None:
        rows = rows.filter(channel__in=channels)
    group = DIMENSIONS[by] if by else None
    keys = ["month", group] if group else ["month"]
    result = {}
    for row in rows.values(*keys).annotate(**_aggregates()).order_by(*keys):
        values = {name: row[name] or 0 for name in FIGURES}
        result[row["month"], (row[group] or "") if group else ""] = values
    return result


def municipality_figures(first: datetime.date, last: datetime.date) -> list[dict]:
    """Per partner municipality: channels alive at the end of `last`'s month, new and lost in
    the months from `first` to `last`, and their consultations and API requests."""
    return list(
        ChannelMonth.objects.filter(month__range=(first, last))
        .values(municipality=Coalesce("channel__partner__municipality", Value("")))
        .annotate(
            alive=Count("id", filter=Q(alive=True, month=last)),
            new=Count("id", filter=Q(new=True)),
            lost=Count("id", filter=Q(lost=True)),
            views=Sum("views"),
            requests=Sum("requests"),
        )
        .order_by("municipality")
    )


def _views_since(day: datetime.date):
    return Subquery(
        WidgetDay.objects.filter(channel=OuterRef("pk"), day__gte=day)
        .values("channel")
        .annotate(total=Sum("views"))
        .values("total"),
        output_field=IntegerField(),
    )


def _last_day(model, field: str):
    return Subquery(
        model.objects.filter(channel=OuterRef("pk"), **{f"{field}__gt": 0})
        .order_by("-day")
        .values("day")[:1]
    )


def channel_rows(today: datetime.date) -> QuerySet:
    """Every channel with its partner, last seen (last consultation or API request) and its
    consultations and API requests in the 30 days ending today: one query."""
    since = today - datetime.timedelta(days=29)
    requests = Subquery(
        ApiUsage.objects.filter(channel=OuterRef("pk"), day__gte=since)
        .values("channel")
        .annotate(total=Sum("requests"))
        .values("total"),
        output_field=IntegerField(),
    )
    return Channel.objects.select_related("partner").annotate(
        views_30=Coalesce(_views_since(since), Value(0)),
        requests_30=Coalesce(requests, Value(0)),
        last_seen=Greatest(_last_day(WidgetDay, "views"), _last_day(ApiUsage, "requests")),
    )


def channel_months(channel: Channel, first: datetime.date, last: datetime.date) -> dict:
    """{month: {"month": month, figure: value}} of the channel's stored months."""
    rows = (
        ChannelMonth.objects.filter(channel=channel, month__range=(first, last))
        .order_by("month")
        .values("month", *FIGURES)
    )
    return {row["month"]: row for row in rows}


def channel_pages(channel: Channel, first: datetime.date, end: datetime.date) -> list:
    """The channel's widget pages with their consultations in the period."""
    in_period = Q(days__day__range=(first, end))
    return list(
        WidgetPage.objects.filter(channel=channel)
        .annotate(
            views=Coalesce(Sum("days__views", filter=in_period), Value(0)),
            last_day=Max("days__day", filter=Q(days__views__gt=0)),
        )
        .order_by("-views", "title")
    )


def status_history(channel: Channel) -> list:
    return list(StatusChange.objects.filter(channel=channel).order_by("-day", "-id"))


def most_viewed_events(channel: Channel, first: datetime.date, last: datetime.date, limit=10):
    """The UiTdatabank events the channel's event pages showed most, with their names when the
    catalogue has them."""
    rows = list(
        EventViews.objects.filter(channel=channel, month__range=(first, last))
        .values("event_id")
        .annotate(views=Sum("views"))
        .order_by("-views", "event_id")[:limit]
    )
    names = dict(
        Event.objects.filter(udb_id__in=[row["event_id"] for row in rows]).values_list(
            "udb_id", "name"
        )
    )
    language = (get_language() or "nl")[:2]
    for row in rows:
        name = names.get(row["event_id"]) or {}
        row["name"] = name.get(language) or next(iter(name.values()), None)
    return rows
