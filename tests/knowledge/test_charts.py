"""The charts beside the figures: server-rendered SVG with a text alternative and the same
figures in a table beside it; a missing year breaks the line; the region is highlighted by a
pattern and its name, not by colour alone."""

import re
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from knowledge import charts
from knowledge.figures import figures_for
from knowledge.models import RANKED_KINDS, Indicator, IndicatorValue
from regions.models import Region
from tests.factories import county

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def population() -> Indicator:
    return Indicator.objects.get(sotkanet_id=127)


def rate_indicator() -> Indicator:
    return Indicator.objects.create(
        sotkanet_id=9002, name_fi="Osuus", unit_fi="%", decimals=1, producer_fi="THL"
    )


def render(figures) -> str:
    return render_to_string("knowledge/_indicator_figures.html", {"figures": figures})


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg class=\"chart-svg.*?</svg>", html, flags=re.S)


def test_each_chart_is_an_image_with_a_title_and_a_description():
    html = render(figures_for(county("08"), [population()]).get(population()))
    found = svgs(html)
    assert len(found) == 2
    for svg in found:
        chart_id = re.search(r'aria-labelledby="([^ ]+)-title \1-desc"', svg).group(1)
        assert 'role="img"' in svg
        assert f'<title id="{chart_id}-title">' in svg
        assert f'<desc id="{chart_id}-desc">' in svg


def test_the_line_chart_of_a_count_is_an_index_and_the_caption_says_so():
    figures = figures_for(county("08"), [population()]).get(population())
    chart = figures.line_chart
    assert chart.indexed and chart.base_year == 2015
    assert "indeksi 2015 = 100" in chart.title
    html = render(figures)
    assert "Kuvio näyttää muutoksen, ei itse arvoja" in html
    assert "Pirkanmaa 2015: 100,0, 2022: 104,8." in html  # 532 671 / 508 448


def test_the_same_figures_are_in_a_table_beside_each_chart():
    html = render(figures_for(county("08"), [population()]).get(population()))
    for chart_id in ("k{}-r{}-line", "k{}-r{}-bars"):
        chart_id = chart_id.format(population().pk, county("08").pk)
        table = html.split(f'id="{chart_id}-caption"', 1)[1]
        # The table follows its chart inside the same chart pair.
        assert table.index(f'aria-labelledby="{chart_id}-table-caption"') < table.index(
            "</div>\n</div>"
        )
    assert f'<td class="numeric">532{NBSP}671</td>' in html
    assert f'<td class="numeric">5{NBSP}563{NBSP}970</td>' in html
    assert '<td class="numeric">104,8</td>' in html  # the index too


def test_a_rate_is_drawn_as_values_on_one_axis():
    indicator = rate_indicator()
    for year, region_value, country_value in [(2021, "12.4", "11.0"), (2022, "13.1", "11.5")]:
        IndicatorValue.objects.create(
            indicator=indicator, region=county("08"), year=year, value=region_value
        )
        IndicatorValue.objects.create(
            indicator=indicator, whole_country=True, year=year, value=country_value
        )
    chart = figures_for(county("08"), [indicator]).get(indicator).line_chart
    assert not chart.indexed
    assert f"Pirkanmaa 2021: 12,4{NBSP}%, 2022: 13,1{NBSP}%." in chart.description


def test_a_missing_year_breaks_the_line_and_is_not_drawn_at_zero():
    indicator = rate_indicator()
    pirkanmaa = county("08")
    for year, value in [(2018, "10"), (2019, "11"), (2021, "12"), (2022, "13")]:
        IndicatorValue.objects.create(indicator=indicator, region=pirkanmaa, year=year, value=value)
        IndicatorValue.objects.create(
            indicator=indicator, whole_country=True, year=year, value=value
        )
    figures = figures_for(pirkanmaa, [indicator], years=range(2018, 2023)).get(indicator)
    region_line = figures.line_chart.lines[0]
    assert len(region_line.paths) == 2  # 2018–2019 and 2021–2022
    assert [m.year for m in region_line.markers] == [2018, 2019, 2021, 2022]
    assert "Ei tietoa vuosilta 2020." in figures.line_chart.description
    html = render(figures)
    assert '<th scope="row">2020</th>\n            <td class="numeric">ei tietoa</td>' in html


