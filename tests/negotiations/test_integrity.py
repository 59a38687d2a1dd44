"""Integrity of the document workflow (one request at a time; the races are in
test_concurrency.py): locks are checked where the write happens, an approved record keeps
what it recorded, a change and its event are one transaction, e-mails leave on commit, a
page view creates nothing, and bad input is refused with the input kept."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from negotiations import services
from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordComment,
    RecordEvent,
    RecordSection,
    Round,
    SituationReport,
)
from negotiations.models.versioning import SaveOutcome
from regions.roles import REGIONAL_PREPARER
from tests.factories import add_theme, county, make_round, make_user, theme_section

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NUL = "Tilanne\x00 hyvä"


@pytest.fixture
def round_2027(db) -> Round:
    round_ = make_round(2027, status=Round.Status.PLANNING)
    add_theme(round_, "henkilosto", "Henkilöstötilanne", 1)
    add_theme(round_, "pelastustoimi", "Pelastustoimi", 2)
    services.set_participating_regions(round_=round_, regions=[county("08"), county("21")])
    return round_


@pytest.fixture
def negotiation(round_2027) -> Negotiation:
    return round_2027.negotiations.get(region=county("08"))


@pytest.fixture
def record(negotiation) -> Record:
    return negotiation.record


@pytest.fixture
def open_round(round_2027, django_capture_on_commit_callbacks) -> Round:
    with django_capture_on_commit_callbacks(execute=True):
        services.advance_round_status(round_=round_2027, to=Round.Status.OPEN_FOR_REPORTS)
    round_2027.refresh_from_db()
    return round_2027


def transition(client, record: Record, action: str, **data):
    name = {"approve": "record-approve", "publish": "record-publish"}.get(
        action, "record-transition"
    )
    url = reverse(f"negotiations:{name}", args=[record.pk])
    return client.post(url, {"action": action, **data}, follow=True)


# --- documents are made by the services, never by a page view ----------------------------------


def test_a_new_negotiation_has_its_record_and_gets_its_report_when_the_round_opens(
    round_2027, negotiation
):
    assert Record.objects.filter(negotiation=negotiation).exists()
    assert negotiation.record.sections.count() == 4  # opening, two themes, closing
    assert not SituationReport.objects.filter(negotiation=negotiation).exists()
    services.advance_round_status(round_=round_2027, to=Round.Status.OPEN_FOR_REPORTS)
    report = SituationReport.objects.get(negotiation=negotiation)
    assert report.sections.count() == 2


def test_opening_a_report_page_of_a_round_without_reports_creates_nothing(
    client, ministry_user, negotiation
):
    client.force_login(ministry_user)
    response = client.get(reverse("negotiations:report-detail", args=[negotiation.pk]))
    assert response.status_code == 200
    assert "negotiations/report_not_open.html" in [t.name for t in response.templates]
    assert not SituationReport.objects.exists()


def test_a_theme_added_later_gets_its_section_in_every_report_and_record(
    client, ministry_user, open_round, negotiation
):
    theme = add_theme(open_round, "digi", "Digitaalisuus", 3)
    services.sync_round_documents(round_=open_round)
    assert negotiation.report.sections.filter(round_theme=theme).exists()
    assert negotiation.record.sections.filter(round_theme=theme).exists()


def themes_data(client, url: str, *, delete: int) -> dict:
    """The round-theme formset as the page shows it, with one row ticked for deletion."""
    formset = client.get(url).context["formset"]
    data = {
        f"{formset.prefix}-TOTAL_FORMS": formset.initial_form_count(),
        f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count(),
        f"{formset.prefix}-MIN_NUM_FORMS": 0,
        f"{formset.prefix}-MAX_NUM_FORMS": 1000,
    }
    for form in formset.initial_forms:
        for name in form.fields:
            if name != "DELETE":
                value = form[name].value()  # a list for the objectives and indicators chosen
                data[f"{form.prefix}-{name}"] = value if isinstance(value, list) else value or ""
        if form.instance.pk == delete:
            data[f"{form.prefix}-DELETE"] = "on"
    return data


def test_a_removed_theme_takes_its_empty_sections_along_but_not_written_ones(
    client, ministry_user, open_round, negotiation
):
    empty, written = open_round.round_themes.order_by("position")
    section = negotiation.record.sections.get(round_theme=written)
    section.save_texts(texts={"situation": "Kirjattu"}, base_version=0, by=ministry_user)
    client.force_login(ministry_user)
    url = reverse("negotiations:round-themes", args=[open_round.pk])

    assert client.post(url, themes_data(client, url, delete=empty.pk)).status_code == 302
    assert not open_round.round_themes.filter(pk=empty.pk).exists()
    assert not RecordSection.objects.filter(round_theme_id=empty.pk).exists()

    refused = client.post(url, themes_data(client, url, delete=written.pk))
    assert refused.status_code == 400
    assert "ei voi poistaa" in refused.text
    assert open_round.round_themes.filter(pk=written.pk).exists()
    section.refresh_from_db()
    assert section.situation == "Kirjattu"


# --- the approved record keeps what it recorded ----------------------------------------------


def test_attendance_of_an_approved_record_stays_when_participants_change(
    client, ministry_user, record, negotiation
):
    director = negotiation.add_participant(
        side="region", name="Maija Meikäläinen", title="hyvinvointialuejohtaja"
    )
    official = negotiation.add_participant(side="ministry", user=ministry_user)
    record.set_attendance([director, official])
    record.approve(by=ministry_user)
    client.force_login(ministry_user)

    # The pages refuse planning changes once the record is approved (test_participants.py);
    # the admin and the services still may change participants, and the record keeps its copy.
    services.remove_participant(participant=director)
    negotiation.add_participant(side="region", name="Maija Meikäläinen")

    assert sorted(record.attendees.values_list("name", flat=True)) == [
        "Maija Meikäläinen",
        "Mirja",
    ]
    page = client.get(reverse("negotiations:record-detail", args=[negotiation.pk])).text
    assert "Maija Meikäläinen</span>, hyvinvointialuejohtaja" in page


def test_a_draft_forgets_the_attendance_of_a_removed_participant(
    client, ministry_user, record, negotiation
):
    guest = negotiation.add_participant(side="other", name="Vieras")
    record.set_attendance([guest])
    client.force_login(ministry_user)
    client.post(reverse("negotiations:participant-delete", args=[negotiation.pk, guest.pk]))
    assert not record.attendees.exists()


def test_an_approved_record_refuses_attendance_actions_comments_and_text(
    client, ministry_user, pirkanmaa_preparer, record
):
    section = theme_section(record)
    participant = record.negotiation.add_participant(side="region", name="Osallistuja")
    record.send_for_comments(by=ministry_user)
    record.approve(by=ministry_user)

    with pytest.raises(Exception, match="lukittu"):
        record.set_attendance([participant])
    action = FollowUpAction(section=section, what="Myöhässä", responsible="region")
    with pytest.raises(Exception, match="jatkotoimenpiteitä"):
        record.add_action(action)
    with pytest.raises(Exception, match="kommentoitavana"):
        record.add_comment(section=section, by=pirkanmaa_preparer, text="Myöhässä")
    outcome = section.save_texts(texts={"situation": "Myöhässä"}, base_version=0, by=ministry_user)
    assert outcome is SaveOutcome.LOCKED

    client.force_login(ministry_user)
    add = reverse("negotiations:action-add", args=[record.pk, section.pk])
    refused = client.post(add, {"what": "Myöhässä", "responsible": "region"}, follow=True)
    assert "Muistio on hyväksytty" in refused.text
    assert not FollowUpAction.objects.exists()
    assert not record.attendees.exists()
    assert not RecordComment.objects.exists()
    section.refresh_from_db()
    assert (section.version, section.situation) == (0, "")


def test_a_section_save_that_finds_the_record_approved_is_refused(ministry_user, record):
    """The page (and this copy of the record) was loaded before a colleague approved it: the
    lock is checked again on the locked row where the text is written."""
    section = theme_section(record)
    Record.objects.filter(pk=record.pk).update(status=Record.Status.APPROVED)
    assert section.record.status == Record.Status.DRAFT  # the stale copy
    outcome = section.save_texts(texts={"situation": "Oma"}, base_version=0, by=ministry_user)
    assert outcome is SaveOutcome.LOCKED
    assert not section.versions.exists()


def test_a_report_section_saved_after_submission_is_refused_with_the_text_kept(
    client, pirkanmaa_preparer, open_round, negotiation
):
    report = negotiation.report
    section = report.sections.first()
    report.submit(by=pirkanmaa_preparer)
    outcome = section.save_texts(texts={"text": "Myöhässä"}, base_version=0, by=pirkanmaa_preparer)
    assert outcome is SaveOutcome.LOCKED
    assert not section.versions.exists()


# --- a change and its event are one transaction --------------------------------------------------


@pytest.mark.parametrize("step", ["reopen", "publish"])
def test_a_step_whose_event_fails_leaves_the_record_as_it_was(
    monkeypatch, ministry_user, record, step
):
    record.approve(by=ministry_user)

    def fail(*args, **kwargs):
        raise RuntimeError("the event log is not writable")

    monkeypatch.setattr(Record, "_log", fail)
    with pytest.raises(RuntimeError):
        if step == "reopen":
            record.reopen(by=ministry_user, reason="Korjaus")
        else:
            record.publish(by=ministry_user)
    record.refresh_from_db()
    assert record.status == Record.Status.APPROVED
    assert record.published_at is None and record.approved_at is not None
    assert list(record.events.values_list("action", flat=True)) == [RecordEvent.Action.APPROVED]


# --- e-mails leave when the change is committed ---------------------------------------------------


def test_emails_are_sent_on_commit_and_never_for_a_rolled_back_change(
    ministry_user, record, django_capture_on_commit_callbacks
):
    make_user("posti", group=REGIONAL_PREPARER, regions=[county("08")], email="v@example.fi")
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.approve_record(record=record, by=ministry_user)
        raise RuntimeError("a later step fails")
    assert callbacks == [] and mail.outbox == []
    record.refresh_from_db()
    assert record.status == Record.Status.DRAFT

    with django_capture_on_commit_callbacks(execute=True):
        assert services.approve_record(record=record, by=ministry_user) == 1
    assert [m.to for m in mail.outbox] == [["v@example.fi"]]


def test_opening_the_round_twice_sends_the_emails_once(
    client, ministry_user, round_2027, django_capture_on_commit_callbacks
):
    make_user("posti", group=REGIONAL_PREPARER, regions=[county("08")], email="v@example.fi")
    client.force_login(ministry_user)
    url = reverse("negotiations:round-status", args=[round_2027.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"to": Round.Status.OPEN_FOR_REPORTS})
        again = client.post(url, {"to": Round.Status.OPEN_FOR_REPORTS}, follow=True)
    assert "Kierros on jo tilassa" in again.text
    assert len(mail.outbox) == 1


def test_a_repeated_step_says_it_is_done_and_changes_nothing(client, ministry_user, record):
    client.force_login(ministry_user)
    reason = {"reason": "Alue kommentoi kokouksessa."}  # it never had the draft
    transition(client, record, "approve", **reason)
    approved_at = Record.objects.get(pk=record.pk).approved_at
    again = transition(client, record, "approve", **reason)
    assert "Muistio on jo hyväksytty." in again.text
    record.refresh_from_db()
    assert record.approved_at == approved_at
    assert record.events.count() == 1


# --- bad input: refused with a message, the input kept, never a 5xx ----------------------------


def test_a_nul_byte_in_an_autosave_is_refused_and_nothing_is_saved(
    client, pirkanmaa_preparer, open_round, negotiation
):
    section = negotiation.report.sections.first()
    client.force_login(pirkanmaa_preparer)
    url = reverse("negotiations:report-section-save", args=[section.report_id, section.pk])
    response = client.post(url, {f"text-{section.pk}": NUL, f"version-{section.pk}": "0"}, **HTMX)
    assert response.status_code == 200
    assert "ohjausmerkki" in response.text
    section.refresh_from_db()
    assert section.version == 0


def test_save_all_without_javascript_keeps_every_section_when_one_has_a_nul_byte(
    client, pirkanmaa_preparer, open_round, negotiation
):
    first, second = negotiation.report.sections.all()
    client.force_login(pirkanmaa_preparer)
    url = reverse("negotiations:report-detail", args=[negotiation.pk])
    data = {
        f"text-{first.pk}": "Hyvä teksti",
        f"version-{first.pk}": "0",
        f"text-{second.pk}": NUL,
        f"version-{second.pk}": "0",
    }
    page = client.post(url, data)
    assert page.status_code == 409
    assert ">\nHyvä teksti</textarea>" in page.text
    # Kept as typed, the control character shown as a visible mark (HTML cannot carry it).
    assert ">\nTilanne\ufffd hyvä</textarea>" in page.text
    assert "ohjausmerkki" in page.text
    second.refresh_from_db()
    assert second.version == 0


@pytest.mark.parametrize("text", [NUL, "x" * 100_000])
def test_a_bad_reopen_reason_or_return_comment_comes_back_with_its_error(
    client, ministry_user, pirkanmaa_preparer, open_round, negotiation, record, text
):
    record.approve(by=ministry_user)
    client.force_login(ministry_user)
    response = transition(client, record, "reopen", reason=text)
    assert response.status_code == 400
    assert "ohjausmerkki" in response.text or "liian pitkä" in response.text
    record.refresh_from_db()
    assert record.status == Record.Status.APPROVED

    report = negotiation.report
    report.submit(by=pirkanmaa_preparer)
    url = reverse("negotiations:report-return", args=[report.pk])
    response = client.post(url, {"comment": text})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.status == SituationReport.Status.SUBMITTED


def test_a_huge_participant_id_in_attendance_is_refused_with_a_message(
    client, ministry_user, record
):
    client.force_login(ministry_user)
    url = reverse("negotiations:record-attendance", args=[record.pk])
    response = client.post(url, {"present": [str(10**30)]}, follow=True)
    assert response.status_code == 200
    assert "ei kelpaa" in response.text
    assert not record.attendees.exists()


def test_the_record_scoping_hides_drafts_from_regions_in_one_place(
    ministry_user, pirkanmaa_preparer, record
):
    assert record in Record.objects.for_user(ministry_user)
    assert not Record.objects.for_user(pirkanmaa_preparer).exists()
    record.send_for_comments(by=ministry_user)
    assert list(Record.objects.for_user(pirkanmaa_preparer)) == [record]


def test_the_lineage_of_a_county_leads_back_to_its_maakunta(db):
    from regions.models import Region

    helsinki = Region.objects.get(kind=Region.Kind.CITY, code="90")
    uusimaa = Region.objects.get(kind=Region.Kind.MAAKUNTA, code="01")
    assert Region.objects.filter(pk=helsinki.pk).lineage_ids() == {helsinki.pk, uusimaa.pk}


def test_an_action_with_a_control_character_comes_back_with_its_input(
    client, ministry_user, record
):
    section = theme_section(record)
    client.force_login(ministry_user)
    add = reverse("negotiations:action-add", args=[record.pk, section.pk])
    data = {"what": "Tee\x07 jotain", "responsible": "region", "owner": "Hallintoylilääkäri"}
    response = client.post(add, data)
    assert response.status_code == 400
    assert "ohjausmerkki" in response.text
    assert 'value="Hallintoylilääkäri"' in response.text
    assert not FollowUpAction.objects.exists()


def test_a_negotiation_added_in_the_admin_gets_its_record_and_report(client, superuser, round_2027):
    services.advance_round_status(round_=round_2027, to=Round.Status.OPEN_FOR_REPORTS)
    client.force_login(superuser)
    response = client.post(
        reverse("admin:negotiations_negotiation_add"),
        {"round": round_2027.pk, "region": county("13").pk, "language": "fi"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    negotiation = round_2027.negotiations.get(region=county("13"))
    assert negotiation.record.sections.count() == 4
    assert negotiation.report.sections.count() == 2


def test_an_overlong_query_string_is_refused_before_any_view(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get("/admin/auth/user/", {"q": "x" * 10_000})
    assert response.status_code == 414
    assert "Verkko-osoite on liian pitkä" in response.text


def test_a_round_pdf_for_an_area_code_with_a_nul_byte_is_not_found(
    client, ministry_user, round_2027
):
    client.force_login(ministry_user)
    url = reverse("negotiations:round-pdf", args=[round_2027.pk])
    assert client.get(url, {"area": "etela\x00suomi"}).status_code == 404


def test_a_posted_step_with_a_nul_byte_is_logged_without_it(client, ministry_user, round_2027):
    from audit.models import UsageEntry

    client.force_login(ministry_user)
    url = reverse("negotiations:round-status", args=[round_2027.pk])
    response = client.post(url, {"to": "open\x00"}, follow=True)
    assert response.status_code == 200
    assert "\x00" not in UsageEntry.objects.get(path=url).detail


def test_the_chair_is_invited_so_the_record_can_mark_them_present(client, ministry_user, record):
    negotiation = record.negotiation
    services.schedule_negotiation(negotiation=negotiation, chair=ministry_user)
    services.schedule_negotiation(negotiation=negotiation, place="Helsinki")  # not twice
    assert list(negotiation.participants.values_list("user", "side")) == [
        (ministry_user.pk, "ministry")
    ]
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:record-detail", args=[negotiation.pk])).text
    chair = negotiation.participants.get()
    assert f'id="present-{chair.pk}"' in page


def test_the_negotiation_page_says_the_status_of_its_report_and_record(
    client, ministry_user, pirkanmaa_preparer, open_round, negotiation
):
    url = reverse("negotiations:negotiation-detail", args=[negotiation.pk])
    client.force_login(ministry_user)
    page = client.get(url).text
    assert "Tila: ei aloitettu" in page and "Tila: luonnos" in page
    negotiation.record.send_for_comments(by=ministry_user)
    client.force_login(pirkanmaa_preparer)
    assert "Tila: alueen kommentoitavana" in client.get(url).text
