"""The round dashboard: one row per region, filtered and sorted, for ministry officials only."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from negotiations.models import (
    FollowUpAction,
    Ministry,
    Negotiation,
    Round,
    RoundTheme,
    SituationReport,
    Theme,
)
from negotiations.services import ensure_record, ensure_report
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL
from tests.conftest import county, make_preparer, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
Status = SituationReport.Status


def make_round(name: str = "Hyvinvointialueneuvottelut 2027", **fields) -> Round:
    return Round.objects.create(
        **{
            "name_fi": name,
            "name_sv": name.replace("Hyvinvointialueneuvottelut", "Välfärdsområdesförhandlingarna"),
            "kind": Round.Kind.COUNTY_NEGOTIATIONS,
            "period_start": datetime.date(2027, 2, 1),
            "period_end": datetime.date(2027, 3, 31),
            **fields,
        }
    )


def negotiate(round_: Round, region: Region, day=None, start=None, end=None, **fields):
    return Negotiation.objects.create(
        round=round_,
        region=region,
        date=datetime.date(2027, *day) if day else None,
        start_time=datetime.time(*start) if start else None,
        end_time=datetime.time(*end) if end else None,
        **fields,
    )


@pytest.fixture
def round_2027(db) -> Round:
    """Five regions in four cooperation areas; three scheduled, two not."""
    round_ = make_round(
        status=Round.Status.OPEN_FOR_REPORTS,
        report_deadline=datetime.date(2027, 1, 15),
        ministries=[Ministry.STM, Ministry.VM],
    )
    chair = make_user("puheenjohtaja", first_name="Paula", last_name="Puheenjohtaja")
    negotiate(round_, county("08"), (2, 16), (9, 0), (12, 0), chair=chair)  # Pirkanmaa
    negotiate(round_, county("21"), (3, 3), (13, 0), (15, 30))  # Lappi
    negotiate(round_, Region.objects.get(code="90"), (2, 16), (13, 0), (14, 0))  # Helsinki
    negotiate(round_, county("20"))  # Kainuu
    negotiate(round_, county("13"))  # Pohjois-Savo
    return round_


def dashboard_url(round_: Round, query: str = "") -> str:
    return reverse("negotiations:round-detail", args=[round_.pk]) + query


def row_regions(response) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a></th>', response.text)


@pytest.fixture
def official_client(client, ministry_user):
    client.force_login(ministry_user)
    return client


def test_dashboard_has_one_row_per_region_of_the_round(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027))
    assert response.status_code == 200
    assert sorted(row_regions(response)) == [
        "Helsinki",
        "Kainuu",
        "Lappi",
        "Pirkanmaa",
        "Pohjois-Savo",
    ]
    assert "5 neuvottelua" in response.text


def test_a_row_shows_time_chair_area_statuses_and_links(official_client, round_2027):
    pirkanmaa = round_2027.negotiations.get(region=county("08"))
    response = official_client.get(dashboard_url(round_2027))
    text = response.text
    assert "ti 16.2.2027 9.00–12.00" in text
    assert "ke 3.3.2027 13.00–15.30" in text
    assert "Paula Puheenjohtaja" in text
    assert "Sisä-Suomi" in text
    assert "hyvinvointialue" in text
    assert "kaupunki" in text
    assert text.count("<td>Ei aloitettu</td>") == 10  # report and record of five regions
    assert text.count('<td class="numeric">0</td>') == 5
    detail = reverse("negotiations:negotiation-detail", args=[pirkanmaa.pk])
    assert f'<a href="{detail}">Pirkanmaa</a>' in text
    calendar = reverse("negotiations:negotiation-calendar", args=[pirkanmaa.pk])
    assert f'<a href="{calendar}">' in text
    assert "kalenterimerkintä, Pirkanmaa" in text


def test_unscheduled_negotiation_says_so_and_has_no_calendar_link(official_client, round_2027):
    kainuu = round_2027.negotiations.get(region=county("20"))
    response = official_client.get(dashboard_url(round_2027), **HTMX)  # without the filter form
    assert response.text.count("Ei aikataulutettu") == 2
    assert reverse("negotiations:negotiation-calendar", args=[kainuu.pk]) not in response.text


def test_summary_shows_the_round_and_links_to_its_other_pages(official_client, round_2027):
    for position, code in enumerate(["turvallinen-siirtyma", "henkilosto"]):
        theme = Theme.objects.create(
            code=code, title_fi=f"Teema {code}", title_sv=code, title_en=code
        )
        RoundTheme.objects.create(round=round_2027, theme=theme, position=2 - position)
    response = official_client.get(dashboard_url(round_2027))
    text = response.text
    assert "<h1>Hyvinvointialueneuvottelut 2027</h1>" in text
    assert "hyvinvointialueneuvottelut" in text
    assert "auki tilannekuville" in text
    assert "1.2.2027–31.3.2027" in text
    assert "15.1.2027" in text
    assert "sosiaali- ja terveysministeriö (STM), valtiovarainministeriö (VM)" in text
    assert text.index("Teema henkilosto") < text.index("Teema turvallinen-siirtyma")
    for round_theme in round_2027.round_themes.select_related("theme"):
        page = reverse("negotiations:round-theme-reports", args=[round_2027.pk, round_theme.pk])
        assert f'<a href="{page}">{round_theme.theme.title}</a>' in text
    for name in ("round-edit", "round-themes", "round-schedule"):
        assert reverse(f"negotiations:{name}", args=[round_2027.pk]) in text
    feed = reverse("negotiations:round-calendar", args=[round_2027.pk, round_2027.calendar_token])
    assert f'<a href="{feed}">Tilaa kierroksen kalenteri (.ics)</a>' in text


def test_round_name_is_shown_in_the_active_language(official_client, round_2027):
    official_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = official_client.get(dashboard_url(round_2027))
    assert "<h1>Välfärdsområdesförhandlingarna 2027</h1>" in response.text


def test_filtering_by_cooperation_area_with_the_query_string(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027, "?area=pohjois-suomi"))
    assert response.status_code == 200
    assert "<html" in response.text
    assert sorted(row_regions(response)) == ["Kainuu", "Lappi"]
    assert '<option value="pohjois-suomi" selected>' in response.text


def test_filtering_with_htmx_returns_only_the_results_partial(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027, "?area=etela-suomi"), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<h1>" not in response.text
    assert response.text.lstrip().startswith('<div id="dashboard-results">')
    assert row_regions(response) == ["Helsinki"]
    # The count goes out of band into the live region that stays in the page.
    assert '<p id="dashboard-count" hx-swap-oob="innerHTML">1 neuvottelu</p>' in response.text
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_request_gets_the_whole_page(official_client, round_2027):
    response = official_client.get(
        dashboard_url(round_2027, "?area=etela-suomi"),
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        **HTMX,
    )
    assert "<html" in response.text
    assert row_regions(response) == ["Helsinki"]


def test_filtering_by_scheduling_status(official_client, round_2027):
    scheduled = official_client.get(dashboard_url(round_2027, "?status=scheduled"))
    assert sorted(row_regions(scheduled)) == ["Helsinki", "Lappi", "Pirkanmaa"]
    unscheduled = official_client.get(dashboard_url(round_2027, "?status=unscheduled"), **HTMX)
    assert sorted(row_regions(unscheduled)) == ["Kainuu", "Pohjois-Savo"]


def report_of(round_: Round, region: Region, user, *, status: str):
    """The region's report moved to `status` the way the region and the ministry move it."""
    report = ensure_report(round_.negotiations.get(region=region))
    if status != Status.NOT_STARTED:
        report.mark_started()
    if status in (Status.SUBMITTED, Status.RETURNED):
        report.submit(by=user)
    if status == Status.RETURNED:
        report.return_for_completion(by=user, comment="Täydennä.")
    return report


