import pytest
from django.urls import reverse

from tests.uitpas.factories import published_of

SIX = ("h1", "h2", "h3", "h4", "h5", "h6")  # Alfa's holders by 31 March 2026

Q1 = {"period": "quarter", "from": "2026-01"}


@pytest.mark.django_db
def test_the_partner_sees_the_ksb_dashboard_with_suppressed_counts(client, region, partner_7):
    client.force_login(partner_7)
    response = client.get(reverse("uitpas:municipality", args=["11001"]), Q1)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Alfa" in body and "UiTPAS Alfa-Beta" in body
    # 3 savers, 3 exchangers, 1 buyer: fewer than 5 holders, withheld with the museums' note.
    assert 'title="Verborgen: minder dan 5 pashouders"' in body
    assert "Aantallen pashouders krijgen een beetje ruis mee" in body  # and the counts say so
    counts = response.context["page"].table("counts")
    holders_row = counts.rows[0]
    assert holders_row.cells[0].value == published_of(*SIX)  # 6 holders: shown
    savers = counts.rows[2]  # holders, inhabitants, savers
    assert savers.cells[0].hidden and savers.cells[1].hidden


@pytest.mark.django_db
def test_every_table_downloads_as_csv_and_xlsx(client, region, partner_7):
    client.force_login(partner_7)
    url = reverse("uitpas:card-system", args=[7])
    page = client.get(url, Q1).context["page"]
    for table in page.tables:
        csv = client.get(url, {**Q1, "export": table.slug})
        assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
        xlsx = client.get(url, {**Q1, "export": table.slug, "format": "xlsx"})
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    municipalities = client.get(url, {**Q1, "export": "municipalities"}).content.decode("utf-8-sig")
    assert "Buiten de regio" in municipalities


@pytest.mark.django_db
def test_the_api_gives_the_keys_and_nulls_what_is_withheld(client, region, partner_7):
    client.force_login(partner_7)
    url = reverse("uitpas_api:municipality-ratios", args=["11001"])
    data = client.get(url, {"from": "2026-01-01", "to": "2026-03-31"}).json()
    assert data["name"] == "Alfa" and data["from"] == "2026-01-01" and data["to"] == "2026-03-31"
    holders = published_of(*SIX)
    assert data["holders"] == holders and data["inhabitants"] == 1000
    assert data["holder_ratio"] == pytest.approx(holders / 1000) and data["noise_scale"] == 1.0
    assert data["savers"] is None and "savers" in data["suppressed"]
    assert data["saver_ratio"] is None
    system = client.get(
        reverse("uitpas_api:card-system-ratios", args=[7]),
        {"from": "2026-01-01", "to": "2026-03-31"},
    ).json()
    assert system["holders"] == holders  # the same holders (Beta has none): the same noise
    assert system["inhabitants"] == 1500
    bad = client.get(url, {"from": "2026-13-01"})
    assert bad.status_code == 400 and "from" in bad.json()


@pytest.mark.django_db
def test_cohorts_computed_by_hand(client, region, partner_7):
    """Alfa joined on 2021-04-01 and pays half the discount. Year 5 (2025-04-01..2026-03-31):
    6 holders / 1000 inhabitants (2026); social-tariff holders h1, h2, h3 (ended 31 December,
    after the year's start), h6 = 4 / 100 in poverty; (7.5 + 8 + 7.5) x 0.5 / 4 = 2.875 EUR.
    Year 1 (2021-04-01..2022-03-31): h5 alone, 1 / 950 (2022); 0 social: cost null."""
    client.force_login(partner_7)
    data = client.get(reverse("uitpas_api:municipality-cohorts", args=["11001"])).json()
    years = {year["year"]: year for year in data["years"]}
    assert years[5]["from"] == "2025-04-01" and years[5]["to"] == "2026-03-31"
    assert years[5]["holder_share"] == pytest.approx(published_of(*SIX) / 1000)
    # 4 social-tariff holders: fewer than 5, withheld with the cost per holder.
    assert years[5]["social_tariff_share"] is None
    assert set(years[5]["suppressed"]) == {"social_tariff_share", "cost_per_social_tariff_holder"}
    assert years[1]["holder_share"] is None  # 1 holder: withheld
    from uitpas import figures, report, selectors

    alfa = next(row for row in selectors.municipality_rows() if row["nis_code"] == "11001")
    values = report.cohort_values(
        alfa,
        lambda f, t: figures.counts(f, t, ["11001"])["11001"],
        selectors.populations(["11001"]),
    )
    assert values[4]["social_tariff_share"] == pytest.approx(4 / 100)
    assert values[4]["cost_per_social_tariff_holder"] == pytest.approx(23 * 0.5 / 4)
    assert values[0]["holder_share"] == pytest.approx(1 / 950)
    assert values[0]["cost_per_social_tariff_holder"] is None


@pytest.mark.django_db
def test_profiles_page_and_api(client, region, partner_7):
    client.force_login(partner_7)
    response = client.get(
        reverse("uitpas:municipality-profiles", args=["11001"]), {"to": "2026-03-31"}
    )
    assert response.status_code == 200
    data = client.get(
        reverse("uitpas_api:municipality-profiles", args=["11001"]), {"to": "2026-03-31"}
    ).json()
    quarter = data["quarters"]["2026-01-01"]
    # 12 months to 31 March 2026: h1 3 participations (2 check-ins + 2 sales - the one on
    # 1 April), h2 1 check-in, h3 1 check-in + 1 sale, h4 1, h5 0, h6 1 sale (the COUPON):
    # dormant h5; occasional h2, h3, h4, h6; regular h1: every profile under 5 holders.
    assert set(quarter) == {"dormant", "occasional", "regular", "active", "very_active"}
    assert quarter["dormant"] is None and quarter["occasional"] is None


@pytest.mark.django_db
def test_staff_overview_is_sortable_and_exports(client, region, alice):
    client.force_login(alice)
    url = reverse("uitpas:staff")
    response = client.get(url, {**Q1, "sort": "holders", "descending": "on"})
    assert response.status_code == 200
    labels = [row.label for row in response.context["table"].rows]
    assert labels[0] == "Alfa"
    assert client.get(url, {**Q1, "export": "csv"}).status_code == 200
    assert client.get(url, {**Q1, "export": "pdf"}).status_code == 400
