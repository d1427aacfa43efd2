from core.roles import CURATOR, SURVEY_MANAGER

# Holders are personal data: only administrators see them in the admin.
ROLE_PERMISSIONS = {
    SURVEY_MANAGER: ["museumpas.view_museum"],
    CURATOR: ["museumpas.view_museum"],
}
