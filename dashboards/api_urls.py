from django.urls import path

from dashboards import api

app_name = "dashboards_api"
urlpatterns = [
    path("<int:museum_id>/dashboard/", api.MuseumDashboardView.as_view(), name="museum-dashboard"),
]
