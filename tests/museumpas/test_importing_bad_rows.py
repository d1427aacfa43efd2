"""What a careless supplier's CSV holds: impossible moments, overlong values, NaN, control
characters. Each such row is reported with its line and reason; the good rows of the same batch
are stored, and nothing stored breaks a later read."""

import datetime
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from museumpas import importing
from museumpas.models import Holder, Museum, Pass, Visit
from tests.museumpas.factories import HolderFactory, MuseumFactory

pytestmark = pytest.mark.django_db


def run(kind, text, tmp_path):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_museumpas", kind, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_visits_outside_the_plausible_range_are_row_errors_and_nothing_breaks_a_read(
    tmp_path, admin_client
):
    MuseumFactory(external_id="m1")
    HolderFactory(external_id="h1")
    ahead = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    _out, err = run(
        "visits",
        "id,holder_id,museum_id,visited_at\n"
        "v1,h1,m1,0001-01-01T00:00:00+14:00\n"
        "v2,h1,m1,9999-12-31T23:59:59-14:00\n"
        "v3,h1,m1,2026-03-01T10:00:00-17:55\n"
        "v4,h1,m1,2017-12-31T12:00:00+01:00\n"
        f"v5,h1,m1,{ahead}\n"
        "v6,h1,m1,2026-03-01T10:00:00+01:00\n"
        "v7,h1,m1,2018-01-01T00:00:00\n",
        tmp_path,
    )
    assert sorted(Visit.objects.values_list("external_id", flat=True)) == ["v6", "v7"]
    for line, reason in (
        (2, "'0001-01-01T00:00:00+14:00' is out of range"),
        (3, "'9999-12-31T23:59:59-14:00' is out of range"),
        (4, "'2026-03-01T10:00:00-17:55' has a UTC offset beyond 14:00"),
        (5, "'2017-12-31T12:00:00+01:00' is not between"),
        (6, f"{ahead!r} is not between 2018-01-01 and a day from now"),
    ):
        assert f"line {line}: visited_at {reason}" in err
    assert admin_client.get("/admin/museumpas/visit/").status_code == 200
    call_command("rebuild_dashboard_summaries", stdout=StringIO(), stderr=StringIO())


def test_the_earliest_date_is_a_setting(tmp_path, settings):
    settings.MUSEUMPAS_EARLIEST_DATE = datetime.date(2024, 1, 1)
    MuseumFactory(external_id="m1")
    HolderFactory(external_id="h1")
    _out, err = run(
        "visits",
        "id,holder_id,museum_id,visited_at\n"
        "v1,h1,m1,2023-06-01T10:00:00+02:00\n"
        "v2,h1,m1,2024-06-01T10:00:00+02:00\n",
        tmp_path,
    )
    assert "line 2: visited_at '2023-06-01T10:00:00+02:00' is not between 2024-01-01" in err
    assert list(Visit.objects.values_list("external_id", flat=True)) == ["v2"]


def test_an_overlong_email_is_a_row_error_and_the_rest_of_the_batch_is_stored(tmp_path):
    long_email = "a" * 290 + "@example.org"
    out, err = run(
        "holders",
        "id,language,postcode,birth_year,email,created\n"
        "h1,nl,9000,1980,h1@example.org,2024-02-01\n"
        f"h2,nl,9000,1980,{long_email},\n"
        f"{'x' * 65},nl,9000,1980,,\n"
        "h4,nl,9000,1980,h4@example.org,1999-02-01\n"
        "h5,nl,9000,2999,h5@example.org,\n"
        "h6,fr,1000,1975,h6@example.org,\n",
        tmp_path,
    )
    assert sorted(Holder.objects.values_list("external_id", flat=True)) == ["h1", "h6"]
    assert "line 3: email is longer than 254 characters" in err
    assert "line 4: id is longer than 64 characters" in err
    assert "line 5: created '1999-02-01' is not between 2018-01-01" in err
    assert "line 6: birth_year '2999' is not a year" in err
    assert "holders: 2 rows stored, 4 bad rows left out" in out


