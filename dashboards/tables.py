"""The staff overview table (django-tables2: sorting by any column, CSV from the same cells)."""

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from dashboards import privacy
from dashboards.overview import FLAGS
from museumpas.models import Region, SizeClass

NO_DATA = "\u2013"  # an en dash, as in the other dashboard tables
NUMBER = {"th": {"class": "number"}, "td": {"class": "number"}}


class MuseumOverviewTable(tables.Table):
    name = tables.Column(verbose_name=_("Museum"))
    city = tables.Column(verbose_name=_("City"))
    region = tables.Column(verbose_name=_("Region"))
    size_class = tables.Column(verbose_name=_("Size"))
    visits = tables.Column(verbose_name=_("Visits"), attrs=NUMBER)
    passes = tables.Column(verbose_name=_("Passes sold"), attrs=NUMBER)
    sales_per_100 = tables.Column(verbose_name=_("Sales per 100 visits"), attrs=NUMBER)
    renewals = tables.Column(verbose_name=_("Renewals"), attrs=NUMBER)
    responses = tables.Column(verbose_name=_("Responses"), attrs=NUMBER)
    nps = tables.Column(verbose_name=_("NPS"), attrs=NUMBER, empty_values=())
    flags = tables.Column(verbose_name=_("Potential"), orderable=True)

    class Meta:
        # django-tables2 renders the head (sort links) and orders the rows; the body is written
        # by this template from `display`, since rendering 200 museums cell by cell through
        # django-tables2's render machinery took about 300 ms (bench/dashboards.py).
        template_name = "dashboards/_overview_table.html"
        attrs = {"class": "overview", "id": "museum-overview"}
        order_by = ("name",)

    def __init__(self, data: list[dict], *args, period_query: dict, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.period_query = urlencode(period_query)
        for record in data:
            record["display"] = self._display(record)

    def _display(self, record: dict) -> dict:
        """What each cell shows, in the columns' order (the body template writes it out)."""
        url = reverse("dashboards:museum", args=[record["pk"]])
        numbers = ("visits", "passes", "sales_per_100", "renewals", "responses")
        return {
            "name": format_html('<a href="{}?{}">{}</a>', url, self.period_query, record["name"]),
            "texts": [
                record["city"],
                self.render_region(record["region"]),
                self.render_size_class(record["size_class"]),
            ],
            "numbers": [
                *(NO_DATA if record[name] is None else record[name] for name in numbers),
                self.render_nps(record, record["nps"]),
            ],
            "flags": self.render_flags(record["flags"]),
        }

    def export_rows(self) -> list[list]:
        """The header and the rows in the page's order and words, numbers left numbers."""
        rows = [[str(column.header) for column in self.columns]]
        for row in self.rows:
            display = row.record["display"]
            rows.append(
                [
                    row.record["name"],
                    *display["texts"],
                    *display["numbers"],
                    self.value_flags(row.record["flags"]),
                ]
            )
        return rows

    def render_nps(self, record, value):
        text = self.value_nps(record, value)
        return NO_DATA if text == "" else text

    def value_nps(self, record, value):
        if record["nps_hidden"]:
            return f"<{privacy.min_responses()}"
        return "" if value is None else value

    def render_region(self, value):
        return Region(value).label

    def render_size_class(self, value):
        return SizeClass(value).label

    def render_flags(self, value):
        return format_html_join(
            " ", '<span class="badge warn">{}</span>', ((FLAGS[flag],) for flag in value)
        )

    def value_flags(self, value):
        return "; ".join(str(FLAGS[flag]) for flag in value)
