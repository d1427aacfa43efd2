from django.contrib.auth.models import Group

from core.models import User

PASSWORD = "correct horse battery staple"


def make_user(username: str, *roles: str, **fields) -> User:
    """A user with the given roles (group names) and the password PASSWORD."""
    user = User.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.be", **fields
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user
