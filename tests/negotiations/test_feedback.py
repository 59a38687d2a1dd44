"""Feedback where the focus lands: after adding or removing a participant, an attachment or
a follow-up action the message is in the section that changed and takes the focus there; a
refused upload comes back at its file field with an error summary above the form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Participant,
    RecordSection,
    ReportAttachment,
    Round,
    SituationReport,
)
from tests.factories import (
    EXE_BYTES,
    SMALL_PDF_BYTES,
    add_action_with_note,
    add_attachment,
    add_theme,
    county,
    make_round,
    negotiate,
)
from tests.pages import action_delete_url, attachment_delete_url, participant_delete_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


@pytest.fixture
def negotiation(db) -> Negotiation:
    round_ = make_round(2027, status=Round.Status.OPEN_FOR_REPORTS)
    add_theme(round_, "henkilosto", "Henkilöstötilanne", 1)
    return negotiate(round_, county("08"))  # Pirkanmaa, with its report and record


@pytest.fixture
def participant(negotiation) -> Participant:
    return negotiation.add_participant(side="thl", name="Terhi Tutkija", organisation="THL")


@pytest.fixture
def report(negotiation) -> SituationReport:
    return SituationReport.objects.get(negotiation=negotiation)


@pytest.fixture
def attachment(report, pirkanmaa_preparer) -> ReportAttachment:
    return add_attachment(report, pirkanmaa_preparer)


@pytest.fixture
def section(negotiation) -> RecordSection:
    return negotiation.record.sections.get(kind=RecordSection.Kind.THEME)


@pytest.fixture
def action(section, ministry_user) -> FollowUpAction:
    return add_action_with_note(section, ministry_user)


def section_of(page: str, start_marker: str) -> str:
    start = page.index(start_marker)
    return page[start : page.index("</section>", start)]


def participants_of(page: str) -> str:
    return section_of(page, '<section id="participants"')


def attachments_of(page: str) -> str:
    return section_of(page, '<section id="attachments"')


def top_of(page: str) -> str:
    """The page above its first section: where messages used to be drawn."""
    return page[: page.index("<section")]


def focused_message(text: str) -> str:
    return f'tabindex="-1" autofocus>{text}</p>'


def detail_url(negotiation) -> str:
    return reverse("negotiations:negotiation-detail", args=[negotiation.pk])


def report_url(negotiation) -> str:
    return reverse("negotiations:report-detail", args=[negotiation.pk])


def upload_url(report: SituationReport) -> str:
    return reverse("negotiations:report-attachment-upload", args=[report.pk])


# --- participants ----------------------------------------------------------------------------


def test_an_added_participant_is_told_in_the_participants_section_with_the_focus(
    client, ministry_user, negotiation
):
    client.force_login(ministry_user)
    response = client.post(
        reverse("negotiations:participant-add", args=[negotiation.pk]),
        {"side": "thl", "name": "Terhi Tutkija", "organisation": "THL"},
        follow=True,
    )
    page = response.text
    assert focused_message("Terhi Tutkija lisättiin osallistujaksi.") in participants_of(page)
    assert 'role="status"' in participants_of(page)
    assert "lisättiin" not in top_of(page)
    # Shown once: the next visit is quiet.
    assert "lisättiin osallistujaksi" not in client.get(detail_url(negotiation)).text


def test_a_removed_participant_is_told_in_the_participants_section_with_the_focus(
    client, ministry_user, participant
):
    client.force_login(ministry_user)
    page = client.post(participant_delete_url(participant), follow=True).text
    section = participants_of(page)
    assert focused_message("Terhi Tutkija poistettiin osallistujista.") in section
    assert "poistettiin" not in top_of(page)


def test_a_refused_participant_shows_the_error_summary_above_its_form(
    client, ministry_user, negotiation
):
    client.force_login(ministry_user)
    response = client.post(
        reverse("negotiations:participant-add", args=[negotiation.pk]), {"side": "thl"}
    )
    assert response.status_code == 400
    section = participants_of(response.text)
    assert 'id="participant-errors"' in section
    assert 'autofocus>\n    <h2 id="participant-errors-heading">' in section
    assert 'href="#participant-user"' in section
    assert "Tarkista seuraavat kohdat" not in top_of(response.text)


# --- attachments -----------------------------------------------------------------------------


def test_an_added_attachment_is_told_in_the_attachments_section_with_the_focus(
    client, pirkanmaa_preparer, report
):
    client.force_login(pirkanmaa_preparer)
    page = client.post(
        upload_url(report),
        {"file": SimpleUploadedFile("selvitys.pdf", SMALL_PDF_BYTES)},
        follow=True,
    ).text
    assert focused_message("Liite selvitys.pdf lisättiin.") in attachments_of(page)
    assert "lisättiin" not in top_of(page)


def test_a_removed_attachment_is_told_in_the_attachments_section_with_the_focus(
    client, pirkanmaa_preparer, attachment
):
    client.force_login(pirkanmaa_preparer)
    page = client.post(attachment_delete_url(attachment), follow=True).text
    assert focused_message("Liite henkilöstö.pdf poistettiin.") in attachments_of(page)


def refused_upload_page(client, report, name: str, content: bytes) -> str:
    response = client.post(upload_url(report), {"file": SimpleUploadedFile(name, content)})
    assert (response.status_code, response.url) == (302, report_url(report.negotiation))
    return client.get(response.url).text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "ohjelma.pdf",
            EXE_BYTES,
            "Tiedoston sisältö ei vastaa sallittuja tyyppejä (PDF, DOCX, XLSX, ODT, ODS).",
        ),
        (
            "iso.pdf",
            SMALL_PDF_BYTES.ljust(2048, b"\n"),
            "Tiedosto on liian suuri: enintään 1,0\xa0KB.",
        ),
    ],
    ids=["wrong-type", "too-big"],
)
@override_settings(REPORT_ATTACHMENT_MAX_BYTES=1024)
def test_a_refused_upload_is_marked_at_the_file_field_with_a_summary_that_links_to_it(
    client, pirkanmaa_preparer, report, name, content, reason
):
    client.force_login(pirkanmaa_preparer)
    page = refused_upload_page(client, report, name, content)
    section = attachments_of(page)
    # The field: invalid, described by its help text and the error, which says why.
    assert (
        'aria-invalid="true" aria-describedby="attachment-file_helptext attachment-file_error"'
        in section
    )
    assert f'<ul class="errorlist" id="attachment-file_error"><li>{reason}</li></ul>' in section
    # The summary above the form takes the focus and links to the field.
    summary = section[section.index('id="attachment-errors"') : section.index("<form")]
    assert "autofocus" in summary
    assert f"<p>Liitettä {name} ei lisätty.</p>" in summary
    assert f'<a href="#attachment-file">Liitetiedosto: {reason}</a>' in summary
    # Nothing at the top of the long page, nothing stored, and shown once.
    assert "ei lisätty" not in top_of(page)
    assert not report.attachments.exists()
    again = attachments_of(client.get(report_url(report.negotiation)).text)
    assert "aria-invalid" not in again
    assert "attachment-errors" not in again


def test_an_upload_without_a_file_is_marked_at_the_field(client, pirkanmaa_preparer, report):
    client.force_login(pirkanmaa_preparer)
    client.post(upload_url(report), {})
    section = attachments_of(client.get(report_url(report.negotiation)).text)
    assert '<a href="#attachment-file">Liitetiedosto: Valitse lisättävä tiedosto.</a>' in section
    assert 'aria-invalid="true"' in section


# --- follow-up actions -----------------------------------------------------------------------


def test_a_deleted_action_is_told_in_its_theme_section_with_the_focus(
    client, ministry_user, action, section
):
    client.force_login(ministry_user)
    page = client.post(action_delete_url(action), follow=True).text
    start = page.index(f'id="section-actions-heading-{section.pk}"')
    actions = page[start : page.index(f'id="section-actions-{section.pk}"', start)]
    assert f'id="section-actions-feedback-{section.pk}"' in actions
    assert (
        focused_message(
            "Jatkotoimenpide ”Selvitetään päivystyksen henkilöstömitoitus” poistettiin."
        )
        in actions
    )
