"""The home page: a task list for each role. The ministry sees what waits for it and the
current rounds; a regional preparer sees their region's negotiations, reports, records and
open follow-up actions; an anonymous visitor meets the login and the published records."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    Round,
    SituationReport,
)
from negotiations.views.home import next_step
from regions.models import Region
from tests.factories import (
    THEME,
    add_actions,
    county,
    maakunta,
    make_preparer,
    make_round,
    negotiate,
    record_of,
    report_of,
)
from tests.pages import progress_summary

pytestmark = pytest.mark.django_db

Status = SituationReport.Status
Action = FollowUpAction.Status

TODAY = timezone.localdate


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def section(response, heading_id: str) -> str:
    """The HTML of the page section labelled by the heading with this id."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', response.text, re.S
    )
    assert match, heading_id
    return match.group(1)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def comment_on(record: Record, by, text: str) -> None:
    theme = record.sections.get(kind=RecordSection.Kind.THEME)
    record.add_comment(section=theme, by=by, text=text)


@pytest.fixture
def rounds(db, ministry_user, pirkanmaa_preparer, lappi_preparer) -> dict[str, Round]:
    """The current round 2027 (reports due in five days) with Pirkanmaa, Lappi and Kainuu, a
    closed round 2025 and the 2018 round of the maakunnat."""
    current = make_round(
        2027, themes=[THEME], status=Round.Status.OPEN_FOR_REPORTS, report_deadline=days(5)
    )
    negotiate(current, county("08"), (2, 16), (9, 0), (12, 0), place="STM, Meritullinkatu 8")
    negotiate(current, county("21"))
    negotiate(current, county("20"))
    closed = make_round(2025, themes=[THEME], status=Round.Status.CLOSED)
    for region in (county("08"), county("21")):
        negotiate(closed, region)
    round_2018 = make_round(
        2018, name="Syksyn 2018 sote-neuvottelut", themes=[THEME], status=Round.Status.CLOSED
    )
    negotiate(round_2018, maakunta("06"))  # Pirkanmaa maakunta
    return {"current": current, "closed": closed, "2018": round_2018}


# --- an anonymous visitor -----------------------------------------------------------------------


def test_an_anonymous_visitor_meets_the_service_the_login_and_the_published_records(client, db):
    response = home(client)

    main = re.search(r"<main.*?</main>", response.text, re.S).group(0)
    assert "<h1>Ohjausneuvottelut</h1>" in main
    assert "sosiaali- ja terveysministeriön ja alueiden yhteinen työtila" in main
    assert f'<form method="post" action="{reverse("login")}"' in main
    assert 'name="username"' in main
    assert 'name="password"' in main
    assert 'name="csrfmiddlewaretoken"' in main
    public = reverse("negotiations:public-records")
    assert f'<a href="{public}">Lue julkaistuja neuvottelumuistioita</a>' in main


