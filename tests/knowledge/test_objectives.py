"""National objectives (valtakunnalliset tavoitteet) through a round: the catalogue in the
admin, the round's period, each theme's objectives beside it in the report and the record,
copied with the themes, and the round's cross-region view (page and PDF)."""

import datetime

import pytest
from django.urls import NoReverseMatch, reverse

from knowledge.models import Indicator, IndicatorValue, NationalObjective, ObjectivePeriod
from knowledge.templatetags.knowledge_numbers import format_figure
from negotiations import pdf
from negotiations.models import Negotiation, Round, RoundTheme, Theme
from negotiations.services import ensure_record
from tests.factories import county

pytestmark = pytest.mark.django_db
ROUND_2027 = "Hyvinvointialueneuvottelut 2027"
EXAMPLE_MARK = "Esimerkki — ei virallinen sanamuoto"


def round_2027() -> Round:
    return Round.objects.get(name_fi=ROUND_2027)


def objective(title: str) -> NationalObjective:
    return NationalObjective.objects.get(title_fi__startswith=title)


def population() -> Indicator:
    return Indicator.objects.get(sotkanet_id=127)


def pirkanmaa_2027() -> Negotiation:
    return Negotiation.objects.get(round=round_2027(), region=county("08"))


def indicator_link(indicator: Indicator) -> str:
    try:
        return reverse("knowledge:indicator-detail", args=[indicator.pk])
    except NoReverseMatch:  # the indicator pages are another part of the issue
        return ""


def test_the_admin_manages_periods_and_objectives(demo_data, client, superuser):
    client.force_login(superuser)
    period = ObjectivePeriod.objects.get()
    for url in (
        reverse("admin:knowledge_objectiveperiod_changelist"),
        reverse("admin:knowledge_objectiveperiod_change", args=[period.pk]),
        reverse("admin:knowledge_nationalobjective_changelist"),
        reverse("admin:knowledge_nationalobjective_add"),
    ):
        assert client.get(url).status_code == 200, url
    listing = client.get(reverse("admin:knowledge_nationalobjective_changelist"))
    assert "Riittävä ja osaava henkilöstö" in listing.text


def test_the_report_shows_each_themes_objectives_with_the_example_mark_and_indicators(
    demo_data, client, pirkanmaa_preparer
):
    client.force_login(pirkanmaa_preparer)
    url = reverse("negotiations:report-detail", args=[pirkanmaa_2027().pk])
    page = client.get(url).text
    assert "Valtakunnalliset tavoitteet" in page
    assert "Palvelujen yhdenvertainen saatavuus ja riittävä rahoitus" in page
    assert "Pelastustoimen palvelutaso koko alueella" in page
    assert page.count(EXAMPLE_MARK) == 4
    indicator = population()
    link = indicator_link(indicator)
    if link:
        assert f'<a href="{link}">{indicator.name}</a>' in page
    else:
        assert indicator.name in page


def test_the_record_shows_each_themes_objectives(demo_data, client, ministry_user):
    ensure_record(pirkanmaa_2027())
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:record-detail", args=[pirkanmaa_2027().pk])).text
    assert "Riittävä ja osaava henkilöstö" in page
    assert page.count(EXAMPLE_MARK) == 4
    html = pdf.record_html(pirkanmaa_2027().record)
    assert "Riittävä ja osaava henkilöstö" in html
    assert html.count(EXAMPLE_MARK) == 4


def test_the_round_form_names_the_period_the_round_follows(demo_data, client, ministry_user):
    round_ = round_2027()
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:round-edit", args=[round_.pk]))
    assert "Valtakunnallisten tavoitteiden kausi" in page.text
    other = ObjectivePeriod.objects.create(start_year=2028, end_year=2031, name_fi="Kausi 2028")
    data = {
        "name_fi": round_.name_fi,
        "name_sv": round_.name_sv,
        "name_en": round_.name_en,
        "kind": round_.kind,
        "period_start": "2027-02-01",
        "period_end": "2027-03-31",
        "report_deadline": "2027-01-22",
        "lead_ministry": "STM",
        "ministries": ["STM"],
        "objective_period": str(other.pk),
        "allows_region_theme": "on",
        "region_set": "current",
    }
    response = client.post(reverse("negotiations:round-edit", args=[round_.pk]), data)
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.objective_period == other


