"""The figures beside a theme: the number format of each language, and `figures_for()`
(latest value, changes, the area's and the country's figures, the rank) in a constant
number of queries."""

from decimal import Decimal

import pytest
from django.utils import translation

from knowledge.figures import figures_for, figures_for_regions
from knowledge.models import RANKED_KINDS, Indicator, IndicatorValue
from knowledge.templatetags.knowledge_numbers import (
    format_change,
    format_figure,
    format_number,
    format_percent_change,
)
from regions.models import Region
from tests.factories import county, maakunta

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
MINUS = "\u2212"


def population() -> Indicator:
    return Indicator.objects.get(sotkanet_id=127)


def make_indicator(**fields) -> Indicator:
    defaults = {
        "sotkanet_id": 9001,
        "name_fi": "Testi-indikaattori",
        "unit_fi": "%",
        "decimals": 1,
        "direction": Indicator.Direction.LOWER_IS_BETTER,
        "producer_fi": "THL",
        "licence": "CC BY 4.0",
    }
    return Indicator.objects.create(**(defaults | fields))


def values_for_counties(indicator: Indicator, years, value=lambda region, year: 10) -> None:
    """A value for every county and Helsinki each year, the country and each area too."""
    regions = list(Region.objects.filter(kind__in=RANKED_KINDS))
    rows = [
        IndicatorValue(indicator=indicator, region=r, year=y, value=Decimal(value(r, y)))
        for r in regions
        for y in years
    ]
    rows += [
        IndicatorValue(indicator=indicator, whole_country=True, year=y, value=1) for y in years
    ]
    IndicatorValue.objects.bulk_create(rows)


# --- the number format -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", f"532{NBSP}671"), ("sv", f"532{NBSP}671"), ("en", "532,671")],
)
def test_thousands_are_grouped_as_in_the_language(language, expected):
    with translation.override(language):
        assert format_number(Decimal("532671.000000")) == expected
        assert format_figure(Decimal("532671"), population()) == expected


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", f"12,4{NBSP}%"), ("sv", f"12,4{NBSP}%"), ("en", "12.4%")],
)
def test_a_percentage_has_the_indicators_decimals_and_a_no_break_space_before_the_sign(
    language, expected
):
    indicator = make_indicator()
    with translation.override(language):
        assert format_figure(Decimal("12.4"), indicator) == expected


def test_values_are_rounded_half_up_not_cut_off():
    assert format_number(Decimal("12.45"), 1) == "12,5"
    assert format_number(Decimal("12.449"), 1) == "12,4"
    assert format_number(Decimal("2.5")) == "3"


def test_a_missing_value_says_ei_tietoa_and_never_0():
    indicator = make_indicator()
    assert format_figure(None, indicator) == "ei tietoa"
    assert format_number(None) == "ei tietoa"
    assert format_change(None, indicator) == "ei tietoa"
    assert format_figure(Decimal(0), indicator) == f"0,0{NBSP}%"  # a real zero is a zero


def test_changes_have_a_sign_and_finnish_uses_the_minus_sign():
    indicator = population()
    assert format_change(Decimal("24223"), indicator) == f"+24{NBSP}223"
    assert format_change(Decimal("-1234"), indicator) == f"{MINUS}1{NBSP}234"
    assert format_percent_change(Decimal("4.7641")) == f"+4,8{NBSP}%"
    with translation.override("en"):
        assert format_change(Decimal("-1234"), indicator) == "-1,234"


def test_the_filters_format_in_templates():
    from django.template import Context, Template

    template = Template("{% load knowledge_numbers %}{{ v|figure:i }} · {{ n|number }}")
    text = template.render(Context({"v": Decimal("12.44"), "i": make_indicator(), "n": None}))
    assert text == f"12,4{NBSP}% · ei tietoa"


# --- figures_for -------------------------------------------------------------------------------


def test_pirkanmaas_population_latest_value_changes_area_country_and_rank():
    figures = figures_for(county("08"), [population()]).get(population())
    assert figures.latest.year == 2022 and figures.latest.value == 532_671
    assert figures.first.year == 2015
    assert figures.change_since_first.difference == 532_671 - 508_448
    assert figures.previous.year == 2021
    assert figures.change_since_previous.difference == 532_671 - 527_478
    assert figures.area.code == "sisa-suomi"
    assert figures.area_value.value == 892_982  # Sisä-Suomi 2022
    assert figures.country_value.value == 5_563_970
    assert figures.rank.rank == 2 and len(figures.ranking) == 22  # after Helsinki


def test_a_summary_reads_only_the_regions_own_values(django_assert_num_queries):
    """What the line beside a theme shows, without the 180 rows of every county, area and
    the country that the full figures need."""
    pirkanmaa, indicator = county("08"), population()
    full = figures_for(pirkanmaa, [indicator]).get(indicator)
    with django_assert_num_queries(3):  # the values' state, the region, the values
        summary = figures_for(pirkanmaa, [indicator], own_only=True).get(indicator)
    assert (summary.latest, summary.first, summary.previous) == (
        full.latest,
        full.first,
        full.previous,
    )
    assert summary.change_since_first == full.change_since_first
    assert summary.area_value.value is None and summary.country_value.value is None
    assert summary.ranking == [] and summary.rank is None


