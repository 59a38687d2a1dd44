"""A ministry official schedules negotiations row by row with htmx and invites a participant."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from negotiations.models import Negotiation, Round
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def round_2027(transactional_db) -> Round:
    round_ = Round.objects.create(
        name_fi="Hyvinvointialueneuvottelut 2027",
        name_sv="Välfärdsområdesförhandlingarna 2027",
        kind=Round.Kind.COUNTY_NEGOTIATIONS,
        period_start=datetime.date(2027, 2, 1),
        period_end=datetime.date(2027, 3, 31),
        allows_region_theme=True,
    )
    for code in ("08", "20", "21"):  # Pirkanmaa, Kainuu, Lappi
        Negotiation.objects.create(round=round_, region=county(code))
    return round_


def test_ministry_official_schedules_rows_inline_and_adds_a_participant(
    page: Page, round_2027: Round, assert_accessible, log_in
):
    make_user("mirja", group=MINISTRY_OFFICIAL, first_name="Mirja", last_name="Ministeriö")
    pirkanmaa = Negotiation.objects.get(round=round_2027, region=county("08"))
    lappi = Negotiation.objects.get(round=round_2027, region=county("21"))

    page.goto("/login/")
    log_in(page, "mirja", "salasana-123")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(reverse("negotiations:round-schedule", args=[round_2027.pk]))
    expect(
        page.get_by_role("heading", level=1, name="Aikataulu: Hyvinvointialueneuvottelut 2027")
    ).to_be_visible()
    expect(page.get_by_role("table").get_by_role("rowheader")).to_have_text(
        ["Pirkanmaa", "Kainuu", "Lappi"]
    )
    assert_accessible(page)
    # Survives only as long as the page is not reloaded.
    page.evaluate("window.journeyMarker = 'same page'")

    page.get_by_label("Päivämäärä, Pirkanmaa").fill("2027-02-16")
    page.get_by_label("Alkaa, Pirkanmaa").fill("09:00")
    page.get_by_label("Päättyy, Pirkanmaa").fill("12:00")
    page.get_by_label("Paikka, Pirkanmaa").fill("Tampere-talo")
    page.get_by_label("Puheenjohtaja, Pirkanmaa").select_option(label="Mirja Ministeriö")
    page.get_by_role("button", name=re.compile(r"^Tallenna\W+Pirkanmaa$")).click()

    pirkanmaa_row = page.locator(f"#row-{pirkanmaa.pk}")
    expect(pirkanmaa_row.get_by_role("status")).to_have_text("Tallennettu.")
    expect(pirkanmaa_row.get_by_role("link", name=re.compile("kalenterimerkintä"))).to_be_visible()
    expect(page.get_by_label("Paikka, Pirkanmaa")).to_have_value("Tampere-talo")
    assert page.evaluate("window.journeyMarker") == "same page"
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.date == datetime.date(2027, 2, 16)
    assert pirkanmaa.place == "Tampere-talo"
    assert_accessible(page)

    page.get_by_label("Päivämäärä, Lappi").fill("2027-02-17")
    page.get_by_label("Alkaa, Lappi").fill("13:00")
    page.get_by_label("Päättyy, Lappi").fill("12:00")
    page.get_by_role("button", name=re.compile(r"^Tallenna\W+Lappi$")).click()

    lappi_row = page.locator(f"#row-{lappi.pk}")
    expect(lappi_row).to_contain_text("Päättymisajan on oltava alkamisajan jälkeen.")
    expect(lappi_row.get_by_role("status")).to_have_text("Ei tallennettu: korjaa rivin virheet.")
    expect(page.get_by_label("Päättyy, Lappi")).to_have_value("12:00")
    expect(page.get_by_label("Päättyy, Lappi")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.journeyMarker") == "same page"
    lappi.refresh_from_db()
    assert lappi.date is None
    assert_accessible(page)

    page.get_by_role("link", name="Pirkanmaa", exact=True).click()
    expect(
        page.get_by_role("heading", level=1, name="Pirkanmaa – Hyvinvointialueneuvottelut 2027")
    ).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Tampere-talo")
    assert_accessible(page)

    page.get_by_label("Osapuoli").select_option(label="THL")
    page.get_by_label("Nimi:", exact=True).fill("Terhi Tutkija")
    page.get_by_label("Organisaatio").fill("Terveyden ja hyvinvoinnin laitos")
    page.get_by_label("Tehtävänimike").fill("erikoistutkija")
    page.get_by_role("button", name="Lisää osallistuja").click()

    expect(page.get_by_role("status")).to_contain_text("Terhi Tutkija lisättiin osallistujaksi.")
    participants = page.get_by_role("region", name="Osallistujat")
    expect(participants.get_by_role("heading", level=3, name="THL")).to_be_visible()
    expect(participants).to_contain_text(
        "Terhi Tutkija, erikoistutkija, Terveyden ja hyvinvoinnin laitos"
    )
    assert_accessible(page)
