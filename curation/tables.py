"""django-tables2 tables of the overview and the statistics page (the data comes from
curation.selectors; the tables only lay it out)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

_NUMBER = {"th": {"class": "number"}, "td": {"class": "number"}}


class QueueTable(tables.Table):
    name = tables.Column(accessor="queue__name", verbose_name=_("queue"), orderable=False)
    kind = tables.Column(accessor="queue", verbose_name=_("kind"), orderable=False)
    open = tables.Column(verbose_name=_("open"), attrs=_NUMBER, orderable=False)
    claimed = tables.Column(verbose_name=_("claimed"), attrs=_NUMBER, orderable=False)
    done = tables.Column(verbose_name=_("done"), attrs=_NUMBER, orderable=False)

    class Meta:
        attrs = {"class": "queue-table"}
        template_name = "django_tables2/table.html"

    def render_name(self, value, record):
        url = reverse("curation:queue", args=[record.queue.slug])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_kind(self, value):
        return value.get_kind_display()


class HeldTaskTable(tables.Table):
    event = tables.Column(accessor="event__name_text", verbose_name=_("event"), orderable=False)
    queue = tables.Column(accessor="queue__name", verbose_name=_("queue"), orderable=False)
    lease_until = tables.DateTimeColumn(
        verbose_name=_("yours until"), format="H:i", orderable=False
    )

    class Meta:
        template_name = "django_tables2/table.html"
        empty_text = _("You hold no tasks.")

    def render_event(self, value, record):
        url = reverse("curation:task", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, value)


def _day_columns(days) -> list[tuple[str, tables.Column]]:
    return [
        (
            f"day_{index}",
            tables.Column(verbose_name=date_format(day, "D j/n"), attrs=_NUMBER, orderable=False),
        )
        for index, day in enumerate(days)
    ]


def _spread(rows: list[dict], key: str) -> list[dict]:
    return [
        {key: row[key], **{f"day_{i}": n for i, n in enumerate(row["per_day"])}, **row}
        for row in rows
    ]


class CuratorDayTable(tables.Table):
    curator = tables.Column(verbose_name=_("curator"), orderable=False)
    total = tables.Column(verbose_name=_("total"), attrs=_NUMBER, orderable=False)

    class Meta:
        template_name = "django_tables2/table.html"
        empty_text = _("No decisions in this period.")

    @classmethod
    def for_days(cls, rows: list[dict], days):
        columns = _day_columns(days)
        sequence = ("curator", *(name for name, _column in columns), "total")
        return cls(_spread(rows, "curator"), extra_columns=columns, sequence=sequence)


class CuratorSpeedTable(tables.Table):
    curator = tables.Column(verbose_name=_("curator"), orderable=False)
    decisions = tables.Column(verbose_name=_("decisions"), attrs=_NUMBER, orderable=False)
    median_seconds = tables.Column(
        verbose_name=_("median seconds per decision"), attrs=_NUMBER, orderable=False
    )

    class Meta:
        template_name = "django_tables2/table.html"
        empty_text = _("No decisions in this period.")

    def render_median_seconds(self, value):
        return f"{value:.0f}"


class BacklogTable(tables.Table):
    queue = tables.Column(verbose_name=_("queue"), orderable=False)

    class Meta:
        template_name = "django_tables2/table.html"
        attrs = {"id": "backlog-table"}
        empty_text = _("No tasks in this period.")

    @classmethod
    def for_days(cls, rows: list[dict], days):
        return cls(_spread(rows, "queue"), extra_columns=_day_columns(days))
