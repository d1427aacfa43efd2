"""import_uitpas: bad records reported with place and reason, good ones kept, exit 0/1/2,
deletions, gzip and arrays, and data minimisation asserted on the stored rows."""

import gzip
import json

import pytest
from django.db import connection

from tests.uitpas.factories import (
    checkin,
    import_csv,
    passholder,
    run_import,
    write_lines,
)
from uitpas.models import Checkin, Membership, Passholder, PostalCode


@pytest.mark.django_db
def test_bad_records_are_reported_with_place_and_reason_and_good_ones_kept(tmp_path):
    records = [
        checkin("ok-1", "h1", "2026-01-01T10:00:00Z"),
        {"id": "no-holder", "creationDate": "2026-01-01T10:00:00Z", "points": 1},
        {**checkin("bad-date", "h1", "x"), "creationDate": "yesterday"},
        {**checkin("bad-points", "h1", "2026-01-01T10:00:00Z"), "points": "one"},
        checkin("ok-2", "h1", "2026-01-02T10:00:00"),  # no offset: UTC
    ]
    path = write_lines(tmp_path / "c.jsonl", records)
    with path.open("a") as file:
        file.write("{not json\n")
    status, out, err = run_import("checkins", path)
    assert status == 1
    assert f"rejected {path} line 2: passholder.id is missing" in err
    assert f"rejected {path} line 3: creationDate is not a date-time: 'yesterday'" in err
    assert f"rejected {path} line 4: points is not a whole number" in err
    assert f"rejected {path} line 6: malformed JSON" in err
    assert "2 imported, 0 deleted, 4 rejected" in out
    assert set(Checkin.objects.values_list("id", flat=True)) == {"ok-1", "ok-2"}


@pytest.mark.django_db
def test_unreadable_input_exits_2_and_gzip_and_arrays_are_read(tmp_path):
    status, _out, err = run_import("checkins", tmp_path / "missing.jsonl")
    assert status == 2 and "no such file" in err
    gz = write_lines(
        tmp_path / "c.jsonl.gz", [checkin("g", "h1", "2026-01-01T10:00:00Z")], gzipped=True
    )
    array = tmp_path / "c.json"
    array.write_text(json.dumps([checkin("a", "h1", "2026-01-01T10:00:00Z")]))
    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(gzip.compress(b'{"id": "x"}\n')[:-6])
    status, _out, _err = run_import("checkins", gz, array)
    assert status == 0 and set(Checkin.objects.values_list("id", flat=True)) == {"g", "a"}
    assert run_import("checkins", broken)[0] == 2


@pytest.mark.django_db
def test_upsert_by_id_and_deletion(tmp_path):
    run_import(
        "checkins",
        write_lines(tmp_path / "1.jsonl", [checkin("c", "h1", "2026-01-01T10:00:00Z", 1)]),
    )
    run_import(
        "checkins",
        write_lines(tmp_path / "2.jsonl", [checkin("c", "h1", "2026-01-01T10:00:00Z", 4)]),
    )
    assert Checkin.objects.get(id="c").points == 4
    run_import("checkins", write_lines(tmp_path / "3.jsonl", [{"id": "c", "deleted": True}]))
    assert not Checkin.objects.exists()


@pytest.mark.django_db
def test_csv_rows_are_checked(tmp_path):
    text = (
        "nis_code,name,province,postal_codes,uitpas_since,discount_share\n"
        "11001,Alfa,X,1000,2021-01-01,0.5\n"
        "1100,Short,X,2000,,0\n"
        "11003,Share,X,3000,,1.5\n"
        "11004,Taken,X,1000,,0\n"
    )
    status, _out, err = import_csv(tmp_path, "municipalities", text)
    assert status == 1
    assert "line 3: nis_code is not five digits" in err
    assert "line 4: discount_share is more than 1" in err
    assert "line 5: postal code 1000 already belongs to 11001" in err
    assert list(PostalCode.objects.values_list("code", flat=True)) == ["1000"]
    status, _out, err = import_csv(tmp_path, "population", "nis_code,year\n11001,2026\n")
    assert status == 2 and "the header lacks inhabitants, people_in_poverty" in err


@pytest.mark.django_db
def test_no_name_insz_email_phone_or_street_is_stored(tmp_path):
    record = passholder(
        "h1", "1000", "2025-03-01T10:00:00Z", social=("ACTIVE", "2027-01-01T00:00:00Z")
    )
    record.update(phoneNumber="+32 470 12 34 56", inszNumber="85073003328")
    assert run_import("passholders", write_lines(tmp_path / "p.jsonl", [record]))[0] == 0
    columns = {f.column for f in Passholder._meta.concrete_fields}
    assert columns == {
        "id",
        "birth_year",
        "postal_code",
        "municipality_id",
        "created_on",
        "social_active",
        "social_end",
        "record_key",  # random, keys the noise on published counts: no personal data
    }
    holder = Passholder.objects.get()
    assert holder.birth_year == 1990 and holder.postal_code == "1000"
    with connection.cursor() as cursor:
        for table in ("uitpas_passholder", "uitpas_membership"):
            cursor.execute(f"SELECT row_to_json(t)::text FROM {table} AS t")
            text = " ".join(row[0] for row in cursor.fetchall())
            for secret in (
                "Peeters",
                "Marc",
                "85073003328",
                "00000009007",
                "h1@example.org",
                "470 12",
                "Secretstraat",
                "1990-05-01",
            ):
                assert secret not in text, f"{table} stores {secret}"
    membership = Membership.objects.get()
    assert membership.social_tariff_status == "ACTIVE"
