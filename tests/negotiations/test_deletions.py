"""Deletions ask first: a participant, a report's attachment and a follow-up action each have
a confirmation page (GET asks, POST deletes and redirects back), the same question in a
dialog for htmx, and a deletion repeated finds the thing gone and says so."""

import pytest
from django.urls import reverse

from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    Participant,
    Record,
    RecordSection,
    ReportAttachment,
    Round,
    SituationReport,
)
from tests.factories import (
    add_action_with_note,
    add_attachment,
    add_theme,
    county,
    make_round,
    negotiate,
)
from tests.pages import action_delete_url, attachment_delete_url, participant_delete_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

HTMX = {"HX-Request": "true"}


@pytest.fixture
def round_2027(db) -> Round:
    round_ = make_round(2027, status=Round.Status.OPEN_FOR_REPORTS)
    add_theme(round_, "henkilosto", "Henkilöstötilanne", 1)
    return round_


@pytest.fixture
def negotiation(round_2027) -> Negotiation:
    return negotiate(round_2027, county("08"))  # Pirkanmaa, with its report and record


@pytest.fixture
def participant(negotiation) -> Participant:
    return negotiation.add_participant(
        side="thl", name="Terhi Tutkija", organisation="THL", title="erikoistutkija"
    )


@pytest.fixture
def report(negotiation) -> SituationReport:
    return SituationReport.objects.get(negotiation=negotiation)


@pytest.fixture
def attachment(report, pirkanmaa_preparer) -> ReportAttachment:
    return add_attachment(report, pirkanmaa_preparer)


@pytest.fixture
def record(negotiation) -> Record:
    return Record.objects.get(negotiation=negotiation)


@pytest.fixture
def section(record) -> RecordSection:
    return record.sections.get(kind=RecordSection.Kind.THEME)


@pytest.fixture
def action(section, ministry_user) -> FollowUpAction:
    return add_action_with_note(section, ministry_user)


def detail_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:negotiation-detail", args=[negotiation.pk])


def report_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:report-detail", args=[negotiation.pk])


def record_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:record-detail", args=[negotiation.pk])


# --- a participant ---------------------------------------------------------------------------


def test_the_participant_confirmation_says_who_goes_and_changes_nothing(
    client, ministry_user, participant
):
    client.force_login(ministry_user)
    response = client.get(participant_delete_url(participant))
    assert response.status_code == 200
    assert "<h1>Poistetaanko osallistuja?</h1>" in response.text
    for fact in ("Terhi Tutkija", "erikoistutkija", "THL"):
        assert f"<dd>{fact}</dd>" in response.text
    assert f'<form method="post" action="{participant_delete_url(participant)}"' in response.text
    assert ">Poista osallistuja</button>" in response.text
    assert f'href="{detail_url(participant.negotiation)}#participants">Peruuta</a>' in (
        response.text
    )
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_a_participant_is_deleted_once_and_the_second_post_says_it_is_gone(
    client, ministry_user, participant
):
    negotiation = participant.negotiation
    client.force_login(ministry_user)
    first = client.post(participant_delete_url(participant))
    assert (first.status_code, first.url) == (302, detail_url(negotiation))
    assert not Participant.objects.filter(pk=participant.pk).exists()
    assert "Terhi Tutkija poistettiin osallistujista." in client.get(first.url).text

    second = client.post(participant_delete_url(participant), follow=True)
    assert second.status_code == 200
    assert "Osallistuja on jo poistettu." in second.text
    asked = client.get(participant_delete_url(participant))
    assert asked.status_code == 404
    assert "Osallistuja on jo poistettu." in asked.text


