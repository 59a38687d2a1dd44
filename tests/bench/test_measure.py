"""The page measurement on a tiny data set, a few requests a page: every page answers, is timed
against the bare view, and its line in the table has the ratio beside its target and the HTML
size. The figures themselves are `make bench`'s business."""

import re

import pytest
from django.urls import reverse

from tests.bench import measure, report
from tests.bench.data import build_data, theme_indicator_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(settings):
    settings.ROOT_URLCONF = "tests.bench.urls"
    return build_data(rounds=2, regions=3, themes=2, actions=2, words=20)


def test_the_bare_view_is_only_in_the_benchmarks_url_conf(data, settings, client):
    assert client.get(reverse("bench-bare")).content == b"ok"
    settings.ROOT_URLCONF = "steering.urls"
    assert client.get("/bench/bare/").status_code == 404


def test_every_page_of_the_issue_is_measured_and_printed_with_its_ratio_and_size(data):
    names = [page.name for page in measure.pages(data)]
    for expected in (
        "Home",
        "Public record",
        "Round dashboard",
        "Negotiation page",
        "Schedule",
        "Public record list",
        "Action tracker",
        "Record page (draft)",
        "Situation report (draft)",
        "Autosave POST",
    ):
        assert expected in names

    timed = measure.measure_pages(data, timed=True, requests=1)
    small = {name: {"queries": result["queries"]} for name, result in timed.items()}
    assert list(timed) == names
    for name, result in timed.items():
        assert "error" not in result, (name, result)
        assert result["median"] > 0 and result["p95"] >= result["median"]
        assert 0 < result["ratio"] == result["bare"] / result["median"]
        assert result["drawn"] > 0 and result["drawn_ratio"] > 0
        assert result["queries"] > 0 and result["kilobytes"] > 0

    lines = []
    report.pages_table(timed, small, lines.append)
    table = "\n".join(lines)
    for name in names:
        line = next(line for line in lines if line.startswith(name + " "))
        # median, p95, ratio, its target, drawn median and ratio, KB, queries on both data sets
        assert re.search(
            r"\d+\.\d \s+\d+\.\d \s+\d\.\d\d \s+≥ 0\.(10|25) \s+\d+\.\d \s+\d\.\d\d "
            r"\s+\d+\.\d \s+\d+ \s+\d+",
            line,
        ), line
    assert "The bare view:" in table

    # Issue 11: the report and record pages with their theme indicators and without, in turns.
    lines = []
    report.theme_indicator_lines(timed, small, lines.append)
    for name in measure.THEME_INDICATOR_PAGES:
        figures = timed[name]["theme_indicators"]
        assert figures["indicators"] == 2  # the population on each of the newest round's themes
        assert figures["added_ms"] == figures["with_median"] - figures["without_median"]
        assert figures["added_queries"] == figures["with_queries"] - figures["without_queries"]
        line = next(line for line in lines if f" to {name} (" in line)
        assert re.search(
            r"^Theme indicators add [+-]\d+\.\d ms to .+ \(\d+\.\d ms with 2 theme indicators, "
            r"\d+\.\d ms without, medians in turns\), \d+ queries with, \d+ without \([+-]\d+\); "
            r"target < 10 ms",
            line,
        ), line
    assert theme_indicator_rows(data.newest_round).count() == 2  # put back afterwards


def test_theme_indicators_over_their_target_are_marked_not_failed():
    figures = {
        "indicators": 6,
        "max_ms": 10,
        "with_queries": 26,
        "without_queries": 24,
        "added_queries": 2,
        "with_median": 240.0,
        "without_median": 228.0,
        "added_ms": 12.0,
    }
    small = {"Record page (draft)": {"theme_indicators": {**figures, "added_queries": 2}}}
    lines = []
    report.theme_indicator_lines(
        {
            "Record page (draft)": {"theme_indicators": figures},
            "Situation report (draft)": {"theme_indicators": {**figures, "added_ms": 3.0}},
        },
        small,
        lines.append,
    )
    record, situation = lines
    assert record.startswith("Theme indicators add +12.0 ms to Record page (draft)")
    assert "(+2; small +2)" in record and record.endswith(report.BELOW)
    assert "+3.0 ms" in situation and report.BELOW not in situation


def test_a_ratio_below_its_target_is_marked_not_failed():
    results = {
        "Home": {
            "median": 40.0,
            "p95": 50.0,
            "bare": 4.0,
            "ratio": 0.1,
            "target": 0.25,
            "kilobytes": 20.0,
            "queries": 8,
            "max_kb": None,
        },
        "Record page (draft)": {
            "median": 20.0,
            "p95": 21.0,
            "bare": 4.0,
            "ratio": 0.2,
            "target": 0.10,
            "kilobytes": 150.0,
            "queries": 20,
            "max_kb": 100,
        },
    }
    lines = []
    report.pages_table(results, {}, lines.append)
    home = next(line for line in lines if line.startswith("Home"))
    record = next(line for line in lines if line.startswith("Record page"))
    assert home.endswith(report.BELOW)
    assert report.BELOW not in record and record.endswith("over 100 KB")


def test_each_autosave_of_the_measurement_is_saved_on_the_version_of_the_last(data):
    page = next(page for page in measure.pages(data) if page.autosave is not None)
    client = measure.signed_in_client(data.ministry)
    send = measure.request_of(client, page)
    before = page.autosave.version
    for _ in range(3):
        assert send().status_code == 200
    page.autosave.refresh_from_db()
    assert page.autosave.version == before + 3
    assert page.autosave.discussion.endswith("Mittaus 3.")
