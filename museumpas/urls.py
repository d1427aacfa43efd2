from django.urls import path

from museumpas import api

app_name = "museumpas"
urlpatterns = [
    path("visits/", api.VisitCreateView.as_view(), name="api-visits"),
]
