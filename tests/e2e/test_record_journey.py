"""The ministry writes the record of Pirkanmaa's negotiation beside Pirkanmaa's situation report,
sends it for comments; Pirkanmaa comments; the ministry approves and publishes it."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from negotiations.models import Negotiation, Record
from negotiations.services import ensure_report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PERSONNEL = "Henkilöstötilanne"


@pytest.fixture
def negotiation(demo_data) -> Negotiation:
    """Pirkanmaa's 2027 negotiation with its participants and its report submitted."""
    negotiation = Negotiation.objects.get(
        region__name_fi="Pirkanmaa", round__name_fi="Hyvinvointialueneuvottelut 2027"
    )
    pirkanmaa = User.objects.get(username="pirkanmaa")
    negotiation.add_participant(side="ministry", user=User.objects.get(username="ministry"))
    negotiation.add_participant(side="region", user=pirkanmaa)
    negotiation.add_participant(side="thl", name="Tero Tutkija", organisation="THL")
    report = ensure_report(negotiation)
    if report.status != report.Status.SUBMITTED:
        report.submit(by=pirkanmaa)
    return negotiation


def open_texts(section) -> None:
    """Open a theme section's folded texts and wait until they have loaded. Opened before
    htmx has started, the disclosure holds its link to the page with the section open."""
    section.page.wait_for_load_state()
    section.locator("details.record-texts > summary").click()
    expect(section.locator("details.record-texts .record-section-body")).to_be_visible()


def field_status(page: Page, field):
    """The live status of the section the field belongs to."""
    return page.locator("form", has=field).get_by_role("status")