def test_the_anonymous_home_signs_in_through_the_login_page(client, ministry_user):
    home(client)
    response = client.post(
        reverse("login"), {"username": "virkamies", "password": "salasana-123", "next": ""}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert "Neuvottelukierrokset" in home(client).text


def test_the_anonymous_home_names_the_help_address_when_there_is_one(client, db, settings):
    settings.SUPPORT_EMAIL = "tuki@example.fi"
    assert 'href="mailto:tuki@example.fi"' in home(client).text


# --- the ministry -------------------------------------------------------------------------------


def test_ministry_official_sees_every_round(client, ministry_user, demo_data):
    client.force_login(ministry_user)
    response = home(client)
    for name in Round.objects.values_list("name_fi", flat=True):
        assert name in response.text
    assert "<h1>Neuvottelukierrokset</h1>" in response.text


def test_reports_waiting_to_be_read_are_the_submitted_ones_of_open_rounds(
    client, ministry_user, lappi_preparer, pirkanmaa_preparer, rounds
):
    current, closed = rounds["current"], rounds["closed"]
    report_of(current, county("21"), lappi_preparer, status=Status.SUBMITTED)
    report_of(current, county("08"), pirkanmaa_preparer, status=Status.DRAFT)
    report_of(current, county("20"), ministry_user, status=Status.RETURNED)
    Round.objects.filter(pk=closed.pk).update(status=Round.Status.NEGOTIATING)
    report_of(closed, county("08"), pirkanmaa_preparer, status=Status.SUBMITTED)
    Round.objects.filter(pk=closed.pk).update(status=Round.Status.CLOSED)
    client.force_login(ministry_user)

    waiting = section(home(client), "waiting-heading")
    lappi = current.negotiations.get(region=county("21"))
    assert "Luettavat tilannekuvat (1)" in waiting
    url = reverse("negotiations:report-detail", args=[lappi.pk])
    assert re.search(rf'<a href="{url}" aria-describedby="waiting-report-\d+">Lappi</a>', waiting)
    today = TODAY()
    assert f"Lähetetty {today.day}.{today.month}.{today.year}" in waiting
    pirkanmaa_2025 = closed.negotiations.get(region=county("08"))
    assert reverse("negotiations:report-detail", args=[pirkanmaa_2025.pk]) not in waiting


def test_records_waiting_for_approval_and_the_regions_comments(
    client, ministry_user, lappi_preparer, rounds
):
    current = rounds["current"]
    lappi = record_of(current, county("21"), ministry_user, status=Record.Status.COMMENTS)
    comment_on(lappi, lappi_preparer, "Toimenpiteen aikataulu on liian tiukka.")
    comment_on(lappi, lappi_preparer, "Lisätkää pelastustoimi.")
    kainuu = record_of(current, county("20"), ministry_user, status=Record.Status.COMMENTS)
    approved = record_of(rounds["closed"], county("21"), ministry_user, status="comments")
    comment_on(approved, lappi_preparer, "Vanha kommentti.")
    approved.approve(by=ministry_user)
    client.force_login(ministry_user)

    waiting = section(home(client), "waiting-heading")
    assert "Hyväksyntää odottavat muistiot (2)" in waiting
    for record in (lappi, kainuu):
        assert reverse("negotiations:record-detail", args=[record.negotiation_id]) in waiting
    assert "2 kommenttia" in waiting
    assert "Ei kommentteja" in waiting
    assert "Alueiden kommentit (2)" in waiting
    theme = lappi.sections.get(kind=RecordSection.Kind.THEME)
    record_url = reverse("negotiations:record-detail", args=[lappi.negotiation_id])
    assert f'href="{record_url}#section-{theme.pk}"' in waiting
    assert "Lappi: Teema" in waiting
    assert "Toimenpiteen aikataulu on liian tiukka." in waiting
    assert "Vanha kommentti." not in waiting  # its record is approved: nothing waits


def test_nothing_waiting_is_said_in_words(client, ministry_user, rounds):
    client.force_login(ministry_user)
    waiting = section(home(client), "waiting-heading")
    assert "Ei luettavia tilannekuvia." in waiting
    assert "Ei hyväksyntää odottavia muistioita." in waiting
    assert "Ei kommentteja hyväksyntää odottavissa muistioissa." in waiting


def test_current_rounds_show_their_next_date_and_their_figures(
    client, ministry_user, lappi_preparer, rounds
):
    current = rounds["current"]
    report_of(current, county("21"), lappi_preparer, status=Status.SUBMITTED)
    record_of(current, county("21"), ministry_user, status=Record.Status.COMMENTS)
    # An open action of 2025 comes back to Pirkanmaa in 2027; a done one does not.
    pirkanmaa_2025 = rounds["closed"].negotiations.get(region=county("08"))
    add_actions(pirkanmaa_2025, Action.AGREED, Action.DONE, due=days(-1))
    client.force_login(ministry_user)

    response = home(client)
    current_rounds = section(response, "current-rounds-heading")
    assert "Hyvinvointialueneuvottelut 2027" in current_rounds
    assert "Hyvinvointialueneuvottelut 2025" not in current_rounds  # closed
    assert reverse("negotiations:round-detail", args=[current.pk]) in current_rounds
    deadline = days(5)
    assert (
        "Auki tilannekuville. Tilannekuvien määräpäivä: "
        f"{deadline.day}.{deadline.month}.{deadline.year} (5 päivää jäljellä)"
    ) in text_of(current_rounds)
    assert progress_summary(response) == {
        "Tilannekuvat": "1 / 3 lähetetty",
        "Neuvottelut": "1 / 3 aikataulutettu, seuraava 16.2.2027",
        "Muistiot": "Luonnos 2 · Alueen kommentoitavana 1 · Hyväksytty 0 · Julkaistu 0",
        "Avoimet jatkotoimenpiteet": "1 (josta 1 aiemmilta kierroksilta), 1 myöhässä",
    }


def test_the_all_rounds_table_lists_only_round_names_as_row_headers(client, ministry_user, rounds):
    client.force_login(ministry_user)
    response = home(client)
    assert re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a></th>', response.text) == [
        "Hyvinvointialueneuvottelut 2027",
        "Hyvinvointialueneuvottelut 2025",
        "Syksyn 2018 sote-neuvottelut",
    ]


