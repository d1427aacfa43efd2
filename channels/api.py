"""`GET /api/channels/summary/?from=&to=` (publiq staff: every channel's months) and
`GET /api/channels/<id>/` (its partner's users and staff; 404 for anyone else, through the
same scoping function as the pages)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from channels import selectors
from channels.scoping import channel_for
from core.roles import is_publiq_staff
from dashboards.api import raise_query_errors
from dashboards.forms import PeriodForm
from dashboards.periods import Period

# The API's names for the figures (a consultation is a widget page view).
NAMES = {
    "registered": "registered",
    "alive": "alive",
    "new": "new",
    "lost": "lost",
    "views": "consultations",
    "impressions": "teaser_impressions",
    "clicks": "clicks",
    "requests": "api_requests",
}
_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="first month, 2026-01"),
    OpenApiParameter("to", OpenApiTypes.STR, description="last month, 2026-12"),
]


def _period(request) -> Period:
    form = PeriodForm({"period": "custom", **request.query_params.dict()})
    raise_query_errors(form)
    return form.period_value()


def months_json(rows: dict, period: Period) -> list[dict]:
    empty = dict.fromkeys(selectors.FIGURES, 0)
    return [
        {
            "month": month.strftime("%Y-%m"),
            **{name: rows.get(month, empty)[figure] for figure, name in NAMES.items()},
        }
        for month in period.months
    ]


def _period_json(period: Period) -> dict:
    return {"from": period.first.strftime("%Y-%m"), "to": period.last.strftime("%Y-%m")}


class SummaryView(APIView):
    @extend_schema(parameters=_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        if not is_publiq_staff(request.user):
            raise PermissionDenied
        period = _period(request)
        figures = selectors.month_figures(period.first, period.last)
        rows = {month: values for (month, _group), values in figures.items()}
        return Response({**_period_json(period), "months": months_json(rows, period)})


class ChannelView(APIView):
    @extend_schema(parameters=_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, channel_id):
        channel = channel_for(request.user, channel_id)
        period = _period(request)
        rows = selectors.channel_months(channel, period.first, period.last)
        partner = channel.partner
        return Response(
            {
                "id": str(channel.pk),
                "name": channel.name,
                "type": channel.type,
                "status": channel.status,
                "party": channel.party,
                "website": channel.website,
                "partner": partner.name if partner else None,
                "municipality": partner.municipality if partner else None,
                **_period_json(period),
                "months": months_json(rows, period),
            }
        )
