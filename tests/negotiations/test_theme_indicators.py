"""Each round theme's indicators (issue 11, "where the knowledge shows"): chosen on the round's
themes page and copied with the round, the region's figures beside the theme in the situation
report, the record, the negotiation page, the public record and the record PDF, in a number
of queries that does not grow with the regions or the years of data. The working pages hold
each theme's summary line; the charts and their tables are the theme's figures page (or its
partial, loaded into the disclosure when it is opened)."""

import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from knowledge.models import RANKED_KINDS, Indicator, IndicatorValue
from negotiations import pdf
from negotiations.documents import theme_figures
from negotiations.models import Negotiation, Record, Round, RoundTheme
from negotiations.services import ensure_record
from regions.models import Region
from tests.factories import county

pytestmark = pytest.mark.django_db

ROUND_2027 = "Hyvinvointialueneuvottelut 2027"
ROUND_2023 = "Hyvinvointialueneuvottelut 2023"
NBSP = "\u00a0"
PIRKANMAA_2022 = f"532{NBSP}671"
LINE_CHART = "Väestö 31.12.: Pirkanmaa ja koko maa 2015–2022"
BAR_CHART = "Väestö 31.12. 2022: hyvinvointialueet ja Helsinki järjestyksessä"
PREFIX = "round_themes"


def round_named(name: str) -> Round:
    return Round.objects.get(name_fi=name)


def population() -> Indicator:
    return Indicator.objects.get(sotkanet_id=127)


def theme_of(round_: Round, code: str) -> RoundTheme:
    return round_.round_themes.get(theme__code=code)


def negotiation_of(round_: Round, code: str = "08") -> Negotiation:
    return Negotiation.objects.get(round=round_, region=county(code))


def section_of(page: str, title: str) -> str:
    """The HTML of one theme's section: from its heading to the next theme's section."""
    start = page.index(title)
    end = page.find('<section class="report-section', start)
    return page[start : end if end != -1 else len(page)]


def themes_data(round_: Round, **indicators) -> dict:
    """The themes form as the browser sends it back, with `indicators` per theme code."""
    round_themes = list(round_.round_themes.select_related("theme").order_by("position", "pk"))
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(round_themes)),
        f"{PREFIX}-INITIAL_FORMS": str(len(round_themes)),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "1000",
    }
    for index, rt in enumerate(round_themes):
        data |= {
            f"{PREFIX}-{index}-id": str(rt.pk),
            f"{PREFIX}-{index}-theme": str(rt.theme_id),
            f"{PREFIX}-{index}-position": str(rt.position),
            f"{PREFIX}-{index}-guiding_questions_fi": rt.guiding_questions_fi or "?",
            f"{PREFIX}-{index}-guiding_questions_sv": rt.guiding_questions_sv or "?",
            f"{PREFIX}-{index}-objectives": [str(o.pk) for o in rt.objectives.all()],
            f"{PREFIX}-{index}-indicators": indicators.get(rt.theme.code, []),
        }
    return data


def themes_url(round_: Round) -> str:
    return reverse("negotiations:round-themes", args=[round_.pk])


# --- choosing and copying -------------------------------------------------------------------


def test_the_themes_page_offers_the_indicators_as_labelled_checkboxes(
    demo_data, client, ministry_user
):
    client.force_login(ministry_user)
    page = client.get(themes_url(round_named(ROUND_2027))).text
    assert "Indikaattorit, joiden luvut näytetään teeman yhteydessä" in page
    assert f'type="checkbox" name="{PREFIX}-0-indicators" value="{population().pk}"' in page
    assert "Väestö 31.12. (Sotkanet 127)" in page


def test_the_ministry_chooses_a_themes_indicators_and_unticking_removes_them(
    demo_data, client, ministry_user
):
    round_ = round_named(ROUND_2027)
    client.force_login(ministry_user)
    data = themes_data(round_, henkilosto=[str(population().pk)])
    response = client.post(themes_url(round_), data)
    assert response.status_code == 302
    assert list(theme_of(round_, "henkilosto").indicators.all()) == [population()]
    # The demo's indicators beside the other themes were not sent back: they are unticked.
    assert not theme_of(round_, "jarjestamisvastuu").indicators.exists()


