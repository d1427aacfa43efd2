import pytest

# Each role's own area, and what everyone else gets there.
AREAS = {
    "/curation/": {"alice"},
    "/surveys/": {"sofie"},
    "/dashboards/": {"charlie", "alice", "sofie"},
    "/uitpas/": {"alice", "sofie"},
}


@pytest.mark.parametrize("path", sorted(AREAS))
def test_anonymous_users_are_sent_to_the_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("path", sorted(AREAS))
@pytest.mark.parametrize("persona", ["alice", "sofie", "charlie"])
def test_each_role_reaches_its_pages_and_is_refused_the_others(client, request, path, persona):
    client.force_login(request.getfixturevalue(persona))
    expected = 200 if persona in AREAS[path] else 403
    assert client.get(path, follow=True).status_code == expected


def test_the_navigation_shows_only_what_the_role_may_reach(client, alice, charlie):
    client.force_login(alice)
    links = [item["url"] for item in client.get("/").context["navigation"]]
    assert links == ["/curation/", "/dashboards/", "/uitpas/"]

    client.force_login(charlie)
    links = [item["url"] for item in client.get("/").context["navigation"]]
    assert links == ["/dashboards/"]


def test_a_user_without_a_role_reaches_no_area(client, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x")
    client.force_login(nobody)
    assert client.get("/").context["navigation"] == []
    for path in AREAS:
        assert client.get(path).status_code == 403


def test_the_admin_is_for_administrators_only(client, alice, admin_user):
    client.force_login(alice)
    assert client.get("/admin/").status_code == 302
    client.force_login(admin_user)
    assert client.get("/admin/").status_code == 200


def test_the_roles_exist_as_groups_after_migrating(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= {
        "curator",
        "survey manager",
        "museum",
    }
