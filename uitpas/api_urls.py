from django.urls import path

from uitpas import api

app_name = "uitpas_api"
urlpatterns = [
    path(
        "municipalities/<str:nis_code>/ratios/",
        api.MunicipalityRatiosView.as_view(),
        name="municipality-ratios",
    ),
    path(
        "municipalities/<str:nis_code>/profiles/",
        api.MunicipalityProfilesView.as_view(),
        name="municipality-profiles",
    ),
    path(
        "municipalities/<str:nis_code>/cohorts/",
        api.MunicipalityCohortsView.as_view(),
        name="municipality-cohorts",
    ),
    path(
        "card-systems/<int:card_system_id>/ratios/",
        api.CardSystemRatiosView.as_view(),
        name="card-system-ratios",
    ),
]
