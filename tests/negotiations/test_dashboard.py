"""The round dashboard: one row per region, a summary on top, filters and a legend, for
ministry officials only."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from negotiations import pdf
from negotiations.models import (
    FollowUpAction,
    Ministry,
    Negotiation,
    Record,
    Round,
    RoundTheme,
    SituationReport,
    Theme,
)
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import (
    THEME,
    add_actions,
    county,
    maakunta,
    make_round,
    make_user,
    negotiate,
    record_of,
    report_of,
)
from tests.pages import progress_summary

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
Status = SituationReport.Status
Action = FollowUpAction.Status


@pytest.fixture
def round_2027(db) -> Round:
    """Five regions in four cooperation areas; three scheduled, two not."""
    round_ = make_round(
        2027,
        themes=[THEME],
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


def cells(response, region: str) -> list[str]:
    """The text of a row's cells after the region, tags and whitespace flattened."""
    row = re.search(rf">{region}</a></th>(.*?)</tr>", response.text, re.S).group(1)
    texts = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in texts]


def report_cell(response, region: str) -> str:
    return cells(response, region)[4]


def record_cell(response, region: str) -> str:
    return cells(response, region)[5]


def open_actions_cell(response, region: str) -> str:
    return cells(response, region)[6]


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
    assert cells(response, "Pirkanmaa")[4:7] == ["Ei aloitettu", "Luonnos", "0"]
    detail = reverse("negotiations:negotiation-detail", args=[pirkanmaa.pk])
    assert f'<a href="{detail}">Pirkanmaa</a>' in text
    calendar = reverse("negotiations:negotiation-calendar", args=[pirkanmaa.pk])
    assert f'<a href="{calendar}">' in text
    assert "kalenterimerkintä, Pirkanmaa" in text


def test_the_wide_table_scrolls_in_a_labelled_region(official_client, round_2027):
    text = official_client.get(dashboard_url(round_2027)).text
    assert (
        '<div class="table-scroll" role="region" aria-labelledby="dashboard-table-caption" '
        'tabindex="0">'
    ) in text
    assert '<caption id="dashboard-table-caption"' in text


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


@pytest.mark.parametrize(
    ("days", "says"),
    [
        (12, "(12 päivää jäljellä)"),
        (1, "(1 päivä jäljellä)"),
        (0, "(tänään)"),
        (-3, "(3 päivää sitten)"),
    ],
)
def test_the_report_deadline_says_how_many_days_are_left(official_client, round_2027, days, says):
    deadline = timezone.localdate() + datetime.timedelta(days=days)
    round_2027.report_deadline = deadline
    round_2027.save()
    text = official_client.get(dashboard_url(round_2027)).text
    expected = (
        f'<dt>Tilannekuvien määräpäivä</dt><dd><time datetime="{deadline:%Y-%m-%d}">'
        f"{deadline.day}.{deadline.month}.{deadline.year}</time> {says}</dd>"
    )
    assert expected in text


def test_round_name_is_shown_in_the_active_language(official_client, round_2027):
    official_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = official_client.get(dashboard_url(round_2027))
    assert "<h1>Välfärdsområdesförhandlingarna 2027</h1>" in response.text


# --- the report and record columns ------------------------------------------------------------


