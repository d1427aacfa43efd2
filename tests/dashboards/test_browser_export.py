"""A museum user downloads a dashboard table as XLSX in Debian's Chromium; openpyxl reads it."""

from pathlib import Path

import pytest
from django.utils import timezone

from dashboards.periods import month_start
from tests.dashboards.factories import SurveyData, member, rebuilt, visits
from tests.museumpas.factories import MuseumFactory
from tests.support.browser import log_in
from tests.support.exports import read_xlsx
from tests.support.users import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_museum_user_exports_the_visits_table_as_xlsx(page, charlie):
    museum = MuseumFactory(name="Museum aan de Stroom")
    member(charlie, museum)
    this_month = month_start(timezone.localdate())
    visits(museum, 23, day=this_month)
    SurveyData().responses(museum, 12, month=this_month)
    rebuilt()

    log_in(page, "charlie", PASSWORD)
    page.goto(f"/dashboards/museums/{museum.pk}/?period=month&from={this_month:%Y-%m}")
    link = page.locator("#visits").get_by_role("link", name="Excel (XLSX)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    rows = read_xlsx(Path(download.path()).read_bytes())
    # The numbers sit in a closed <details>: their text, not their rendering.
    header = page.locator("#table-visits thead th").all_text_contents()
    assert rows[0][1:] == header[1:]
    label = page.locator("#table-visits tbody th").first.text_content()
    assert rows[1][0] == label == "Bezoeken"
    assert rows[1][1] == 23 and isinstance(rows[1][1], int)
