from django.urls import path

from curation import views

app_name = "curation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("statistics/", views.statistics, name="statistics"),
    path("queues/<slug:slug>/", views.queue_detail, name="queue"),
    path("queues/<slug:slug>/next/", views.queue_next, name="queue-next"),
    path("tasks/<int:task_id>/", views.task_detail, name="task"),
    path("tasks/<int:task_id>/decide/", views.task_decide_view, name="task-decide"),
    path("tasks/<int:task_id>/skip/", views.task_skip_view, name="task-skip"),
    path("tasks/<int:task_id>/release/", views.task_release_view, name="task-release"),
    path("tasks/<int:task_id>/next/", views.task_pass_view, name="task-next"),
    path("tasks/<int:task_id>/take/", views.task_take_view, name="task-take"),
    path("tasks/<int:task_id>/keep/", views.task_keep_view, name="task-keep"),
    path("tasks/<int:task_id>/amend/", views.task_amend_view, name="task-amend"),
    path("tasks/<int:task_id>/undo/", views.task_undo_view, name="task-undo"),
    path("tasks/<int:task_id>/check-url/", views.task_check_url, name="task-check-url"),
    path("tasks/<int:task_id>/url-check/", views.task_url_check_fragment, name="task-url-check"),
    path("events/", views.event_search, name="events"),
    path("events/<int:event_id>/", views.event_detail, name="event"),
    path("events/<int:event_id>/document/", views.event_document, name="event-document"),
]
