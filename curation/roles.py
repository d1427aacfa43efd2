from core.roles import CURATOR

# Curators read the review queues; they work on tasks through the task pages and
# /api/curation/, which ask for the role itself.
ROLE_PERMISSIONS = {
    CURATOR: [
        "curation.view_queue",
        "curation.view_task",
        "curation.view_decision",
        "curation.view_urlcheck",
    ],
}
