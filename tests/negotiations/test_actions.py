"""Follow-up actions: added in a record's theme section, edited by the ministry, noted by the
ministry and the region, and carried over to the region's next round through succession."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    Round,
)
from negotiations.services import ensure_record, ensure_report
from negotiations.views.rows import section_actions
from regions.models import Region
from tests.factories import (
    add_theme,
    approve,
    county,
    maakunta,
    make_action,
    make_preparer,
    make_round,
    negotiate,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
Status = FollowUpAction.Status
UUSIMAA_SUCCESSORS = ["Itä-Uusimaa", "Keski-Uusimaa", "Länsi-Uusimaa", "Vantaa–Kerava"]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture
def round_2027(db) -> Round:
    round_ = make_round(2027, status=Round.Status.OPEN_FOR_REPORTS)
    add_theme(round_, "henkilosto", "Henkilöstötilanne", 1)
    add_theme(round_, "pelastustoimi", "Pelastustoimi", 2)
    return round_


@pytest.fixture
def negotiation(round_2027) -> Negotiation:
    return negotiate(round_2027, county("08"))  # Pirkanmaa


@pytest.fixture
def record(negotiation) -> Record:
    return ensure_record(negotiation)


@pytest.fixture
def section(record) -> RecordSection:
    return record.sections.filter(kind=RecordSection.Kind.THEME).first()


@pytest.fixture
def action(negotiation, section, record, ministry_user) -> FollowUpAction:
    record.send_for_comments(by=ministry_user)  # the region sees it from now on
    return FollowUpAction.objects.create(
        negotiation=negotiation,
        section=section,
        what="Selvitetään päivystyksen henkilöstömitoitus",
        responsible=FollowUpAction.Responsible.REGION,
        owner="Hallintoylilääkäri",
        due_date=datetime.date(2027, 6, 30),
    )


@pytest.fixture
def round_2018(db) -> Round:
    round_ = make_round(
        2018,
        name="Syksyn 2018 sote-neuvottelut",
        kind=Round.Kind.SOTE_TALKS,
        status=Round.Status.CLOSED,
        period_start=datetime.date(2018, 10, 9),
        period_end=datetime.date(2018, 11, 23),
    )
    add_theme(round_, "saatavuus", "Palvelujen saatavuus", 1)
    return round_


@pytest.fixture
def uusimaa_action(round_2018, ministry_user) -> FollowUpAction:
    """An open action agreed with the Uusimaa maakunta in autumn 2018, record approved."""
    negotiation = negotiate(round_2018, maakunta("01"))
    action = make_action(
        negotiation,
        "Yhtenäistetään päivystyksen hoitoonpääsy koko Uudellamaalla",
        responsible=FollowUpAction.Responsible.JOINT,
        owner="Uudenmaan sote-valmistelu",
        due_date=datetime.date(2019, 6, 30),
        status=Status.IN_PROGRESS,
    )
    approve(negotiation, ministry_user)
    return action


def add_url(record: Record, section: RecordSection) -> str:
    return reverse("negotiations:action-add", args=[record.pk, section.pk])


def edit_url(action: FollowUpAction) -> str:
    return reverse("negotiations:action-edit", args=[action.pk])


def note_url(action: FollowUpAction) -> str:
    return reverse("negotiations:action-note-add", args=[action.pk])


def record_url(record: Record) -> str:
    return reverse("negotiations:record-detail", args=[record.negotiation_id])


def report_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:report-detail", args=[negotiation.pk])


def carried_url(negotiation: Negotiation) -> str:
    """The report's list of the actions carried over to it (folded in the report)."""
    return reverse("negotiations:report-carried-actions", args=[negotiation.pk])


VALID = {
    "what": "Laaditaan henkilöstön saatavuussuunnitelma",
    "responsible": "region",
    "owner": "Henkilöstöjohtaja",
    "due_date": "2027-09-30",
    "status": "agreed",
}


# --- adding an action in a record's theme section -------------------------------------------


