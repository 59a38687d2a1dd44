"""A ministry official opens a round's dashboard and filters it by cooperation area with htmx."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from negotiations.models import Negotiation, Round
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL
from tests.conftest import county, make_user
from tests.e2e.test_foundation_journey import log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def round_2027(transactional_db) -> Round:
    round_ = Round.objects.create(
        name_fi="Hyvinvointialueneuvottelut 2027",
        name_sv="Välfärdsområdesförhandlingarna 2027",
        kind=Round.Kind.COUNTY_NEGOTIATIONS,
        status=Round.Status.OPEN_FOR_REPORTS,
        period_start=datetime.date(2027, 2, 1),
        period_end=datetime.date(2027, 3, 31),
    )
    for region, day, start in [
        (county("08"), 16, 9),  # Pirkanmaa, Sisä-Suomi
        (county("21"), 17, 13),  # Lappi, Pohjois-Suomi
        (Region.objects.get(code="90"), 18, 10),  # Helsinki, Etelä-Suomi
    ]:
        Negotiation.objects.create(
            round=round_,
            region=region,
            date=datetime.date(2027, 2, day),
            start_time=datetime.time(start),
            end_time=datetime.time(start + 2),
        )
    Negotiation.objects.create(round=round_, region=county("20"))  # Kainuu, Pohjois-Suomi
    return round_


def test_ministry_official_filters_the_round_dashboard_by_cooperation_area(
    page: Page, round_2027: Round, assert_accessible
):
    make_user("virkamies", group=MINISTRY_OFFICIAL, first_name="Mirja")
    url = reverse("negotiations:round-detail", args=[round_2027.pk])
    page.goto(url)
    log_in(page, "virkamies", "salasana-123")

    expect(page).to_have_url(re.compile(rf"{re.escape(url)}$"))
    expect(
        page.get_by_role("heading", level=1, name="Hyvinvointialueneuvottelut 2027")
    ).to_be_visible()
    regions = page.get_by_role("table").get_by_role("rowheader")
    expect(regions).to_have_text(["Pirkanmaa", "Lappi", "Helsinki", "Kainuu"])
    expect(page.get_by_role("row", name=re.compile("^Pirkanmaa"))).to_contain_text(
        "ti 16.2.2027 9.00–11.00"
    )
    expect(page.get_by_role("row", name=re.compile("^Kainuu"))).to_contain_text("Ei aikataulutettu")
    expect(page.get_by_role("status")).to_have_text("4 neuvottelua")
    assert_accessible(page)

    with page.expect_response(re.compile(r"area=pohjois-suomi")) as response:
        page.get_by_label("Yhteistyöalue").select_option(label="Pohjois-Suomi")
    assert response.value.request.headers.get("hx-request") == "true"
    expect(regions).to_have_text(["Lappi", "Kainuu"])
    expect(page.get_by_role("status")).to_have_text("2 neuvottelua")
    expect(page).to_have_url(re.compile(r"\?area=pohjois-suomi&status=&sort=date$"))
    expect(page.get_by_label("Yhteistyöalue")).to_have_value("pohjois-suomi")
    assert_accessible(page)

    page.get_by_label("Järjestys").select_option(label="Alueen nimi")
    expect(regions).to_have_text(["Kainuu", "Lappi"])
    expect(page).to_have_url(re.compile(r"\?area=pohjois-suomi&status=&sort=region$"))

    page.reload()
    expect(regions).to_have_text(["Kainuu", "Lappi"])
    expect(page.get_by_label("Yhteistyöalue")).to_have_value("pohjois-suomi")


@pytest.fixture
def page_without_javascript(browser: Browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_without_javascript_the_filters_work_as_a_plain_form(
    page_without_javascript: Page, round_2027: Round
):
    # No axe here: it runs as a script, which this browser refuses; the journey above checks
    # the same page with JavaScript.
    page = page_without_javascript
    make_user("virkamies", group=MINISTRY_OFFICIAL)
    page.goto(reverse("negotiations:round-detail", args=[round_2027.pk]))
    log_in(page, "virkamies", "salasana-123")

    page.get_by_role("combobox", name="Tila").select_option(label="Ei aikataulutettu")
    page.get_by_role("button", name="Suodata").click()
    expect(page).to_have_url(re.compile(r"\?area=&status=unscheduled&sort=date$"))
    expect(page.get_by_role("table").get_by_role("rowheader")).to_have_text(["Kainuu"])
    expect(page.get_by_role("status")).to_have_text("1 neuvottelu")