@pytest.mark.parametrize("bad", [str(10**30), "-1", "abc", "999999"])
def test_a_bad_indicator_id_is_a_form_error_and_nothing_is_saved(
    demo_data, client, ministry_user, bad
):
    round_ = round_named(ROUND_2027)
    before = list(theme_of(round_, "jarjestamisvastuu").indicators.all())
    client.force_login(ministry_user)
    data = themes_data(round_, jarjestamisvastuu=[str(population().pk), bad])
    response = client.post(themes_url(round_), data)
    assert response.status_code == 400
    assert "ei kelpaa. Päivitä sivu ja valitse uudelleen." in response.text
    assert "Indikaattorit, joiden luvut näytetään teeman yhteydessä" in response.text
    assert list(theme_of(round_, "jarjestamisvastuu").indicators.all()) == before


def test_copying_an_earlier_round_copies_each_themes_indicators(demo_data, client, ministry_user):
    source = round_named(ROUND_2027)
    client.force_login(ministry_user)
    url = reverse("negotiations:round-create") + f"?copy_from={source.pk}"
    data = {
        "name_fi": "Hyvinvointialueneuvottelut 2028",
        "name_sv": "Välfärdsområdesförhandlingarna 2028",
        "kind": Round.Kind.COUNTY_NEGOTIATIONS,
        "period_start": "2028-02-01",
        "period_end": "2028-03-31",
        "lead_ministry": "STM",
        "region_set": "current",
    }
    assert client.post(url, data).status_code == 302
    copy = round_named("Hyvinvointialueneuvottelut 2028")

    def indicators_of(round_: Round) -> dict:
        return {
            rt.theme.code: sorted(i.pk for i in rt.indicators.all())
            for rt in round_.round_themes.select_related("theme")
        }

    assert indicators_of(copy) == indicators_of(source)
    assert indicators_of(copy)["jarjestamisvastuu"] == [population().pk]


# --- the figures beside the themes ----------------------------------------------------------


LINK = "Näytä luvut, kuviot ja taulukot"
HTMX = {"HX-Request": "true"}


def figures_url(negotiation: Negotiation, round_theme: RoundTheme) -> str:
    return reverse("negotiations:theme-figures", args=[negotiation.pk, round_theme.pk])


def assert_summary(section: str, negotiation: Negotiation, round_theme: RoundTheme) -> None:
    """The folded figures beside a theme: the summary line and, in the body, the link that
    loads the rest when the disclosure is opened; no charts or tables in the page."""
    assert "Tietopohja: 1 indikaattori" in section
    assert "<details" in section
    assert PIRKANMAA_2022 in section
    url = figures_url(negotiation, round_theme)
    assert f'<a href="{url}">{LINK}' in section
    assert f'data-hx-get="{url}?level=' in section
    assert 'data-hx-trigger="toggle once"' in section
    assert "<svg" not in section
    assert "<table" not in section


def assert_figures(html: str) -> None:
    """The whole block of the population beside a theme of Pirkanmaa."""
    assert PIRKANMAA_2022 in html
    assert "Muutos 2015–2022" in html
    assert "Sisä-Suomi (yhteistyöalue) 2022" in html
    assert f"5{NBSP}563{NBSP}970" in html  # the whole country
    assert "2./22" in html  # the rank among the counties and Helsinki
    assert LINE_CHART in html
    assert BAR_CHART in html
    assert "Kuvion luvut: Pirkanmaa ja koko maa" in html  # each chart's table
    assert "Kuvion luvut 2022" in html
    assert "Lähde: Tilastokeskus; THL Sotkanet, indikaattori 127" in html


def test_the_report_shows_the_summary_of_the_regions_figures_beside_the_themes(
    demo_data, client, pirkanmaa_preparer
):
    client.force_login(pirkanmaa_preparer)
    round_ = round_named(ROUND_2027)
    negotiation = negotiation_of(round_)
    page = client.get(reverse("negotiations:report-detail", args=[negotiation.pk])).text
    for code in ("jarjestamisvastuu", "pelastustoimi"):
        rt = theme_of(round_, code)
        assert_summary(section_of(page, rt.theme.title), negotiation, rt)
    assert "Tietopohja" not in section_of(page, theme_of(round_, "henkilosto").theme.title)


