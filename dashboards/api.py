"""`GET /api/museums/<id>/dashboard/?from=&to=`: a museum's dashboard figures as JSON.

For the museum's own users (session or `Authorization: Token <key>`) and publiq staff; 404 for
anyone else, through the same scoping function as the pages.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboards.forms import PeriodForm, SegmentForm
from dashboards.privacy import DIMENSIONS
from dashboards.report import Dashboard, Table, museum_dashboard
from dashboards.scoping import museum_for


def _table_json(table: Table) -> dict:
    return {
        "title": table.title,
        "columns": table.columns,
        "rows": [
            {
                "label": row.label,
                "values": [None if cell.hidden else cell.value for cell in row.cells],
                "suppressed": [cell.hidden for cell in row.cells],
            }
            for row in table.rows
        ],
    }


def dashboard_json(dashboard: Dashboard) -> dict:
    period = dashboard.period
    return {
        "museum": {"id": dashboard.museum.pk, "name": dashboard.museum.name},
        "period": {
            "kind": period.kind,
            "from": period.first.isoformat(),
            "to": period.end.isoformat(),
        },
        "filters": dashboard.segment.values(),
        "filters_refused": dashboard.segment_refused,
        "nps_answers": dashboard.nps_answers,
        "nps_low_base_warning": dashboard.nps_warning,
        "notes": dashboard.notes,
        "tables": {table.slug: _table_json(table) for table in dashboard.tables},
    }


# The form's field names for `from` and `to`, which are keywords in Python.
_QUERY_NAMES = {"start": "from", "stop": "to", "__all__": "period"}

_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.STR, description="first month, 2026-01 (or a date)"),
    OpenApiParameter("to", OpenApiTypes.STR, description="last month, 2026-12 (or a date)"),
    *(OpenApiParameter(name, OpenApiTypes.STR) for name in DIMENSIONS),
]


def raise_query_errors(*forms) -> None:
    """A 400 naming the query string's parameters (from, to, ...) when a form refused them."""
    errors = {
        field: messages for form in forms for field, messages in form.errors.get_json_data().items()
    }
    if errors:
        raise ValidationError(
            {
                _QUERY_NAMES.get(field, field): [error["message"] for error in messages]
                for field, messages in errors.items()
            }
        )


class MuseumDashboardView(APIView):
    @extend_schema(parameters=_PARAMETERS, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, museum_id):
        scope = museum_for(request.user, museum_id)
        period_form = PeriodForm({"period": "custom", **request.query_params.dict()})
        segment_form = SegmentForm(request.query_params)
        raise_query_errors(period_form, segment_form)
        dashboard = museum_dashboard(
            scope, period_form.period_value(), segment_form.segment_value()
        )
        return Response(dashboard_json(dashboard))