def test_report_status_column_shows_each_report_and_whether_it_is_late(
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
    # Submitted before the deadline: on time. After it, or not at all by it: late.
    assert report_cell(response, "Lappi") == "Lähetetty"
    assert report_cell(response, "Helsinki") == "Lähetetty myöhässä"
    assert report_cell(response, "Pirkanmaa") == "Luonnos myöhässä"
    assert report_cell(response, "Kainuu") == "Ei aloitettu myöhässä"
    assert report_cell(response, "Pohjois-Savo") == "Palautettu täydennettäväksi myöhässä"
    assert '<span class="tag tag-late">myöhässä</span>' in response.text


def test_before_the_deadline_no_report_is_late(official_client, round_2027, ministry_user):
    round_2027.report_deadline = timezone.localdate()
    round_2027.save()
    response = official_client.get(dashboard_url(round_2027))
    assert report_cell(response, "Kainuu") == "Ei aloitettu"


def test_a_negotiation_without_a_report_reads_not_started(official_client, db):
    round_ = make_round(2027, themes=[THEME], status=Round.Status.OPEN_FOR_REPORTS)
    Negotiation.objects.create(round=round_, region=county("08"))
    response = official_client.get(dashboard_url(round_))
    assert not SituationReport.objects.exists()
    assert report_cell(response, "Pirkanmaa") == "Ei aloitettu"
    assert record_cell(response, "Pirkanmaa") == "Ei aloitettu"


def test_record_status_column_shows_each_records_real_status(
    official_client, round_2027, ministry_user
):
    record_of(round_2027, county("21"), ministry_user, status=Record.Status.COMMENTS)
    record_of(round_2027, Region.objects.get(code="90"), ministry_user, status="approved")
    record_of(round_2027, county("20"), ministry_user, status=Record.Status.PUBLISHED)

    response = official_client.get(dashboard_url(round_2027))
    assert record_cell(response, "Pirkanmaa") == "Luonnos"
    assert record_cell(response, "Lappi") == "Alueen kommentoitavana"
    assert record_cell(response, "Helsinki") == "Hyväksytty"
    assert record_cell(response, "Kainuu") == "Julkaistu"


def pdf_record_cells(round_: Round) -> dict[str, str]:
    html = pdf.round_html(round_)
    schedule = re.search(r'<section class="schedule">(.*?)</section>', html, re.S).group(1)
    rows = re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', schedule, re.S)
    return {region: re.findall(r"<td>(.*?)</td>", rest, re.S)[-1].strip() for region, rest in rows}


def test_the_dashboard_and_the_round_pdf_show_the_same_record_status(
    official_client, round_2027, ministry_user
):
    record_of(round_2027, county("21"), ministry_user, status=Record.Status.COMMENTS)
    record_of(round_2027, Region.objects.get(code="90"), ministry_user, status="approved")
    record_of(round_2027, county("20"), ministry_user, status=Record.Status.PUBLISHED)

    response = official_client.get(dashboard_url(round_2027))
    on_the_dashboard = {region: record_cell(response, region) for region in row_regions(response)}
    assert pdf_record_cells(round_2027) == on_the_dashboard
    assert set(on_the_dashboard.values()) == {
        "Luonnos",
        "Alueen kommentoitavana",
        "Hyväksytty",
        "Julkaistu",
    }


# --- follow-up actions, carried over --------------------------------------------------------


def test_open_actions_column_counts_the_rounds_own_and_the_carried_over_actions(
    official_client, round_2027
):
    add_actions(
        round_2027.negotiations.get(region=county("08")),
        Action.AGREED,
        Action.IN_PROGRESS,
        Action.DONE,
        Action.CANCELLED,
        Action.AGREED,
    )
    add_actions(round_2027.negotiations.get(region=county("21")), Action.DONE)
    # Pirkanmaa's open actions of 2025 and (as a maakunta) of 2018 come back in 2027; what
    # is done, what another region agreed and what a later round agrees do not.
    earlier = make_round(2025, themes=[THEME])
    add_actions(negotiate(earlier, county("08")), Action.AGREED, Action.DONE)
    add_actions(negotiate(earlier, county("20")), Action.DONE)
    round_2018 = make_round(2018, name="Syksyn 2018 sote-neuvottelut", themes=[THEME])
    add_actions(negotiate(round_2018, maakunta("06")), Action.IN_PROGRESS)
    add_actions(negotiate(round_2018, maakunta("19")), Action.AGREED)  # Lappi
    later = make_round(2029, themes=[THEME])
    add_actions(negotiate(later, county("08")), Action.AGREED)

    response = official_client.get(dashboard_url(round_2027))
    assert open_actions_cell(response, "Pirkanmaa") == "5 (joista 2 aiemmilta kierroksilta)"
    assert open_actions_cell(response, "Lappi") == "1 (josta 1 aiemmilta kierroksilta)"
    assert open_actions_cell(response, "Kainuu") == "0"
    assert "tältä ja aiemmilta kierroksilta" in response.text  # the column header says so
    for negotiation in round_2027.negotiations.select_related("round"):
        carried = FollowUpAction.objects.carried_over_to(negotiation).count()
        own = FollowUpAction.objects.open().filter(negotiation=negotiation).count()
        assert open_actions_cell(response, negotiation.region.name).split()[0] == str(own + carried)
    # In the 2025 round, Pirkanmaa's action of 2025 is its own, the maakunta's carried over.
    earlier_page = official_client.get(dashboard_url(earlier))
    assert open_actions_cell(earlier_page, "Pirkanmaa") == "2 (joista 1 aiemmilta kierroksilta)"


def test_an_action_carried_over_to_several_successors_is_counted_once_in_the_summary(
    official_client, round_2027
):
    negotiate(round_2027, county("01"))  # Itä-Uusimaa; Helsinki is in the round too
    round_2018 = make_round(2018, name="Syksyn 2018 sote-neuvottelut", themes=[THEME])
    add_actions(negotiate(round_2018, maakunta("01")), Action.AGREED)  # Uusimaa

    response = official_client.get(dashboard_url(round_2027))
    assert open_actions_cell(response, "Helsinki") == "1 (josta 1 aiemmilta kierroksilta)"
    assert open_actions_cell(response, "Itä-Uusimaa") == "1 (josta 1 aiemmilta kierroksilta)"
    assert (
        progress_summary(response)["Avoimet jatkotoimenpiteet"]
        == "1 (josta 1 aiemmilta kierroksilta)"
    )


def test_overdue_open_actions_are_said_in_words(official_client, round_2027):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    pirkanmaa = round_2027.negotiations.get(region=county("08"))
    add_actions(pirkanmaa, Action.AGREED, Action.IN_PROGRESS, due=yesterday)
    add_actions(pirkanmaa, Action.DONE, due=yesterday)
    add_actions(pirkanmaa, Action.AGREED, due=timezone.localdate())

    response = official_client.get(dashboard_url(round_2027))
    assert open_actions_cell(response, "Pirkanmaa") == "3 2 myöhässä"
    assert progress_summary(response)["Avoimet jatkotoimenpiteet"] == "3, 2 myöhässä"


# --- the summary on top ---------------------------------------------------------------------


def test_the_summary_counts_reports_meetings_records_and_actions(
    official_client, round_2027, ministry_user
):
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)
    report_of(round_2027, county("08"), ministry_user, status=Status.SUBMITTED)
    record_of(round_2027, county("21"), ministry_user, status=Record.Status.COMMENTS)
    record_of(round_2027, county("20"), ministry_user, status=Record.Status.PUBLISHED)
    add_actions(round_2027.negotiations.get(region=county("21")), Action.AGREED)

    response = official_client.get(dashboard_url(round_2027))
    assert "Yhteenveto koko kierroksesta" in response.text
    # The round's first meeting is in 2027, after today.
    assert progress_summary(response) == {
        "Tilannekuvat": "2 / 5 lähetetty",
        "Neuvottelut": "3 / 5 aikataulutettu, seuraava 16.2.2027",
        "Muistiot": ("Luonnos 3 · Alueen kommentoitavana 1 · Hyväksytty 0 · Julkaistu 1"),
        "Avoimet jatkotoimenpiteet": "1",
    }