@pytest.mark.parametrize("price", ["NaN", "sNaN", "Infinity", "-Infinity", "65.005", "1e9"])
def test_a_price_that_is_not_an_amount_is_a_row_error(tmp_path, price):
    MuseumFactory(external_id="m1")
    HolderFactory(external_id="h1")
    _out, err = run(
        "passes",
        "id,holder_id,card_number,valid_from,valid_until,channel,museum_id,renewal,price\n"
        f"p1,h1,1,2026-01-01,2026-12-31,online,,false,{price}\n"
        "p2,h1,2,2026-01-01,2026-12-31,museum,m1,false,65.00\n",
        tmp_path,
    )
    assert list(Pass.objects.values_list("external_id", flat=True)) == ["p2"]
    assert f"line 2: price {price!r}" in err


def test_pass_dates_far_from_today_are_row_errors():
    HolderFactory(external_id="h1")
    report = importing.import_csv(
        "passes",
        StringIO(
            "id,holder_id,card_number,valid_from,valid_until,channel,museum_id,renewal,price\n"
            "p1,h1,1,1900-01-01,1900-12-31,online,,false,65\n"
            "p2,h1,2,2026-01-01,9999-12-31,online,,false,65\n"
        ),
    )
    assert Pass.objects.count() == 0
    assert [(line, reason.split(" is ")[0]) for line, reason in report.errors] == [
        (2, "valid_from '1900-01-01'"),
        (3, "valid_until '9999-12-31'"),
    ]
    assert "is not between 2018-01-01 and" in report.errors[0][1]


def test_museum_names_with_control_characters_are_refused(tmp_path):
    _out, err = run(
        "museums",
        "id,name,city,postcode,region,size,uitdatabank_place_id,active\n"
        'm1,"MAS\nBcc: x@example.org",Antwerpen,2000,flanders,large,,true\n'
        "m2,M Leuven,Leuven,3000,flanders,medium,,true\n"
        "m3,Nul\x00Museum,Gent,9000,flanders,small,,true\n",
        tmp_path,
    )
    assert list(Museum.objects.values_list("external_id", flat=True)) == ["m2"]
    # A quoted field spanning lines is reported at the line where its row ends.
    assert "line 3: name 'MAS\\nBcc: x@example.org' holds a control character" in err
    assert "line 5: name 'Nul\\x00Museum' holds a control character" in err


def test_the_admins_museum_form_refuses_a_name_with_a_line_break(admin_client):
    response = admin_client.post(
        "/admin/museumpas/museum/add/",
        {
            "external_id": "m1",
            "name": "MAS\r\nBcc: x@example.org",
            "region": "flanders",
            "size_class": "large",
            "active": "on",
        },
    )
    assert response.status_code == 200 and "name" in response.context["adminform"].form.errors
    assert not Museum.objects.exists()


def test_a_row_the_database_still_refuses_costs_only_itself(tmp_path, monkeypatch):
    # A check that misses something: the batch is stored again row by row.
    parse = importing.KINDS["holders"].parse

    def careless(row, refs):
        value = parse(row, refs)
        if value["external_id"] == "h2":
            value["email"] = "a" * 300 + "@example.org"
        return value

    monkeypatch.setitem(
        importing.KINDS, "holders", replace(importing.KINDS["holders"], parse=careless)
    )
    out, err = run(
        "holders",
        "id,language,postcode,birth_year,email,created\n"
        "h1,nl,9000,1980,h1@example.org,\n"
        "h2,nl,9000,1980,h2@example.org,\n"
        "h3,nl,9000,1980,h3@example.org,\n",
        tmp_path,
    )
    assert sorted(Holder.objects.values_list("external_id", flat=True)) == ["h1", "h3"]
    assert "line 3: not stored: value too long for type character varying(254)" in err
    assert "holders: 2 rows stored, 1 bad rows left out" in out