def test_the_participant_confirmation_comes_as_a_dialog_for_htmx(
    client, ministry_user, participant
):
    client.force_login(ministry_user)
    response = client.get(participant_delete_url(participant), headers=HTMX)
    assert response.status_code == 200
    html = response.text.strip()
    assert html.startswith('<dialog class="confirm-dialog"')
    assert html.endswith("</dialog>")
    assert "<html" not in html
    # The dialog opens with the focus on its question (static/js/confirm-dialog.js opens it).
    assert (
        '<h2 id="confirm-dialog-heading" tabindex="-1" autofocus>Poistetaanko osallistuja?</h2>'
        in html
    )
    assert 'formmethod="dialog"' in html
    assert Participant.objects.filter(pk=participant.pk).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own-preparer", [403, 403]),
        ("other-preparer", [404, 404]),
        ("ministry", [200, 302]),
        ("anonymous", [302, 302]),
    ],
)
def test_permission_walk_over_the_participant_delete_url(
    client, log_in_as, who, expected, participant
):
    log_in_as(who)
    url = participant_delete_url(participant)
    statuses = [client.get(url).status_code, client.post(url).status_code]
    assert statuses == expected
    assert Participant.objects.filter(pk=participant.pk).exists() is (who != "ministry")


# --- an attachment ---------------------------------------------------------------------------


def test_the_attachment_confirmation_names_the_file_and_changes_nothing(
    client, pirkanmaa_preparer, attachment
):
    client.force_login(pirkanmaa_preparer)
    response = client.get(attachment_delete_url(attachment))
    assert response.status_code == 200
    assert "<h1>Poistetaanko liite?</h1>" in response.text
    assert "<dd>henkilöstö.pdf</dd>" in response.text
    assert "pirkanmaan-valmistelija" in response.text  # who added it
    assert ">Poista liite</button>" in response.text
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()


def test_an_attachment_is_deleted_once_and_the_second_post_says_it_is_gone(
    client, pirkanmaa_preparer, attachment, media_root, django_capture_on_commit_callbacks
):
    stored = media_root / attachment.file.name
    client.force_login(pirkanmaa_preparer)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(attachment_delete_url(attachment))
    assert first.status_code == 302
    assert not ReportAttachment.objects.filter(pk=attachment.pk).exists()
    assert not stored.exists()

    second = client.post(attachment_delete_url(attachment), follow=True)
    assert second.status_code == 200
    assert "Liite on jo poistettu." in second.text
    assert client.get(attachment_delete_url(attachment)).status_code == 404


def test_the_attachment_confirmation_comes_as_a_dialog_for_htmx(
    client, pirkanmaa_preparer, attachment
):
    client.force_login(pirkanmaa_preparer)
    response = client.get(attachment_delete_url(attachment), headers=HTMX)
    assert response.text.strip().startswith('<dialog class="confirm-dialog"')
    assert "Poistetaanko liite?" in response.text
    assert "<html" not in response.text


def test_an_attachment_of_a_submitted_report_is_not_deleted(
    client, pirkanmaa_preparer, report, attachment
):
    report.submit(by=pirkanmaa_preparer)
    client.force_login(pirkanmaa_preparer)
    asked = client.get(attachment_delete_url(attachment))
    assert asked.status_code == 409
    assert "joten liitettä ei voi poistaa" in asked.text
    assert '<form method="post" action="' + attachment_delete_url(attachment) not in asked.text
    refused = client.post(attachment_delete_url(attachment), follow=True)
    assert "Tilannekuva on jo lähetetty" in refused.text
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own-preparer", [200, 302]),
        ("other-preparer", [404, 404]),
        ("ministry", [403, 403]),
        ("anonymous", [302, 302]),
    ],
)
def test_permission_walk_over_the_attachment_delete_url(
    client, log_in_as, who, expected, attachment
):
    log_in_as(who)
    url = attachment_delete_url(attachment)
    statuses = [client.get(url).status_code, client.post(url).status_code]
    assert statuses == expected
    assert ReportAttachment.objects.filter(pk=attachment.pk).exists() is (who != "own-preparer")


# --- a follow-up action ----------------------------------------------------------------------


def test_the_action_page_offers_the_deletion_to_the_ministry_while_the_record_is_editable(
    client, ministry_user, pirkanmaa_preparer, action, record
):
    edit = reverse("negotiations:action-edit", args=[action.pk])
    client.force_login(ministry_user)
    assert f'href="{action_delete_url(action)}"' in client.get(edit).text
    record.send_for_comments(by=ministry_user)
    client.force_login(pirkanmaa_preparer)
    assert action_delete_url(action) not in client.get(edit).text
    record.approve(by=ministry_user)
    client.force_login(ministry_user)
    assert action_delete_url(action) not in client.get(edit).text


