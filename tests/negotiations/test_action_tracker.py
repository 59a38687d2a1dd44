"""The action tracker: every follow-up action across rounds, filtered, paged, changed in bulk by
the ministry and exported as CSV; each region sees its own (and its predecessors')."""

import csv
import datetime
import io
import re

import pytest
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from negotiations.models import FollowUpAction, Round, Theme
from negotiations.services import ensure_record
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
Responsible = FollowUpAction.Responsible
TRACKER = "negotiations:action-tracker"
EXPORT = "negotiations:action-export"
HEADER = (
    "Kierros;Alue;Teema;Toimenpide;Vastuutaho;Vastuuhenkilö;Määräaika;Tila;Viimeisin edistyminen;"
    "Laji;Antava ministeriö;Alueen vastine"
)


def tracker_url(query: str = "") -> str:
    return reverse(TRACKER) + query


def export_url(query: str = "") -> str:
    return reverse(EXPORT) + query


def rows(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a></th>', response.text)


@pytest.fixture
def rounds(db, ministry_user) -> dict[str, Round]:
    round_2018 = make_round(
        2018,
        name="Syksyn 2018 sote-neuvottelut",
        kind=Round.Kind.SOTE_TALKS,
        status=Round.Status.CLOSED,
        period_start=datetime.date(2018, 10, 9),
        period_end=datetime.date(2018, 11, 23),
    )
    add_theme(round_2018, "saatavuus", "Palvelujen saatavuus")
    round_2027 = make_round(2027, status=Round.Status.OPEN_FOR_REPORTS)
    add_theme(round_2027, "henkilosto", "Henkilöstötilanne", 1)
    add_theme(round_2027, "pelastustoimi", "Pelastustoimi", 2)
    return {"2018": round_2018, "2027": round_2027}


@pytest.fixture
def actions(rounds, ministry_user) -> dict[str, FollowUpAction]:
    """Six actions in two rounds; the 2018 records approved, the 2027 ones sent for comments."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    uusimaa = negotiate(rounds["2018"], maakunta("01"))
    pirkanmaa_2018 = negotiate(rounds["2018"], maakunta("06"))
    pirkanmaa = negotiate(rounds["2027"], county("08"))
    lappi = negotiate(rounds["2027"], county("21"))
    helsinki = negotiate(rounds["2027"], Region.objects.get(code="90"))
    made = {
        "A": make_action(
            uusimaa,
            "Yhtenäistetään päivystyksen hoitoonpääsy",
            responsible=Responsible.JOINT,
            owner="Uudenmaan sote-valmistelu",
            status=Status.IN_PROGRESS,
            due_date=datetime.date(2019, 6, 30),
        ),
        "B": make_action(
            pirkanmaa_2018,
            "Otetaan käyttöön sähköinen ajanvaraus",
            responsible=Responsible.MINISTRY,
            status=Status.DONE,
            due_date=datetime.date(2019, 1, 31),
        ),
        "C": make_action(
            pirkanmaa,
            "Laaditaan henkilöstösuunnitelma",
            theme="henkilosto",
            owner="Henkilöstöjohtaja",
            due_date=today + 30 * day,
        ),
        "D": make_action(
            pirkanmaa,
            "Arvioidaan pelastustoimen valmius",
            theme="pelastustoimi",
            responsible=Responsible.THL,
            status=Status.CANCELLED,
        ),
        "E": make_action(
            lappi, "Lisätään etävastaanottoja", theme="henkilosto", due_date=today - day
        ),
        "F": make_action(
            helsinki,
            "Sovitetaan päivystys ja pelastustoimi yhteen",
            theme="pelastustoimi",
            responsible=Responsible.JOINT,
            status=Status.IN_PROGRESS,
        ),
    }
    for negotiation in (uusimaa, pirkanmaa_2018):
        approve(negotiation, ministry_user)
    for negotiation in (pirkanmaa, lappi, helsinki):
        negotiation.record.send_for_comments(by=ministry_user)
    return made


@pytest.fixture
def official(client, ministry_user):
    client.force_login(ministry_user)
    return client


def whats(actions, *keys) -> list[str]:
    return sorted(actions[key].what for key in keys)


# --- the list ---------------------------------------------------------------------------------


def test_ministry_sees_every_action_across_rounds(official, actions):
    response = official.get(tracker_url())
    assert response.status_code == 200
    assert sorted(rows(response)) == whats(actions, *"ABCDEF")
    text = response.text
    assert "6 jatkotoimenpidettä" in text
    assert "<h1>Jatkotoimenpiteet</h1>" in text
    # Newest round first.
    assert rows(response).index(actions["C"].what) < rows(response).index(actions["A"].what)


def test_a_row_shows_round_region_theme_responsible_owner_due_date_status_and_notes(
    official, actions, ministry_user
):
    actions["A"].notes.create(text="Ohje valmisteilla", author=ministry_user)
    text = official.get(tracker_url()).text
    assert "Syksyn 2018 sote-neuvottelut" in text
    assert "Uusimaa" in text
    assert "Palvelujen saatavuus" in text
    assert "Yhteisesti" in text
    assert "Uudenmaan sote-valmistelu" in text
    assert "30.6.2019" in text
    assert text.count('<span class="tag tag-late">myöhässä</span>') == 2  # A and E, not B (done)
    assert "Käynnissä" in text
    assert f"1 merkintä, viimeisin {timezone.localdate():%-d.%-m.%Y}" in text
    assert f'href="{reverse("negotiations:action-edit", args=[actions["A"].pk])}"' in text


def row_of(text: str, action: FollowUpAction) -> str:
    return re.search(rf'<tr id="action-{action.pk}">.*?</tr>', text, re.S)[0]


def test_in_swedish_a_row_has_the_swedish_names_and_else_the_finnish(official, actions):
    Theme.objects.filter(code="pelastustoimi").update(title_sv="Räddningsväsendet")
    Theme.objects.filter(code="henkilosto").update(title_sv="")
    official.post(reverse("set_language"), {"language": "sv"})
    text = official.get(tracker_url()).text
    pirkanmaa = row_of(text, actions["D"])
    assert "Birkaland</span><br>Välfärdsområdesförhandlingarna 2027<br>Räddningsväsendet" in (
        pirkanmaa
    )
    assert "<td>Annullerad</td>" in pirkanmaa
    lappi = row_of(text, actions["E"])
    assert "<br>Henkilöstötilanne</td>" in lappi  # no Swedish title: the Finnish one
    assert '<span class="tag tag-late">försenad</span>' in lappi


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("round={r2018}", "AB"),
        ("region={pirkanmaa}", "CD"),
        ("area=sisa-suomi", "BCD"),
        ("area=pohjois-suomi", "E"),
        ("theme=saatavuus", "AB"),
        ("theme=pelastustoimi", "DF"),
        ("responsible=joint", "AF"),
        ("responsible=thl", "D"),
        ("status=open", "ACEF"),
        ("status=done", "B"),
        ("status=cancelled", "D"),
        ("overdue=on", "AE"),
        ("round={r2027}&overdue=on", "E"),
        ("round={r2027}&responsible=joint&status=in-progress", "F"),
    ],
)
def test_each_filter_works_from_the_query_string_and_with_htmx(
    official, rounds, actions, query, expected
):
    query = "?" + query.format(
        r2018=rounds["2018"].pk, r2027=rounds["2027"].pk, pirkanmaa=county("08").pk
    )
    response = official.get(tracker_url(query))
    assert response.status_code == 200
    assert sorted(rows(response)) == whats(actions, *expected)
    partial = official.get(tracker_url(query), **HTMX)
    assert partial.status_code == 200
    assert sorted(rows(partial)) == whats(actions, *expected)


def test_filtering_with_htmx_returns_the_results_with_the_count_out_of_band(official, actions):
    response = official.get(tracker_url("?status=open"), **HTMX)
    text = response.text
    assert "<html" not in text
    assert text.lstrip().startswith('<div id="tracker-results">')
    assert '<p id="tracker-count" data-hx-swap-oob="innerHTML">4 jatkotoimenpidettä</p>' in text
    assert response["Vary"] and "HX-Request" in response["Vary"]

    page = official.get(tracker_url("?status=open")).text
    assert '<p id="tracker-count" class="result-count" role="status" aria-live="polite">' in page
    assert 'data-hx-get="/actions/"' in page or f'data-hx-get="{tracker_url()}"' in page
    assert 'data-hx-push-url="true"' in page


def test_a_history_restore_request_gets_the_whole_page(official, actions):
    response = official.get(
        tracker_url("?status=open"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in response.text


@pytest.mark.parametrize(
    "query",
    [
        "?round=abc",
        "?round=999999",
        "?region=x&area=nowhere&theme=<script>",
        "?responsible=king&status=maybe",
        "?page=abc",
        "?page=-1",
        "?round=1.5&page=",
    ],
)
def test_invalid_filter_values_are_ignored(official, actions, query):
    response = official.get(tracker_url(query))
    assert response.status_code == 200
    assert len(rows(response)) == 6


def test_an_empty_result_says_so(official, actions):
    response = official.get(tracker_url("?status=done&responsible=thl"))
    assert "Valituilla suodattimilla ei löytynyt jatkotoimenpiteitä." in response.text
    assert "0 jatkotoimenpidettä" in response.text


def test_without_actions_the_tracker_says_so(official):
    assert "Jatkotoimenpiteitä ei ole vielä kirjattu." in official.get(tracker_url()).text


# --- pagination -------------------------------------------------------------------------------


def many_actions(negotiation, count: int, **fields) -> None:
    section = ensure_record(negotiation).sections.filter(kind="theme").first()
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            negotiation=negotiation,
            section=section,
            what=f"Toimenpide {i:03}",
            responsible=Responsible.REGION,
            **fields,
        )
        for i in range(count)
    )


def test_fifty_actions_to_a_page_and_the_page_links_keep_the_filters(official, rounds):
    negotiation = negotiate(rounds["2027"], county("08"))
    make_action(negotiation, "Valmis jo", status=Status.DONE)
    many_actions(negotiation, 60)
    response = official.get(tracker_url("?status=open"))
    assert len(rows(response)) == 50
    assert "60 jatkotoimenpidettä" in response.text
    assert 'href="?status=open&amp;page=2"' in response.text
    assert 'aria-current="page" href="?status=open&amp;page=1"' in response.text

    second = official.get(tracker_url("?status=open&page=2"))
    assert len(rows(second)) == 10
    assert "Toimenpide 059" in second.text
    assert 'href="?status=open&amp;page=1"' in second.text  # previous page
    partial = official.get(tracker_url("?status=open&page=2"), **HTMX)
    assert len(rows(partial)) == 10
    assert 'data-hx-get="?status=open&amp;page=1"' in partial.text


def test_a_page_out_of_range_shows_the_last_page_and_garbage_the_first(official, rounds):
    negotiation = negotiate(rounds["2027"], county("08"))
    many_actions(negotiation, 60)
    assert len(rows(official.get(tracker_url("?page=99")))) == 10
    assert len(rows(official.get(tracker_url("?page=kaksi")))) == 50


def test_the_pages_split_records_anywhere_and_show_every_action_once_in_order(official, rounds):
    # A page is found from the number of actions in each record: 50 a page across records
    # of 7, 45 and 30 actions, in two sections of one, newest round first, then the regions.
    lappi = negotiate(rounds["2027"], county("21"))
    pirkanmaa = negotiate(rounds["2027"], county("08"))
    uusimaa = negotiate(rounds["2018"], maakunta("01"))
    for i in range(7):
        theme = "pelastustoimi" if i % 2 else "henkilosto"
        make_action(lappi, f"Lappi {i}", theme=theme, responsible=Responsible.THL)
    many_actions(pirkanmaa, 45, owner="Pirkanmaa")
    many_actions(uusimaa, 30, owner="Uusimaa")
    expected = list(
        FollowUpAction.objects.order_by(
            "-negotiation__round__period_start",
            "negotiation__region__code",
            "section__order",
            "pk",
        ).values_list("what", flat=True)
    )
    seen = []
    for number in (1, 2):
        seen += rows(official.get(tracker_url(f"?page={number}")))
    assert seen == expected
    # Pirkanmaa (08) before Lappi (21); Lappi's page break falls between its two sections.
    assert seen[45:52] == [f"Lappi {i}" for i in (0, 2, 4, 6, 1, 3, 5)]
    assert len(seen) == 82
    filtered = official.get(tracker_url("?responsible=region&page=2"))
    assert rows(filtered) == [what for what in expected if not what.startswith("Lappi")][50:]


def test_a_long_action_is_cut_as_truncatechars_cuts_it(official, rounds):
    negotiation = negotiate(rounds["2027"], county("08"))
    combining = "Tiedote\u0301 " * 30  # combining marks do not count as characters
    for what in ("Lyhyt", "Ä" * 170, "x" * 160, combining):
        make_action(negotiation, what)
    text = official.get(tracker_url()).text
    for what in ("Lyhyt", "Ä" * 170, "x" * 160, combining):
        assert f">{truncatechars(what, 160)}</a>" in text
        assert f">{escape(f'Valitse: {truncatechars(what, 60)}')}</label>" in text


def test_a_single_page_has_no_page_links(official, actions):
    assert 'class="pagination"' not in official.get(tracker_url()).text


# --- bulk status change -------------------------------------------------------------------


def test_ministry_changes_the_status_of_the_ticked_actions_at_once(
    official, actions, ministry_user
):
    ticked = [actions[key].pk for key in "ACEB"]  # B is done already
    response = official.post(
        tracker_url("?status=open&round="), {"actions": ticked, "status": "done"}
    )
    assert response.status_code == 302
    assert response.url == tracker_url("?status=open&round=")
    for key in "ACE":
        action = actions[key]
        action.refresh_from_db()
        assert action.status == Status.DONE
        note = action.notes.get()
        assert note.author == ministry_user
        assert note.display_text.startswith("Tila muutettu: ")
    assert actions["B"].notes.count() == 0
    actions["F"].refresh_from_db()
    assert actions["F"].status == Status.IN_PROGRESS
    page = official.get(response.url)
    assert "3 jatkotoimenpiteen tila muutettiin." in page.text
    assert len(rows(page)) == 1  # only F is still open


def test_the_tracker_offers_the_bulk_form_to_the_ministry_only(
    official, actions, client, pirkanmaa_preparer
):
    text = official.get(tracker_url("?status=open")).text
    assert f'name="actions" value="{actions["A"].pk}"' in text
    assert '<select name="status"' in text
    assert f'action="{tracker_url("?status=open")}"' in text
    client.force_login(pirkanmaa_preparer)
    assert 'name="actions"' not in client.get(tracker_url()).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "done"}, "Valitse ainakin yksi jatkotoimenpide."),
        ({"actions": ["abc", "-1"], "status": "done"}, "Valitse ainakin yksi jatkotoimenpide."),
        ({"actions": ["{A}"], "status": "ready"}, "Valitse oikea vaihtoehto."),
        ({"actions": ["{A}"]}, "Valitse uusi tila."),
    ],
)
def test_a_bulk_change_without_actions_or_status_changes_nothing(official, actions, data, message):
    data = {
        key: [v.format(A=actions["A"].pk) for v in value] if isinstance(value, list) else value
        for key, value in data.items()
    }
    response = official.post(tracker_url(), data, follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert not FollowUpAction.objects.filter(notes__isnull=False).exists()


def test_preparers_cannot_change_statuses_in_bulk(client, pirkanmaa_preparer, actions):
    client.force_login(pirkanmaa_preparer)
    response = client.post(tracker_url(), {"actions": [actions["C"].pk], "status": "done"})
    assert response.status_code == 403
    actions["C"].refresh_from_db()
    assert actions["C"].status == Status.AGREED


# --- what each region sees --------------------------------------------------------------------


def test_a_preparer_sees_their_region_and_its_predecessors_only(client, actions):
    helsinki = make_preparer("helsingin-valmistelija", Region.objects.get(code="90"))
    client.force_login(helsinki)
    response = client.get(tracker_url())
    assert sorted(rows(response)) == whats(actions, "A", "F")  # Uusimaa 2018 and Helsinki
    assert "Alueesi jatkotoimenpiteet" in response.text
    # The region filter offers only the regions the preparer sees.
    assert ">Helsinki (kaupunki, 2023–)</option>" in response.text
    assert ">Uusimaa (maakunta, 2018–2022)</option>" in response.text
    assert ">Lappi (" not in response.text
    # A region of another preparer in the query string shows nothing of it.
    response = client.get(tracker_url(f"?region={county('21').pk}"))
    assert sorted(rows(response)) == whats(actions, "A", "F")


def test_pirkanmaa_sees_its_maakunta_of_2018_and_its_county(client, pirkanmaa_preparer, actions):
    client.force_login(pirkanmaa_preparer)
    assert sorted(rows(client.get(tracker_url()))) == whats(actions, "B", "C", "D")
    assert sorted(rows(client.get(tracker_url("?status=open"), **HTMX))) == whats(actions, "C")


# --- CSV export ---------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_the_csv_opens_in_a_spreadsheet_with_finnish_characters(official, actions, ministry_user):
    actions["A"].notes.create(text="Yhteinen ohje hyväksyttiin", author=ministry_user)
    response = official.get(export_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="jatkotoimenpiteet.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.content.decode("utf-8")[1:].splitlines()[0] == HEADER
    table = read_csv(response)
    assert len(table) == 7
    by_what = {row[3]: row for row in table[1:]}
    today = timezone.localdate().strftime("%d.%m.%Y")
    assert by_what["Yhtenäistetään päivystyksen hoitoonpääsy"] == [
        "Syksyn 2018 sote-neuvottelut",
        "Uusimaa",
        "Palvelujen saatavuus",
        "Yhtenäistetään päivystyksen hoitoonpääsy",
        "yhteisesti",
        "Uudenmaan sote-valmistelu",
        "30.06.2019",
        "käynnissä",
        f"{today} Yhteinen ohje hyväksyttiin",
        "jatkotoimenpide",
        "",
        "",
    ]
    assert by_what["Laaditaan henkilöstösuunnitelma"][2] == "Henkilöstötilanne"
    assert by_what["Arvioidaan pelastustoimen valmius"][6] == ""


def test_a_cell_that_would_run_as_a_formula_is_escaped(official, rounds, ministry_user):
    negotiation = negotiate(rounds["2027"], county("08"))
    make_action(negotiation, '=HYPERLINK("http://evil.example","Klikkaa")', owner="@owner")
    make_action(negotiation, "+358 40 123", owner="-1")
    table = read_csv(official.get(export_url()))
    cells = [cell for row in table[1:] for cell in row]
    assert '\'=HYPERLINK("http://evil.example","Klikkaa")' in cells
    assert "'@owner" in cells
    assert "'+358 40 123" in cells
    assert "'-1" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_the_csv_has_the_trackers_filters_and_scope(
    official, client, rounds, actions, pirkanmaa_preparer
):
    table = read_csv(official.get(export_url(f"?round={rounds['2018'].pk}&page=2")))
    assert sorted(row[3] for row in table[1:]) == whats(actions, "A", "B")
    client.force_login(pirkanmaa_preparer)
    table = read_csv(client.get(export_url()))
    assert sorted(row[3] for row in table[1:]) == whats(actions, "B", "C", "D")
    table = read_csv(client.get(export_url("?status=open")))
    assert [row[3] for row in table[1:]] == whats(actions, "C")


def test_the_tracker_links_to_the_csv_of_the_same_filters(official, actions):
    text = official.get(tracker_url("?status=open&page=1")).text
    assert f'href="{export_url("?status=open")}"' in text


def test_the_csv_of_more_than_one_page_has_every_row(official, rounds):
    negotiation = negotiate(rounds["2027"], county("08"))
    many_actions(negotiation, 60)
    assert len(read_csv(official.get(export_url()))) == 61


# --- query counts -------------------------------------------------------------------------


def test_query_count_is_the_same_for_5_and_60_actions(
    client, ministry_user, rounds, django_assert_max_num_queries, query_count
):
    helsinki = Region.objects.get(code="90")
    preparer = make_preparer("helsingin-valmistelija", helsinki)
    negotiations = [negotiate(rounds["2027"], helsinki), negotiate(rounds["2018"], maakunta("01"))]
    for negotiation in negotiations:
        approve(negotiation, ministry_user)
    users = (ministry_user, preparer)
    pages = [
        (tracker_url(), {}),
        (tracker_url("?status=open&theme=saatavuus&overdue="), HTMX),
        (tracker_url("?page=2"), {}),
        (export_url(), {}),
    ]

    def add_actions(start: int, stop: int) -> None:
        for i in range(start, stop):
            for negotiation in negotiations:
                action = make_action(negotiation, f"Toimenpide {i}", owner="Yksikkö")
                action.notes.create(text="Edistyi", author=ministry_user)

    add_actions(0, 5)
    few = {}
    for user in users:
        client.force_login(user)
        few[user] = [query_count(client, url, **headers) for url, headers in pages]

    add_actions(5, 60)
    for user in users:
        client.force_login(user)
        for (url, headers), count in zip(pages, few[user], strict=True):
            with django_assert_max_num_queries(count):
                assert client.get(url, **headers).status_code == 200
        assert [query_count(client, url, **headers) for url, headers in pages] == few[user]


# --- who may open what ------------------------------------------------------------------------


def test_permission_walk_over_the_tracker_urls(client, log_in_as, actions):
    data = {"actions": [actions["C"].pk], "status": "in-progress"}
    urls = [
        # method, url, (own preparer, other preparer, ministry)
        ("get", tracker_url(), (200, 200, 200)),
        ("get", tracker_url("?status=open"), (200, 200, 200)),
        ("post", tracker_url(), (403, 403, 302)),
        ("get", export_url(), (200, 200, 200)),
    ]
    for method, url, expected in urls:
        log_in_as("anonymous")
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url
        for who, status in zip(
            ("own-preparer", "other-preparer", "ministry"), expected, strict=True
        ):
            log_in_as(who)
            response = getattr(client, method)(url, data if method == "post" else None)
            assert response.status_code == status, (who, method, url, response.status_code)
    assert client.post(export_url()).status_code == 405
    # The other region's preparer (Lappi) sees only Lappi's action, even in the CSV.
    log_in_as("other-preparer")
    assert rows(client.get(tracker_url())) == [actions["E"].what]
    assert [row[3] for row in read_csv(client.get(export_url()))[1:]] == [actions["E"].what]


def test_the_main_menu_links_to_the_tracker(client, pirkanmaa_preparer, actions):
    client.force_login(pirkanmaa_preparer)
    home = client.get(reverse("home")).text
    assert f'<a href="{tracker_url()}">Jatkotoimenpiteet</a>' in home
    page = client.get(tracker_url()).text
    assert f'<a href="{tracker_url()}" aria-current="page">Jatkotoimenpiteet</a>' in page