def test_ministry_adds_an_action_to_a_theme_section_without_javascript(
    client, ministry_user, record, section
):
    client.force_login(ministry_user)
    response = client.post(add_url(record, section), VALID)
    assert response.status_code == 302
    assert response.url == f"{record_url(record)}#section-{section.pk}"
    action = FollowUpAction.objects.get()
    assert action.what == "Laaditaan henkilöstön saatavuussuunnitelma"
    assert action.section == section
    assert action.negotiation == record.negotiation
    assert action.responsible == "region"
    assert action.owner == "Henkilöstöjohtaja"
    assert action.due_date == datetime.date(2027, 9, 30)
    assert action.status == Status.AGREED
    assert action.created_by == ministry_user


def test_the_status_of_a_new_action_defaults_to_agreed(client, ministry_user, record, section):
    client.force_login(ministry_user)
    data = {key: value for key, value in VALID.items() if key != "status"}
    client.post(add_url(record, section), data)
    assert FollowUpAction.objects.get().status == Status.AGREED


def test_adding_with_htmx_returns_the_sections_actions_with_a_live_status(
    client, ministry_user, record, section
):
    client.force_login(ministry_user)
    response = client.post(add_url(record, section), VALID, **HTMX)
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text
    assert f'<div id="section-actions-{section.pk}">' in text
    assert "Laaditaan henkilöstön saatavuussuunnitelma" in text
    assert "Henkilöstöjohtaja" in text
    assert "30.9.2027" in text
    assert (
        f'<p id="section-actions-status-{section.pk}" data-hx-swap-oob="innerHTML">'
        "Jatkotoimenpide lisättiin.</p>" in text
    )
    # A fresh, empty form for the next action.
    assert 'name="what"' in text
    assert (
        "</textarea>" in text
        and ">Laaditaan henkilöstön saatavuussuunnitelma</textarea>" not in text
    )
    assert FollowUpAction.objects.count() == 1


def test_an_invalid_action_shows_the_errors_next_to_the_fields_and_keeps_the_input(
    client, ministry_user, record, section
):
    client.force_login(ministry_user)
    data = {**VALID, "what": "", "responsible": "ministeriö?", "due_date": "31.2.2027x"}
    data["owner"] = "Kehitysjohtaja Åsa Öhman"
    response = client.post(add_url(record, section), data)
    assert response.status_code == 400
    text = response.text
    assert 'class="error-summary"' in text
    assert "Kirjoita, mitä sovittiin." in text
    assert f'href="#action-{section.pk}-what"' in text
    assert "Valitse oikea vaihtoehto" in text  # responsible
    assert "Syötä oikea päivämäärä." in text
    assert 'value="Kehitysjohtaja Åsa Öhman"' in text
    assert 'value="31.2.2027x"' in text
    assert FollowUpAction.objects.count() == 0


def test_an_invalid_action_with_htmx_comes_back_in_the_section_with_its_errors(
    client, ministry_user, record, section
):
    client.force_login(ministry_user)
    data = {**VALID, "due_date": "huomenna", "what": "Selvitetään <b>varahenkilöt</b>"}
    response = client.post(add_url(record, section), data, **HTMX)
    assert response.status_code == 200  # htmx swaps only successful responses
    text = response.text
    assert "Syötä oikea päivämäärä." in text
    assert 'value="huomenna"' in text
    assert "Selvitetään &lt;b&gt;varahenkilöt&lt;/b&gt;</textarea>" in text
    assert '<details class="action-add" open>' in text
    assert "Jatkotoimenpidettä ei lisätty. Korjaa merkityt kohdat." in text
    assert FollowUpAction.objects.count() == 0


def test_an_overlong_action_is_refused(client, ministry_user, record, section):
    client.force_login(ministry_user)
    response = client.post(add_url(record, section), {**VALID, "what": "x" * 2001})
    assert response.status_code == 400
    assert FollowUpAction.objects.count() == 0


def test_actions_are_added_only_to_theme_sections(client, ministry_user, record):
    client.force_login(ministry_user)
    opening = record.sections.get(kind=RecordSection.Kind.OPENING)
    assert client.post(add_url(record, opening), VALID).status_code == 404
    other = ensure_record(negotiate(record.negotiation.round, county("21")))
    other_section = other.sections.filter(kind=RecordSection.Kind.THEME).first()
    assert client.post(add_url(record, other_section), VALID).status_code == 404
    assert FollowUpAction.objects.count() == 0