def test_the_action_confirmation_says_what_goes_with_it_and_changes_nothing(
    client, ministry_user, action
):
    client.force_login(ministry_user)
    response = client.get(action_delete_url(action))
    assert response.status_code == 200
    assert "<h1>Poistetaanko jatkotoimenpide?</h1>" in response.text
    assert '<dd lang="fi">Selvitetään päivystyksen henkilöstömitoitus</dd>' in response.text
    assert "<dd>Henkilöstötilanne</dd>" in response.text
    assert "<dd>30.6.2027</dd>" in response.text
    assert "sen 1 edistymismerkintä poistetaan" in response.text
    back = reverse("negotiations:action-edit", args=[action.pk])
    assert f'href="{back}">Peruuta</a>' in response.text
    assert FollowUpAction.objects.filter(pk=action.pk).exists()


def test_an_action_is_deleted_with_its_notes_once_and_the_second_post_says_it_is_gone(
    client, ministry_user, action, section
):
    client.force_login(ministry_user)
    first = client.post(action_delete_url(action))
    assert (first.status_code, first.url) == (302, record_url(action.negotiation))
    assert not FollowUpAction.objects.filter(pk=action.pk).exists()
    assert not ActionProgressNote.objects.filter(action_id=action.pk).exists()
    page = client.get(first.url).text
    assert "Jatkotoimenpide ”Selvitetään päivystyksen henkilöstömitoitus” poistettiin." in page

    second = client.post(action_delete_url(action), follow=True)
    assert second.status_code == 200
    assert "Jatkotoimenpide on jo poistettu." in second.text
    assert client.get(action_delete_url(action)).status_code == 404


def test_the_action_confirmation_comes_as_a_dialog_for_htmx(client, ministry_user, action):
    client.force_login(ministry_user)
    response = client.get(action_delete_url(action), headers=HTMX)
    assert response.text.strip().startswith('<dialog class="confirm-dialog"')
    assert "Poistetaanko jatkotoimenpide?" in response.text
    assert "<html" not in response.text


def test_an_action_of_an_approved_record_is_not_deleted(client, ministry_user, action, record):
    record.send_for_comments(by=ministry_user)
    record.approve(by=ministry_user)
    client.force_login(ministry_user)
    asked = client.get(action_delete_url(action))
    assert asked.status_code == 409
    assert "jatkotoimenpiteitä ei voi enää poistaa" in asked.text
    assert ">Poista jatkotoimenpide</button>" not in asked.text
    refused = client.post(action_delete_url(action), follow=True)
    assert "jatkotoimenpiteitä ei voi enää poistaa" in refused.text
    assert FollowUpAction.objects.filter(pk=action.pk).exists()


def test_an_action_is_found_only_under_its_own_section(client, ministry_user, action, record):
    other = record.sections.exclude(pk=action.section_id).first()
    url = reverse("negotiations:action-delete", args=[record.pk, other.pk, action.pk])
    client.force_login(ministry_user)
    assert client.get(url).status_code == 404  # not a theme section, or not its section
    client.post(url)
    assert FollowUpAction.objects.filter(pk=action.pk).exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own-preparer", [403, 403]),
        ("other-preparer", [404, 404]),
        ("ministry", [200, 302]),
        ("anonymous", [302, 302]),
    ],
)
def test_permission_walk_over_the_action_delete_url(
    client, log_in_as, who, expected, ministry_user, action, record
):
    record.send_for_comments(by=ministry_user)  # the region sees the record from now on
    log_in_as(who)
    url = action_delete_url(action)
    statuses = [client.get(url).status_code, client.post(url).status_code]
    assert statuses == expected
    assert FollowUpAction.objects.filter(pk=action.pk).exists() is (who != "ministry")
