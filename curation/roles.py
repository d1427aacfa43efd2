from core.roles import CURATOR

# Curators read the catalogue (the admin, for those with admin access, and the API).
ROLE_PERMISSIONS = {
    CURATOR: [
        "curation.view_event",
        "curation.view_term",
        "curation.view_place",
        "curation.view_organizer",
    ],
}