def report_cell(response, region: str) -> str:
    row = re.search(rf">{region}</a></th>(.*?)</tr>", response.text, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", row, re.S)[4]


def test_report_status_column_shows_each_report_and_whether_it_was_late(
    official_client, round_2027, ministry_user
):
    report_of(round_2027, county("08"), ministry_user, status=Status.DRAFT)
    report_of(round_2027, county("20"), ministry_user, status=Status.NOT_STARTED)
    report_of(round_2027, county("13"), ministry_user, status=Status.RETURNED)
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)
    round_2027.report_deadline = timezone.localdate() - datetime.timedelta(days=1)
    round_2027.save()
    helsinki = Region.objects.get(code="90")
    report_of(round_2027, helsinki, ministry_user, status=Status.SUBMITTED)

    response = official_client.get(dashboard_url(round_2027))
    assert report_cell(response, "Pirkanmaa") == "Luonnos"
    assert report_cell(response, "Kainuu") == "Ei aloitettu"
    assert report_cell(response, "Pohjois-Savo") == "Palautettu täydennettäväksi"
    assert report_cell(response, "Lappi") == "Lähetetty"
    assert report_cell(response, "Helsinki") == (
        'Lähetetty <span class="tag tag-late">myöhässä</span>'
    )


def test_a_negotiation_without_a_report_reads_not_started(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027))
    assert not SituationReport.objects.exists()
    assert report_cell(response, "Pirkanmaa") == "Ei aloitettu"