@pytest.mark.parametrize(
    ("status", "deadline", "meeting", "label", "date"),
    [
        ("open-for-reports", 5, 20, "Tilannekuvien määräpäivä", 5),
        ("planning", 5, None, "Tilannekuvien määräpäivä", 5),
        ("open-for-reports", -1, 20, "Seuraava neuvottelu", 20),
        ("negotiating", 5, 3, "Seuraava neuvottelu", 3),  # the deadline no longer matters
        ("negotiating", -9, None, "Neuvottelukausi päättyy", 30),
    ],
)
def test_the_next_date_of_a_round(status, deadline, meeting, label, date):
    round_ = Round(
        status=status,
        report_deadline=days(deadline),
        period_start=days(-30),
        period_end=days(30),
    )
    step = next_step(round_, days(meeting) if meeting is not None else None, TODAY())
    assert (step["label"], step["deadline"].date) == (label, days(date))


def test_a_round_past_its_period_says_it_ended():
    round_ = Round(status="negotiating", period_start=days(-60), period_end=days(-2))
    step = next_step(round_, None, TODAY())
    assert (step["label"], step["deadline"].days_late) == ("Neuvottelukausi päättyi", 2)


# --- a regional preparer ------------------------------------------------------------------------


def preparer_tasks(response) -> str:
    return text_of(section(response, "current-negotiations-heading"))


def test_preparer_sees_own_region_negotiations_only(
    client, pirkanmaa_preparer, lappi_preparer, demo_data
):
    client.force_login(pirkanmaa_preparer)
    response = home(client)
    assert "<strong>Pirkanmaa</strong>" in response.text
    assert "Hyvinvointialueneuvottelut 2023" in response.text
    assert "Syksyn 2018 sote-neuvottelut" in response.text  # as the Pirkanmaa maakunta
    assert "Lappi" not in response.text

    client.force_login(lappi_preparer)
    response = home(client)
    assert "Lappi" in response.text
    assert "Pirkanmaa" not in response.text


def test_user_without_a_region_is_told_so(client, db):
    client.force_login(make_preparer("ilman-aluetta"))
    response = home(client)
    assert "Sinua ei ole vielä liitetty yhteenkään alueeseen" in response.text


def test_preparer_sees_the_meeting_the_report_with_its_deadline_and_the_record(
    client, pirkanmaa_preparer, rounds
):
    current = rounds["current"]
    report_of(current, county("08"), pirkanmaa_preparer, status=Status.DRAFT)
    pirkanmaa = current.negotiations.get(region=county("08"))
    client.force_login(pirkanmaa_preparer)

    response = home(client)
    tasks = preparer_tasks(response)
    deadline = days(5)
    assert "Hyvinvointialueneuvottelut 2027" in tasks
    assert "Hyvinvointialueneuvottelut 2025" not in tasks  # closed: in the table below
    assert "Neuvottelu STM, Meritullinkatu 8 ti 16.2.2027 9.00–12.00 Lataa .ics" in tasks
    assert (
        f"Tilannekuva Määräpäivä {deadline.day}.{deadline.month}.{deadline.year} "
        "(5 päivää jäljellä) Luonnos"
    ) in tasks
    # The ministry is still drafting the record: the region does not see it.
    assert "Neuvottelumuistio Ministeriö kirjoittaa muistion" in tasks
    assert "Ei vielä lähetetty alueelle" in tasks
    html = section(response, "current-negotiations-heading")
    assert reverse("negotiations:report-detail", args=[pirkanmaa.pk]) in html
    assert reverse("negotiations:record-detail", args=[pirkanmaa.pk]) not in html


def test_preparer_is_told_the_report_is_late(client, pirkanmaa_preparer, rounds):
    Round.objects.filter(pk=rounds["current"].pk).update(report_deadline=days(-3))
    client.force_login(pirkanmaa_preparer)
    tasks = preparer_tasks(home(client))
    deadline = days(-3)
    assert (
        f"Tilannekuva Määräpäivä {deadline.day}.{deadline.month}.{deadline.year} "
        "3 päivää myöhässä Ei aloitettu"
    ) in tasks


