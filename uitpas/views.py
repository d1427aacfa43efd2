"""UiTPAS pages: each reaches its municipality or card system through uitpas.scoping (404 for
one the user may not see). Every table downloads as CSV or XLSX with `?export=<table>`."""

from urllib.parse import urlencode

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse

from core.exports import FORMATS
from core.roles import CURATOR, SURVEY_MANAGER, UITPAS_PARTNER, is_publiq_staff, role_required
from dashboards import periods
from dashboards.forms import PeriodForm
from dashboards.views import bad_query, period_presets, table_export
from uitpas import overview, privacy, report, selectors
from uitpas.forms import ProfilesForm, SortForm
from uitpas.scoping import card_systems_for, municipalities_for, unit_for

ROLES = (UITPAS_PARTNER, CURATOR, SURVEY_MANAGER)
KIND_OF = {"nis_code": "municipality", "card_system_id": "card-system"}


def _unit(request, kwargs):
    ((name, key),) = kwargs.items()
    return unit_for(request.user, KIND_OF[name], key)


def _privacy() -> dict:
    return {"k": privacy.k(), "noise": privacy.noise_scale()}


def _links(unit) -> dict:
    """The unit's three pages."""
    base = "uitpas:municipality" if unit.is_municipality else "uitpas:card-system"
    return {
        "ksb": reverse(base, args=[unit.key]),
        "profiles": reverse(f"{base}-profiles", args=[unit.key]),
        "cohorts": reverse(f"{base}-cohorts", args=[unit.key]),
    }


def _respond(request, template, page, query: str, extra: dict | None = None):
    """The page, or one of its tables as a download."""
    export = request.GET.get("export")
    if export:
        table = page.table(export)
        kind = request.GET.get("format", "csv")
        if table is None or kind not in FORMATS:
            raise Http404
        unit = f"{page.unit.kind}-{page.unit.key}" if page.unit else "all"
        return table_export(table, f"uitpas-{unit}-{table.slug}", kind)
    for table in page.tables:
        table.csv_url = f"?{query}&export={table.slug}"
        table.xlsx_url = f"?{query}&export={table.slug}&format=xlsx"
    context = {"page": page, **_privacy(), "query": query, **(extra or {})}
    if page.unit is not None:
        context["links"] = _links(page.unit)
    return render(request, template, context)


@role_required(*ROLES)
def home(request):
    if is_publiq_staff(request.user):
        return redirect("uitpas:staff")
    municipalities = list(municipalities_for(request.user).order_by("name"))
    systems = list(card_systems_for(request.user).order_by("name"))
    if len(municipalities) == 1 and not systems:
        return redirect("uitpas:municipality", nis_code=municipalities[0].nis_code)
    return render(
        request, "uitpas/home.html", {"municipalities": municipalities, "systems": systems}
    )


@role_required(*ROLES)
def ksb(request, **kwargs):
    unit = _unit(request, kwargs)
    form = PeriodForm(request.GET)
    if request.GET.get("export") and (bad := bad_query(form)) is not None:
        return bad
    period = form.period_value()
    page = report.ksb_page(unit, period)
    query = urlencode(period.query())
    extra = {
        "period_form": form,
        "period_kinds": periods.KINDS,
        "presets": period_presets(period),
        "previous_query": urlencode(period.shifted(-1).query()),
        "next_query": urlencode(period.shifted(1).query()),
    }
    return _respond(request, "uitpas/ksb.html", page, query, extra)


@role_required(*ROLES)
def profiles(request, **kwargs):
    unit = _unit(request, kwargs)
    form = ProfilesForm(request.GET)
    if not form.is_valid() and request.GET.get("export"):
        return bad_query(form)
    to = form.cleaned_data.get("to") if form.is_valid() else None
    quarter = report.quarter_of(to) if to else report.last_full_quarter()
    page = report.profiles_page(unit, quarter)
    query = urlencode({"to": report.quarter_end(quarter).isoformat()})
    return _respond(
        request, "uitpas/profiles.html", page, query, {"form": form, "quarter": quarter}
    )


@role_required(*ROLES)
def cohorts(request, **kwargs):
    unit = _unit(request, kwargs)
    return _respond(request, "uitpas/cohorts.html", report.cohorts_page(unit), "")


@role_required(CURATOR, SURVEY_MANAGER)
def staff(request):
    form, sort_form = PeriodForm(request.GET), SortForm(request.GET)
    export = request.GET.get("export")
    if export and (export not in FORMATS or form.errors or sort_form.errors):
        return bad_query(form, sort_form) or HttpResponseBadRequest()
    period = form.period_value()
    sort, descending = sort_form.value()
    table = overview.overview_table(period, sort, descending)
    query = urlencode({**period.query(), "sort": sort, "descending": int(descending)})
    if export:
        stem = f"uitpas-municipalities-{period.first:%Y-%m}-{period.last:%Y-%m}"
        return table_export(table, stem, export)
    table.csv_url = f"?{query}&export=csv"
    table.xlsx_url = f"?{query}&export=xlsx"
    return render(
        request,
        "uitpas/staff.html",
        {
            "table": table,
            "period": period,
            "period_form": form,
            "sort_form": sort_form,
            "period_kinds": periods.KINDS,
            "presets": period_presets(period),
            **_privacy(),
        },
    )


@role_required(CURATOR, SURVEY_MANAGER)
def staff_cohorts(request):
    page = report.cohorts_page(None, selectors.municipality_rows())
    return _respond(request, "uitpas/cohorts.html", page, "", {"all": True})