def test_the_summary_follows_the_filters(official_client, round_2027, ministry_user):
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)
    response = official_client.get(dashboard_url(round_2027, "?area=pohjois-suomi"), **HTMX)
    assert "Yhteenveto valituista neuvotteluista" in response.text
    assert progress_summary(response)["Tilannekuvat"] == "1 / 2 lähetetty"
    assert progress_summary(response)["Neuvottelut"].startswith("1 / 2 aikataulutettu")


def test_the_summary_counts_late_reports(official_client, round_2027, ministry_user):
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)
    round_2027.report_deadline = timezone.localdate() - datetime.timedelta(days=2)
    round_2027.save()
    response = official_client.get(dashboard_url(round_2027))
    assert progress_summary(response)["Tilannekuvat"] == "1 / 5 lähetetty, 4 myöhässä"


def test_a_round_in_planning_does_not_count_reports_as_due(official_client, db):
    round_ = make_round(2027, themes=[THEME], report_deadline=datetime.date(2020, 1, 1))
    negotiate(round_, county("08"))
    response = official_client.get(dashboard_url(round_))
    assert (
        progress_summary(response)["Tilannekuvat"] == "Kierros ei vielä ota vastaan tilannekuvia."
    )
    assert report_cell(response, "Pirkanmaa") == "Ei aloitettu"


def test_the_legend_explains_every_status_in_the_words_of_the_rows(official_client, round_2027):
    text = official_client.get(dashboard_url(round_2027)).text
    legend = re.search(r'<details class="status-legend">(.*?)</details>', text, re.S).group(1)
    for term in (
        "Ei aloitettu",
        "Luonnos",
        "Lähetetty",
        "Palautettu täydennettäväksi",
        "Myöhässä",
        "Alueen kommentoitavana",
        "Hyväksytty",
        "Julkaistu",
        "Avoimet",
    ):
        assert f"<dt>{term}</dt>" in legend, term
    assert "<summary>Mitä tilat tarkoittavat</summary>" in legend


