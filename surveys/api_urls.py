from django.urls import path

from surveys import api

app_name = "surveys_api"
urlpatterns = [
    path("responses/", api.ResponseListView.as_view(), name="responses"),
]
