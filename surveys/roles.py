from core.roles import SURVEY_MANAGER

_MANAGED = ("survey", "question", "campaign")
_VIEWED = ("invitation", "response", "answer", "optout")

ROLE_PERMISSIONS = {
    SURVEY_MANAGER: [
        *(
            f"surveys.{action}_{model}"
            for model in _MANAGED
            for action in ("add", "change", "delete", "view")
        ),
        *(f"surveys.view_{model}" for model in _VIEWED),
        # Only to send failed invitations again (admin action); every field stays read-only.
        "surveys.change_invitation",
    ],
}
