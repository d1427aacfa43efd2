"""Demo users, one per role; every password is printed by seed_demo."""

from django.contrib.auth.models import Group

from core.models import User
from core.roles import CURATOR, MUSEUM, SURVEY_MANAGER

# (username, password, role or None for the administrator, first name, admin access)
DEMO_USERS = (
    ("admin", "admin-demo-2026", None, "Ada", True),
    ("alice", "alice-demo-2026", CURATOR, "Alice", False),
    ("bob", "bob-demo-2026", CURATOR, "Bob", False),
    ("sofie", "sofie-demo-2026", SURVEY_MANAGER, "Sofie", True),
    ("charlie", "charlie-demo-2026", MUSEUM, "Charlie", False),
    ("dora", "dora-demo-2026", MUSEUM, "Dora", False),
)


def seed(*, out) -> None:
    for username, password, role, first_name, is_staff in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "email": f"{username}@demo.publiq.be"},
        )
        if created:
            user.set_password(password)
        user.is_staff = is_staff or role is None
        user.is_superuser = role is None
        user.save()
        if role:
            user.groups.add(Group.objects.get(name=role))
    out.write(f"users: {len(DEMO_USERS)} demo users ready")


def print_logins(*, out) -> None:
    out.write("\nDemo logins (http://127.0.0.1:8000/accounts/login/):")
    for username, password, role, _first_name, _is_staff in DEMO_USERS:
        out.write(f"  {username:<8} {password:<20} {role or 'administrator'}")
