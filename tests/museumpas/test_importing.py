from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from museumpas.models import Holder, Museum, Pass, Visit
from tests.museumpas.factories import HolderFactory, MuseumFactory


def run(kind, text, tmp_path):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command("import_museumpas", kind, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_museums_and_reports_bad_rows_with_line_and_reason(db, tmp_path):
    out, err = run(
        "museums",
        "id,name,city,postcode,region,size,uitdatabank_place_id,active\n"
        "m1,MAS,Antwerpen,2000,flanders,large,,true\n"
        "m2,BAM,Mons,7000,Wallonie,medium,,true\n"
        "m3,Design Museum,Brussel,1000,brussels,small,not-a-uuid,yes\n"
        "m4,M Leuven,Leuven,3000,flanders,medium,0f8a6d2c-3c1e-4b7e-9a55-6c1d3f0e7a11,false\n",
        tmp_path,
    )
    assert set(Museum.objects.values_list("external_id", flat=True)) == {"m1", "m4"}
    assert "line 3: region 'wallonie' is not one of" in err
    assert "line 4: uitdatabank_place_id 'not-a-uuid' is not a UUID" in err
    assert "museums: 2 rows stored, 2 bad rows left out" in out
    assert Museum.objects.get(external_id="m4").active is False


def test_it_upserts_holders_by_id_and_derives_the_region(db, tmp_path):
    HolderFactory(external_id="h1", email="old@example.org", language="nl")
    _out, err = run(
        "holders",
        "id,language,postcode,birth_year,email,created\n"
        "h1,fr,4000,1970,new@example.org,2024-02-01\n"
        "h2,en,1050,19x0,h2@example.org,\n"
        "h3,de,9000,1990,h3@example.org,\n"
        "h4,nl,9000,1990,not-an-address,\n"
        "h5,nl,9000,1990,h5@example.org,01/02/2024\n"
        "h6,nl,8500,,,\n",
        tmp_path,
    )
    holder = Holder.objects.get(external_id="h1")
    assert (holder.language, holder.email, holder.region) == ("fr", "new@example.org", "wallonia")
    assert Holder.objects.get(external_id="h6").region == "flanders"
    assert Holder.objects.count() == 2
    for line, reason in (
        (3, "birth_year '19x0' is not a year"),
        (4, "language 'de' is not one of nl, fr, en"),
        (5, "email 'not-an-address' is not an e-mail address"),
        (6, "created '01/02/2024' is not a date"),
    ):
        assert f"line {line}: {reason}" in err


def test_passes_and_visits_refer_to_known_holders_and_museums(db, tmp_path):
    MuseumFactory(external_id="m1")
    HolderFactory(external_id="h1")
    run(
        "passes",
        "id,holder_id,card_number,valid_from,valid_until,channel,museum_id,renewal,price\n"
        "p1,h1,1234,2026-01-01,2026-12-31,museum,m1,true,65.00\n"
        "p2,h9,1235,2026-01-01,2026-12-31,online,,false,65\n"
        "p3,h1,1236,2026-01-01,2025-12-31,online,,false,65\n"
        "p4,h1,1237,2026-01-01,2026-12-31,shop,,false,65\n",
        tmp_path,
    )
    sold = Pass.objects.get()
    assert (sold.external_id, sold.sold_by.external_id, sold.is_renewal) == ("p1", "m1", True)

    _out, err = run(
        "visits",
        "id,holder_id,museum_id,visited_at\n"
        "v1,h1,m1,2026-03-01T10:15:00+01:00\n"
        "v2,h1,m2,2026-03-01T10:15:00+01:00\n"
        "v3,h1,m1,yesterday\n"
        "v1,h1,m1,2026-03-02T10:15:00+01:00\n",
        tmp_path,
    )
    assert list(Visit.objects.values_list("external_id", flat=True)) == ["v1"]
    assert "line 3: museum_id 'm2' is not a known museum" in err
    assert "line 4: visited_at 'yesterday' is not a date and time" in err
    assert "line 5: id already on line 2" in err


def test_a_file_without_the_expected_columns_stores_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="no row was stored"):
        run("visits", "visit,holder\n1,2\n", tmp_path)


def test_it_shows_progress_and_reimports_without_duplicates(db, tmp_path):
    rows = "".join(f"h{n},nl,9000,1980,h{n}@example.org,\n" for n in range(2500))
    text = "id,language,postcode,birth_year,email,created\n" + rows
    _out, err = run("holders", text, tmp_path)
    assert "2000 rows read" in err and "2500 rows read" in err
    run("holders", text, tmp_path)
    assert Holder.objects.count() == 2500