def test_opening_a_themes_figures_loads_both_charts_and_their_tables(
    demo_data, client, pirkanmaa_preparer
):
    client.force_login(pirkanmaa_preparer)
    round_ = round_named(ROUND_2027)
    rt = theme_of(round_, "jarjestamisvastuu")
    response = client.get(figures_url(negotiation_of(round_), rt) + "?level=3", headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text  # the partial only
    assert_figures(response.text)
    assert '<h3 id="k' in response.text and "<h4>Kehitys vuosittain</h4>" in response.text
    assert LINK not in response.text


def test_on_the_negotiation_page_the_loaded_figures_sit_a_heading_level_lower(
    demo_data, client, pirkanmaa_preparer
):
    client.force_login(pirkanmaa_preparer)
    round_ = round_named(ROUND_2027)
    negotiation = negotiation_of(round_)
    rt = theme_of(round_, "jarjestamisvastuu")
    page = client.get(reverse("negotiations:negotiation-detail", args=[negotiation.pk])).text
    assert f'data-hx-get="{figures_url(negotiation, rt)}?level=4"' in page
    response = client.get(figures_url(negotiation, rt) + "?level=4", headers=HTMX)
    assert "<h5>Kehitys vuosittain</h5>" in response.text
    # A level the page never asks for is the default.
    response = client.get(figures_url(negotiation, rt) + "?level=99", headers=HTMX)
    assert "<h4>Kehitys vuosittain</h4>" in response.text


def test_without_javascript_the_link_opens_a_page_of_the_themes_figures(
    demo_data, client, pirkanmaa_preparer
):
    client.force_login(pirkanmaa_preparer)
    round_ = round_named(ROUND_2027)
    rt = theme_of(round_, "jarjestamisvastuu")
    response = client.get(figures_url(negotiation_of(round_), rt))
    assert response.status_code == 200
    assert f"<h1>{rt.theme.title}: tietopohja</h1>" in response.text
    assert 'class="breadcrumbs"' in response.text
    assert_figures(response.text)
    assert "<h2 id=" in response.text and "<h3>Kehitys vuosittain</h3>" in response.text


def test_one_indicator_beside_two_themes_has_ids_of_its_own_in_each(
    demo_data, client, pirkanmaa_preparer
):
    client.force_login(pirkanmaa_preparer)
    round_ = round_named(ROUND_2027)
    negotiation = negotiation_of(round_)
    for rt in (theme_of(round_, "jarjestamisvastuu"), theme_of(round_, "pelastustoimi")):
        html = client.get(figures_url(negotiation, rt), headers=HTMX).text
        assert html.count(f'id="k{population().pk}-r{county("08").pk}-t{rt.pk}-line-title"') == 1


def test_another_regions_figures_are_that_regions(demo_data, client, lappi_preparer):
    client.force_login(lappi_preparer)
    round_ = round_named(ROUND_2027)
    url = figures_url(negotiation_of(round_, "21"), theme_of(round_, "jarjestamisvastuu"))
    html = client.get(url, headers=HTMX).text
    assert f"175{NBSP}795" in html
    assert "Väestö 31.12.: Lappi ja koko maa 2015–2022" in html
    assert "Pohjois-Suomi (yhteistyöalue) 2022" in html


def test_the_record_shows_the_summary_of_the_regions_figures_beside_the_themes(
    demo_data, client, ministry_user
):
    round_ = round_named(ROUND_2027)
    negotiation = negotiation_of(round_)
    ensure_record(negotiation)
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:record-detail", args=[negotiation.pk]))
    assert page.status_code == 200
    rt = theme_of(round_, "jarjestamisvastuu")
    assert_summary(section_of(page.text, rt.theme.title), negotiation, rt)


def test_the_negotiation_page_lists_the_themes_with_the_summary_of_their_figures(
    demo_data, client, pirkanmaa_preparer
):
    round_ = round_named(ROUND_2027)
    negotiation = negotiation_of(round_)
    client.force_login(pirkanmaa_preparer)
    page = client.get(reverse("negotiations:negotiation-detail", args=[negotiation.pk])).text
    themes = page[page.index('id="themes-heading"') :]
    assert "Teemat ja tietopohja" in page
    assert_summary(themes, negotiation, theme_of(round_, "jarjestamisvastuu"))
    assert themes.count("Teemalle ei ole valittu indikaattoreita.") == 2  # the other two themes


def published_2023_with_population() -> Record:
    round_ = round_named(ROUND_2023)
    theme_of(round_, "henkilosto").indicators.add(population())
    return Record.objects.published().get(negotiation=negotiation_of(round_))


def test_the_public_record_shows_the_summary_of_each_themes_indicators(demo_data, client):
    record = published_2023_with_population()
    page = client.get(reverse("negotiations:public-record", args=[record.pk])).text
    section = section_of(page, theme_of(round_named(ROUND_2023), "henkilosto").theme.title)
    assert "Tietopohja" in section
    assert PIRKANMAA_2022 in section
    assert "Sija hyvinvointialueiden ja Helsingin joukossa 2022" in section
    assert "Lähde: Tilastokeskus; THL Sotkanet, indikaattori 127" in section
    assert "<svg" not in section  # the summary only: the charts are for the working pages


def test_the_public_records_figures_come_from_the_cache_until_what_they_show_changes(
    demo_data, client, query_count
):
    record = published_2023_with_population()
    url = reverse("negotiations:public-record", args=[record.pk])
    theme = theme_of(round_named(ROUND_2023), "henkilosto").theme

    def figures(title: str = theme.title_fi, heading: str = "Tietopohja") -> str:
        section = section_of(client.get(url).text, title)
        return section[section.index(heading) :]

    client.get(url)
    cached = query_count(client, url)

    # A value saved (as the admin saves it) is on the page at once: the figures are drawn
    # again (their state for figures_for's cache, the region and the values read), and then
    # come from the cache again.
    value = IndicatorValue.objects.get(indicator=population(), region=county("08"), year=2022)
    value.value = Decimal("532700")
    value.save()
    assert query_count(client, url) == cached + 3
    assert query_count(client, url) == cached
    assert f"532{NBSP}700" in figures()
    # So is a value removed: the newest one left is shown.
    value.delete()
    assert f"532{NBSP}700" not in figures() and "Uusin arvo (2021)" in figures()
    # A renamed indicator, and the other language.
    Indicator.objects.filter(pk=population().pk).update(name_fi="Väkiluku 31.12.")
    assert "<h4>Väkiluku 31.12.</h4>" in figures()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    assert "Senaste värde (2021)" in figures(theme.title_sv, "Kunskapsunderlag")


def test_the_public_record_marks_a_ministry_recommendation(demo_data, client):
    record = published_2023_with_population()
    page = client.get(reverse("negotiations:public-record", args=[record.pk])).text
    section = section_of(page, theme_of(round_named(ROUND_2023), "henkilosto").theme.title)
    assert '<span class="tag tag-recommendation">Toimenpidesuositus</span>' in section
    assert '<span class="nowrap">STM</span>' in section


def test_the_publish_check_shows_the_figures_as_the_public_page_will(
    demo_data, client, ministry_user
):
    round_ = round_named(ROUND_2027)
    record = ensure_record(negotiation_of(round_))
    Record.objects.filter(pk=record.pk).update(status=Record.Status.APPROVED)
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:record-publish", args=[record.pk])).text
    section = section_of(page, theme_of(round_, "jarjestamisvastuu").theme.title)
    assert "Tietopohja" in section
    assert PIRKANMAA_2022 in section


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_record_pdf_has_each_themes_indicator_table(demo_data):
    round_ = round_named(ROUND_2027)
    record = ensure_record(negotiation_of(round_))
    html = pdf.record_html(record)
    assert html.count('class="theme-indicator-table"') == 2
    title = theme_of(round_, "pelastustoimi").theme.title
    assert f"Teeman ”{title}” indikaattorit: Pirkanmaa" in html
    text = pdf_text(pdf.record_pdf(record))
    assert "Tietopohja" in text
    assert "Väestö 31.12." in text
    assert PIRKANMAA_2022 in text or "532 671" in text
    assert "2./22" in text
    assert "THL Sotkanet, indikaattori 127" in text


# --- who sees it ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("own-preparer", 200), ("other-preparer", 404), ("ministry", 200), ("anonymous", 302)],
)
def test_the_pages_with_figures_are_for_the_region_and_the_ministry(
    demo_data, client, log_in_as, who, status
):
    round_ = round_named(ROUND_2027)
    negotiation = negotiation_of(round_)
    record = ensure_record(negotiation)
    Record.objects.filter(pk=record.pk).update(status=Record.Status.COMMENTS)
    log_in_as(who)
    for name in ("report-detail", "record-detail", "negotiation-detail"):
        response = client.get(reverse(f"negotiations:{name}", args=[negotiation.pk]))
        assert response.status_code == status, (name, who)
        if status == 200:
            assert PIRKANMAA_2022 in response.text, name
        else:
            assert PIRKANMAA_2022 not in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("own-preparer", 200), ("other-preparer", 404), ("ministry", 200), ("anonymous", 302)],
)
@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_a_themes_figures_are_for_the_region_and_the_ministry(
    demo_data, client, log_in_as, who, status, htmx
):
    round_ = round_named(ROUND_2027)
    url = figures_url(negotiation_of(round_), theme_of(round_, "jarjestamisvastuu"))
    log_in_as(who)
    response = client.get(url, headers=HTMX if htmx else {})
    assert response.status_code == status
    if status == 302:
        assert response.url.startswith(reverse("login"))
    assert (LINE_CHART in response.text) == (status == 200)


