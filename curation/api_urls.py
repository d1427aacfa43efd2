from django.urls import include, path

from curation.api_queues import DecisionListView, QueueClaimView, TaskDecideView, TaskReleaseView

# Under /api/curation/ (the project mounts this module at /api/).
_CURATION = [
    path("queues/<slug:slug>/claim/", QueueClaimView.as_view(), name="curation-queue-claim"),
    path("tasks/<int:task_id>/decide/", TaskDecideView.as_view(), name="curation-task-decide"),
    path("tasks/<int:task_id>/release/", TaskReleaseView.as_view(), name="curation-task-release"),
    path("decisions/", DecisionListView.as_view(), name="curation-decisions"),
]
urlpatterns = [path("curation/", include(_CURATION))]
