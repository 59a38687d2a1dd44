"""Check before an irreversible step: approving a record, publishing it, moving a round on.

Each step has a page of its own (GET) that lists what the step leaves behind and says what
happens next; only the confirmation (POST) takes the step. A record the region never had
for comments is approved only with a reason, which the event log keeps."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordEvent,
    Round,
    SituationReport,
)
from negotiations.services import ensure_record, ensure_report
from regions.roles import REGIONAL_PREPARER
from tests.factories import county, make_round, make_user, theme_section

pytestmark = pytest.mark.django_db

PERSONNEL = "Henkilöstötilanne"
NUL_TEXT = "Kirjoitettu-AAA\x00BBB-teksti"
LONG_TEXT = "Pitkä-teksti-" * 76_924  # 1 000 012 characters


def make_record_round() -> Round:
    """The negotiating round of 2027 with the personnel and rescue themes."""
    return make_round(
        2027,
        status=Round.Status.NEGOTIATING,
        allows_region_theme=True,
        themes=[("henkilosto", PERSONNEL), ("pelastustoimi", "Pelastustoimi")],
    )


@pytest.fixture
def negotiation(db) -> Negotiation:
    negotiation = Negotiation.objects.create(round=make_record_round(), region=county("08"))
    negotiation.set_region_theme(title="Saaristo", questions="Miten saaret palvellaan?")
    return negotiation


@pytest.fixture
def record(negotiation) -> Record:
    return ensure_record(negotiation)


def approve_url(record: Record) -> str:
    return reverse("negotiations:record-approve", args=[record.pk])


def publish_url(record: Record) -> str:
    return reverse("negotiations:record-publish", args=[record.pk])


def status_url(round_: Round) -> str:
    return reverse("negotiations:round-status", args=[round_.pk])


def record_url(record: Record) -> str:
    return reverse("negotiations:record-detail", args=[record.negotiation_id])


def write(record: Record, by, title: str = "Henkilöstötilanne", **texts) -> None:
    section = theme_section(record, title=title)
    section.save_texts(texts=texts, base_version=section.version, by=by)


def add_action(record: Record, by, what: str, **fields) -> FollowUpAction:
    return FollowUpAction.objects.create(
        negotiation=record.negotiation,
        section=theme_section(record, title=PERSONNEL),
        what=what,
        responsible=FollowUpAction.Responsible.REGION,
        created_by=by,
        **fields,
    )


# --- approving: what the check page lists -------------------------------------------------------


def test_the_approve_check_lists_empty_sections_attendance_actions_and_comments(
    client, ministry_user, pirkanmaa_preparer, record
):
    write(record, ministry_user, situation="Tilanne", discussion="Keskustelu")
    write(
        record,
        ministry_user,
        "Pelastustoimi",
        **dict.fromkeys(("situation", "discussion", "challenges", "measures"), "Kirjattu"),
    )
    negotiation = record.negotiation
    present = negotiation.add_participant(side="region", name="Antti Aluejohtaja")
    negotiation.add_participant(side="ministry", name="Poissa Oleva")
    record.set_attendance([present])
    add_action(record, ministry_user, "Selvitetään päivystys", owner="Palvelujohtaja")
    add_action(record, ministry_user, "Laaditaan suunnitelma", due_date=datetime.date(2027, 12, 31))
    add_action(
        record,
        ministry_user,
        "Valmis toimenpide",
        owner="Talousjohtaja",
        due_date=datetime.date(2027, 12, 31),
    )
    record.send_for_comments(by=ministry_user)
    record.add_comment(
        section=theme_section(record, title=PERSONNEL), by=pirkanmaa_preparer, text="Huomio"
    )
    record.add_comment(
        section=theme_section(record, title=PERSONNEL), by=pirkanmaa_preparer, text="Toinen"
    )

    client.force_login(ministry_user)
    page = client.get(approve_url(record))
    assert page.status_code == 200
    text = page.text
    assert "Tarkista ennen hyväksymistä" in text
    # Opening, the region's theme and closing are empty; Henkilöstötilanne is half written.
    assert "3 osiota on tyhjänä:" in text
    assert "<li>Avaus</li>" in text and "<li>Saaristo</li>" in text and "<li>Päätös</li>" in text
    assert "<li>Henkilöstötilanne: haasteet, kehittämistoimet</li>" in text
    assert "Pelastustoimi</li>" not in text
    # Who attended: the ticked one, not the one only invited.
    assert "Antti Aluejohtaja" in text and "Poissa Oleva" not in text
    # Actions without an owner or a due date, each with what is missing.
    assert "2 jatkotoimenpiteeltä puuttuu vastuuhenkilö tai määräaika:" in text
    assert (
        "Selvitetään päivystys</a>\n            (Henkilöstötilanne):\n            ei määräaikaa"
        in (text)
    )
    assert (
        "Laaditaan suunnitelma</a>\n            (Henkilöstötilanne):\n            ei vastuuhenkilöä"
        in (text)
    )
    assert "Valmis toimenpide" not in text
    # The region's comments.
    assert "Alue on kommentoinut muistiota 2 kertaa:" in text
    assert "<li>Henkilöstötilanne: 2 kommenttia</li>" in text
    # What happens next, and no reason asked: the region has had the record.
    assert "Muistio lukittuu" in text and "saavat sähköpostilla ilmoituksen" in text
    assert 'name="reason"' not in text


def test_the_approve_check_says_when_all_is_in_place_and_the_region_did_not_comment(
    client, ministry_user, record
):
    for section in record.sections.all():
        texts = {"discussion": "Kirjattu"}
        if section.is_theme:
            texts = dict.fromkeys(("situation", "discussion", "challenges", "measures"), "K")
        section.save_texts(texts=texts, base_version=0, by=ministry_user)
    record.send_for_comments(by=ministry_user)
    client.force_login(ministry_user)
    text = client.get(approve_url(record)).text
    assert "Kaikissa 5 osiossa on kirjaukset." in text
    assert "Läsnäolijoita ei ole merkitty." in text
    assert "Muistioon ei ole kirjattu jatkotoimenpiteitä." in text
    assert "Muistio on ollut alueen kommentoitavana, mutta alue ei ole kommentoinut sitä." in text


def test_the_approve_check_of_a_record_the_region_never_had_asks_for_a_reason(
    client, ministry_user, record
):
    client.force_login(ministry_user)
    text = client.get(approve_url(record)).text
    assert "Muistiota ei ole lähetetty alueelle kommentoitavaksi." in text
    assert '<textarea name="reason"' in text and "required" in text
    assert 'id="approve-reason"' in text


# --- approving: the confirmation ----------------------------------------------------------------


def test_approving_a_record_the_region_never_had_without_a_reason_is_refused_at_the_field(
    client, ministry_user, record
):
    client.force_login(ministry_user)
    response = client.post(approve_url(record), {"reason": "   "})
    assert response.status_code == 400
    assert "Kerro, miksi se hyväksytään silti." in response.text
    assert 'aria-invalid="true"' in response.text
    assert 'href="#approve-reason"' in response.text  # the error summary links to the field
    record.refresh_from_db()
    assert record.status == Record.Status.DRAFT
    assert not record.events.exists()


def test_a_refused_reason_comes_back_in_the_field(client, ministry_user, record):
    client.force_login(ministry_user)
    response = client.post(approve_url(record), {"reason": NUL_TEXT})
    assert response.status_code == 400
    assert "ohjausmerkki" in response.text
    assert "Kirjoitettu-AAA" in response.text and "BBB-teksti" in response.text
    long = client.post(approve_url(record), {"reason": LONG_TEXT})
    assert long.status_code == 400
    assert "Teksti on liian pitkä" in long.text and LONG_TEXT in long.text
    record.refresh_from_db()
    assert record.status == Record.Status.DRAFT


def test_approving_with_a_reason_logs_it_and_shows_it_on_the_record(
    client, ministry_user, record, django_capture_on_commit_callbacks
):
    make_user("posti", group=REGIONAL_PREPARER, regions=[county("08")], email="v@example.fi")
    client.force_login(ministry_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            approve_url(record), {"reason": "  Alue osallistui kirjoittamiseen kokouksessa. "}
        )
    assert response.status_code == 302 and response.url == record_url(record)
    record.refresh_from_db()
    assert (record.status, record.approved_by) == (Record.Status.APPROVED, ministry_user)
    event = record.events.get()
    assert (event.action, event.by, event.reason) == (
        RecordEvent.Action.APPROVED,
        ministry_user,
        "Alue osallistui kirjoittamiseen kokouksessa.",
    )
    assert len(mail.outbox) == 1 and "on hyväksytty" in mail.outbox[0].subject
    page = client.get(record_url(record)).text
    assert "Muistio hyväksyttiin ja lukittiin." in page
    assert "Perustelu: Alue osallistui kirjoittamiseen kokouksessa." in page


def test_a_record_the_region_had_is_approved_without_a_reason(client, ministry_user, record):
    record.send_for_comments(by=ministry_user)
    client.force_login(ministry_user)
    response = client.post(approve_url(record), {})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == Record.Status.APPROVED
    assert record.events.get(action=RecordEvent.Action.APPROVED).reason == ""


def test_a_reopened_record_the_region_had_before_needs_no_reason(client, ministry_user, record):
    record.send_for_comments(by=ministry_user)
    record.approve(by=ministry_user)
    record.reopen(by=ministry_user, reason="Korjataan päivämäärä.")
    client.force_login(ministry_user)
    assert 'name="reason"' not in client.get(approve_url(record)).text
    assert client.post(approve_url(record), {}).status_code == 302
    record.refresh_from_db()
    assert record.status == Record.Status.APPROVED


def test_approving_again_says_it_is_done_and_changes_nothing(client, ministry_user, record):
    record.send_for_comments(by=ministry_user)
    client.force_login(ministry_user)
    client.post(approve_url(record), {})
    approved_at = Record.objects.get(pk=record.pk).approved_at
    again = client.post(approve_url(record), {}, follow=True)
    assert "Muistio on jo hyväksytty." in again.text
    # The check page of an approved record leads back to the record.
    check = client.get(approve_url(record))
    assert check.status_code == 302 and check.url == record_url(record)
    record.refresh_from_db()
    assert record.approved_at == approved_at
    assert record.events.filter(action=RecordEvent.Action.APPROVED).count() == 1


# --- publishing ---------------------------------------------------------------------------------


def public_content(html: str) -> str:
    """The record as the public page shows it: from its facts to its last section."""
    start = html.index('<section class="panel" aria-labelledby="facts-heading">')
    return html[start : html.rindex("</section>") + len("</section>")]


def test_the_publish_check_shows_exactly_what_the_public_page_will_show(
    client, ministry_user, record
):
    write(record, ministry_user, situation="Henkilöstöä puuttuu", measures="Rekrytoidaan")
    negotiation = record.negotiation
    record.set_attendance([negotiation.add_participant(side="region", name="Antti Aluejohtaja")])
    add_action(record, ministry_user, "Selvitetään päivystys", owner="Palvelujohtaja")
    record.send_for_comments(by=ministry_user)
    record.add_comment(
        section=theme_section(record, title=PERSONNEL), by=ministry_user, text="Sisäinen kommentti"
    )
    record.approve(by=ministry_user)

    client.force_login(ministry_user)
    check = client.get(publish_url(record))
    assert check.status_code == 200
    assert "Tarkista ennen julkaisemista" in check.text
    assert "Julkaistua muistiota ei voi enää avata muokattavaksi" in check.text
    assert "Sisäinen kommentti" not in check.text  # comments never become public
    preview = public_content(check.text.split('id="publish-confirm"')[0])
    assert "Henkilöstöä puuttuu" in preview and "Selvitetään päivystys" in preview
    assert "Antti Aluejohtaja" in preview
    record.refresh_from_db()
    assert record.status == Record.Status.APPROVED  # the GET published nothing

    response = client.post(publish_url(record))
    assert response.status_code == 302 and response.url == record_url(record)
    record.refresh_from_db()
    assert record.status == Record.Status.PUBLISHED
    client.logout()
    public = client.get(reverse("negotiations:public-record", args=[record.pk]))
    # The public page's content, character for character, is what the check page showed.
    assert public_content(public.text) in preview


def test_publishing_a_record_that_is_not_approved_is_refused(client, ministry_user, record):
    client.force_login(ministry_user)
    check = client.get(publish_url(record))
    assert check.status_code == 302 and check.url == record_url(record)
    refused = client.post(publish_url(record), follow=True)
    assert "Vain hyväksytyn muistion voi julkaista." in refused.text
    record.refresh_from_db()
    assert record.status == Record.Status.DRAFT and not record.events.exists()


def test_the_record_page_leads_to_the_check_pages_with_plain_links(client, ministry_user, record):
    client.force_login(ministry_user)
    draft = client.get(record_url(record)).text
    assert f'<a href="{approve_url(record)}"' in draft
    assert 'value="approve"' not in draft
    record.approve(by=ministry_user, reason="Testi")
    approved = client.get(record_url(record)).text
    assert f'<a href="{publish_url(record)}"' in approved
    assert 'value="publish"' not in approved


# --- moving a round on --------------------------------------------------------------------------


@pytest.fixture
def open_round(db, pirkanmaa_preparer) -> Round:
    """A round open for reports: Pirkanmaa has submitted, Lappi has a draft, Kainuu nothing."""
    round_ = make_record_round()
    round_.status = Round.Status.OPEN_FOR_REPORTS
    round_.save()
    for code in ("08", "21", "20"):
        negotiation = Negotiation.objects.create(round=round_, region=county(code))
        ensure_record(negotiation)
        report = ensure_report(negotiation)
        if code == "08":
            report.submit(by=pirkanmaa_preparer)
        elif code == "21":
            report.mark_started()
    return round_


def test_starting_the_negotiations_warns_which_regions_have_not_submitted(
    client, ministry_user, open_round
):
    client.force_login(ministry_user)
    page = client.get(status_url(open_round))
    assert page.status_code == 200
    text = page.text
    assert "auki tilannekuville → neuvottelut käynnissä" in text
    assert "2 aluetta ei ole lähettänyt tilannekuvaansa (osallistuvia alueita 3):" in text
    assert "<li>Kainuu: ei aloitettu</li>" in text and "<li>Lappi: luonnos</li>" in text
    assert "Pirkanmaa:" not in text
    assert "Kierroksen tilaa ei voi palauttaa aiempaan." in text
    assert 'name="to" value="negotiating"' in text
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.OPEN_FOR_REPORTS  # the GET moved nothing

    response = client.post(status_url(open_round), {"to": "negotiating"})
    assert response.status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == Round.Status.NEGOTIATING


def test_closing_the_round_warns_of_missing_reports_and_records_not_approved(
    client, ministry_user, open_round
):
    open_round.advance_status(Round.Status.NEGOTIATING)
    pirkanmaa = open_round.negotiations.get(region=county("08")).record
    pirkanmaa.approve(by=ministry_user, reason="Testi")
    client.force_login(ministry_user)
    text = client.get(status_url(open_round)).text
    assert "2 aluetta ei ole lähettänyt tilannekuvaansa" in text
    assert "Kun kierros päättyy, tilannekuvia ei voi enää lähettää." in text
    assert "2 muistiota on vielä hyväksymättä:" in text
    assert "<li>Kainuu: luonnos</li>" in text and "<li>Pirkanmaa: hyväksytty</li>" not in text
    assert 'name="to" value="closed"' in text


def test_opening_a_round_for_reports_warns_of_missing_themes_and_deadline(client, ministry_user):
    round_ = Round.objects.create(
        name_fi="Tyhjä kierros",
        name_sv="Tom omgång",
        kind=Round.Kind.COUNTY_NEGOTIATIONS,
        period_start=datetime.date(2028, 2, 1),
        period_end=datetime.date(2028, 3, 31),
    )
    Negotiation.objects.create(round=round_, region=county("08"))
    client.force_login(ministry_user)
    text = client.get(status_url(round_)).text
    assert "Kierrokseen osallistuu 1 alue." in text
    assert "Kierrokselle ei ole valittu teemoja" in text
    assert "Tilannekuvien määräpäivää ei ole asetettu" in text
    assert "valmistelijat saavat sähköpostin omalla kielellään" in text
    assert not SituationReport.objects.exists()  # the GET made no reports


def test_a_closed_round_has_no_check_page(client, ministry_user, open_round):
    Round.objects.filter(pk=open_round.pk).update(status=Round.Status.CLOSED)
    client.force_login(ministry_user)
    response = client.get(status_url(open_round))
    assert response.status_code == 302
    assert response.url == reverse("negotiations:round-detail", args=[open_round.pk])


def test_the_dashboard_leads_to_the_round_check_page_with_a_link(client, ministry_user, open_round):
    client.force_login(ministry_user)
    text = client.get(reverse("negotiations:round-detail", args=[open_round.pk])).text
    assert f'<a href="{status_url(open_round)}" class="button-primary">Aloita neuvottelut</a>' in (
        text
    )


# --- who may open the check pages ---------------------------------------------------------------


@pytest.mark.parametrize("status", [Record.Status.DRAFT, Record.Status.COMMENTS])
def test_permission_walk_over_the_check_pages(log_in_as, client, ministry_user, record, status):
    if status == Record.Status.COMMENTS:
        record.send_for_comments(by=ministry_user)
    round_ = record.negotiation.round
    # The region never sees a draft (404); once it has the record, it may read but not manage.
    own = 404 if status == Record.Status.DRAFT else 403
    expected = {
        # (method, url): own preparer, other preparer, ministry
        ("get", approve_url(record)): (own, 404, 200),
        ("post", approve_url(record)): (own, 404, 400 if status == "draft" else 302),
        ("get", publish_url(record)): (own, 404, 302),
        ("post", publish_url(record)): (own, 404, 302),
        ("get", status_url(round_)): (403, 403, 200),
    }
    for (method, url), statuses in expected.items():
        log_in_as("anonymous")
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login")), url
        for who, code in zip(("own-preparer", "other-preparer", "ministry"), statuses, strict=True):
            if who == "ministry" and method == "post":
                continue  # the ministry's confirmations are tested above
            log_in_as(who)
            response = getattr(client, method)(url, {"reason": "Syy"} if method == "post" else {})
            assert response.status_code == code, (who, method, url, response.status_code)
    record.refresh_from_db()
    round_.refresh_from_db()
    assert record.status == status and round_.status == Round.Status.NEGOTIATING