def open_actions_cell(response, region: str) -> str:
    row = re.search(rf">{region}</a></th>(.*?)</tr>", response.text, re.S).group(1)
    return re.search(r'<td class="numeric">(.*?)</td>', row, re.S).group(1)


def add_actions(negotiation: Negotiation, *statuses: str) -> None:
    section = ensure_record(negotiation).sections.filter(kind="theme").first()
    for i, status in enumerate(statuses):
        FollowUpAction.objects.create(
            negotiation=negotiation,
            section=section,
            what=f"Toimenpide {i}",
            responsible=FollowUpAction.Responsible.REGION,
            status=status,
        )


def test_open_follow_up_actions_column_counts_each_negotiations_open_actions(
    official_client, round_2027
):
    theme = Theme.objects.create(code="teema", title_fi="Teema", title_sv="Tema", title_en="Theme")
    RoundTheme.objects.create(round=round_2027, theme=theme)
    action = FollowUpAction.Status
    add_actions(
        round_2027.negotiations.get(region=county("08")),
        action.AGREED,
        action.IN_PROGRESS,
        action.DONE,
        action.CANCELLED,
        action.AGREED,
    )
    add_actions(round_2027.negotiations.get(region=county("21")), action.DONE)
    # Pirkanmaa's action of an earlier round is counted in that round, not this one.
    earlier = make_round(
        "Hyvinvointialueneuvottelut 2025",
        period_start=datetime.date(2025, 2, 1),
        period_end=datetime.date(2025, 3, 31),
    )
    RoundTheme.objects.create(round=earlier, theme=theme)
    add_actions(negotiate(earlier, county("08")), action.AGREED)

    response = official_client.get(dashboard_url(round_2027))
    assert open_actions_cell(response, "Pirkanmaa") == "3"
    assert open_actions_cell(response, "Lappi") == "0"
    assert open_actions_cell(response, "Kainuu") == "0"
    assert open_actions_cell(official_client.get(dashboard_url(earlier)), "Pirkanmaa") == "1"


def test_filtering_by_report_status(official_client, round_2027, ministry_user):
    report_of(round_2027, county("08"), ministry_user, status=Status.DRAFT)
    report_of(round_2027, county("13"), ministry_user, status=Status.RETURNED)
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)
    submitted = official_client.get(dashboard_url(round_2027, "?status=report-submitted"))
    assert row_regions(submitted) == ["Lappi"]
    assert '<option value="report-submitted" selected>Tilannekuva lähetetty</option>' in (
        submitted.text
    )
    unfinished = official_client.get(
        dashboard_url(round_2027, "?status=report-unfinished&sort=region"), **HTMX
    )
    # Returned reports and regions without any report are unfinished too.
    assert row_regions(unfinished) == ["Helsinki", "Kainuu", "Pirkanmaa", "Pohjois-Savo"]


def test_filters_combine_and_an_empty_result_says_so(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027, "?area=sisa-suomi&status=unscheduled"))
    assert row_regions(response) == []
    assert "0 neuvottelua" in response.text
    assert "Valituilla suodattimilla ei löytynyt neuvotteluja." in response.text


