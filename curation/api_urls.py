from django.urls import path

from curation.api_queues import DecisionListView, QueueClaimView, TaskDecideView, TaskReleaseView

urlpatterns = [
    path(
        "curation/queues/<slug:slug>/claim/", QueueClaimView.as_view(), name="curation-queue-claim"
    ),
    path(
        "curation/tasks/<int:task_id>/decide/",
        TaskDecideView.as_view(),
        name="curation-task-decide",
    ),
    path(
        "curation/tasks/<int:task_id>/release/",
        TaskReleaseView.as_view(),
        name="curation-task-release",
    ),
    path("curation/decisions/", DecisionListView.as_view(), name="curation-decisions"),
]