# --- filters and sorting --------------------------------------------------------------------


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
    assert '<p id="dashboard-count" data-hx-swap-oob="innerHTML">1 neuvottelu</p>' in (
        response.text
    )
    assert "HX-Request" in response["Vary"]


def test_the_filter_form_uses_data_hx_attributes_and_works_without_javascript(
    official_client, round_2027
):
    text = official_client.get(dashboard_url(round_2027)).text
    form = re.search(r'<form class="filter-form"[^>]*>', text, re.S).group(0)
    assert 'method="get"' in form
    assert f'action="{dashboard_url(round_2027)}"' in form
    assert f'data-hx-get="{dashboard_url(round_2027)}"' in form
    assert " hx-" not in form


def test_a_history_restore_request_gets_the_whole_page(official_client, round_2027):
    response = official_client.get(
        dashboard_url(round_2027, "?area=etela-suomi"),
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
        **HTMX,
    )
    assert "<html" in response.text
    assert row_regions(response) == ["Helsinki"]


def test_filtering_by_scheduling(official_client, round_2027):
    scheduled = official_client.get(dashboard_url(round_2027, "?schedule=scheduled"))
    assert sorted(row_regions(scheduled)) == ["Helsinki", "Lappi", "Pirkanmaa"]
    unscheduled = official_client.get(dashboard_url(round_2027, "?schedule=unscheduled"), **HTMX)
    assert sorted(row_regions(unscheduled)) == ["Kainuu", "Pohjois-Savo"]


def test_filtering_by_report_status(official_client, round_2027, ministry_user):
    report_of(round_2027, county("08"), ministry_user, status=Status.DRAFT)
    report_of(round_2027, county("13"), ministry_user, status=Status.RETURNED)
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)
    submitted = official_client.get(dashboard_url(round_2027, "?report=submitted"))
    assert row_regions(submitted) == ["Lappi"]
    assert '<option value="submitted" selected>Lähetetty</option>' in submitted.text
    by_status = {
        status: row_regions(
            official_client.get(dashboard_url(round_2027, f"?report={status}&sort=region"), **HTMX)
        )
        for status in ("not-started", "draft", "returned", "unfinished")
    }
    assert by_status == {
        "not-started": ["Helsinki", "Kainuu"],
        "draft": ["Pirkanmaa"],
        "returned": ["Pohjois-Savo"],
        # Returned reports and regions without any report are unfinished too.
        "unfinished": ["Helsinki", "Kainuu", "Pirkanmaa", "Pohjois-Savo"],
    }


def test_filtering_by_late_reports(official_client, round_2027, ministry_user):
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)  # on time
    round_2027.report_deadline = timezone.localdate() - datetime.timedelta(days=1)
    round_2027.save()
    report_of(round_2027, county("08"), ministry_user, status=Status.SUBMITTED)  # late
    response = official_client.get(dashboard_url(round_2027, "?report=late&sort=region"))
    assert row_regions(response) == ["Helsinki", "Kainuu", "Pirkanmaa", "Pohjois-Savo"]


def test_filtering_by_record_status(official_client, round_2027, ministry_user):
    record_of(round_2027, county("21"), ministry_user, status=Record.Status.COMMENTS)
    record_of(round_2027, county("20"), ministry_user, status=Record.Status.PUBLISHED)
    comments = official_client.get(dashboard_url(round_2027, "?record=comments"))
    assert row_regions(comments) == ["Lappi"]
    assert '<option value="comments" selected>Alueen kommentoitavana</option>' in comments.text
    drafts = official_client.get(dashboard_url(round_2027, "?record=draft&sort=region"), **HTMX)
    assert row_regions(drafts) == ["Helsinki", "Pirkanmaa", "Pohjois-Savo"]


def test_the_three_status_filters_combine(official_client, round_2027, ministry_user):
    report_of(round_2027, county("21"), ministry_user, status=Status.SUBMITTED)
    report_of(round_2027, county("20"), ministry_user, status=Status.SUBMITTED)
    record_of(round_2027, county("20"), ministry_user, status=Record.Status.COMMENTS)
    response = official_client.get(
        dashboard_url(round_2027, "?schedule=scheduled&report=submitted&record=draft")
    )
    assert row_regions(response) == ["Lappi"]


