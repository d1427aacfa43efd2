"""Channel pages: the staff dashboard and channels table, and a channel's page, which a
partner's users see for their own channels only (channels.scoping.channel_for)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from channels import report, selectors
from channels.forms import ChannelFilterForm
from channels.scoping import channel_for, channels_for
from channels.tables import ChannelTable
from core.exports import CSV, FORMATS, attachment
from core.roles import STAFF_ROLES, is_publiq_staff, role_required
from dashboards import periods
from dashboards.forms import PeriodForm
from dashboards.views import bad_query, table_export

PAGE_SIZE = 50


@login_required
def home(request):
    if is_publiq_staff(request.user):
        return redirect("channels:staff")
    channels = list(channels_for(request.user).order_by("name"))
    if len(channels) == 1:
        return redirect("channels:channel", channel_id=channels[0].pk)
    return render(request, "channels/home.html", {"channels": channels})


def _period(request):
    form = PeriodForm(request.GET)
    return form, form.period_value()


def _with_exports(tables, period, csv_name: str, xlsx_name: str, args=()):
    query = urlencode(period.query())
    for table in tables:
        table.csv_url = reverse(csv_name, args=[*args, table.slug]) + f"?{query}"
        table.xlsx_url = reverse(xlsx_name, args=[*args, table.slug]) + f"?{query}"
    return tables


def _page_context(period_form, period) -> dict:
    return {
        "period_form": period_form,
        "period": period,
        "period_kinds": periods.KINDS,
        "previous_query": urlencode(period.shifted(-1).query()),
        "next_query": urlencode(period.shifted(1).query()),
    }


@role_required(*STAFF_ROLES)
def staff(request):
    period_form, period = _period(request)
    tables = _with_exports(
        report.staff_tables(period), period, "channels:staff-csv", "channels:staff-xlsx"
    )
    context = {"tables": tables, **_page_context(period_form, period)}
    return render(request, "channels/staff.html", context)


def _export(tables, table: str, stem: str, kind: str):
    found = next((candidate for candidate in tables if candidate.slug == table), None)
    if found is None:
        raise Http404
    return table_export(found, f"{stem}-{found.slug}", kind)


@role_required(*STAFF_ROLES)
def staff_export(request, table, kind=CSV):
    period_form, period = _period(request)
    if (bad := bad_query(period_form)) is not None:
        return bad
    stem = f"channels-{period.first:%Y-%m}-{period.last:%Y-%m}"
    return _export(report.staff_tables(period), table, stem, kind)


@role_required(*STAFF_ROLES)
def channel_list(request):
    form = ChannelFilterForm(request.GET)
    export = request.GET.get("export")
    if export and (export not in FORMATS or not form.is_valid()):
        return bad_query(form) or HttpResponseBadRequest()
    rows = form.filter(selectors.channel_rows(timezone.localdate()))
    table = ChannelTable(rows)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    if export:
        ordered = rows.order_by(*(table.order_by or ("name",)), "pk")
        return attachment("channels", table.export_rows(ordered), kind=export, title=_("Channels"))
    query = {key: value for key, value in request.GET.items() if key not in ("export", "page")}
    return render(
        request,
        "channels/list.html",
        {
            "table": table,
            "form": form,
            "csv_query": urlencode({**query, "export": "csv"}),
            "xlsx_query": urlencode({**query, "export": "xlsx"}),
        },
    )


@login_required
def channel(request, channel_id):
    found = channel_for(request.user, channel_id)
    period_form, period = _period(request)
    tables = _with_exports(
        report.channel_tables(found, period),
        period,
        "channels:channel-csv",
        "channels:channel-xlsx",
        [found.pk],
    )
    context = {
        "channel": found,
        "tables": tables,
        "pages": selectors.channel_pages(found, period.first, period.end),
        "history": selectors.status_history(found),
        "events": selectors.most_viewed_events(found, period.first, period.last),
        "staff": is_publiq_staff(request.user),
        **_page_context(period_form, period),
    }
    return render(request, "channels/channel.html", context)


@login_required
def channel_export(request, channel_id, table, kind=CSV):
    found = channel_for(request.user, channel_id)
    period_form, period = _period(request)
    if (bad := bad_query(period_form)) is not None:
        return bad
    stem = f"channel-{found.pk}-{period.first:%Y-%m}-{period.last:%Y-%m}"
    return _export(report.channel_tables(found, period), table, stem, kind)
