from django.urls import path

from channels import views

app_name = "channels"
urlpatterns = [
    path("", views.home, name="home"),
    path("staff/", views.staff, name="staff"),
    path("staff/csv/<slug:table>/", views.staff_export, name="staff-csv"),
    path("staff/xlsx/<slug:table>/", views.staff_export, {"kind": "xlsx"}, name="staff-xlsx"),
    path("list/", views.channel_list, name="list"),
    path("<uuid:channel_id>/", views.channel, name="channel"),
    path("<uuid:channel_id>/csv/<slug:table>/", views.channel_export, name="channel-csv"),
    path(
        "<uuid:channel_id>/xlsx/<slug:table>/",
        views.channel_export,
        {"kind": "xlsx"},
        name="channel-xlsx",
    ),
]