def test_a_lone_year_between_gaps_is_a_marker_not_a_line():
    points = [(0.0, 1.0), None, (2.0, 2.0), None, (4.0, 1.0), (5.0, 2.0)]
    assert charts._paths(points) == ["M4.0,1.0 L5.0,2.0"]
    indicator = rate_indicator()
    for year in (2018, 2020, 2022):
        IndicatorValue.objects.create(indicator=indicator, region=county("08"), year=year, value=5)
    spark = figures_for(county("08"), [indicator], years=range(2018, 2023)).get(indicator).sparkline
    assert spark.paths == [] and len(spark.dots) == 3
    assert "välistä puuttuu vuosia" in spark.label


def test_the_bar_chart_sorts_every_county_and_highlights_the_region_with_a_pattern():
    figures = figures_for(county("08"), [population()]).get(population())
    chart = figures.bar_chart
    assert len(chart.bars) == 22
    assert [b.label for b in chart.bars[:2]] == ["Helsinki", "Pirkanmaa"]
    assert [b.label for b in chart.bars if b.highlighted] == ["Pirkanmaa"]
    assert "Pirkanmaa sijalla 2/22" in chart.description
    html = render(figures)
    highlighted = re.search(r'<g class="bar bar-highlighted">.*?</g>', html, flags=re.S).group(0)
    assert f'fill="url(#{chart.id}-hatch)"' in highlighted  # a pattern, not only a colour
    assert "Pirkanmaa" in highlighted
    assert '<tr class="row-highlighted">' in html and "korostettu" in html
    assert "Korostettu raidoituksella ja lihavoidulla nimellä: Pirkanmaa" in html


def test_hus_shows_a_dash_with_the_reason_and_highlights_the_regions_it_serves():
    hus = Region.objects.get(kind=Region.Kind.JOINT_AUTHORITY, code="HUS")
    figures = figures_for(hus, [population()]).get(population())
    html = render(figures)
    assert '<span aria-hidden="true">—</span>' in html
    assert "ei ole oma väestöalueensa" in html
    assert figures.line_chart is None
    assert {b.label for b in figures.bar_chart.bars if b.highlighted} == {
        "Itä-Uusimaa",
        "Keski-Uusimaa",
        "Länsi-Uusimaa",
        "Vantaa–Kerava",
        "Helsinki",
    }


def test_the_source_line_goes_with_every_figure():
    html = render(figures_for(county("08"), [population()]).get(population()))
    assert "Lähde: Tilastokeskus; THL Sotkanet, indikaattori 127; lisenssi CC BY 4.0." in html


def test_svg_coordinates_use_a_decimal_point_in_finnish():
    html = render(figures_for(county("08"), [population()]).get(population()))
    for svg in svgs(html):
        for value in re.findall(r' (?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"', svg):
            assert re.fullmatch(r"-?\d+(\.\d+)?", value), value
        for path in re.findall(r' d="([^"]*)"', svg):
            assert re.fullmatch(r"M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)*", path), path


def test_no_chart_without_values():
    indicator = rate_indicator()
    figures = figures_for(county("08"), [indicator]).get(indicator)
    assert figures.line_chart is None and figures.bar_chart is None
    html = render(figures)
    assert "<svg" not in html
    assert "ei tietoa" in html


def test_rank_ties_follow_the_counties_ranking_of_the_database():
    indicator = rate_indicator()
    regions = Region.objects.filter(kind__in=RANKED_KINDS)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, region=r, year=2022, value=Decimal(int(r.code) % 5))
        for r in regions
    )
    ours = {
        r.region.pk: r.rank for r in figures_for(county("08"), [indicator]).get(indicator).ranking
    }
    theirs = {
        v.region_id: v.rank
        for v in IndicatorValue.objects.for_indicator(indicator).ranked_counties()
    }
    assert ours == theirs
