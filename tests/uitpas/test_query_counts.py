"""The pages' SQL queries do not grow with the number of municipalities (pinned)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.uitpas.factories import import_csv, import_records, passholder
from uitpas.models import Municipality

Q1 = {"period": "quarter", "from": "2026-01"}


def _queries(client, url) -> int:
    params = {"from": "2026-01-01", "to": "2026-03-31"} if url.startswith("/api/") else Q1
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    import os

    if os.environ.get("SHOWQ"):
        print(url, [q["sql"][:150] for q in captured.captured_queries])
    return len(captured)


def _more_municipalities(tmp_path, count):
    lines = ["nis_code,name,province,postal_codes,uitpas_since,discount_share"]
    lines += [f"{33000 + i},Extra {i},Antwerpen,{5000 + i},2022-01-01,0.5" for i in range(count)]
    import_csv(tmp_path, "municipalities", "\n".join(lines) + "\n")
    Municipality.objects.filter(nis_code__startswith="33").update(card_system_id=7)
    holders = [
        passholder(f"x{i}-{j}", str(5000 + i), "2025-01-01T10:00:00Z")
        for i in range(count)
        for j in range(6)
    ]
    import_records(tmp_path, "passholders", holders)


@pytest.mark.django_db
def test_pages_keep_their_query_count_with_more_municipalities(client, region, alice, tmp_path):
    client.force_login(alice)
    urls = [
        reverse("uitpas:card-system", args=[7]),
        reverse("uitpas:municipality", args=["11001"]),
        reverse("uitpas:card-system-profiles", args=[7]),
        reverse("uitpas:card-system-cohorts", args=[7]),
        reverse("uitpas:staff"),
        reverse("uitpas:staff-cohorts"),
        reverse("uitpas_api:card-system-ratios", args=[7]),
    ]
    before = {url: _queries(client, url) for url in urls}
    _more_municipalities(tmp_path, 12)
    after = {url: _queries(client, url) for url in urls}
    assert after == before
