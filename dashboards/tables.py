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
        template_name = "django_tables2/table.html"
        attrs = {"class": "overview", "id": "museum-overview"}
        order_by = ("name",)

    def __init__(self, *args, period_query: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.period_query = urlencode(period_query)

    def render_name(self, record, value):
        url = reverse("dashboards:museum", args=[record["pk"]])
        return format_html('<a href="{}?{}">{}</a>', url, self.period_query, value)

    def value_name(self, value):
        return value

    def render_region(self, value):
        return Region(value).label

    def value_region(self, value):
        return Region(value).label

    def render_size_class(self, value):
        return SizeClass(value).label

    def value_size_class(self, value):
        return SizeClass(value).label

    def render_nps(self, record, value):
        text = self._nps_text(record, value)
        return NO_DATA if text == "" else text

    def value_nps(self, record, value):
        return self._nps_text(record, value)

    def render_flags(self, value):
        return format_html_join(
            " ", '<span class="badge warn">{}</span>', ((FLAGS[flag],) for flag in value)
        )

    def value_flags(self, value):
        return "; ".join(str(FLAGS[flag]) for flag in value)

    @staticmethod
    def _nps_text(record, value):
        if record["nps_hidden"]:
            return f"<{privacy.min_responses()}"
        return "" if value is None else value