def test_ministry_writes_the_record_pirkanmaa_comments_and_the_ministry_publishes(
    page: Page, open_page, negotiation, assert_accessible, log_in
):
    record_heading = "Neuvottelumuistio: Pirkanmaa – Hyvinvointialueneuvottelut 2027"
    page.goto("/login/")
    log_in(page, "ministry")
    page.goto(f"/negotiations/{negotiation.pk}/")
    page.get_by_role("link", name="Neuvottelumuistio", exact=True).click()
    expect(page.get_by_role("heading", level=1, name=record_heading)).to_be_visible()
    assert_accessible(page)

    # Who attended
    page.get_by_label("Mirja Ministeriö").check()
    page.get_by_label("Pirkko Valmistelija").check()
    page.get_by_role("button", name="Tallenna läsnäolijat").click()
    expect(page.get_by_role("status").first).to_contain_text("Läsnäolijat tallennettiin.")
    expect(page.get_by_label("Pirkko Valmistelija")).to_be_checked()
    expect(page.get_by_label("Tero Tutkija, THL")).not_to_be_checked()

    # A theme's texts are folded; opened, they load with the region's report beside them.
    personnel = page.locator("section", has=page.get_by_role("heading", level=2, name=PERSONNEL))
    expect(personnel).not_to_contain_text("Sairaanhoitajista ja sosiaalityöntekijöistä on pulaa")
    open_texts(personnel)
    expect(personnel).to_contain_text("Sairaanhoitajista ja sosiaalityöntekijöistä on pulaa")

    opening = page.get_by_role("textbox", name="Avaus", exact=True)
    opening.fill("Puheenjohtaja avasi neuvottelun ja esitteli osallistujat.")
    expect(field_status(page, opening)).to_contain_text(
        re.compile(r"Tallennettu klo \d{1,2}\.\d{2}")
    )
    situation = page.get_by_label(f"Tilanne: {PERSONNEL}")
    situation.fill("Sairaanhoitajapula jatkuu alueen reunoilla.")
    measures = page.get_by_label(f"Kehittämistoimet: {PERSONNEL}")
    measures.fill("Oppisopimuskoulutusta laajennetaan.")
    measures.blur()
    expect(field_status(page, measures)).to_contain_text("Tallennettu klo")
    assert_accessible(page)

    # The network drops: the failed save says so and the typed text stays.
    page.route("**/sections/**", lambda route: route.abort())
    measures.fill("Oppisopimuskoulutusta laajennetaan. Ilman verkkoa.")
    expect(field_status(page, measures)).to_contain_text("Tallentaminen epäonnistui")
    expect(measures).to_have_value("Oppisopimuskoulutusta laajennetaan. Ilman verkkoa.")
    page.unroute("**/sections/**")
    measures.fill("Oppisopimuskoulutusta laajennetaan kaikkiin kuntiin.")
    expect(field_status(page, measures)).to_contain_text("Tallennettu klo")

    page.reload()
    open_texts(personnel)
    expect(situation).to_have_value("Sairaanhoitajapula jatkuu alueen reunoilla.")
    expect(measures).to_have_value("Oppisopimuskoulutusta laajennetaan kaikkiin kuntiin.")

    # Two follow-up actions agreed in the personnel theme, added in place with htmx.
    personnel.locator("details.action-add > summary").click()
    for what, responsible in (
        ("Selvitetään sairaanhoitajien rekrytointikampanja.", "region"),
        ("Ministeriö kokoaa vertailutiedot vuokratyövoimasta.", "ministry"),
    ):
        personnel.get_by_role("textbox", name="Toimenpide").fill(what)
        personnel.get_by_label("Vastuutaho").select_option(responsible)
        personnel.get_by_label("Määräaika").fill("2027-12-31")
        personnel.get_by_role("button", name="Lisää jatkotoimenpide").click()
        expect(personnel.get_by_role("table")).to_contain_text(what)
    assert_accessible(page)

    page.get_by_role("button", name="Lähetä alueelle kommentoitavaksi").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "Muistio lähetettiin alueelle kommentoitavaksi."
    )
    expect(page.get_by_role("main")).to_contain_text("Tila: alueen kommentoitavana")
    assert_accessible(page)

    # Pirkanmaa reads the record and comments on a theme; it cannot edit.
    region = open_page()
    region.goto("/login/")
    log_in(region, "pirkanmaa")
    region.goto(f"/negotiations/{negotiation.pk}/")
    region.get_by_role("link", name="Neuvottelumuistio", exact=True).click()
    expect(region.get_by_role("heading", level=1, name=record_heading)).to_be_visible()
    open_texts(
        region.locator("section", has=region.get_by_role("heading", level=2, name=PERSONNEL))
    )
    expect(region.get_by_role("main")).to_contain_text("Oppisopimuskoulutusta laajennetaan")
    expect(region.get_by_label(f"Tilanne: {PERSONNEL}")).to_have_count(0)
    assert_accessible(region)
    region.get_by_label(f"Kommentti: {PERSONNEL}").fill("Lisätkää vuokratyövoiman vähennys.")
    # Chromium puts a space before the visually hidden part of the name.
    region.get_by_role("button", name=re.compile(rf"^Lähetä kommentti ?: {PERSONNEL}$")).click()
    expect(region.get_by_role("status").first).to_contain_text("Kommenttisi tallennettiin.")
    expect(region.get_by_role("main")).to_contain_text("Lisätkää vuokratyövoiman vähennys.")
    assert_accessible(region)

    # The ministry sees the comment, revises, approves and publishes.
    page.reload()
    expect(personnel).to_contain_text("Lisätkää vuokratyövoiman vähennys.")
    expect(personnel).to_contain_text("Pirkko Valmistelija")
    open_texts(personnel)
    page.get_by_label(f"Haasteet: {PERSONNEL}").fill("Vuokratyövoimaa on vähennetty.")
    expect(field_status(page, page.get_by_label(f"Haasteet: {PERSONNEL}"))).to_contain_text(
        "Tallennettu klo"
    )
    # Approving starts with a check page: what is still empty, who attended, the actions
    # without an owner, the region's comment and what happens next.
    page.get_by_role("link", name="Hyväksy ja lukitse muistio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista ennen hyväksymistä")
    entries = page.get_by_role("region", name="Kirjaukset")
    expect(entries).to_contain_text("Päätös")
    expect(entries).to_contain_text(f"{PERSONNEL}: keskustelu")
    present = page.get_by_role("region", name="Läsnä")
    expect(present).to_contain_text("Mirja Ministeriö")
    expect(present).to_contain_text("Pirkko Valmistelija")
    expect(present).not_to_contain_text("Tero Tutkija")
    expect(page.get_by_role("region", name="Jatkotoimenpiteet")).to_contain_text(
        "2 jatkotoimenpiteeltä puuttuu vastuuhenkilö tai määräaika:"
    )
    expect(page.get_by_role("region", name="Alueen kommentit")).to_contain_text(
        "Alue on kommentoinut muistiota 1 kerran:"
    )
    expect(page.get_by_text("Muistio lukittuu")).to_be_visible()
    # The region has had the record for comments: no reason is asked.
    expect(page.get_by_role("textbox")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Vahvista ja hyväksy muistio").click()
    expect(page.get_by_role("status").first).to_contain_text("Muistio hyväksyttiin ja lukittiin.")
    expect(page.get_by_label(f"Tilanne: {PERSONNEL}")).to_have_count(0)
    assert_accessible(page)

    # The round dashboard shows the record's real status.
    page.get_by_role("navigation", name="Murupolku").get_by_role(
        "link", name="Hyvinvointialueneuvottelut 2027"
    ).click()
    expect(page.get_by_role("row", name=re.compile("^Pirkanmaa"))).to_contain_text("Hyväksytty")
    expect(page.get_by_role("row", name=re.compile("^Lappi"))).to_contain_text("Luonnos")
    assert_accessible(page)
    page.go_back()

    # Publishing shows the record exactly as the public will see it, then asks to confirm.
    page.get_by_role("link", name="Julkaise muistio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tarkista ennen julkaisemista")
    preview = page.get_by_role("region", name="Julkinen sivu")
    expect(preview).to_contain_text("Oppisopimuskoulutusta laajennetaan kaikkiin kuntiin.")
    expect(preview).to_contain_text("Selvitetään sairaanhoitajien rekrytointikampanja.")
    expect(preview).not_to_contain_text("Lisätkää vuokratyövoiman vähennys.")
    assert_accessible(page)
    page.get_by_role("button", name="Vahvista ja julkaise muistio").click()
    expect(page.get_by_role("status").first).to_contain_text("Muistio julkaistiin.")
    expect(page.get_by_role("main")).to_contain_text("Tila: julkaistu")
    assert_accessible(page)

    # Anyone reads the published record without logging in; the region's comment stays internal.
    public = open_page()
    public.goto("/julkiset/")
    assert_accessible(public)
    public.get_by_role("link", name=re.compile("Pirkanmaa")).first.click()
    expect(public.get_by_role("main")).to_contain_text("Oppisopimuskoulutusta laajennetaan")
    expect(public.get_by_role("main")).to_contain_text("Selvitetään sairaanhoitajien")
    expect(public.get_by_role("main")).not_to_contain_text("Lisätkää vuokratyövoiman vähennys.")
    assert_accessible(public)

    record = Record.objects.get(negotiation=negotiation)
    assert record.status == Record.Status.PUBLISHED
    assert record.negotiation.actions.count() == 2
    assert [event.action for event in record.events.all()] == ["sent", "approved", "published"]
    assert record.attendees.count() == 2
    assert record.sections.get(round_theme__theme__code="henkilosto").comments.count() == 1

    # The ministry downloads the published record as a PDF from the record page.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lataa PDF").click()
    download = download_info.value
    assert download.suggested_filename == "neuvottelumuistio-2027-pirkanmaa.pdf"
    reader = PdfReader(download.path())
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    assert "Sosiaali- ja terveysministeriö" in text
    assert "Pirkanmaa – Hyvinvointialueneuvottelut 2027" in text
    assert PERSONNEL in text
    assert "Oppisopimuskoulutusta laajennetaan" in text
    assert "Selvitetään sairaanhoitajien" in text
    assert "Vuokratyövoimaa on vähennetty." in text
    assert "LUONNOS" not in text
    assert "Sivu 1 / " in text


def test_approving_a_record_the_region_never_had_asks_for_a_reason(
    page: Page, negotiation, assert_accessible, log_in
):
    record = Record.objects.get(negotiation=negotiation)
    page.goto("/login/")
    log_in(page, "ministry")
    page.goto(f"/negotiations/{negotiation.pk}/record/")
    page.get_by_role("link", name="Hyväksy ja lukitse muistio").click()
    expect(page.get_by_role("region", name="Alueen kommentit")).to_contain_text(
        "Muistiota ei ole lähetetty alueelle kommentoitavaksi."
    )
    reason = page.get_by_label("Miksi muistio hyväksytään, vaikka alue ei ole nähnyt sitä?")
    expect(reason).to_be_visible()
    assert_accessible(page)

    # Without a reason: the error is in the summary and at the field, nothing is approved.
    page.get_by_role("button", name="Vahvista ja hyväksy muistio").click()
    expect(page.get_by_role("alert")).to_contain_text("Kerro, miksi se hyväksytään silti.")
    expect(reason).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    record.refresh_from_db()
    assert record.status == Record.Status.DRAFT

    reason.fill("Alue kirjoitti muistion ministeriön kanssa neuvottelussa.")
    page.get_by_role("button", name="Vahvista ja hyväksy muistio").click()
    expect(page.get_by_role("status").first).to_contain_text("Muistio hyväksyttiin ja lukittiin.")
    expect(page.get_by_role("main")).to_contain_text(
        "Perustelu: Alue kirjoitti muistion ministeriön kanssa neuvottelussa."
    )
    assert_accessible(page)
    record.refresh_from_db()
    assert record.status == Record.Status.APPROVED