def test_filters_combine_and_an_empty_result_says_so(official_client, round_2027):
    response = official_client.get(
        dashboard_url(round_2027, "?area=sisa-suomi&schedule=unscheduled")
    )
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
    [
        "?area=xyz",
        "?schedule=bogus",
        "?report=bogus",
        "?record=bogus",
        "?sort=foo",
        "?status=scheduled",
        "?area=&schedule=&report=&record=&sort=",
        "?area=1&area=2&page=x",
    ],
)
def test_invalid_filter_values_show_every_negotiation(official_client, round_2027, query):
    for headers in ({}, HTMX):
        response = official_client.get(dashboard_url(round_2027, query), **headers)
        assert response.status_code == 200
        assert len(row_regions(response)) == 5


def test_a_round_without_regions_says_so(official_client, db):
    response = official_client.get(dashboard_url(make_round(2027, themes=[THEME])))
    assert response.status_code == 200
    assert "Kierrokselle ei ole vielä valittu alueita." in response.text


# --- who sees it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("own-preparer", 403), ("other-preparer", 403), ("ministry", 200), ("anonymous", 302)],
)
def test_only_ministry_officials_see_the_dashboard(log_in_as, client, round_2027, who, status):
    log_in_as(who)
    for query in ("", "?area=sisa-suomi&report=late&record=draft"):
        url = dashboard_url(round_2027, query)
        for headers in ({}, HTMX):
            response = client.get(url, **headers)
            assert response.status_code == status, (who, query, headers)
        if status == 302:
            assert response.url.startswith(f"{reverse('login')}?next=")
        assert client.post(url).status_code == 405


def test_a_missing_round_is_not_found_and_the_dashboard_is_read_only(official_client, round_2027):
    assert official_client.post(dashboard_url(round_2027)).status_code == 405
    missing = reverse("negotiations:round-detail", args=[round_2027.pk + 1000])
    assert official_client.get(missing).status_code == 404


# --- a constant number of queries -----------------------------------------------------------


def _fill_round(size: int, chair, *, year: int) -> Round:
    """A round of `size` current regions with reports, records and actions at every step,
    after an earlier round of the same regions whose open actions come back to it."""
    regions = list(Region.objects.current())[:size]
    earlier = make_round(
        year - 2, name=f"Kierros {year - 2}", themes=[THEME], status=Round.Status.CLOSED
    )
    round_ = make_round(
        year,
        name=f"Kierros {year}",
        themes=[THEME],
        status=Round.Status.OPEN_FOR_REPORTS,
        report_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    record_steps = list(Record.Status)
    for i, region in enumerate(regions):
        add_actions(negotiate(earlier, region), Action.AGREED, Action.DONE)
        negotiation = negotiate(round_, region, (2, 1 + i), (9, 0), (11, 0), chair=chair)
        if i % 2:  # every other region has written a report, some of them submitted
            status = Status.SUBMITTED if i % 4 == 1 else Status.DRAFT
            report_of(round_, region, chair, status=status)
        record_of(round_, region, chair, status=record_steps[i % 4])
        if i % 3 == 0:  # and every third agreed some follow-up actions
            add_actions(negotiation, Action.AGREED, Action.IN_PROGRESS, Action.DONE)
    return round_


def test_query_count_does_not_grow_with_the_number_of_regions(
    client, db, django_assert_max_num_queries, query_count
):
    client.force_login(make_user("laskija", group=MINISTRY_OFFICIAL))
    chair = make_user("puheenjohtaja", first_name="Paula")
    assert Region.objects.current().count() == 23  # 21 counties, Helsinki and HUS
    small, large = _fill_round(3, chair, year=2027), _fill_round(23, chair, year=2031)

    def urls(round_: Round) -> list[tuple[str, dict]]:
        return [
            (dashboard_url(round_), {}),
            (dashboard_url(round_, "?schedule=scheduled&sort=-date"), HTMX),
            (dashboard_url(round_, "?report=unfinished&record=draft"), HTMX),
            (dashboard_url(round_, "?report=late&area=etela-suomi"), HTMX),
        ]

    few = [query_count(client, url, **headers) for url, headers in urls(small)]
    for (url, headers), count in zip(urls(large), few, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url, **headers).status_code == 200
    assert [query_count(client, url, **headers) for url, headers in urls(large)] == few
    assert "23 neuvottelua" in client.get(dashboard_url(large)).text