def test_the_region_specific_theme_takes_actions_too(client, ministry_user, round_2027):
    round_2027.allows_region_theme = True
    round_2027.save()
    negotiation = negotiate(round_2027, county("13"))
    negotiation.region_theme_title = "Saamenkieliset palvelut"
    negotiation.save()
    record = ensure_record(negotiation)
    own = record.sections.get(kind=RecordSection.Kind.REGION_THEME)
    client.force_login(ministry_user)
    assert client.post(add_url(record, own), VALID).status_code == 302
    response = client.get(reverse("negotiations:action-tracker"))
    assert "Saamenkieliset palvelut" in response.text


def test_no_actions_are_added_to_an_approved_record(client, ministry_user, record, section):
    record.approve(by=ministry_user)
    client.force_login(ministry_user)
    response = client.post(add_url(record, section), VALID, follow=True)
    assert "Muistio on hyväksytty, joten siihen ei voi enää lisätä jatkotoimenpiteitä." in (
        response.text
    )
    response = client.post(add_url(record, section), VALID, **HTMX)
    assert response.status_code == 200
    assert "ei voi enää lisätä" in response.text
    assert 'name="what"' not in response.text
    assert FollowUpAction.objects.count() == 0


def test_the_section_partial_lists_the_actions_and_offers_the_form_to_the_ministry(
    ministry_user, pirkanmaa_preparer, record, section, action
):
    request = RequestFactory().get("/")
    request.user = ministry_user
    section.action_rows = section_actions(section)
    context = {"section": section, "record": record, "can_edit": True}
    html = render_to_string("negotiations/_section_actions.html", context, request=request)
    assert "<h3" in html and "Jatkotoimenpiteet" in html
    assert "Selvitetään päivystyksen henkilöstömitoitus" in html
    assert "Hallintoylilääkäri" in html
    assert "30.6.2027" in html
    assert "Sovittu" in html
    assert f'href="{edit_url(action)}"' in html
    # The add form is loaded when its disclosure is opened, or opened as a page of its own.
    assert f'data-hx-get="{add_url(record, section)}"' in html
    assert f'<a href="{add_url(record, section)}">' in html
    assert 'name="what"' not in html
    assert 'role="status"' in html
    caption = f"section-actions-caption-{section.pk}"
    region = f'<div class="table-scroll" role="region" aria-labelledby="{caption}" tabindex="0">'
    assert region in html
    assert (
        f'<caption id="{caption}" class="visually-hidden">Jatkotoimenpiteet: Henkilöstötilanne'
        "</caption>"
    ) in html

    request.user = pirkanmaa_preparer
    context["can_edit"] = False
    html = render_to_string("negotiations/_section_actions.html", context, request=request)
    assert "Selvitetään päivystyksen henkilöstömitoitus" in html
    assert 'name="what"' not in html


def test_a_section_without_actions_says_so(ministry_user, record, section):
    request = RequestFactory().get("/")
    request.user = ministry_user
    section.action_rows = section_actions(section)
    html = render_to_string(
        "negotiations/_section_actions.html",
        {"section": section, "record": record, "can_edit": False},
        request=request,
    )
    assert "Teemassa ei ole sovittu jatkotoimenpiteitä." in html


# --- editing an action ------------------------------------------------------------------------


def test_ministry_edits_an_action_and_each_change_leaves_a_note(client, ministry_user, action):
    client.force_login(ministry_user)
    response = client.get(edit_url(action))
    assert response.status_code == 200
    assert 'value="2027-06-30"' in response.text

    data = {
        "what": "Selvitetään päivystyksen ja ensihoidon henkilöstömitoitus",
        "responsible": "joint",
        "owner": "Hallintoylilääkäri",
        "due_date": "2027-08-31",
        "status": "in-progress",
    }
    response = client.post(edit_url(action), data)
    assert response.status_code == 302
    assert response.url == edit_url(action)
    action.refresh_from_db()
    assert action.what == "Selvitetään päivystyksen ja ensihoidon henkilöstömitoitus"
    assert action.responsible == "joint"
    assert action.due_date == datetime.date(2027, 8, 31)
    assert action.status == Status.IN_PROGRESS
    notes = [(note.display_text, note.author) for note in action.notes.all()]
    assert notes == [
        ("Muutettu: toimenpide, vastuutaho, määräaika", ministry_user),
        ("Tila muutettu: sovittu → käynnissä", ministry_user),
    ]
    response = client.get(edit_url(action))
    assert "Jatkotoimenpide tallennettiin." in response.text
    assert "Tila muutettu: sovittu → käynnissä" in response.text
    assert "Mirja" in response.text  # the author of the notes


