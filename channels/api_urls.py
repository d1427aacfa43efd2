from django.urls import path

from channels import api

app_name = "channels_api"
urlpatterns = [
    path("summary/", api.SummaryView.as_view(), name="summary"),
    path("<uuid:channel_id>/", api.ChannelView.as_view(), name="channel"),
]
