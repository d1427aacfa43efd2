from django.urls import path

from surveys import views

app_name = "surveys"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/responses.csv", views.campaign_responses, name="responses-csv"),
    path(
        "campaigns/<int:pk>/responses.xlsx",
        views.campaign_responses,
        {"kind": "xlsx"},
        name="responses-xlsx",
    ),
]
