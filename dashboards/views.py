"""Museum-facing pages: every one of them goes through dashboards.scoping.museum_for."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exports import CSV, attachment
from core.roles import CURATOR, MUSEUM, SURVEY_MANAGER, is_publiq_staff, role_required
from dashboards import periods, privacy
from dashboards.forms import CommentSearchForm, PeriodForm, SegmentForm
from dashboards.privacy import DIMENSIONS
from dashboards.report import Table, museum_dashboard
from dashboards.scoping import museum_for, museums_for

DASHBOARD_ROLES = (MUSEUM, CURATOR, SURVEY_MANAGER)


@role_required(*DASHBOARD_ROLES)
def home(request):
    if is_publiq_staff(request.user):
        return redirect("dashboards:staff")
    museums = list(museums_for(request.user).order_by("name"))
    if len(museums) == 1:
        return redirect("dashboards:museum", museum_id=museums[0].pk)
    return render(request, "dashboards/home.html", {"museums": museums})


def period_presets(current: periods.Period) -> list[dict]:
    this_month = periods.month_start(timezone.localdate())
    choices = (
        (_("This month"), periods.period_for(periods.MONTH, this_month)),
        (_("Last month"), periods.period_for(periods.MONTH, periods.add_months(this_month, -1))),
        (_("This quarter"), periods.period_for(periods.QUARTER, this_month)),
        (
            _("Last quarter"),
            periods.period_for(periods.QUARTER, periods.add_months(this_month, -3)),
        ),
        (_("This year"), periods.period_for(periods.YEAR, this_month)),
        (_("Last year"), periods.period_for(periods.YEAR, periods.add_months(this_month, -12))),
        (_("Last 12 months"), periods.default_period()),
    )
    return [
        {"label": label, "query": urlencode(period.query()), "active": period == current}
        for label, period in choices
    ]


def bad_query(*forms) -> HttpResponseBadRequest | None:
    """400 with the forms' errors, for a download whose query string is wrong (a page shows
    the errors beside its fields instead)."""
    errors = [error for form in forms for errors in form.errors.values() for error in errors]
    if errors:
        return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
    return None


def _dashboard(request, scope, period_form, segment_form):
    """The dashboard of the query string's period, filters and comment search, and the query
    string that selects them again."""
    search_form = CommentSearchForm(request.GET)
    search = search_form.cleaned_data["q"] if search_form.is_valid() else ""
    period, segment = period_form.period_value(), segment_form.segment_value()
    query = {**period.query(), **segment.values(), **({"q": search} if search else {})}
    dashboard = museum_dashboard(scope, period, segment, search=search)
    return dashboard, search_form, urlencode(query)


@role_required(*DASHBOARD_ROLES)
def museum(request, museum_id):
    scope = museum_for(request.user, museum_id)
    period_form, segment_form = PeriodForm(request.GET), SegmentForm(request.GET)
    dashboard, search_form, query = _dashboard(request, scope, period_form, segment_form)
    period, filters = dashboard.period, dashboard.segment.values()
    for table in dashboard.tables:
        table.csv_url = reverse("dashboards:museum-csv", args=[scope.pk, table.slug]) + f"?{query}"
        xlsx = reverse("dashboards:museum-xlsx", args=[scope.pk, table.slug])
        table.xlsx_url = f"{xlsx}?{query}"
    context = {
        "dashboard": dashboard,
        "scope": scope,
        "query": query,
        "period_form": period_form,
        "segment_form": segment_form,
        "search_form": search_form,
        "period_kinds": periods.KINDS,
        "segment_fields": [
            (segment_form[name], dashboard.safe_dimensions[name]) for name in DIMENSIONS
        ],
        **privacy_context(),
        "presets": period_presets(period),
        "previous_query": urlencode({**period.shifted(-1).query(), **filters}),
        "next_query": urlencode({**period.shifted(1).query(), **filters}),
        "filters_query": urlencode(filters),
    }
    return render(request, "dashboards/museum.html", context)


def privacy_context() -> dict:
    return {
        "min_responses": privacy.min_responses(),
        "min_comments": privacy.min_responses_for_comments(),
        "nps_warning_below": privacy.nps_warning_below(),
    }


def table_export(table: Table, stem: str, kind: str) -> HttpResponse:
    """A dashboard table as the page shows it: its headers, its rows' labels, its cells."""
    heading = [table.label_header or table.title, *table.columns]
    rows = ([row.label, *(cell.exported for cell in row.cells)] for row in table.rows)
    return attachment(stem, [heading, *rows], kind=kind, title=table.title)


@role_required(*DASHBOARD_ROLES)
def museum_export(request, museum_id, table, kind=CSV):
    scope = museum_for(request.user, museum_id)
    period_form, segment_form = PeriodForm(request.GET), SegmentForm(request.GET)
    if (bad := bad_query(period_form, segment_form)) is not None:
        return bad
    dashboard = _dashboard(request, scope, period_form, segment_form)[0]
    found = dashboard.table(table)
    if found is None:
        raise Http404
    period = dashboard.period
    stem = f"museum-{scope.pk}-{found.slug}-{period.first:%Y-%m}-{period.last:%Y-%m}"
    return table_export(found, stem, kind)