def test_a_round_theme_of_another_round_is_not_found(demo_data, client, ministry_user):
    client.force_login(ministry_user)
    other = theme_of(round_named(ROUND_2023), "henkilosto")
    url = figures_url(negotiation_of(round_named(ROUND_2027)), other)
    assert client.get(url).status_code == 404
    assert client.get(url, headers=HTMX).status_code == 404


def test_a_post_to_a_themes_figures_is_refused(demo_data, client, ministry_user):
    client.force_login(ministry_user)
    round_ = round_named(ROUND_2027)
    url = figures_url(negotiation_of(round_), theme_of(round_, "jarjestamisvastuu"))
    assert client.post(url).status_code == 405


def test_getting_a_themes_figures_writes_nothing(demo_data, client, pirkanmaa_preparer):
    client.force_login(pirkanmaa_preparer)
    round_ = round_named(ROUND_2027)
    url = figures_url(negotiation_of(round_), theme_of(round_, "jarjestamisvastuu"))
    client.get(url)  # the session, warmed up
    for headers in ({}, HTMX):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, headers=headers).status_code == 200
        writes = [
            q["sql"]
            for q in queries
            if not q["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
            and "django_session" not in q["sql"]
        ]
        assert writes == []


@pytest.mark.parametrize(
    ("who", "status"),
    [("own-preparer", 403), ("other-preparer", 403), ("ministry", 200), ("anonymous", 302)],
)
def test_only_the_ministry_chooses_the_indicators(demo_data, client, log_in_as, who, status):
    round_ = round_named(ROUND_2027)
    log_in_as(who)
    assert client.get(themes_url(round_)).status_code == status
    response = client.post(themes_url(round_), themes_data(round_, henkilosto=[population().pk]))
    assert response.status_code == (302 if who == "ministry" else status)
    assert theme_of(round_, "henkilosto").indicators.exists() == (who == "ministry")


def test_the_public_record_is_public(demo_data, client):
    record = published_2023_with_population()
    assert client.get(reverse("negotiations:public-record", args=[record.pk])).status_code == 200


# --- a constant number of queries -----------------------------------------------------------


def make_indicator(sotkanet_id: int) -> Indicator:
    return Indicator.objects.create(
        sotkanet_id=sotkanet_id,
        name_fi=f"Testi-indikaattori {sotkanet_id}",
        unit_fi="%",
        decimals=1,
        direction=Indicator.Direction.LOWER_IS_BETTER,
        producer_fi="THL",
    )


def add_values(indicators, regions, years) -> None:
    rows = [
        IndicatorValue(indicator=i, region=r, year=y, value=Decimal(r.pk % 17 + y % 5))
        for i in indicators
        for r in regions
        for y in years
    ]
    rows += [
        IndicatorValue(indicator=i, whole_country=True, year=y, value=Decimal("10.5"))
        for i in indicators
        for y in years
    ]
    IndicatorValue.objects.bulk_create(rows, ignore_conflicts=True)


def page_urls(negotiation: Negotiation, record: Record) -> list[str]:
    round_theme = negotiation.round.round_themes.order_by("position", "pk")[0]
    return [
        figures_url(negotiation, round_theme),
        reverse("negotiations:report-detail", args=[negotiation.pk]),
        reverse("negotiations:record-detail", args=[negotiation.pk]),
        reverse("negotiations:negotiation-detail", args=[negotiation.pk]),
        reverse("negotiations:public-record", args=[record.pk]),
    ]


def test_the_figures_add_as_many_queries_for_23_regions_and_10_years_as_for_1_and_1(
    demo_data, client, ministry_user, django_assert_num_queries, query_count
):
    round_ = round_named(ROUND_2027)
    negotiation = negotiation_of(round_)
    record = ensure_record(negotiation)
    # Published, so that the public page shows the same record; the other pages do not mind.
    Record.objects.filter(pk=record.pk).update(
        status=Record.Status.PUBLISHED, published_at=timezone.now()
    )
    RoundTheme.indicators.through.objects.filter(roundtheme__round=round_).delete()
    client.force_login(ministry_user)
    urls = page_urls(negotiation, record)
    for url in urls:
        client.get(url)  # the session, warmed up

    def drawn(url: str) -> int:
        """The queries of the page with its figures drawn, not from the cache."""
        cache.clear()
        return query_count(client, url)

    without = {url: drawn(url) for url in urls}

    # Two indicators beside every theme, with the values of one region in one year.
    indicators = [make_indicator(90001), make_indicator(90002)]
    for rt in round_.round_themes.all():
        rt.indicators.add(*indicators)
    add_values(indicators, [county("08")], [2022])
    few = {url: drawn(url) for url in urls}
    public_url = urls[-1]
    for url in urls:
        # The themes' indicators are read either way; the values' state (for the cache of the
        # figures), the region and the values are three more, and the public record reads the
        # state once more for the cache of its figures' HTML.
        expected = 4 if url == public_url else 3
        assert few[url] - without[url] == expected, (url, without[url], few[url])

    # Every county and Helsinki, ten years each.
    regions = list(Region.objects.filter(kind__in=RANKED_KINDS))
    assert len(regions) == 22
    add_values(indicators, regions, range(2013, 2023))
    for url in urls:
        cache.clear()
        with django_assert_num_queries(few[url]):
            response = client.get(url)
        assert "Testi-indikaattori 90001" in response.text


def test_theme_figures_makes_four_queries_for_any_number_of_themes_and_two_from_the_cache(
    demo_data, django_assert_num_queries
):
    """The themes' indicators, the values' state, the region, the values; the same figures
    again (here of every theme, with the same indicators) only the indicators and the state."""
    round_ = round_named(ROUND_2027)
    indicators = [make_indicator(90001), make_indicator(90002)]
    add_values(indicators, list(Region.objects.filter(kind__in=RANKED_KINDS)), range(2013, 2023))
    round_themes = list(round_.round_themes.all())
    for rt in round_themes:
        rt.indicators.set(indicators)
    pirkanmaa = county("08")
    with django_assert_num_queries(4):
        one = theme_figures(round_themes[:1], pirkanmaa)
    round_themes = list(round_.round_themes.all())
    with django_assert_num_queries(2):
        every = theme_figures(round_themes, pirkanmaa)
    assert len(one) == 1 and len(every) == len(round_themes)
    assert all(len(figures) == 2 for figures in every.values())
