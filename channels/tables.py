"""The channels table (django-tables2: sorting in the database, a page of rows at a time; the
exports take every filtered row in the page's words)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

NUMBER = {"th": {"class": "number"}, "td": {"class": "number"}}
NO_DATA = "\u2013"


class ChannelTable(tables.Table):
    name = tables.Column(verbose_name=_("Channel"))
    partner = tables.Column(
        verbose_name=_("Partner"),
        accessor="partner__name",
        order_by="partner__name",
        default=NO_DATA,
    )
    type = tables.Column(verbose_name=_("Type"))
    status = tables.Column(verbose_name=_("Status"))
    last_seen = tables.DateColumn(verbose_name=_("Last seen"), default=NO_DATA)
    views_30 = tables.Column(verbose_name=_("Consultations, last 30 days"), attrs=NUMBER)
    requests_30 = tables.Column(verbose_name=_("Search API requests, last 30 days"), attrs=NUMBER)

    class Meta:
        attrs = {"class": "overview", "id": "channel-table"}
        order_by = ("name",)

    def render_name(self, record, value):
        return format_html(
            '<a href="{}">{}</a>', reverse("channels:channel", args=[record.pk]), value
        )

    def render_type(self, record):
        return record.get_type_display()

    def render_status(self, record):
        return record.get_status_display()

    def export_rows(self, rows) -> list[list]:
        yield [str(column.header) for column in self.columns]
        for record in rows:
            yield [
                record.name,
                record.partner.name if record.partner else "",
                record.get_type_display(),
                record.get_status_display(),
                record.last_seen,
                record.views_30,
                record.requests_30,
            ]