def test_an_unchanged_save_leaves_no_note(client, ministry_user, action):
    client.force_login(ministry_user)
    data = {
        "what": action.what,
        "responsible": action.responsible,
        "owner": action.owner,
        "due_date": "2027-06-30",
        "status": action.status,
    }
    assert client.post(edit_url(action), data).status_code == 302
    assert action.notes.count() == 0


def test_an_invalid_edit_keeps_the_input_and_changes_nothing(client, ministry_user, action):
    client.force_login(ministry_user)
    data = {
        "what": "Uusi muotoilu",
        "responsible": "region",
        "owner": "",
        "due_date": "2027-13-45",
        "status": "done",
    }
    response = client.post(edit_url(action), data)
    assert response.status_code == 400
    assert "Syötä oikea päivämäärä." in response.text
    assert "Uusi muotoilu</textarea>" in response.text
    # The summary above the form still shows what is stored.
    assert "<p>Selvitetään päivystyksen henkilöstömitoitus</p>" in response.text
    action.refresh_from_db()
    assert action.what == "Selvitetään päivystyksen henkilöstömitoitus"
    assert action.status == Status.AGREED
    assert action.notes.count() == 0

    response = client.post(edit_url(action), {**data, "due_date": "", "status": "valmis?"})
    assert response.status_code == 400
    assert action.notes.count() == 0


def test_once_the_record_is_approved_only_the_status_of_an_action_changes(
    client, ministry_user, action
):
    action.section.record.approve(by=ministry_user)
    client.force_login(ministry_user)
    response = client.get(edit_url(action))
    assert "sovittu sisältö on lukittu" in response.text
    data = {"what": "Jotain muuta", "responsible": "thl", "due_date": "", "status": "done"}
    assert client.post(edit_url(action), data).status_code == 302
    action.refresh_from_db()
    assert action.what == "Selvitetään päivystyksen henkilöstömitoitus"
    assert action.responsible == "region"
    assert action.status == Status.DONE
    assert [note.display_text for note in action.notes.all()] == ["Tila muutettu: sovittu → valmis"]


def test_a_preparer_reads_the_action_page_but_cannot_edit(client, pirkanmaa_preparer, action):
    client.force_login(pirkanmaa_preparer)
    response = client.get(edit_url(action))
    assert response.status_code == 200
    assert "Selvitetään päivystyksen henkilöstömitoitus" in response.text
    assert 'name="what"' not in response.text
    assert 'name="text"' in response.text  # the region may add a progress note
    data = {"what": "x", "responsible": "region", "status": "done"}
    assert client.post(edit_url(action), data).status_code == 403
    action.refresh_from_db()
    assert action.status == Status.AGREED


# --- progress notes -------------------------------------------------------------------------


def test_ministry_adds_a_progress_note(client, ministry_user, action):
    client.force_login(ministry_user)
    response = client.post(note_url(action), {"text": "Ministeriö kysyi tilannetta."})
    assert response.status_code == 302
    assert response.url == edit_url(action)
    note = action.notes.get()
    assert (note.text, note.author) == ("Ministeriö kysyi tilannetta.", ministry_user)


def test_the_regions_own_preparer_adds_a_progress_note_with_htmx(
    client, pirkanmaa_preparer, action
):
    client.force_login(pirkanmaa_preparer)
    data = {"text": "Mitoitusselvitys käynnistyi; ensimmäiset tulokset syyskuussa.", "next": "/"}
    response = client.post(note_url(action), data, **HTMX)
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text
    assert f'<div id="action-notes-{action.pk}"' in text
    assert "Mitoitusselvitys käynnistyi; ensimmäiset tulokset syyskuussa." in text
    assert timezone.localdate().strftime("%-d.%-m.%Y") in text
    assert "pirkanmaan-valmistelija" in text
    assert (
        f'<p id="action-note-status-{action.pk}" data-hx-swap-oob="innerHTML">'
        "Edistymismerkintä lisättiin.</p>" in text
    )
    note = action.notes.get()
    assert note.author == pirkanmaa_preparer


