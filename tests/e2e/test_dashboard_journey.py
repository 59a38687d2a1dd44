"""What each user meets: the ministry's and a preparer's home page as task lists, and the
round dashboard with its summary, its separate filters (htmx and plain form) and its legend."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from negotiations.models import Negotiation, Record, Round
from negotiations.services import ensure_documents
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import county, make_preparer, make_user

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
        negotiation = Negotiation.objects.create(
            round=round_,
            region=region,
            date=datetime.date(2027, 2, day),
            start_time=datetime.time(start),
            end_time=datetime.time(start + 2),
        )
        ensure_documents(negotiation)
    # Kainuu, Pohjois-Suomi
    ensure_documents(Negotiation.objects.create(round=round_, region=county("20")))
    return round_


def test_ministry_official_filters_the_round_dashboard_by_cooperation_area(
    page: Page, round_2027: Round, assert_accessible, log_in
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
    expect(page).to_have_url(
        re.compile(r"\?area=pohjois-suomi&schedule=&report=&record=&sort=date$")
    )
    expect(page.get_by_label("Yhteistyöalue")).to_have_value("pohjois-suomi")
    assert_accessible(page)

    page.get_by_label("Järjestys").select_option(label="Alueen nimi")
    expect(regions).to_have_text(["Kainuu", "Lappi"])
    expect(page).to_have_url(
        re.compile(r"\?area=pohjois-suomi&schedule=&report=&record=&sort=region$")
    )

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
    page_without_javascript: Page, round_2027: Round, log_in
):
    # No axe here: it runs as a script, which this browser refuses; the journey above checks
    # the same page with JavaScript.
    page = page_without_javascript
    make_user("virkamies", group=MINISTRY_OFFICIAL)
    page.goto(reverse("negotiations:round-detail", args=[round_2027.pk]))
    log_in(page, "virkamies", "salasana-123")

    page.get_by_role("combobox", name="Aikataulutus").select_option(label="Ei aikataulutettu")
    page.get_by_role("button", name="Suodata").click()
    expect(page).to_have_url(re.compile(r"\?area=&schedule=unscheduled&report=&record=&sort=date$"))
    expect(page.get_by_role("table").get_by_role("rowheader")).to_have_text(["Kainuu"])
    expect(page.get_by_role("status")).to_have_text("1 neuvottelu")


def test_ministry_official_goes_from_what_waits_to_the_round_and_filters_by_record_status(
    page: Page, round_2027: Round, assert_accessible, log_in
):
    official = make_user("virkamies", group=MINISTRY_OFFICIAL, first_name="Mirja")
    lappi = round_2027.negotiations.get(region=county("21"))
    lappi.report.mark_started()
    lappi.report.submit(by=official)
    lappi.record.send_for_comments(by=official)
    page.goto("/")
    log_in(page, "virkamies", "salasana-123")

    waiting = page.get_by_role("region", name="Odottaa sinua")
    reports = waiting.get_by_role("list", name="Luettavat tilannekuvat (1)")
    expect(reports.get_by_role("link", name="Lappi")).to_have_accessible_description(
        re.compile(r"^Lähetetty ")
    )
    records = waiting.get_by_role("list", name="Hyväksyntää odottavat muistiot (1)")
    expect(records.get_by_role("link", name="Lappi")).to_have_accessible_description(
        "Ei kommentteja"
    )
    current = page.get_by_role("region", name="Käynnissä olevat kierrokset")
    expect(current).to_contain_text("1 / 4 lähetetty")
    expect(current).to_contain_text("Luonnos 3 · Alueen kommentoitavana 1")
    assert_accessible(page)

    current.get_by_role("link", name="Hyvinvointialueneuvottelut 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hyvinvointialueneuvottelut 2027")
    summary = page.get_by_role("region", name="Yhteenveto koko kierroksesta")
    expect(summary).to_contain_text("3 / 4 aikataulutettu")
    table = page.get_by_role("region", name="Kierroksen neuvottelut alueittain")
    expect(table.get_by_role("row", name=re.compile("^Lappi"))).to_contain_text(
        "Alueen kommentoitavana"
    )

    page.get_by_text("Mitä tilat tarkoittavat").click()
    expect(
        page.get_by_text("Ministeriö kirjoittaa muistiota. Alue ei vielä näe sitä.")
    ).to_be_visible()
    assert_accessible(page)

    with page.expect_response(re.compile(r"record=draft")):
        page.get_by_label("Muistion tila").select_option(label="Luonnos")
    expect(table.get_by_role("rowheader")).to_have_text(["Pirkanmaa", "Helsinki", "Kainuu"])
    expect(page.get_by_role("region", name="Yhteenveto valituista neuvotteluista")).to_contain_text(
        "Luonnos 3 · Alueen kommentoitavana 0"
    )
    with page.expect_response(re.compile(r"report=submitted")):
        page.get_by_label("Tilannekuvan tila").select_option(label="Lähetetty")
    expect(page.get_by_text("Valituilla suodattimilla ei löytynyt neuvotteluja.")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("0 neuvottelua")
    assert_accessible(page)


def test_preparer_sees_the_regions_tasks_on_the_home_page(
    page: Page, round_2027: Round, assert_accessible, log_in
):
    make_preparer("pirkanmaan-valmistelija", county("08"))
    Round.objects.filter(pk=round_2027.pk).update(report_deadline=datetime.date(2027, 1, 15))
    page.goto("/")
    log_in(page, "pirkanmaan-valmistelija", "salasana-123")

    tasks = page.get_by_role("region", name="Hyvinvointialueneuvottelut 2027")
    expect(tasks.get_by_role("link", name="Neuvottelu", exact=True)).to_have_accessible_description(
        re.compile("ti 16.2.2027 9.00–11.00")
    )
    expect(
        tasks.get_by_role("link", name="Tilannekuva", exact=True)
    ).to_have_accessible_description("Ei aloitettu")
    expect(tasks).to_contain_text("Määräpäivä 15.1.2027")
    expect(tasks).to_contain_text("Ei vielä lähetetty alueelle")
    expect(page.get_by_role("main")).not_to_contain_text("Lappi")
    assert_accessible(page)

    tasks.get_by_role("link", name="Tilannekuva", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tilannekuva")
    assert Record.objects.get(negotiation__region=county("08")).status == Record.Status.DRAFT


def test_ministry_official_starts_the_negotiations_through_a_check_page(
    page: Page, round_2027: Round, assert_accessible, log_in
):
    make_user("virkamies", group=MINISTRY_OFFICIAL, first_name="Mirja")
    url = reverse("negotiations:round-detail", args=[round_2027.pk])
    page.goto(url)
    log_in(page, "virkamies", "salasana-123")
    page.get_by_role("link", name="Aloita neuvottelut").click()

    # The check page says which regions have not sent their report, and asks to confirm.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tarkista ennen kuin muutat kierroksen tilaa"
    )
    reports = page.get_by_role("region", name="Tilannekuvat")
    expect(reports).to_contain_text(
        "4 aluetta ei ole lähettänyt tilannekuvaansa (osallistuvia alueita 4):"
    )
    expect(reports.get_by_role("listitem")).to_have_count(4)
    expect(reports.get_by_role("listitem").first).to_contain_text("ei aloitettu")
    expect(page.get_by_text("Kierroksen tilaa ei voi palauttaa aiempaan.")).to_be_visible()
    assert_accessible(page)
    round_2027.refresh_from_db()
    assert round_2027.status == Round.Status.OPEN_FOR_REPORTS

    page.get_by_role("button", name="Vahvista ja aloita neuvottelut").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(url)}$"))
    expect(page.get_by_role("status").first).to_contain_text(
        "Kierroksen tila on nyt ”neuvottelut käynnissä”."
    )
    expect(page.get_by_role("link", name="Päätä kierros")).to_be_visible()
    assert_accessible(page)
    round_2027.refresh_from_db()
    assert round_2027.status == Round.Status.NEGOTIATING
