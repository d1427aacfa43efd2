"""`/api/uitpas/municipalities/<nis_code>/ratios/?from=&to=`, the same under
`/card-systems/<id>/`, and `/profiles/?to=` and `/cohorts/` under a municipality. Scoped like
the pages (404 for a municipality or card system the user may not see); a withheld figure is
null and named in `suppressed`. Holder counts are published as the pages show them: with noise of
scale `noise_scale` (uitpas.privacy), ratios worked out from them."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from uitpas import privacy, report
from uitpas.forms import ProfilesForm, RangeForm
from uitpas.scoping import card_system_for, municipality_for


def _errors(form) -> dict:
    names = {"start": "from", "stop": "to", "__all__": "period"}
    return {
        names.get(field, field): [error["message"] for error in messages]
        for field, messages in form.errors.get_json_data().items()
    }


def _range(request) -> tuple[datetime.date, datetime.date]:
    form = RangeForm(request.query_params)
    if not form.is_valid():
        raise ValidationError(_errors(form))
    today = datetime.date.today()
    stop = form.cleaned_data["stop"] or today
    start = form.cleaned_data["start"] or (stop - datetime.timedelta(days=364))
    if stop < start:
        raise ValidationError({"period": ["The end of the period is before its start."]})
    return start, stop


def ratios_json(unit, start, stop) -> dict:
    values = report.ratio_values(unit, start, stop)
    return {"name": unit.name, "from": start.isoformat(), "to": stop.isoformat(), **values}


_RANGE = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (Europe/Brussels)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day, included"),
]


class MunicipalityRatiosView(APIView):
    @extend_schema(parameters=_RANGE, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, nis_code):
        unit = municipality_for(request.user, nis_code)
        return Response(ratios_json(unit, *_range(request)))


class CardSystemRatiosView(APIView):
    @extend_schema(parameters=_RANGE, responses={200: OpenApiTypes.OBJECT})
    def get(self, request, card_system_id):
        unit = card_system_for(request.user, card_system_id)
        return Response(ratios_json(unit, *_range(request)))


class MunicipalityProfilesView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("to", OpenApiTypes.DATE, description="a day of the last quarter")
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, nis_code):
        unit = municipality_for(request.user, nis_code)
        form = ProfilesForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(_errors(form))
        to = form.cleaned_data["to"]
        quarter = report.quarter_of(to) if to else report.last_full_quarter()
        page = report.profiles_page(unit, quarter)
        return Response(
            {
                "name": unit.name,
                "to": report.quarter_end(quarter).isoformat(),
                "quarters": page.values,
                "noise_scale": privacy.noise_scale(),
            }
        )


class MunicipalityCohortsView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, nis_code):
        unit = municipality_for(request.user, nis_code)
        years = report.cohorts_page(unit).values.get(unit.key, [])
        return Response(
            {
                "name": unit.name,
                "uitpas_since": unit.municipality.uitpas_since,
                "years": [
                    {
                        "year": year["year"],
                        "from": year["from"],
                        "to": year["to"],
                        "complete": year["complete"],
                        **{
                            name: (None if name in year["hidden"] else year[name])
                            for name in report.COHORT_NAMES
                        },
                        "suppressed": sorted(year["hidden"]),
                    }
                    for year in years
                ],
            }
        )
