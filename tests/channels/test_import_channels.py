import datetime
import gzip
import json

import pytest
from django.core.management import call_command
from django.db import connection

from channels.models import Channel, ChannelKey, Party, StatusChange, WidgetPage
from tests.channels.factories import FIXTURES, channel_document, import_channels, integration

DAY = datetime.date(2026, 3, 2)
SECRETS = ("clientSecret", "consumerSecret", "consumerKey")


def _secret_document() -> dict:
    document = integration()
    for credential in document["authClients"] + document["keycloakClients"]:
        credential["clientSecret"] = f"secret-client-{credential['environment']}-9f3k"
    for consumer in document["legacyAuthConsumers"]:
        consumer["consumerSecret"] = "secret-consumer-7q2x"
        consumer["consumerKey"] = "secret-consumer-key-5m1w"
    return document


def _every_stored_text() -> str:
    """Every column of every table of the database, as text."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE'"
        )
        tables = [row[0] for row in cursor.fetchall()]
        texts = []
        for table in tables:
            cursor.execute(f'SELECT t::text FROM "{table}" t')
            texts.extend(row[0] for row in cursor.fetchall())
    return "\n".join(texts)


@pytest.mark.django_db
def test_secrets_are_never_stored_in_any_column_of_any_table(tmp_path):
    document = _secret_document()
    path = tmp_path / "integrations.jsonl.gz"
    path.write_bytes(gzip.compress(json.dumps(document).encode() + b"\n"))
    call_command("import_channels", str(path))
    stored = _every_stored_text()
    assert "client-id-production" in stored  # the search does see the channel's columns
    assert "api-key-production" in stored
    for secret in (
        "secret-client-prod-9f3k",
        "secret-client-test-9f3k",
        "secret-consumer-7q2x",
        "secret-consumer-key-5m1w",
    ):
        assert secret not in stored
    assert "john.doe@anonymous.com" not in stored  # contacts are not kept either


@pytest.mark.django_db
def test_the_reference_integration_becomes_a_channel_with_its_partner_and_keys(tmp_path):
    import_channels(tmp_path, [integration()], DAY)
    channel = Channel.objects.select_related("partner").get()
    assert (channel.type, channel.status, channel.party) == ("widgets", "active", Party.THIRD)
    assert channel.partner.name == "Gemeente Voorbeeld"
    assert channel.partner.municipality == "Aalst"
    assert channel.website == "https://www.example.be/uit-agenda"
    assert channel.subscription_category == "Basic"
    keys = set(ChannelKey.objects.values_list("key", "kind", "environment"))
    assert keys == {
        ("client-id-testing", "client_id", "test"),
        ("client-id-production", "client_id", "prod"),
        ("api-key-production", "api_key", "prod"),
    }


@pytest.mark.django_db
def test_each_import_records_a_new_status_with_its_date(tmp_path):
    document = channel_document(name="UiT in Ninove", pages=("p1",))
    import_channels(tmp_path, [document], datetime.date(2026, 1, 5))
    import_channels(tmp_path, [document], datetime.date(2026, 1, 20))  # unchanged
    import_channels(tmp_path, [{**document, "status": "blocked"}], datetime.date(2026, 2, 3))
    import_channels(tmp_path, [{**document, "status": "active"}], datetime.date(2026, 3, 1))
    history = list(StatusChange.objects.order_by("day").values_list("day", "status", "previous"))
    assert history == [
        (datetime.date(2026, 1, 5), "active", ""),
        (datetime.date(2026, 2, 3), "blocked", "active"),
        (datetime.date(2026, 3, 1), "active", "blocked"),
    ]
    assert Channel.objects.count() == 1 and WidgetPage.objects.get().title == "Page p1"


@pytest.mark.django_db
def test_bad_documents_are_reported_with_file_line_and_reason_and_the_rest_kept(tmp_path, capsys):
    good = channel_document(name="UiT in Aalst")
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                json.dumps({**good, "id": "not-a-uuid"}),
                "{broken json",
                json.dumps({**good, "id": "6f1c2b8e-3d4a-4e5f-9a0b-1c2d3e4f5a60", "type": "fax"}),
            ]
        )
    )
    with pytest.raises(SystemExit) as exit_status:
        call_command("import_channels", str(path))
    assert exit_status.value.code == 1
    err = capsys.readouterr().err
    assert f"{path} line 2: id 'not-a-uuid' is not a UUID" in err
    assert f"{path} line 3:" in err and "malformed JSON" in err
    assert f"{path} line 4: type 'fax' is not one of" in err
    assert list(Channel.objects.values_list("name", flat=True)) == ["UiT in Aalst"]


@pytest.mark.django_db
def test_a_missing_file_exits_2_and_imports_nothing(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("import_channels", str(tmp_path / "nothing.json"))
    assert error.value.returncode == 2 and "no such file" in str(error.value)


def test_the_fixture_is_the_reference_example():
    assert json.loads((FIXTURES / "platform_integration_example.json").read_text())["type"] == (
        "widgets"
    )
