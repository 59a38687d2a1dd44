"""The knowledge beside a theme in a browser: the ministry official opens the round's themes
page, ticks the population for the personnel theme, saves, opens Pirkanmaa's situation report
and finds the summary beside that theme; opening its disclosure loads both charts and their
tables in place (the focus stays on the summary), and the link that stood there opens the
same figures as a page of their own; axe finds nothing on any page, and at 390 px nothing
widens the page."""

import pytest
from playwright.sync_api import Page, expect

from negotiations.models import Negotiation, Round
from tests.factories import county

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROUND_2027 = "Hyvinvointialueneuvottelut 2027"


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280 - 17, 390])
def test_ministry_adds_an_indicator_to_a_theme_and_sees_it_in_pirkanmaas_report(
    page: Page, demo_data, assert_accessible, width, log_in
):
    round_ = Round.objects.get(name_fi=ROUND_2027)
    personnel = round_.round_themes.select_related("theme").get(theme__code="henkilosto")
    pirkanmaa = Negotiation.objects.get(round=round_, region=county("08"))
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/login/")
    log_in(page, "ministry")

    page.goto(f"/rounds/{round_.pk}/themes/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teemat")
    assert fits(page)
    assert_accessible(page)
    row = page.get_by_role("group", name=personnel.theme.title, exact=True)
    indicators = row.get_by_role("group", name="Indikaattorit, joiden luvut näytetään")
    checkbox = indicators.get_by_role("checkbox", name="Väestö 31.12. (Sotkanet 127)")
    expect(checkbox).not_to_be_checked()
    checkbox.focus()
    page.keyboard.press("Space")  # keyboard, as anyone without a mouse
    expect(checkbox).to_be_checked()
    page.get_by_role("button", name="Tallenna teemat").click()
    expect(page.get_by_text("Kierroksen teemat tallennettiin.")).to_be_visible()
    assert_accessible(page)

    page.goto(f"/negotiations/{pirkanmaa.pk}/report/")
    section = page.get_by_role("region", name=personnel.theme.title)
    disclosure = section.locator("details.theme-figures")
    summary = disclosure.locator("summary")
    expect(summary).to_contain_text("Tietopohja: 1 indikaattori")
    expect(summary).to_contain_text("532\u00a0671")
    line_chart = section.get_by_role("img", name="Väestö 31.12.: Pirkanmaa ja koko maa 2015–2022")
    expect(line_chart).to_have_count(0)  # not even in the page until asked for
    # In the folded body: hidden until the disclosure is opened.
    link = disclosure.get_by_role(
        "link", name="Näytä luvut, kuviot ja taulukot", include_hidden=True
    )
    expect(link).to_have_count(1)
    figures_url = link.get_attribute("href")
    assert_accessible(page)

    summary.focus()
    page.keyboard.press("Enter")
    expect(line_chart).to_be_visible()
    expect(link).to_have_count(0)  # replaced by what it links to
    expect(summary).to_be_focused()
    expect(
        section.get_by_role(
            "img", name="Väestö 31.12. 2022: hyvinvointialueet ja Helsinki järjestyksessä"
        )
    ).to_be_visible()
    expect(section.get_by_text("2./22", exact=False)).to_be_visible()
    expect(section.get_by_role("region", name="Kuvion luvut 2022")).to_be_visible()
    assert fits(page)
    assert_accessible(page)

    # Closed and opened again, the figures are not loaded twice.
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    expect(line_chart).to_have_count(1)

    # The link's page, as without JavaScript.
    page.goto(figures_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(personnel.theme.title)
    expect(
        page.get_by_role("img", name="Väestö 31.12.: Pirkanmaa ja koko maa 2015–2022")
    ).to_be_visible()
    expect(page.get_by_role("region", name="Kuvion luvut 2022")).to_be_visible()
    assert fits(page)
    assert_accessible(page)
