"""django-tables2 tables of the overview and the statistics page (the data comes from
curation.selectors; the tables only lay it out)."""

from __future__ import annotations

from datetime import date

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

_NUMBER = {"th": {"class": "number"}, "td": {"class": "number"}}


class _Table(tables.Table):
    class Meta:
        template_name = "django_tables2/table.html"
        orderable = False


class QueueTable(_Table):
    name = tables.Column(verbose_name=_("queue"), linkify=("curation:queue", [tables.A("slug")]))
    kind = tables.Column(accessor="get_kind_display", verbose_name=_("kind"))
    open = tables.Column(verbose_name=_("open"), attrs=_NUMBER)
    claimed = tables.Column(verbose_name=_("claimed"), attrs=_NUMBER)
    done = tables.Column(verbose_name=_("done"), attrs=_NUMBER)

    class Meta(_Table.Meta):
        attrs = {"class": "queue-table"}


class HeldTaskTable(_Table):
    event = tables.Column(
        accessor="event__name_text",
        verbose_name=_("event"),
        linkify=("curation:task", [tables.A("pk")]),
    )
    queue = tables.Column(accessor="queue__name", verbose_name=_("queue"))
    lease_until = tables.DateTimeColumn(verbose_name=_("yours until"), format="H:i")

    class Meta(_Table.Meta):
        empty_text = _("You hold no tasks.")


DAY_FORMAT = "D j/n"  # the statistics' one way to write a day, in the tables and the charts


def day_label(day: date) -> str:
    """The day as the statistics write it; today, not over yet, carries a " *" (see the note)."""
    label = date_format(day, DAY_FORMAT)
    return f"{label} *" if day == timezone.localdate() else label


class _PerDayTable(_Table):
    """The first declared column, a column per day, then the other declared columns."""

    @classmethod
    def for_days(cls, rows: list[dict], days):
        key, *rest = cls.base_columns
        columns = [
            (f"day_{index}", tables.Column(verbose_name=day_label(day), attrs=_NUMBER))
            for index, day in enumerate(days)
        ]
        spread = [{**row, **{f"day_{i}": n for i, n in enumerate(row["per_day"])}} for row in rows]
        sequence = (key, *(name for name, _column in columns), *rest)
        return cls(spread, extra_columns=columns, sequence=sequence)


class CuratorDayTable(_PerDayTable):
    curator = tables.Column(verbose_name=_("curator"))
    total = tables.Column(verbose_name=_("total"), attrs=_NUMBER)

    class Meta(_Table.Meta):
        empty_text = _("No decisions in this period.")


class CuratorSpeedTable(_Table):
    curator = tables.Column(verbose_name=_("curator"))
    decisions = tables.Column(accessor="total", verbose_name=_("decisions"), attrs=_NUMBER)
    median_seconds = tables.Column(verbose_name=_("median seconds per decision"), attrs=_NUMBER)

    class Meta(_Table.Meta):
        empty_text = _("No decisions in this period.")

    def render_median_seconds(self, value):
        return f"{value:.0f}"


class BacklogTable(_PerDayTable):
    queue = tables.Column(verbose_name=_("queue"))

    class Meta(_Table.Meta):
        attrs = {"id": "backlog-table"}
        empty_text = _("No tasks in this period.")


class EventSearchTable(_Table):
    name_text = tables.Column(verbose_name=_("event"), linkify=("curation:event", [tables.A("pk")]))
    start = tables.DateTimeColumn(verbose_name=_("start"), format="j M Y H:i")
    city = tables.Column(accessor="location__city", verbose_name=_("city"), default="")
    organizer = tables.Column(
        accessor="organizer__name_text", verbose_name=_("organiser"), default=""
    )
    workflow_status = tables.Column(verbose_name=_("workflow status"))

    class Meta(_Table.Meta):
        empty_text = _("No event matches.")
