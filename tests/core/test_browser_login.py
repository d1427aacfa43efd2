import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.users import PASSWORD


@pytest.mark.browser
def test_a_curator_logs_in_in_chromium_and_sees_their_areas(page, alice):
    log_in(page, "alice", PASSWORD)

    navigation = page.locator("nav.main-nav a").all_inner_texts()
    assert navigation == ["Curatie", "Dashboards", "UiTPAS"]
    page.select_option("#language-select", "fr")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("nav.main-nav a").first).to_have_text("Curation")
