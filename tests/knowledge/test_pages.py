"""The knowledge pages: the index, a region's profile and an indicator's table. Indicator
data is public: everyone reads them, and they show nothing of a region but its figures."""

import re

import pytest
from django.urls import reverse

from knowledge.models import Indicator, IndicatorValue
from negotiations.demo import seed_demo
from regions.models import Region
from tests.factories import county, maakunta

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"
VISITORS = ["own-preparer", "other-preparer", "ministry", "anonymous"]


def population() -> Indicator:
    return Indicator.objects.get(sotkanet_id=127)


def profile_url(region: Region) -> str:
    return reverse("knowledge:region-profile", args=[region.pk])


def indicator_url(**query) -> str:
    url = reverse("knowledge:indicator-detail", args=[population().pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def county_names(response) -> list[str]:
    """The counties of the indicator table, in their order."""
    table = response.text.split('class="data-table indicator-table"', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<th scope="row"><a href="/tietopohja/alueet/\d+/">([^<]+)</a>', table)


@pytest.mark.parametrize("who", VISITORS)
def test_everyone_reads_the_knowledge_pages(client, log_in_as, who):
    log_in_as(who)
    for url in (reverse("knowledge:index"), profile_url(county("08")), profile_url(county("21"))):
        response = client.get(url)
        assert response.status_code == 200, url
    response = client.get(indicator_url())
    assert response.status_code == 200
    assert f"532{NBSP}671" in response.text


@pytest.mark.parametrize("who", VISITORS)
def test_a_region_that_does_not_exist_is_404(client, log_in_as, who):
    log_in_as(who)
    assert client.get(reverse("knowledge:region-profile", args=[999_999])).status_code == 404
    assert client.get(reverse("knowledge:indicator-detail", args=[999_999])).status_code == 404


@pytest.mark.parametrize("who", ["other-preparer", "anonymous"])
def test_the_profile_shows_figures_and_nothing_of_the_regions_negotiations(client, log_in_as, who):
    seed_demo()
    log_in_as(who)
    response = client.get(profile_url(county("08")))
    assert response.status_code == 200
    assert "/negotiations/" not in response.text
    assert "/rounds/" not in response.text


def test_the_profile_has_every_year_as_a_column_and_a_sparkline_with_a_text_alternative(client):
    response = client.get(profile_url(county("08")))
    text = response.text
    for year in range(2015, 2023):
        assert f'<th scope="col" class="numeric">{year}</th>' in text
    assert f'<td class="numeric">508{NBSP}448</td>' in text
    assert re.search(
        r'<svg class="sparkline" role="img" aria-label="Kehitys 2015–2022: 508\xa0448 → '
        r'532\xa0671"',
        text,
    )
    assert "Sija hyvinvointialueiden ja Helsingin joukossa 2022" in text
    assert "2./22, suurimmasta pienimpään" in text


def test_a_maakuntas_profile_ranks_it_among_the_maakunnat(client):
    response = client.get(profile_url(maakunta("06")))
    assert "Sija maakuntien joukossa 2022" in response.text
    assert "2./18" in response.text
    assert "Seuraaja:" in response.text  # the Pirkanmaa county


def test_hus_profile_says_why_it_has_no_figures(client):
    hus = Region.objects.get(kind=Region.Kind.JOINT_AUTHORITY, code="HUS")
    response = client.get(profile_url(hus))
    assert response.status_code == 200
    assert "ei ole oma väestöalueensa" in response.text
    assert f'href="{profile_url(county("01"))}"' in response.text


def test_the_profile_query_count_does_not_grow_with_indicators(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9) as one:  # with the figures' state for the cache
        client.get(profile_url(county("08")))
    for n in range(5):
        indicator = Indicator.objects.create(sotkanet_id=9200 + n, name_fi=f"I {n}")
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=indicator, region=region, year=year, value=n)
            for region in Region.objects.current().exclude(code="HUS")
            for year in range(2013, 2023)
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(profile_url(county("08")))
    assert response.text.count('class="indicator-figures"') == 6


def test_the_indicator_page_sorts_by_value_both_ways_and_by_name(client):
    largest_first = county_names(client.get(indicator_url(vuosi=2022)))
    assert largest_first[:2] == ["Helsinki", "Pirkanmaa"]
    assert len(largest_first) == 22
    smallest_first = county_names(client.get(indicator_url(vuosi=2022, jarjestys="arvo-nouseva")))
    assert smallest_first == list(reversed(largest_first))
    by_name = county_names(client.get(indicator_url(vuosi=2022, jarjestys="nimi")))
    assert by_name[0] == "Etelä-Karjala" and by_name[-1] == "Varsinais-Suomi"


def test_the_indicator_page_has_the_cooperation_areas_and_the_whole_country(client):
    response = client.get(indicator_url(vuosi=2015))
    assert "Alueet vuonna 2015" in response.text
    assert f"5{NBSP}487{NBSP}308" in response.text  # the country 2015
    assert "Sisä-Suomi" in response.text and "Koko maa" in response.text
    assert 'aria-sort="descending"' in response.text


@pytest.mark.parametrize("query", [{"vuosi": 2030}, {"vuosi": "kaksi"}, {"vuosi": 10**30}])
def test_a_year_without_figures_is_refused_with_a_message(client, query):
    response = client.get(indicator_url(**query))
    assert response.status_code == 400
    assert "Valitulta vuodelta ei ole tietoja. Valitse vuosi listasta." in response.text
    assert "Alueet vuonna 2022" in response.text  # the newest year instead


def test_an_unknown_order_is_refused_with_a_message(client):
    response = client.get(indicator_url(vuosi=2019, jarjestys="satunnainen"))
    assert response.status_code == 400
    assert "Tällaista järjestystä ei ole." in response.text
    assert "Alueet vuonna 2019" in response.text  # the valid year is kept


def test_the_index_lists_the_indicators_and_regions_and_the_header_links_to_it(client, log_in_as):
    log_in_as("own-preparer")
    response = client.get(reverse("home"))
    assert f'href="{reverse("knowledge:index")}"' in response.text
    response = client.get(reverse("knowledge:index"))
    assert "Väestö 31.12." in response.text and "2015–2022" in response.text
    assert f'href="{profile_url(county("08"))}"' in response.text
    assert f'href="{profile_url(maakunta("01"))}"' in response.text
    assert 'aria-label="Murupolku"' in response.text


@pytest.mark.parametrize("who", ["ministry", "anonymous"])
def test_the_breadcrumbs_of_a_profile_and_an_indicator_pass_through_the_knowledge_base(
    client, log_in_as, who
):
    log_in_as(who)
    index = f'<li><a href="{reverse("knowledge:index")}">Tietopohja</a></li>'
    for url, name in ((profile_url(county("08")), "Pirkanmaa"), (indicator_url(), "Väestö")):
        trail = client.get(url).text.split('aria-label="Murupolku"', 1)[1].split("</nav>", 1)[0]
        assert index in trail
        assert ('href="/"' in trail) == (who != "anonymous")  # Etusivu for the signed-in
        assert f'<span aria-current="page">{name}' in trail


def test_anonymous_visitors_find_the_knowledge_base_in_the_footer(client):
    for url in (reverse("home"), reverse("negotiations:public-records")):
        footer = client.get(url).text.split('<footer class="site-footer">', 1)[1]
        assert f'href="{reverse("knowledge:index")}"' in footer


def test_pages_in_swedish_use_the_swedish_number_format(client, log_in_as):
    log_in_as("ministry")
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    response = client.get(profile_url(county("08")))
    assert response.text.startswith("<!DOCTYPE html>") or "<html" in response.text
    assert 'lang="sv"' in response.text
    assert f"532{NBSP}671" in response.text
    assert "Befolkning 31.12." in response.text
