from django.urls import path

from surveys import views, views_editor

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
    path("editor/surveys/new/", views_editor.survey_edit, name="survey-new"),
    path("editor/surveys/<int:pk>/", views_editor.survey_edit, name="survey-edit"),
    path(
        "editor/surveys/<int:pk>/preview/<str:language>/",
        views_editor.survey_preview,
        name="survey-preview",
    ),
    path(
        "editor/surveys/<int:pk>/preview/<str:language>/page/",
        views_editor.survey_preview_page,
        name="survey-preview-page",
    ),
    path("editor/campaigns/new/", views_editor.campaign_edit, name="campaign-new"),
    path("editor/campaigns/<int:pk>/", views_editor.campaign_edit, name="campaign-edit"),
    path(
        "editor/campaigns/<int:pk>/mail/<str:language>/",
        views_editor.mail_preview,
        name="mail-preview",
    ),
    path(
        "editor/campaigns/<int:pk>/mail/<str:language>/html/",
        views_editor.mail_preview_html,
        name="mail-preview-html",
    ),
    path("editor/campaigns/<int:pk>/test-mail/", views_editor.test_mail, name="test-mail"),
]
