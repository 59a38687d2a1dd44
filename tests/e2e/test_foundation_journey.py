"""Open the site, log in, see the rounds, switch to Swedish; axe checks every page."""

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_ministry_official_logs_in_sees_rounds_and_switches_to_swedish(
    page: Page, demo_data, assert_accessible, log_in
):
    page.goto("/")
    expect(page.get_by_role("heading", level=1, name="Ohjausneuvottelut")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Kirjaudu sisään")).to_be_visible()
    expect(page.get_by_role("link", name="Lue julkaistuja neuvottelumuistioita")).to_be_visible()
    assert_accessible(page)

    log_in(page, "ministry")
    expect(page.get_by_role("heading", level=1, name="Neuvottelukierrokset")).to_be_visible()
    rounds = page.get_by_role("table").get_by_role("rowheader")
    expect(rounds).to_have_text(
        [
            "Hyvinvointialueneuvottelut 2027",
            "Hyvinvointialueneuvottelut 2023",
            "Aluekeskustelut 2020",
            "Syksyn 2018 sote-neuvottelut",
            "Kevään 2018 harjoitusneuvottelut",
        ]
    )
    assert_accessible(page)

    page.get_by_role("button", name="svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1, name="Förhandlingsomgångar")).to_be_visible()
    expect(page.get_by_role("rowheader").first).to_have_text("Välfärdsområdesförhandlingarna 2027")
    assert_accessible(page)

    page.get_by_role("button", name="Logga ut").click()
    expect(page.get_by_role("heading", level=1, name="Logga in")).to_be_visible()


def test_preparer_sees_only_the_own_region(page: Page, demo_data, assert_accessible, log_in):
    page.goto("/login/")
    log_in(page, "pirkanmaa")
    expect(page.get_by_role("heading", level=1, name="Alueesi neuvottelut")).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text("Pirkanmaa")
    expect(main).not_to_contain_text("Lappi")
    assert_accessible(page)


def test_failed_login_shows_an_accessible_error_summary(
    page: Page, demo_data, assert_accessible, log_in
):
    page.goto("/login/")
    log_in(page, "ministry", "väärä salasana")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Tarkista seuraavat kohdat")
    expect(page.get_by_label("Käyttäjätunnus")).to_have_value("ministry")
    assert_accessible(page)


def test_keyboard_user_can_skip_to_the_main_content(page: Page, demo_data, log_in):
    page.goto("/login/")
    log_in(page, "ministry")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Siirry pääsisältöön")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_axe_check_does_fail_on_an_inaccessible_page(browser, axe):
    page = browser.new_page()
    page.set_content(
        '<html><body><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></body></html>'
    )
    assert axe.run(page).violations_count > 0
    page.close()
