"""The knowledge pages in a browser: a ministry official goes from the header to the
knowledge base, opens Pirkanmaa's profile and the population table, sorts it by name without
JavaScript's help (plain links), and axe finds nothing at 1280 px and at 390 px; the charts
never widen the page."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = [1280 - 17, 390]


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_ministry_reads_pirkanmaas_profile_and_the_population_table(
    page: Page, demo_data, assert_accessible, width, log_in
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login/")
    log_in(page, "ministry")
    page.get_by_role("navigation", name="Päävalikko").get_by_role("link", name="Tietopohja").click()
    expect(page.get_by_role("heading", level=1, name="Tietopohja")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Pirkanmaa", exact=True).first.click()
    expect(page.get_by_role("heading", level=1, name="Pirkanmaa: tietopohja")).to_be_visible()
    expect(
        page.get_by_role("img", name="Väestö 31.12.: Pirkanmaa ja koko maa 2015–2022")
    ).to_be_visible()
    expect(
        page.get_by_role("img", name="hyvinvointialueet ja Helsinki järjestyksessä")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Kuvion luvut: Pirkanmaa ja koko maa")).to_be_visible()
    assert fits(page)
    assert_accessible(page)

    page.get_by_role("link", name="Väestö 31.12.").first.click()
    expect(page.get_by_role("heading", level=2, name="Alueet vuonna 2022")).to_be_visible()
    page.get_by_role("link", name="Alue", exact=True).click()
    first_row = page.locator(".indicator-table tbody tr").first
    expect(first_row).to_contain_text("Etelä-Karjala")
    assert "jarjestys=nimi" in page.url
    assert fits(page)
    assert_accessible(page)

    page.get_by_label("Vuosi").select_option("2015")
    page.get_by_role("button", name="Näytä").click()
    expect(page.get_by_role("heading", level=2, name="Alueet vuonna 2015")).to_be_visible()
