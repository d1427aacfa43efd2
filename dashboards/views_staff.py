"""Pages for publiq staff only: all museums side by side, and the period comparison."""

from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django_tables2 import RequestConfig

from core.exports import csv_attachment
from core.roles import CURATOR, SURVEY_MANAGER, role_required
from dashboards.comparison import comparison_tables, default_windows
from dashboards.forms import ComparisonForm, PeriodForm
from dashboards.overview import overview_rows
from dashboards.tables import MuseumOverviewTable
from dashboards.views import bad_query, csv_response, privacy_context


@role_required(CURATOR, SURVEY_MANAGER)
def overview(request):
    period_form = PeriodForm(request.GET)
    export = request.GET.get("export") == "csv"
    if export and period_form.errors:
        return bad_query(period_form)
    period = period_form.period_value()
    rows, medians = overview_rows(period)
    table = MuseumOverviewTable(rows, period_query=period.query())
    RequestConfig(request, paginate=False).configure(table)
    if export:
        filename = f"museums-{period.first:%Y-%m}-{period.last:%Y-%m}.csv"
        return csv_attachment(filename, table.as_values())
    return render(
        request,
        "dashboards/staff_overview.html",
        {
            "table": table,
            "period": period,
            "period_form": period_form,
            "medians": medians,
            "export_query": urlencode({**period.query(), "export": "csv"}),
        },
    )


@role_required(CURATOR, SURVEY_MANAGER)
def comparison(request):
    form = ComparisonForm(request.GET or default_windows(timezone.localdate()))
    tables = comparison_tables(form.windows()) if form.is_valid() else []
    query = urlencode({key: value for key, value in form.data.items() if key != "export"})
    for table in tables:
        table.csv_url = f"?{query}&export={table.slug}"
    export = request.GET.get("export")
    if export:
        table = next((table for table in tables if table.slug == export), None)
        if table is None:
            raise Http404
        return csv_response(table, f"comparison-{table.slug}.csv")
    return render(
        request,
        "dashboards/comparison.html",
        {"form": form, "tables": tables, "query": query, **privacy_context()},
    )
