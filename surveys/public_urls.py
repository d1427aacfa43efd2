from django.urls import path

from surveys import views_public

app_name = "surveys_public"
urlpatterns = [
    path("<str:token>/", views_public.survey_form, name="form"),
    path("<str:token>/unsubscribe/", views_public.unsubscribe, name="unsubscribe"),
    path("<str:token>/resubscribe/", views_public.resubscribe, name="resubscribe"),
]
