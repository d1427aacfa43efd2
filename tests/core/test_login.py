from tests.support.users import PASSWORD


def test_a_user_logs_in_and_out(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 302


def test_a_wrong_password_says_so_without_logging_in(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/").status_code == 302


def test_login_is_locked_out_after_repeated_failures(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})

    # Even the right password is refused while the lockout lasts.
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert response.status_code == 429
    assert "Te veel mislukte pogingen" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_lockout_holds_for_one_user_and_address_not_for_others(client, alice, bob, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "alice", "password": "wrong"})

    response = client.post("/accounts/login/", {"username": "bob", "password": PASSWORD})

    assert response.status_code == 302
