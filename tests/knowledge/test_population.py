"""The population 31.12. 2015–2022 ships with the project and is in every database."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from knowledge.models import WHOLE_COUNTRY, Indicator, IndicatorValue
from knowledge.places import COOPERATION_AREA_CODES
from regions.models import CooperationArea, Region
from tests.factories import county, maakunta

pytestmark = pytest.mark.django_db

DATA_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "data" / "population_2015_2022.csv"
YEARS = range(2015, 2023)
ALAND = {("HYVINVOINTIALUE", "91"), ("YHTEISTYOALUE", "6"), ("MAAKUNTA", "21")}


def population() -> Indicator:
    return Indicator.objects.get(sotkanet_id=127)


def value_at(place, year: int) -> Decimal:
    return IndicatorValue.objects.for_indicator(population()).at(place).in_year(year).get().value


def file_rows() -> list[dict]:
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        return list(csv.DictReader(data))


def test_the_population_indicator_says_where_its_figures_come_from():
    indicator = population()
    assert indicator.name == "Väestö 31.12."
    assert indicator.producer == "Tilastokeskus"
    assert indicator.licence == "CC BY 4.0"
    assert indicator.source.startswith("Lähde: Tilastokeskus, väestö 31.12. (THL Sotkanet")
    assert indicator.decimals == 0
    assert indicator.direction == Indicator.Direction.NEITHER


def test_pirkanmaa_had_532_671_inhabitants_at_the_end_of_2022():
    assert value_at(county("08"), 2022) == 532_671


def test_the_whole_country_had_5_563_970_inhabitants_at_the_end_of_2022():
    assert value_at(WHOLE_COUNTRY, 2022) == 5_563_970
    assert value_at(WHOLE_COUNTRY, 2015) == 5_487_308


def test_helsinki_and_the_maakunnat_of_2018_have_their_figures():
    assert value_at(Region.objects.get(kind=Region.Kind.CITY, code="90"), 2022) == 664_028
    assert value_at(maakunta("06"), 2022) == 532_671  # the Pirkanmaa maakunta
    assert value_at(maakunta("01"), 2022) == 1_733_033  # Uusimaa


def test_each_cooperation_area_is_the_sum_of_its_counties_every_year():
    values = IndicatorValue.objects.for_indicator(population())
    for area in CooperationArea.objects.all():
        counties = Region.objects.current().in_area(area).exclude(code="HUS")
        for year in YEARS:
            total = sum(v.value for v in values.in_year(year).filter(region__in=counties))
            assert value_at(area, year) == total, (area.code, year)
            assert counties.count() == values.in_year(year).filter(region__in=counties).count()


def test_the_counties_and_helsinki_sum_to_the_whole_country_without_aland():
    values = IndicatorValue.objects.for_indicator(population())
    aland_2022 = 30_359
    assert sum(v.value for v in values.in_year(2022).counties()) == 5_563_970 - aland_2022


def test_hus_has_no_population_of_its_own():
    hus = Region.objects.get(kind=Region.Kind.JOINT_AUTHORITY, code="HUS")
    assert not IndicatorValue.objects.at(hus).exists()


def test_every_row_of_the_file_is_loaded_except_alands():
    rows = file_rows()
    assert len(rows) == 392
    aland = [row for row in rows if (row["level"], row["code"]) in ALAND]
    assert len(aland) == 3 * len(YEARS)  # Åland has no region in the project
    assert IndicatorValue.objects.for_indicator(population()).count() == len(rows) - len(aland)
    for row in rows:
        if (row["level"], row["code"]) in ALAND:
            continue
        stored = IndicatorValue.objects.filter(indicator=population(), year=int(row["year"]))
        if row["level"] == "MAA":
            stored = stored.for_country()
        elif row["level"] == "YHTEISTYOALUE":
            stored = stored.filter(cooperation_area__code=COOPERATION_AREA_CODES[row["code"]])
        else:
            kind = "maakunta" if row["level"] == "MAAKUNTA" else "county"
            kind = "city" if row["code"] == "90" else kind
            stored = stored.filter(region__kind=kind, region__code=row["code"])
        assert stored.get().value == Decimal(row["population"]), row


def test_every_place_has_every_year():
    values = IndicatorValue.objects.for_indicator(population())
    places = (
        Region.objects.current().exclude(code="HUS").count()  # 21 counties and Helsinki
        + Region.objects.filter(kind=Region.Kind.MAAKUNTA).count()  # 18
        + CooperationArea.objects.count()  # 5
        + 1  # the whole country
    )
    assert places == 46
    for year in YEARS:
        assert values.in_year(year).count() == places


def test_the_counties_are_ranked_by_population():
    ranked = IndicatorValue.objects.for_indicator(population()).in_year(2022).ranked_counties()
    assert [(v.region.code, v.rank) for v in ranked[:2]] == [("90", 1), ("08", 2)]
    assert ranked.count() == 22
    assert ranked.filter(region=county("08")).get().rank == 2  # filtered: still among all


def test_the_newest_value_of_a_place():
    values = IndicatorValue.objects.for_indicator(population())
    assert values.at(county("08")).newest().year == 2022
    assert values.at(county("08")).between(2019, 2021).count() == 3
    newest = values.newest_per_place()
    assert newest.count() == 46
    assert {v.year for v in newest} == {2022}
