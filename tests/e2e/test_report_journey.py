"""Pirkanmaa writes and submits its situation report; the ministry reads it; Lappi cannot."""

import re

import pytest
from playwright.sync_api import Page, expect

from negotiations.models import SituationReport
from tests.factories import SMALL_PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pirkanmaa_report() -> SituationReport:
    return SituationReport.objects.get(
        negotiation__region__name_fi="Pirkanmaa",
        negotiation__round__name_fi="Hyvinvointialueneuvottelut 2027",
    )


def test_pirkanmaa_writes_and_submits_the_report_and_the_ministry_reads_it(
    page: Page, open_page, demo_data, assert_accessible, tmp_path, log_in
):
    page.goto("/login/")
    log_in(page, "pirkanmaa")
    # The home page's task list leads to the report and says where it stands.
    expect(page.get_by_role("heading", level=1, name="Alueesi neuvottelut")).to_be_visible()
    current = page.get_by_role("region", name="Hyvinvointialueneuvottelut 2027")
    task = current.get_by_role("link", name="Tilannekuva", exact=True)
    expect(task).to_have_accessible_description("Luonnos")
    assert_accessible(page)
    task.click()
    expect(page.get_by_role("heading", level=1, name="Tilannekuva: Pirkanmaa")).to_be_visible()
    assert_accessible(page)

    rescue = page.get_by_label("Vastaus: Pelastustoimen järjestämistehtävien toteutuminen")
    rescue.fill("Pelastustoimen tilanne on vakaa.\n\nToinen kappale.")
    rescue_status = page.locator("section", has=rescue).get_by_role("status")
    # As soon as the preparer types, the status says the change is not saved yet.
    expect(rescue_status).to_have_text("Tallentamaton muutos")
    expect(rescue_status).to_contain_text(re.compile(r"Tallennettu klo \d{1,2}\.\d{2}"))
    digital = page.get_by_label("Vastaus: Digitaalisuus, sähköiset palvelut ja tietopohja")
    digital.fill("Sähköinen asiointi laajenee.")
    digital.blur()
    expect(page.locator("section", has=digital).get_by_role("status")).to_contain_text(
        "Tallennettu klo"
    )
    assert_accessible(page)

    # The network drops: the failed save says so and the typed text stays.
    page.route("**/sections/**", lambda route: route.abort())
    digital.fill("Sähköinen asiointi laajenee. Lisäys ilman verkkoa.")
    expect(page.locator("section", has=digital).get_by_role("status")).to_contain_text(
        "Tallentaminen epäonnistui"
    )
    expect(digital).to_have_value("Sähköinen asiointi laajenee. Lisäys ilman verkkoa.")
    page.unroute("**/sections/**")
    digital.fill("Sähköinen asiointi laajenee. Lisäys verkon palattua.")
    expect(page.locator("section", has=digital).get_by_role("status")).to_contain_text(
        "Tallennettu klo"
    )

    page.reload()
    expect(rescue).to_have_value("Pelastustoimen tilanne on vakaa.\n\nToinen kappale.")
    expect(digital).to_have_value("Sähköinen asiointi laajenee. Lisäys verkon palattua.")

    pdf = tmp_path / "henkilostoselvitys.pdf"
    pdf.write_bytes(SMALL_PDF_BYTES)
    page.get_by_label("Liitetiedosto").set_input_files(str(pdf))
    page.get_by_role("button", name="Lisää liite").click()
    expect(page.get_by_role("link", name="henkilostoselvitys.pdf", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Lähetä tilannekuva ministeriölle").click()
    # The check page: what is still empty, the attachment, what happens next.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista ennen lähettämistä")
    # The two themes the demo had left open are answered now.
    expect(page.get_by_role("region", name="Vastaukset")).to_contain_text(
        "Kaikkiin 4 teemaan on vastattu."
    )
    expect(page.get_by_text("henkilostoselvitys.pdf")).to_be_visible()
    expect(page.get_by_text("Tilannekuva lukittuu")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Vahvista ja lähetä ministeriölle").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Tilannekuva lähetettiin ministeriölle."
    )
    expect(page.get_by_label(re.compile("^Vastaus:"))).to_have_count(0)
    assert_accessible(page)
    report = pirkanmaa_report()
    assert report.status == SituationReport.Status.SUBMITTED
    # Back on the home page, the task says the report has been sent.
    page.get_by_role("link", name="Etusivu").first.click()
    expect(task).to_have_accessible_description("Lähetetty")
    assert_accessible(page)
    report_path = f"/negotiations/{report.negotiation_id}/report/"

    ministry = open_page()
    ministry.goto("/login/")
    log_in(ministry, "ministry")
    ministry.goto(report_path)
    expect(ministry.get_by_role("main")).to_contain_text("lähetetty")
    expect(ministry.get_by_role("main")).to_contain_text("Pelastustoimen tilanne on vakaa.")
    expect(ministry.get_by_role("button", name="Palauta täydennettäväksi")).to_be_visible()
    assert_accessible(ministry)

    lappi = open_page()
    lappi.goto("/login/")
    log_in(lappi, "lappi")
    response = lappi.goto(report_path)
    assert response.status == 404
    expect(lappi.get_by_role("heading", level=1, name="Sivua ei löydy")).to_be_visible()
    assert_accessible(lappi)
