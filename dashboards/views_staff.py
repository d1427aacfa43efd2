"""Pages for publiq staff only: all museums side by side, and the period comparison."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from core.exports import FORMATS, attachment
from core.roles import CURATOR, SURVEY_MANAGER, role_required
from dashboards.comparison import comparison_tables, default_windows
from dashboards.forms import ComparisonForm, PeriodForm
from dashboards.overview import overview_rows
from dashboards.tables import MuseumOverviewTable
from dashboards.views import bad_query, privacy_context, table_export


@role_required(CURATOR, SURVEY_MANAGER)
def overview(request):
    period_form = PeriodForm(request.GET)
    export = request.GET.get("export")
    if export and (export not in FORMATS or period_form.errors):
        return bad_query(period_form) or HttpResponseBadRequest()
    period = period_form.period_value()
    rows, medians = overview_rows(period)
    table = MuseumOverviewTable(rows, period_query=period.query())
    RequestConfig(request, paginate=False).configure(table)
    if export:
        stem = f"museums-{period.first:%Y-%m}-{period.last:%Y-%m}"
        return attachment(stem, table.export_rows(), kind=export, title=_("Museums"))
    return render(
        request,
        "dashboards/staff_overview.html",
        {
            "table": table,
            "period": period,
            "period_form": period_form,
            "medians": medians,
            "export_query": urlencode({**period.query(), "export": "csv"}),
            "xlsx_query": urlencode({**period.query(), "export": "xlsx"}),
        },
    )


@role_required(CURATOR, SURVEY_MANAGER)
def comparison(request):
    form = ComparisonForm(request.GET or default_windows(timezone.localdate()))
    tables = comparison_tables(form.windows()) if form.is_valid() else []
    query = urlencode(
        {key: value for key, value in form.data.items() if key not in ("export", "format")}
    )
    for table in tables:
        table.csv_url = f"?{query}&export={table.slug}"
        table.xlsx_url = f"?{query}&export={table.slug}&format=xlsx"
    export = request.GET.get("export")
    if export:
        table = next((table for table in tables if table.slug == export), None)
        kind = request.GET.get("format", "csv")
        if table is None or kind not in FORMATS:
            raise Http404
        return table_export(table, f"comparison-{table.slug}", kind)
    return render(
        request,
        "dashboards/comparison.html",
        {"form": form, "tables": tables, "query": query, **privacy_context()},
    )