def test_sorted_by_date_ascending_by_default_with_unscheduled_last(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027))
    assert row_regions(response) == ["Pirkanmaa", "Helsinki", "Lappi", "Kainuu", "Pohjois-Savo"]
    assert '<th scope="col" aria-sort="ascending">Aika</th>' in response.text


def test_sorted_by_date_descending_keeps_unscheduled_last(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027, "?sort=-date"))
    assert row_regions(response) == ["Lappi", "Helsinki", "Pirkanmaa", "Kainuu", "Pohjois-Savo"]
    assert '<th scope="col" aria-sort="descending">Aika</th>' in response.text


def test_sorted_by_region_name(official_client, round_2027):
    response = official_client.get(dashboard_url(round_2027, "?sort=region"), **HTMX)
    assert row_regions(response) == ["Helsinki", "Kainuu", "Lappi", "Pirkanmaa", "Pohjois-Savo"]


@pytest.mark.parametrize(
    "query",
    ["?area=xyz", "?status=bogus", "?sort=foo", "?area=&status=&sort=", "?area=1&area=2&page=x"],
)
def test_invalid_filter_values_show_every_negotiation(official_client, round_2027, query):
    for headers in ({}, HTMX):
        response = official_client.get(dashboard_url(round_2027, query), **headers)
        assert response.status_code == 200
        assert len(row_regions(response)) == 5


def test_a_round_without_regions_says_so(official_client, db):
    response = official_client.get(dashboard_url(make_round()))
    assert response.status_code == 200
    assert "Kierrokselle ei ole vielä valittu alueita." in response.text


def test_only_ministry_officials_see_the_dashboard(client, round_2027, ministry_user):
    url = dashboard_url(round_2027)

    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"

    client.force_login(make_preparer("pirkanmaan-valmistelija", county("08")))
    assert client.get(url).status_code == 403
    assert client.get(url, **HTMX).status_code == 403

    client.force_login(make_preparer("satakunnan-valmistelija", county("06")))
    assert client.get(url).status_code == 403

    client.force_login(ministry_user)
    assert client.get(url).status_code == 200
    assert client.get(dashboard_url(round_2027, "?area=sisa-suomi"), **HTMX).status_code == 200
    assert client.post(url).status_code == 405
    missing = reverse("negotiations:round-detail", args=[round_2027.pk + 1000])
    assert client.get(missing).status_code == 404


def _queries(client, url: str, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **headers).status_code == 200
    return len(queries)


def test_query_count_is_the_same_for_5_and_23_regions(client, db):
    client.force_login(make_user("laskija", group=MINISTRY_OFFICIAL))
    chair = make_user("puheenjohtaja", first_name="Paula")
    theme = Theme.objects.create(code="teema", title_fi="Teema", title_sv="Tema", title_en="Theme")
    current = list(Region.objects.current())
    assert len(current) == 23  # 21 counties, Helsinki and HUS
    counts = {}
    for size in (5, 23):
        round_ = make_round(f"Kierros {size}", status=Round.Status.OPEN_FOR_REPORTS)
        RoundTheme.objects.create(round=round_, theme=theme)
        for i, region in enumerate(current[:size]):
            negotiate(round_, region, (2, 1 + i), (9, 0), (11, 0), chair=chair)
            if i % 2:  # every other region has a report, some of them submitted
                status = Status.SUBMITTED if i % 4 == 1 else Status.DRAFT
                report_of(round_, region, chair, status=status)
            if i % 3 == 0:  # and every third some follow-up actions
                negotiation = round_.negotiations.get(region=region)
                add_actions(negotiation, "agreed", "in-progress", "done")
        full = dashboard_url(round_)
        partial = dashboard_url(round_, "?status=scheduled&sort=-date")
        by_report = dashboard_url(round_, "?status=report-unfinished")
        counts[size] = (
            _queries(client, full),
            _queries(client, partial, **HTMX),
            _queries(client, by_report, **HTMX),
        )
        assert f"{size} neuvottelua" in client.get(full).text
    assert counts[5] == counts[23]