def test_the_rank_honours_the_direction_lower_is_better():
    indicator = make_indicator()
    values_for_counties(indicator, [2022], value=lambda region, year: int(region.code))
    figures = figures_for(county("08"), [indicator]).get(indicator)
    # Codes 01..08: Pirkanmaa has the 8th smallest value.
    assert figures.rank.rank == 8
    assert figures.ranking[0].region.code == "01"


def test_equal_values_share_a_rank():
    indicator = make_indicator(direction=Indicator.Direction.HIGHER_IS_BETTER)
    values_for_counties(indicator, [2022])
    assert {
        ranked.rank for ranked in figures_for(county("08"), [indicator]).get(indicator).ranking
    } == {1}


def test_a_missing_year_is_none_and_the_previous_year_says_so():
    indicator = make_indicator()
    values_for_counties(indicator, [2019, 2020, 2022])
    figures = figures_for(county("08"), [indicator], years=range(2019, 2023)).get(indicator)
    assert [p.value for p in figures.region_series] == [10, 10, None, 10]
    assert figures.previous.year == 2021 and figures.previous.value is None
    assert figures.change_since_previous is None


def test_hus_has_no_value_of_its_own_and_points_to_the_regions_it_serves():
    hus = Region.objects.get(kind=Region.Kind.JOINT_AUTHORITY, code="HUS")
    figures = figures_for(hus, [population()]).get(population())
    assert not figures.has_own_values
    assert figures.latest is None and figures.rank is None
    assert [r.code for r in figures.served_regions] == ["01", "02", "03", "04", "90"]
    assert figures.country_value.value == 5_563_970  # the country and the area still show
    assert figures.line_chart is None


def test_a_maakunta_of_2018_is_ranked_among_the_maakunnat():
    figures = figures_for(maakunta("06"), [population()]).get(population())
    assert figures.latest.value == 532_671
    assert len(figures.ranking) == 18
    assert figures.rank.rank == 2  # after Uusimaa
    assert {r.region.kind for r in figures.ranking} == {Region.Kind.MAAKUNTA}


def _indicators(count: int) -> list[Indicator]:
    return [make_indicator(sotkanet_id=9100 + n, name_fi=f"Indikaattori {n}") for n in range(count)]


def test_figures_for_uses_the_same_queries_for_1_or_23_regions(django_assert_num_queries):
    indicators = _indicators(3)
    for indicator in indicators:
        values_for_counties(indicator, range(2013, 2023))
    regions = list(Region.objects.current())
    assert len(regions) == 23
    with django_assert_num_queries(3):
        one = figures_for_regions(regions[:1], indicators)
        _touch(one)
    with django_assert_num_queries(3):
        many = figures_for_regions(regions, indicators)
        _touch(many)
    assert len(many) == 23


def test_figures_for_uses_the_same_queries_for_1_or_10_years(django_assert_num_queries):
    indicators = [*_indicators(2), population()]
    for indicator in indicators[:2]:
        values_for_counties(indicator, range(2013, 2023))
    pirkanmaa = county("08")
    with django_assert_num_queries(3):
        _touch({0: figures_for(pirkanmaa, indicators, years=[2022])})
    with django_assert_num_queries(3):
        _touch({0: figures_for(pirkanmaa, indicators, years=range(2013, 2023))})


def test_figures_for_uses_the_same_queries_for_1_or_10_indicators(django_assert_num_queries):
    indicators = _indicators(10)
    for indicator in indicators:
        values_for_counties(indicator, range(2020, 2023))
    pirkanmaa = county("08")
    with django_assert_num_queries(4):  # the indicators are a queryset here: one more
        _touch({0: figures_for(pirkanmaa, Indicator.objects.filter(pk=indicators[0].pk))})
    with django_assert_num_queries(4):
        _touch({0: figures_for(pirkanmaa, Indicator.objects.all())})


def test_figures_come_from_the_cache_until_a_value_or_an_indicator_changes(
    django_assert_num_queries,
):
    """Three queries the first time (the values' state, the regions, the values), then only
    the state, until a value is saved, added or removed or an indicator changes."""
    indicators = _indicators(2)
    for indicator in indicators:
        values_for_counties(indicator, range(2020, 2023))
    pirkanmaa = county("08")
    with django_assert_num_queries(3):
        first = figures_for(pirkanmaa, indicators).get(indicators[0])
    with django_assert_num_queries(1):
        again = figures_for(pirkanmaa, indicators).get(indicators[0])
    assert again.latest == first.latest and again.rank == first.rank

    value = IndicatorValue.objects.get(indicator=indicators[0], region=pirkanmaa, year=2022)
    value.value = first.latest.value + 1000
    value.save()
    with django_assert_num_queries(3):
        changed = figures_for(pirkanmaa, indicators).get(indicators[0])
    assert changed.latest.value == first.latest.value + 1000
    value.delete()
    assert figures_for(pirkanmaa, indicators).get(indicators[0]).latest.year == 2021
    indicators[0].decimals = 3
    indicators[0].save()
    with django_assert_num_queries(3):
        assert figures_for(pirkanmaa, indicators).get(indicators[0]).indicator.decimals == 3


def _touch(answer: dict) -> None:
    """Everything the partial reads, so that no lazy query hides in it."""
    for region_figures in answer.values():
        for figures in region_figures:
            read = (
                figures.latest,
                figures.area_value,
                figures.country_value,
                figures.rank,
                figures.change_since_first,
                figures.served_regions,
                figures.sparkline,
                figures.line_chart,
                figures.bar_chart,
                figures.region.name,
                figures.area and figures.area.name,
            )
            assert read
