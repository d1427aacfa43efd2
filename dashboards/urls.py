from django.urls import path

from dashboards import views, views_staff

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("museums/<int:museum_id>/", views.museum, name="museum"),
    path("museums/<int:museum_id>/csv/<slug:table>/", views.museum_export, name="museum-csv"),
    path(
        "museums/<int:museum_id>/xlsx/<slug:table>/",
        views.museum_export,
        {"kind": "xlsx"},
        name="museum-xlsx",
    ),
    path("staff/", views_staff.overview, name="staff"),
    path("staff/comparison/", views_staff.comparison, name="comparison"),
]
