"""Deletions ask first, in a dialog with htmx: the ministry removes a participant and opens
the deletion of a follow-up action; the region's preparer opens the deletion of an attachment
and sees a refused upload at its file field. Each dialog takes the focus and gives it back to
the link that opened it; the message after a deletion is where the focus lands; axe checks
every page on the way, dialogs open."""

import re

import pytest
from playwright.sync_api import Page, expect

from negotiations.models import FollowUpAction, Participant, ReportAttachment
from tests.endpoints import Demo

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUS_IN_DIALOG = "() => document.querySelector('dialog[open]').contains(document.activeElement)"


@pytest.fixture
def demo(demo_data, media_root) -> Demo:
    """The demo's objects, a THL participant, an attachment and an editable action."""
    demo = Demo(seed=False)
    demo.pirkanmaa_2027.add_participant(
        side="thl", name="Terhi Tutkija", organisation="THL", title="erikoistutkija"
    )
    demo.attachment()
    demo.editable_action()
    return demo


def is_focused(page: Page, locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def open_dialog(page: Page, link, question: str):
    link.click()
    dialog = page.get_by_role("dialog", name=question)
    expect(dialog).to_be_visible()
    assert page.evaluate(FOCUS_IN_DIALOG), "the focus stays outside the dialog"
    return dialog


def test_the_ministry_removes_a_participant_through_the_dialog(
    page: Page, demo: Demo, assert_accessible, log_in
):
    negotiation = demo.pirkanmaa_2027
    page.goto("/login/")
    log_in(page, "ministry")
    page.goto(f"/negotiations/{negotiation.pk}/")
    assert_accessible(page)
    link = page.get_by_role("link", name="Poista osallistuja Terhi Tutkija")

    # Escape closes the dialog and gives the focus back to the link.
    dialog = open_dialog(page, link, "Poistetaanko osallistuja?")
    expect(dialog).to_contain_text("Terhi Tutkija")
    expect(dialog).to_contain_text("erikoistutkija")
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert is_focused(page, link)

    # So does "Peruuta", and nothing was removed.
    dialog = open_dialog(page, link, "Poistetaanko osallistuja?")
    dialog.get_by_role("button", name="Peruuta").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert is_focused(page, link)
    assert negotiation.participants.filter(name="Terhi Tutkija").exists()

    # Two quick clicks on the link open one dialog; two on the button remove once.
    link.dblclick()
    dialog = page.get_by_role("dialog", name="Poistetaanko osallistuja?")
    expect(dialog).to_be_visible()
    expect(page.locator("dialog")).to_have_count(1)
    dialog.get_by_role("button", name="Poista osallistuja").dblclick()
    message = page.get_by_role("region", name="Osallistujat").get_by_role("status")
    expect(message).to_have_text("Terhi Tutkija poistettiin osallistujista.")
    expect(message).to_be_focused()
    assert not Participant.objects.filter(negotiation=negotiation, name="Terhi Tutkija").exists()
    assert_accessible(page)


def test_the_confirmation_page_works_without_the_dialog(
    page: Page, demo: Demo, assert_accessible, log_in
):
    negotiation = demo.pirkanmaa_2027
    page.goto("/login/")
    log_in(page, "ministry")
    page.goto(f"/negotiations/{negotiation.pk}/")
    href = page.get_by_role("link", name="Poista osallistuja Terhi Tutkija").get_attribute("href")
    page.goto(href)
    expect(page.get_by_role("heading", level=1)).to_have_text("Poistetaanko osallistuja?")
    assert_accessible(page)
    page.get_by_role("link", name="Peruuta").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pirkanmaa – Hyvinvointialueneuvottelut 2027"
    )
    assert negotiation.participants.filter(name="Terhi Tutkija").exists()


def test_the_ministry_opens_and_closes_the_deletion_of_an_action(
    page: Page, demo: Demo, assert_accessible, log_in
):
    action = demo.editable_action()
    page.goto("/login/")
    log_in(page, "ministry")
    page.goto(f"/actions/{action.pk}/")
    assert_accessible(page)
    link = page.get_by_role("link", name="Poista jatkotoimenpide")
    dialog = open_dialog(page, link, "Poistetaanko jatkotoimenpide?")
    expect(dialog).to_contain_text(action.what)
    expect(dialog.get_by_role("button", name="Poista jatkotoimenpide")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert is_focused(page, link)
    assert FollowUpAction.objects.filter(pk=action.pk).exists()


def test_the_preparer_opens_the_deletion_of_an_attachment_and_meets_a_refused_upload(
    page: Page, demo: Demo, assert_accessible, tmp_path, log_in
):
    attachment = demo.attachment()
    page.goto("/login/")
    log_in(page, "pirkanmaa")
    page.goto(f"/negotiations/{demo.pirkanmaa_2027.pk}/report/")
    link = page.get_by_role("link", name=f"Poista liite {attachment.original_name}")
    dialog = open_dialog(page, link, "Poistetaanko liite?")
    expect(dialog).to_contain_text(attachment.original_name)
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert is_focused(page, link)
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()

    program = tmp_path / "ohjelma.pdf"
    program.write_bytes(b"MZ" + bytes(510))
    page.get_by_label("Liitetiedosto").set_input_files(str(program))
    page.get_by_role("button", name="Lisää liite").click()
    summary = page.get_by_role("alert").filter(has_text="Tarkista seuraavat kohdat")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Liitettä ohjelma.pdf ei lisätty.")
    field = page.get_by_label("Liitetiedosto")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(re.compile("sallittuja tyyppejä"))
    summary.get_by_role("link", name=re.compile("^Liitetiedosto:")).click()
    expect(field).to_be_focused()
    assert_accessible(page)