def test_the_themes_page_chooses_each_themes_objectives(demo_data, client, ministry_user):
    round_ = round_2027()
    round_themes = list(round_.round_themes.order_by("position", "pk"))
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:round-themes", args=[round_.pk]))
    assert "Valtakunnalliset tavoitteet, joita teema käsittelee" in page.text
    assert "(esimerkki — ei virallinen sanamuoto)" in page.text

    prefix = "round_themes"
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(round_themes)),
        f"{prefix}-INITIAL_FORMS": str(len(round_themes)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    both = [objective("Palvelujen"), objective("Riittävä")]
    for index, rt in enumerate(round_themes):
        data |= {
            f"{prefix}-{index}-id": str(rt.pk),
            f"{prefix}-{index}-theme": str(rt.theme_id),
            f"{prefix}-{index}-position": str(rt.position),
            f"{prefix}-{index}-guiding_questions_fi": rt.guiding_questions_fi or "?",
            f"{prefix}-{index}-guiding_questions_sv": rt.guiding_questions_sv or "?",
        }
    data[f"{prefix}-0-objectives"] = [str(o.pk) for o in both]
    response = client.post(reverse("negotiations:round-themes", args=[round_.pk]), data)
    assert response.status_code == 302
    assert set(round_themes[0].objectives.all()) == set(both)
    assert not round_themes[1].objectives.exists()  # nothing ticked: none


def test_copying_an_earlier_round_copies_each_themes_objectives_and_the_period(
    demo_data, client, ministry_user
):
    source = round_2027()
    client.force_login(ministry_user)
    url = reverse("negotiations:round-create") + f"?copy_from={source.pk}"
    form = client.get(url)
    assert f'<option value="{source.objective_period_id}" selected>' in form.text
    data = {
        "name_fi": "Hyvinvointialueneuvottelut 2028",
        "name_sv": "Välfärdsområdesförhandlingarna 2028",
        "kind": Round.Kind.COUNTY_NEGOTIATIONS,
        "period_start": "2028-02-01",
        "period_end": "2028-03-31",
        "lead_ministry": "STM",
        "objective_period": str(source.objective_period_id),
        "region_set": "current",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    copy = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2028")
    assert copy.objective_period_id == source.objective_period_id

    def objectives_of(round_: Round) -> dict:
        return {
            rt.theme.code: sorted(o.pk for o in rt.objectives.all())
            for rt in round_.round_themes.select_related("theme")
        }

    assert objectives_of(copy) == objectives_of(source)
    assert all(objectives_of(copy).values())


# --- the cross-region view ------------------------------------------------------------------


def overview_url(round_: Round) -> str:
    return reverse("negotiations:round-objectives", args=[round_.pk])


def rows_of(page: str, title: str) -> str:
    """The table of one objective on the page."""
    start = page.index(title)
    end = page.find('class="objective-overview"', start)
    return page[start : end if end != -1 else len(page)]


def test_the_dashboard_links_to_the_cross_region_view(demo_data, client, ministry_user):
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:round-detail", args=[round_2027().pk])).text
    assert overview_url(round_2027()) in page
    assert "Valtakunnalliset tavoitteet alueittain" in page


def test_the_cross_region_view_shows_each_regions_newest_values_and_open_recommendations(
    demo_data, client, ministry_user
):
    client.force_login(ministry_user)
    response = client.get(overview_url(round_2027()))
    assert response.status_code == 200
    page = response.text
    assert page.count(EXAMPLE_MARK) == 4

    funding = rows_of(page, "Palvelujen yhdenvertainen saatavuus ja riittävä rahoitus")
    indicator = population()
    pirkanmaa = IndicatorValue.objects.at(county("08")).for_indicator(indicator).newest()
    assert pirkanmaa.year == 2022
    assert f'{format_figure(pirkanmaa.value, indicator)} <span class="year">(2022)</span>' in (
        funding
    )
    assert "532\xa0671" in funding or "532 671" in funding
    assert "Koko maa" in funding
    assert "5\xa0563\xa0970" in funding or "5 563 970" in funding
    # HUS has no population of its own: no invented figure.
    hus_row = funding[funding.index("HUS") :].split("</tr>")[0]
    assert "ei tietoa" in hus_row

    # STM's open recommendation to Pirkanmaa of 2023 is on the personnel theme, which covers
    # the personnel objective in 2027.
    personnel = rows_of(page, "Riittävä ja osaava henkilöstö")
    pirkanmaa_row = personnel[personnel.index(">Pirkanmaa<") :].split("</tr>")[0]
    assert "1 avoin: 1 sovittu" in pirkanmaa_row
    lappi_row = personnel[personnel.index(">Lappi<") :].split("</tr>")[0]
    assert "ei avoimia" in lappi_row
    assert "1 avoin" not in rows_of(page, "Pelastustoimen palvelutaso")


@pytest.mark.parametrize("who", ["own-preparer", "other-preparer"])
def test_the_cross_region_view_is_for_the_ministry(demo_data, client, log_in_as, who):
    log_in_as(who)
    assert client.get(overview_url(round_2027())).status_code == 403
    log_in_as("anonymous")
    assert client.get(overview_url(round_2027())).url.startswith(reverse("login"))


def small_round() -> Round:
    """One region, one objective with one indicator."""
    period = ObjectivePeriod.objects.create(start_year=2030, end_year=2033, name_fi="Kausi")
    objective = NationalObjective.objects.create(period=period, title_fi="Tavoite", order=1)
    objective.indicators.add(population())
    round_ = Round.objects.create(
        name_fi="Pieni",
        name_sv="Liten",
        kind=Round.Kind.COUNTY_NEGOTIATIONS,
        period_start=datetime.date(2030, 2, 1),
        period_end=datetime.date(2030, 3, 1),
        objective_period=period,
    )
    theme = RoundTheme.objects.create(round=round_, theme=Theme.objects.first(), position=1)
    theme.objectives.add(objective)
    Negotiation.objects.create(round=round_, region=county("08"))
    return round_


def test_the_cross_region_view_makes_as_many_queries_for_23_regions_as_for_one(
    demo_data, client, ministry_user, django_assert_num_queries, query_count
):
    client.force_login(ministry_user)
    small = small_round()
    client.get(overview_url(small))  # the session, warmed up
    few = query_count(client, overview_url(small))
    large = round_2027()
    assert large.negotiations.count() == 23
    assert NationalObjective.objects.filter(period=large.objective_period).count() == 4
    with django_assert_num_queries(few):
        assert client.get(overview_url(large)).status_code == 200


def test_the_round_pdf_has_the_cross_region_view(demo_data):
    html = pdf.round_html(round_2027())
    assert "Valtakunnalliset tavoitteet alueittain" in html
    assert html.count(EXAMPLE_MARK) == 4
    assert "1 avoin: 1 sovittu" in rows_of(html, "Riittävä ja osaava henkilöstö")
