from core.roles import CURATOR

ROLE_PERMISSIONS = {CURATOR: ["family.view_familyrule", "family.view_familyclassification"]}
