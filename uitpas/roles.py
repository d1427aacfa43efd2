from core.roles import CURATOR, SURVEY_MANAGER

ROLE_PERMISSIONS = {
    CURATOR: [
        "uitpas.view_profilecutoff",
        "uitpas.change_profilecutoff",
        "uitpas.view_partnermembership",
        "uitpas.add_partnermembership",
        "uitpas.delete_partnermembership",
    ],
    SURVEY_MANAGER: ["uitpas.view_profilecutoff", "uitpas.change_profilecutoff"],
}
