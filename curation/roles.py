from core.roles import CURATOR

# Curators read the catalogue (the admin, for those with admin access, and the API) and the
# review queues; they work on tasks through the task pages and /api/curation/, which ask for
# the role itself.
ROLE_PERMISSIONS = {
    CURATOR: [
        "curation.view_event",
        "curation.view_term",
        "curation.view_place",
        "curation.view_organizer",
        "curation.view_queue",
        "curation.view_task",
        "curation.view_decision",
        "curation.view_urlcheck",
    ],
}