def test_a_submitted_report_says_when_and_whether_it_was_late(client, pirkanmaa_preparer, rounds):
    Round.objects.filter(pk=rounds["current"].pk).update(report_deadline=days(-1))
    rounds["current"].refresh_from_db()
    report_of(rounds["current"], county("08"), pirkanmaa_preparer, status=Status.SUBMITTED)
    client.force_login(pirkanmaa_preparer)
    tasks = preparer_tasks(home(client))
    today = TODAY()
    assert f"Lähetetty {today.day}.{today.month}.{today.year} myöhässä Lähetetty" in tasks
    assert "päivää myöhässä" not in tasks


def test_a_record_sent_for_comments_waits_for_the_region(
    client, ministry_user, pirkanmaa_preparer, rounds
):
    record = record_of(rounds["current"], county("08"), ministry_user, status="comments")
    client.force_login(pirkanmaa_preparer)
    response = home(client)
    assert "Odottaa kommenttejasi" in preparer_tasks(response)
    url = reverse("negotiations:record-detail", args=[record.negotiation_id])
    assert f'<a href="{url}" aria-describedby=' in response.text


def test_a_round_in_planning_has_no_report_yet(client, pirkanmaa_preparer, db):
    round_ = make_round(2027, themes=[THEME], report_deadline=days(40))
    negotiate(round_, county("08"))
    client.force_login(pirkanmaa_preparer)
    tasks = preparer_tasks(home(client))
    assert "Tilannekuvaa voi kirjoittaa, kun ministeriö avaa kierroksen tilannekuville." in tasks
    assert "Ei vielä avattu" in tasks
    assert "Aikaa ei ole vielä sovittu" in tasks


def test_preparer_sees_the_regions_open_actions_with_due_dates(
    client, ministry_user, pirkanmaa_preparer, rounds
):
    current, closed = rounds["current"], rounds["closed"]
    pirkanmaa_2025 = closed.negotiations.get(region=county("08"))
    record_of(closed, county("08"), ministry_user, status=Record.Status.PUBLISHED)
    add_actions(pirkanmaa_2025, Action.AGREED, due=days(-2))  # late
    add_actions(pirkanmaa_2025, Action.DONE, due=days(-2))  # done: not open
    maakunta_2018 = rounds["2018"].negotiations.get()
    record_of(rounds["2018"], maakunta("06"), ministry_user, status=Record.Status.APPROVED)
    add_actions(maakunta_2018, Action.IN_PROGRESS, due=days(10))  # the predecessor's
    # Being agreed in a draft record: the region does not see it yet.
    add_actions(current.negotiations.get(region=county("08")), Action.AGREED, due=days(1))
    lappi_2025 = closed.negotiations.get(region=county("21"))
    record_of(closed, county("21"), ministry_user, status=Record.Status.PUBLISHED)
    add_actions(lappi_2025, Action.AGREED, due=days(1))
    FollowUpAction.objects.filter(negotiation=lappi_2025).update(what="Lapin toimenpide")
    client.force_login(pirkanmaa_preparer)

    actions = section(home(client), "open-actions-heading")
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", actions, re.S)
    assert len(rows) == 2
    late = days(-2)
    assert text_of(rows[0]).startswith(
        f"Toimenpide 0 Teema {late.day}.{late.month}.{late.year} myöhässä Alue Sovittu "
        "Hyvinvointialueneuvottelut 2025 Pirkanmaa"
    )
    assert "Syksyn 2018 sote-neuvottelut Pirkanmaa" in text_of(rows[1])  # the maakunta
    assert "Lapin toimenpide" not in actions
    assert "<p>2 avointa jatkotoimenpidettä, " in actions
    assert '<span class="tag tag-late">1 myöhässä</span>.' in actions
    assert f'href="{reverse("negotiations:action-tracker")}?status=open"' in actions


def test_earlier_negotiations_link_to_their_visible_records(
    client, ministry_user, pirkanmaa_preparer, rounds
):
    published = record_of(rounds["closed"], county("08"), ministry_user, status="published")
    client.force_login(pirkanmaa_preparer)
    table = section(home(client), "all-negotiations-heading")
    url = reverse("negotiations:record-detail", args=[published.negotiation_id])
    assert f'<a href="{url}">Julkaistu' in table
    draft = rounds["current"].negotiations.get(region=county("08"))
    assert reverse("negotiations:record-detail", args=[draft.pk]) not in table


# --- who sees what ------------------------------------------------------------------------------


