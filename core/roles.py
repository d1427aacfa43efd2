"""Roles are Django groups; pages ask for a role, never for a group by its spelling."""

from django.contrib.auth.decorators import user_passes_test
from django.core.exceptions import PermissionDenied

CURATOR = "curator"
SURVEY_MANAGER = "survey manager"
MUSEUM = "museum"
UITPAS_PARTNER = "UiTPAS partner"

ROLES = (CURATOR, SURVEY_MANAGER, MUSEUM, UITPAS_PARTNER)
# publiq's own people: they see every museum and municipality. Partners never do.
STAFF_ROLES = (CURATOR, SURVEY_MANAGER)


def has_role(user, *roles: str) -> bool:
    """Superusers hold every role; everyone else holds the roles of their groups."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_role_cache"):
        user._role_cache = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
    return bool(user._role_cache & set(roles))


def is_publiq_staff(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def role_required(*roles: str):
    """Anonymous users go to the login page; logged-in users without the role get a 403."""

    def check(user):
        if user.is_authenticated and not has_role(user, *roles):
            raise PermissionDenied
        return user.is_authenticated

    return user_passes_test(check)


def sync_roles(using: str = "default") -> None:
    """Make the role groups exist with at least their declared permissions.

    Runs after every migrate (and after the test database is flushed), so a new model's
    permissions reach the roles without a hand-written data migration per model.
    """
    from django.contrib.auth.models import Group, Permission

    from core.app_modules import app_modules

    # Each app's `roles.py` grants ROLE_PERMISSIONS = {role: ["app.codename", ...]}.
    declared: dict[str, set[str]] = {role: set() for role in ROLES}
    for module in app_modules("roles"):
        for role, labels in getattr(module, "ROLE_PERMISSIONS", {}).items():
            declared[role].update(labels)
    permissions = {
        f"{permission.content_type.app_label}.{permission.codename}": permission
        for permission in Permission.objects.using(using).select_related("content_type")
    }
    for role, labels in declared.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        unknown = sorted(labels - permissions.keys())
        if unknown:
            raise LookupError(f"role {role!r} names unknown permission {unknown[0]!r}")
        group.permissions.add(*(permissions[label] for label in labels))


ROLE_PERMISSIONS = {
    CURATOR: ["core.view_auditentry"],
    SURVEY_MANAGER: ["core.view_auditentry"],
}
