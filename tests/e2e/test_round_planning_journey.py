"""The ministry copies the 2023 round into a new one, schedules two regions, sees them on the
dashboard and downloads the Pirkanmaa calendar entry; axe checks every page on the way."""

import re

import icalendar
import pytest
from playwright.sync_api import Page, expect

from negotiations.models import Round

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def schedule_row(page: Page, region: str, date: str, start: str, end: str) -> None:
    page.get_by_label(f"Päivämäärä, {region}").fill(date)
    page.get_by_label(f"Alkaa, {region}").fill(start)
    page.get_by_label(f"Päättyy, {region}").fill(end)
    page.get_by_label(f"Puheenjohtaja, {region}").select_option(label="Mirja Ministeriö")
    page.get_by_role("button", name=re.compile(rf"^Tallenna\W+{region}$")).click()


def test_ministry_copies_a_round_schedules_it_and_downloads_the_calendar_entry(
    page: Page, demo_data, assert_accessible, log_in
):
    page.goto("/login/")
    log_in(page, "ministry")
    page.get_by_role("link", name="Uusi neuvottelukierros").click()
    expect(page.get_by_role("heading", level=1, name="Uusi neuvottelukierros")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kierros, jolta kopioidaan").select_option(
        label="Hyvinvointialueneuvottelut 2023"
    )
    page.get_by_role("button", name="Kopioi", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("kopioidaan kierrokselta")
    expect(page.get_by_label("Neuvottelukausi alkaa")).to_have_value("")
    assert_accessible(page)

    page.get_by_label("Nimi suomeksi").fill("Hyvinvointialueneuvottelut 2028")
    page.get_by_label("Nimi ruotsiksi").fill("Välfärdsområdesförhandlingarna 2028")
    page.get_by_label("Nimi englanniksi").fill("Wellbeing services county negotiations 2028")
    page.get_by_label("Neuvottelukausi alkaa").fill("2028-02-01")
    page.get_by_label("Neuvottelukausi päättyy").fill("2028-03-31")
    page.get_by_label("Tilannekuvien määräpäivä").fill("2028-01-14")
    page.get_by_role("button", name="Luo kierros").click()

    expect(
        page.get_by_role("heading", level=1, name="Hyvinvointialueneuvottelut 2028")
    ).to_be_visible()
    new_round = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2028")
    source = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2023")
    assert list(new_round.themes.values_list("code", flat=True)) == list(
        source.themes.values_list("code", flat=True)
    )
    assert new_round.negotiations.count() == 22
    expect(page.locator("#dashboard-count")).to_have_text("22 neuvottelua")
    assert_accessible(page)

    page.get_by_role("navigation", name="Kierroksen sivut").get_by_role(
        "link", name="Aikataulu"
    ).click()
    schedule_row(page, "Pirkanmaa", "2028-02-15", "09:00", "12:00")
    expect(page.locator("tr", has_text="Pirkanmaa").get_by_role("status")).to_have_text(
        "Tallennettu."
    )
    schedule_row(page, "Lappi", "2028-02-15", "13:00", "16:00")
    expect(page.locator("tr", has_text="Lappi").get_by_role("status")).to_have_text("Tallennettu.")
    assert_accessible(page)

    page.goto(f"/rounds/{new_round.pk}/?schedule=scheduled")
    rows = page.get_by_role("table").get_by_role("rowheader")
    expect(rows).to_have_text(["Pirkanmaa", "Lappi"])
    expect(page.get_by_role("table")).to_contain_text("15.2.2028 9.00–12.00")
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"\.ics\W+kalenterimerkintä, Pirkanmaa$")).click()
    download = download_info.value
    assert download.suggested_filename == "neuvottelu-2028-pirkanmaa.ics"
    calendar = icalendar.Calendar.from_ical(download.path().read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert "Pirkanmaa" in str(event["SUMMARY"])
    assert event.decoded("DTSTART").isoformat() == "2028-02-15T09:00:00+02:00"
