from core.roles import CURATOR

# Curators read the catalogue (the admin, for those with admin access, and the API).
ROLE_PERMISSIONS = {
    CURATOR: [
        "events.view_event",
        "events.view_term",
        "events.view_place",
        "events.view_organizer",
    ],
}