def test_an_empty_progress_note_is_refused_next_to_the_field(client, pirkanmaa_preparer, action):
    client.force_login(pirkanmaa_preparer)
    response = client.post(note_url(action), {"text": "   "})
    assert response.status_code == 400
    assert "Kirjoita edistymismerkintä." in response.text
    assert 'class="error-summary"' in response.text
    assert f'href="#note-{action.pk}-text"' in response.text
    response = client.post(note_url(action), {"text": ""}, **HTMX)
    assert response.status_code == 200
    assert "Kirjoita edistymismerkintä." in response.text
    assert 'aria-invalid="true"' in response.text
    assert action.notes.count() == 0


def test_a_progress_note_is_refused_for_another_region_and_for_anonymous(
    client, lappi_preparer, action
):
    response = client.post(note_url(action), {"text": "Anonyymi"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(lappi_preparer)
    assert client.post(note_url(action), {"text": "Lappi"}).status_code == 404
    assert client.get(edit_url(action)).status_code == 404
    assert action.notes.count() == 0


def test_a_note_added_on_a_page_returns_to_it_but_never_to_another_site(
    client, pirkanmaa_preparer, action
):
    client.force_login(pirkanmaa_preparer)
    back = "/fi/negotiations/1/report/#action-1"
    response = client.post(note_url(action), {"text": "Eteni", "next": back})
    assert response.url == back
    response = client.post(note_url(action), {"text": "Eteni", "next": "https://evil.example/"})
    assert response.url == edit_url(action)


def test_the_region_does_not_see_actions_of_a_record_still_in_draft(
    client, pirkanmaa_preparer, ministry_user, negotiation, section
):
    draft_action = FollowUpAction.objects.create(
        negotiation=negotiation, section=section, what="Luonnoksen toimenpide", responsible="region"
    )
    client.force_login(pirkanmaa_preparer)
    assert client.get(edit_url(draft_action)).status_code == 404
    assert client.post(note_url(draft_action), {"text": "x"}).status_code == 404
    tracker = client.get(reverse("negotiations:action-tracker"))
    assert "Luonnoksen toimenpide" not in tracker.text
    client.force_login(ministry_user)
    assert client.get(edit_url(draft_action)).status_code == 200


# --- carry-over through region succession -----------------------------------------------------


def test_an_action_agreed_with_uusimaa_in_2018_comes_back_to_its_successors_in_2027(
    client, ministry_user, round_2027, uusimaa_action
):
    helsinki = Region.objects.get(code="90")
    helsinki_preparer = make_preparer("helsingin-valmistelija", helsinki)
    client.force_login(helsinki_preparer)
    helsinki_2027 = negotiate(round_2027, helsinki)
    response = client.get(report_url(helsinki_2027))
    assert response.status_code == 200
    assert "1 avoin toimenpide aiemmilta kierroksilta" in response.text
    assert f'data-hx-get="{carried_url(helsinki_2027)}"' in response.text
    response = client.get(carried_url(helsinki_2027))
    assert response.status_code == 200
    text = response.text
    assert "Yhtenäistetään päivystyksen hoitoonpääsy koko Uudellamaalla" in text
    assert "Syksyn 2018 sote-neuvottelut · Uusimaa · Palvelujen saatavuus" in text
    assert "Alueella ei ole avoimia jatkotoimenpiteitä aiemmilta kierroksilta." not in text

    client.force_login(ministry_user)
    for name in [*UUSIMAA_SUCCESSORS, "HUS-yhtymä"]:
        region = Region.objects.get(name_fi=name)
        response = client.get(carried_url(negotiate(round_2027, region)))
        assert "Yhtenäistetään päivystyksen hoitoonpääsy" in response.text, name
    lappi = negotiate(round_2027, county("21"))
    for url in (report_url(lappi), carried_url(lappi)):
        response = client.get(url)
        assert "Yhtenäistetään päivystyksen hoitoonpääsy" not in response.text
        assert "Alueella ei ole avoimia jatkotoimenpiteitä aiemmilta kierroksilta." in response.text


def test_a_carried_action_shows_what_who_when_its_status_and_its_notes(
    client, ministry_user, round_2027, uusimaa_action
):
    uusimaa_action.notes.create(text="Ohjeistus valmisteilla.", author=ministry_user)
    itä_uusimaa = Region.objects.get(name_fi="Itä-Uusimaa")
    preparer = make_preparer("ita-uusimaan-valmistelija", itä_uusimaa)
    client.force_login(preparer)
    response = client.get(carried_url(negotiate(round_2027, itä_uusimaa)), **HTMX)
    text = response.text
    assert "<html" not in text  # the list the report's disclosure loads in place
    assert "Yhteisesti" in text
    assert "Uudenmaan sote-valmistelu" in text
    assert "30.6.2019" in text
    assert '<span class="tag tag-late">myöhässä</span>' in text
    assert "Käynnissä" in text
    assert "Ohjeistus valmisteilla." in text
    assert "Mirja" in text
    # A successor's preparer may record progress on its predecessor's action: the form is
    # loaded on demand.
    form_url = reverse("negotiations:action-note-form", args=[uusimaa_action.pk])
    assert f'data-hx-get="{form_url}"' in text
    assert "<textarea" not in text
    loaded = client.get(form_url, **HTMX).text
    assert f'action="{note_url(uusimaa_action)}"' in loaded
    assert "Edistyminen" in loaded


def test_a_successors_preparer_notes_its_predecessors_action_and_returns_to_the_report(
    client, round_2027, uusimaa_action, lappi_preparer
):
    vantaa = Region.objects.get(name_fi="Vantaa–Kerava")
    preparer = make_preparer("vantaan-valmistelija", vantaa)
    negotiation = negotiate(round_2027, vantaa)
    client.force_login(preparer)
    page = client.get(carried_url(negotiation))
    back = f"{carried_url(negotiation)}#action-{uusimaa_action.pk}"
    # Without JavaScript the link opens the action's page, whose note form returns to the list.
    link = f"{edit_url(uusimaa_action)}?next={back.replace('#', '%23')}"
    assert f'<a href="{link}"' in page.text
    action_page = client.get(link)
    assert f'<input type="hidden" name="next" value="{back}">' in action_page.text
    response = client.post(
        note_url(uusimaa_action), {"text": "Vantaa–Kerava jatkaa.", "next": back}
    )
    assert response.status_code == 302
    assert response.url == back
    assert uusimaa_action.notes.get().author == preparer

    client.force_login(lappi_preparer)
    assert client.post(note_url(uusimaa_action), {"text": "Lappi"}).status_code == 404
    assert uusimaa_action.notes.count() == 1


def test_done_and_cancelled_actions_do_not_come_back(client, ministry_user, round_2027, round_2018):
    negotiation_2018 = negotiate(round_2018, maakunta("06"))  # Pirkanmaa maakunta
    make_action(negotiation_2018, "Valmis toimenpide", status=Status.DONE)
    make_action(negotiation_2018, "Peruttu toimenpide", status=Status.CANCELLED)
    make_action(negotiation_2018, "Sovittu toimenpide", status=Status.AGREED)
    approve(negotiation_2018, ministry_user)
    client.force_login(ministry_user)
    text = client.get(carried_url(negotiate(round_2027, county("08")))).text
    assert "Sovittu toimenpide" in text
    assert "Valmis toimenpide" not in text
    assert "Peruttu toimenpide" not in text


def test_actions_of_the_same_or_a_later_round_do_not_come_back(
    client, ministry_user, round_2027, negotiation
):
    make_action(negotiation, "Tämän kierroksen toimenpide")
    round_2029 = make_round(2029, status=Round.Status.OPEN_FOR_REPORTS)
    add_theme(round_2029, "henkilosto", "Henkilöstötilanne")
    make_action(negotiate(round_2029, county("08")), "Myöhemmän kierroksen toimenpide")
    client.force_login(ministry_user)
    text = client.get(carried_url(negotiation)).text
    assert "Tämän kierroksen toimenpide" not in text
    assert "Myöhemmän kierroksen toimenpide" not in text
    assert "Alueella ei ole avoimia jatkotoimenpiteitä aiemmilta kierroksilta." in text


def test_the_report_pages_query_count_does_not_grow_with_carried_actions(
    client, ministry_user, round_2027, round_2018, django_assert_max_num_queries, query_count
):
    client.force_login(ministry_user)

    def pages(size: int, region: Region) -> list[str]:
        """The report and its carried actions of the region's successor in 2027, after
        `size` actions of the region's in 2018, each with two notes."""
        negotiation_2018 = negotiate(round_2018, region)
        for i in range(size):
            action = make_action(negotiation_2018, f"Toimenpide {i}", owner="Yksikkö")
            action.notes.create(text="Merkintä 1", author=ministry_user)
            action.notes.create(text="Merkintä 2", author=ministry_user)
        negotiation = negotiate(round_2027, region.successors.get())
        ensure_report(negotiation)
        return [report_url(negotiation), carried_url(negotiation)]

    few = []
    for url in (small := pages(2, maakunta("06"))):
        client.get(url)  # warm up
        few.append(query_count(client, url))
    assert client.get(small[-1]).text.count('class="carried-action"') == 2
    for url, count in zip(pages(12, maakunta("19")), few, strict=True):
        client.get(url)  # warm up
        assert query_count(client, url) == count
    assert client.get(url).text.count('class="carried-action"') == 12


def test_the_action_pages_query_count_does_not_grow_with_its_notes(
    client, ministry_user, pirkanmaa_preparer, action, django_assert_max_num_queries, query_count
):
    users = (ministry_user, pirkanmaa_preparer)

    def add_notes(size: int) -> None:
        while action.notes.count() < size:
            author = ministry_user if action.notes.count() % 2 else pirkanmaa_preparer
            action.notes.create(text=f"Merkintä {action.notes.count()}", author=author)

    add_notes(2)
    few = {}
    for user in users:
        client.force_login(user)
        few[user] = query_count(client, edit_url(action))
        assert client.get(edit_url(action)).text.count('<p class="note-meta">') == 2
    add_notes(12)
    for user in users:
        client.force_login(user)
        with django_assert_max_num_queries(few[user]) as queries:
            response = client.get(edit_url(action))
        assert response.text.count('<p class="note-meta">') == 12
        assert len(queries) == few[user]


# --- every URL, every visitor -----------------------------------------------------------------


def test_permission_walk_over_the_action_urls(client, log_in_as, record, section, action):
    data = {**VALID, "text": "Merkintä"}
    urls = [
        # method, url, (own preparer, other preparer, ministry)
        ("post", add_url(record, section), (403, 404, 302)),
        ("get", add_url(record, section), (403, 404, 200)),
        ("get", carried_url(record.negotiation), (200, 404, 200)),
        (
            "get",
            reverse("negotiations:carried-actions", args=[record.negotiation_id]),
            (200, 404, 200),
        ),
        ("get", edit_url(action), (200, 404, 200)),
        ("post", edit_url(action), (403, 404, 302)),
        ("post", note_url(action), (302, 404, 302)),
    ]
    for method, url, expected in urls:
        log_in_as("anonymous")
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
        for who, status in zip(
            ("own-preparer", "other-preparer", "ministry"), expected, strict=True
        ):
            log_in_as(who)
            response = getattr(client, method)(url, data)
            assert response.status_code == status, (who, method, url, response.status_code)
    assert client.get(note_url(action)).status_code == 405
    missing = reverse("negotiations:action-edit", args=[action.pk + 1000])
    assert client.get(missing).status_code == 404


def test_automatic_notes_are_written_in_the_readers_language(client, ministry_user, action):
    action.change_status(Status.IN_PROGRESS, by=ministry_user)
    action.note_changes(["what", "due_date"], by=ministry_user)
    client.force_login(ministry_user)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    page = client.get(edit_url(action)).text
    assert "Status ändrad: överenskommen → pågår" in page
    assert "Tila muutettu" not in page
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    assert "Tila muutettu: sovittu → käynnissä" in client.get(edit_url(action)).text


@pytest.mark.parametrize(("language", "label"), [("fi", "— valitse —"), ("sv", "— välj —")])
def test_the_empty_choice_of_a_select_is_in_the_readers_language(
    client, ministry_user, action, language, label
):
    client.force_login(ministry_user)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(edit_url(action)).text
    assert f">{label}</option>" in page
    assert "Select an option" not in page