@pytest.fixture
def walk_data(rounds, ministry_user, pirkanmaa_preparer, lappi_preparer):
    current = rounds["current"]
    report_of(current, county("08"), pirkanmaa_preparer, status=Status.SUBMITTED)
    report_of(current, county("21"), lappi_preparer, status=Status.SUBMITTED)
    for code, preparer in (("08", pirkanmaa_preparer), ("21", lappi_preparer)):
        record = record_of(current, county(code), ministry_user, status="comments")
        comment_on(record, preparer, f"Kommentti alueelta {code}.")
        negotiation = rounds["closed"].negotiations.get(region=county(code))
        record_of(rounds["closed"], county(code), ministry_user, status="published")
        add_actions(negotiation, Action.AGREED)
        FollowUpAction.objects.filter(negotiation=negotiation).update(what=f"Toimenpide {code}")
    return rounds


@pytest.mark.parametrize(
    ("who", "sees", "does_not_see"),
    [
        (
            "own-preparer",
            ["Pirkanmaa", "Toimenpide 08", "Odottaa kommenttejasi"],
            ["Lappi", "Toimenpide 21", "Odottaa sinua", "Kommentti alueelta"],
        ),
        (
            "other-preparer",
            ["Lappi", "Toimenpide 21", "Odottaa kommenttejasi"],
            ["Pirkanmaa", "Toimenpide 08", "Odottaa sinua", "Kommentti alueelta"],
        ),
        (
            "ministry",
            ["Odottaa sinua", "Pirkanmaa", "Lappi", "Kommentti alueelta 08.", "alueelta 21."],
            ["Alueesi neuvottelut", "Odottaa kommenttejasi"],
        ),
    ],
)
def test_each_visitor_sees_only_their_own_tasks(
    log_in_as, client, walk_data, who, sees, does_not_see
):
    log_in_as(who)
    main = re.search(r"<main.*?</main>", home(client).text, re.S).group(0)
    for text in sees:
        assert text in main, (who, text)
    for text in does_not_see:
        assert text not in main, (who, text)


def test_an_anonymous_visitor_sees_no_tasks(log_in_as, client, walk_data):
    log_in_as("anonymous")
    main = re.search(r"<main.*?</main>", home(client).text, re.S).group(0)
    for text in ("Pirkanmaa", "Lappi", "Hyvinvointialueneuvottelut", "Jatkotoimenpiteet"):
        assert text not in main, text
    assert client.post(reverse("home")).status_code == 405


# --- a constant number of queries ---------------------------------------------------------------


def _add_rounds(years, regions: list[Region], ministry_user, status=Round.Status.CLOSED):
    """Rounds with a report, a record and actions at every step for each region."""
    for year in years:
        round_ = make_round(
            year, name=f"Kierros {year}", themes=[THEME], status=Round.Status.OPEN_FOR_REPORTS
        )
        for i, region in enumerate(regions):
            negotiation = negotiate(round_, region, (2, 1 + i), (9, 0), (12, 0))
            report_of(round_, region, ministry_user, status=[*Status][i % 4])
            record = record_of(round_, region, ministry_user, status="comments")
            comment_on(record, ministry_user, f"Kommentti {year} {i}")
            if i % 3:
                record.approve(by=ministry_user)
            add_actions(negotiation, Action.AGREED, Action.IN_PROGRESS, Action.DONE, due=days(-i))
        Round.objects.filter(pk=round_.pk).update(status=status)


def test_home_query_count_does_not_grow_with_the_data(
    client, ministry_user, pirkanmaa_preparer, django_assert_max_num_queries, query_count
):
    pirkanmaa = [county("08")]
    others = [r for r in Region.objects.current() if r.code != "08"]
    users = (ministry_user, pirkanmaa_preparer)
    _add_rounds([2030], pirkanmaa, ministry_user)
    _add_rounds([2031], pirkanmaa, ministry_user, status=Round.Status.NEGOTIATING)
    few = {}
    for user in users:
        client.force_login(user)
        few[user] = query_count(client, reverse("home"))

    _add_rounds(range(2032, 2036), pirkanmaa + others[:11], ministry_user)
    _add_rounds([2036, 2037], pirkanmaa + others[:11], ministry_user, status="negotiating")
    _add_rounds([2038], pirkanmaa + others[:11], ministry_user, status="planning")
    Negotiation.objects.bulk_create(
        Negotiation(round=round_, region=region)
        for round_ in Round.objects.filter(name_fi__in=["Kierros 2036", "Kierros 2037"])
        for region in others[11:]
    )
    for user in users:
        client.force_login(user)
        with django_assert_max_num_queries(few[user]):
            home(client)
        assert query_count(client, reverse("home")) == few[user]
    # The ministry's lists are long now: ten of each, and it says so.
    client.force_login(ministry_user)
    assert "Näytetään 10 pisimpään odottanutta." in home(client).text
