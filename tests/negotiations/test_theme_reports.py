"""One theme of a round across every region's submitted situation report, side by side."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from negotiations.models import Negotiation, ReportSection, Round, RoundTheme
from negotiations.models.versioning import SaveOutcome
from negotiations.services import ensure_report
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import add_theme, county, make_preparer, make_round, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


# The rounds here are open for reports, due on 15 January 2027.
OPEN = {"status": Round.Status.OPEN_FOR_REPORTS, "report_deadline": datetime.date(2027, 1, 15)}


def write(negotiation: Negotiation, round_theme: RoundTheme, text: str, *, by, submit: bool):
    """The region writes its answer to one theme and, if asked, submits the report."""
    report = ensure_report(negotiation)
    section = report.sections.get(round_theme=round_theme)
    outcome = section.save_texts(texts={"text": text}, base_version=section.version, by=by)
    assert outcome is SaveOutcome.SAVED
    if submit:
        report.submit(by=by)
    return report


@pytest.fixture
def writer(db):
    return make_user("kirjoittaja")


@pytest.fixture
def round_2027(db) -> Round:
    return make_round(2027, **OPEN)


@pytest.fixture
def personnel(round_2027) -> RoundTheme:
    add_theme(round_2027, "turvallinen-siirtyma", "Turvallinen siirtymä", 1)
    return add_theme(
        round_2027,
        "henkilosto",
        "Henkilöstötilanne",
        2,
        guiding_questions_fi="Miten rekrytointi onnistuu?\nMissä on vajetta?",
    )


def negotiation(round_: Round, region: Region) -> Negotiation:
    return Negotiation.objects.create(round=round_, region=region)


@pytest.fixture
def reports(round_2027, personnel, writer) -> dict[str, Negotiation]:
    """Pirkanmaa and Pohjois-Savo submitted with text, Lappi submitted with nothing on this
    theme, Kainuu a draft, Vantaa–Kerava returned for completion, Helsinki not started."""
    by_name = {
        "Pirkanmaa": negotiation(round_2027, county("08")),  # Sisä-Suomi
        "Pohjois-Savo": negotiation(round_2027, county("13")),  # Itä-Suomi
        "Lappi": negotiation(round_2027, county("21")),  # Pohjois-Suomi
        "Kainuu": negotiation(round_2027, county("20")),  # Pohjois-Suomi
        "Vantaa–Kerava": negotiation(round_2027, county("04")),  # Etelä-Suomi
        "Helsinki": negotiation(round_2027, Region.objects.get(code="90")),  # Etelä-Suomi
    }
    write(by_name["Pirkanmaa"], personnel, "Pirkanmaan henkilöstö riittää.", by=writer, submit=True)
    write(by_name["Pohjois-Savo"], personnel, "Savossa pulaa hoitajista.", by=writer, submit=True)
    write(by_name["Lappi"], personnel, "  \n ", by=writer, submit=True)
    write(by_name["Kainuu"], personnel, "Kainuun luonnosteksti", by=writer, submit=False)
    returned = write(
        by_name["Vantaa–Kerava"], personnel, "Vantaan palautettu teksti", by=writer, submit=True
    )
    returned.return_for_completion(by=writer, comment="Täydennä henkilöstöluvut.")
    return by_name


def page_url(round_theme: RoundTheme, query: str = "", round_pk: int | None = None) -> str:
    args = [round_pk or round_theme.round_id, round_theme.pk]
    return reverse("negotiations:round-theme-reports", args=args) + query


def card_regions(response) -> list[str]:
    return re.findall(r'<h2 id="region-\d+">([^<]+)</h2>', response.text)


@pytest.fixture
def official_client(client, ministry_user):
    client.force_login(ministry_user)
    return client


def test_page_shows_the_theme_its_questions_and_each_submitted_report(
    official_client, personnel, reports
):
    response = official_client.get(page_url(personnel))
    assert response.status_code == 200
    text = response.text
    assert "<h1>Henkilöstötilanne – Hyvinvointialueneuvottelut 2027</h1>" in text
    assert "<li>Miten rekrytointi onnistuu?</li>" in text
    assert "<li>Missä on vajetta?</li>" in text
    assert card_regions(response) == ["Lappi", "Pirkanmaa", "Pohjois-Savo"]
    assert "<p>Pirkanmaan henkilöstö riittää.</p>" in text
    assert "<p>Savossa pulaa hoitajista.</p>" in text
    assert "3 lähetettyä tilannekuvaa" in text
    report_page = reverse("negotiations:report-detail", args=[reports["Pirkanmaa"].pk])
    assert f'<a href="{report_page}">Koko tilannekuva' in text


def test_drafts_and_returned_reports_are_not_shown(official_client, personnel, reports):
    response = official_client.get(page_url(personnel))
    assert "Kainuun luonnosteksti" not in response.text
    assert "Vantaan palautettu teksti" not in response.text
    assert "Ei vielä lähetetty: Helsinki, Kainuu, Vantaa–Kerava" in response.text


def test_text_is_escaped_and_its_paragraphs_kept(official_client, personnel, writer, round_2027):
    text = "Ensimmäinen kappale.\n\nToinen <script>alert(1)</script> kappale,\ntoinen rivi."
    write(negotiation(round_2027, county("08")), personnel, text, by=writer, submit=True)
    response = official_client.get(page_url(personnel))
    assert "<p>Ensimmäinen kappale.</p>" in response.text
    assert (
        "<p>Toinen &lt;script&gt;alert(1)&lt;/script&gt; kappale,<br>toinen rivi.</p>"
        in response.text
    )
    assert "<script>alert(1)" not in response.text


def test_a_submitted_report_without_text_on_the_theme_says_so(official_client, personnel, reports):
    response = official_client.get(page_url(personnel))
    lappi = response.text.split(">Lappi</h2>")[1].split("</article>")[0]
    assert "Alue ei kirjoittanut tähän teemaan." in lappi
    assert response.text.count("Alue ei kirjoittanut tähän teemaan.") == 1


def test_a_theme_added_after_the_report_was_submitted_reads_as_unwritten(
    official_client, personnel, reports
):
    added = add_theme(personnel.round, "pelastustoimi", "Pelastustoimi", 3)
    assert not ReportSection.objects.filter(round_theme=added).exists()
    response = official_client.get(page_url(added))
    assert card_regions(response) == ["Lappi", "Pirkanmaa", "Pohjois-Savo"]
    assert response.text.count("Alue ei kirjoittanut tähän teemaan.") == 3


def test_each_report_shows_when_it_was_submitted_and_whether_late(
    official_client, round_2027, personnel, writer
):
    write(negotiation(round_2027, county("08")), personnel, "Ajoissa.", by=writer, submit=True)
    round_2027.report_deadline = timezone.localdate() - datetime.timedelta(days=1)
    round_2027.save()
    write(negotiation(round_2027, county("21")), personnel, "Myöhässä.", by=writer, submit=True)
    response = official_client.get(page_url(personnel))
    today = timezone.localdate()
    assert response.text.count(f"{today.day}.{today.month}.{today.year}</time>") == 2
    assert response.text.count("myöhässä</span>") == 1
    lappi = response.text.split(">Lappi</h2>")[1].split("</article>")[0]
    assert "myöhässä</span>" in lappi


def test_regions_are_in_name_order_of_the_active_language(official_client, personnel, reports):
    official_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    response = official_client.get(page_url(personnel))
    assert card_regions(response) == ["Birkaland", "Lappland", "Norra Savolax"]


def test_the_round_themes_link_to_each_other(official_client, round_2027, personnel):
    other = round_2027.round_themes.get(theme__code="turvallinen-siirtyma")
    response = official_client.get(page_url(personnel))
    assert f'<a href="{page_url(other)}">Turvallinen siirtymä</a>' in response.text
    assert f'<a href="{page_url(personnel)}" aria-current="page">Henkilöstötilanne</a>' in (
        response.text
    )
    dashboard = reverse("negotiations:round-detail", args=[round_2027.pk])
    assert f'<a href="{dashboard}">Hyvinvointialueneuvottelut 2027</a>' in response.text


def test_filtering_by_cooperation_area_with_the_query_string(official_client, personnel, reports):
    response = official_client.get(page_url(personnel, "?area=pohjois-suomi"))
    assert response.status_code == 200
    assert "<html" in response.text
    assert card_regions(response) == ["Lappi"]
    assert "Ei vielä lähetetty: Kainuu" in response.text
    assert "1 lähetetty tilannekuva" in response.text
    assert '<option value="pohjois-suomi" selected>' in response.text


def test_filtering_with_htmx_returns_only_the_results_partial(official_client, personnel, reports):
    response = official_client.get(page_url(personnel, "?area=sisa-suomi"), **HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "<h1>" not in response.text
    assert response.text.lstrip().startswith('<div id="theme-report-results">')
    assert card_regions(response) == ["Pirkanmaa"]
    assert "Ei vielä lähetetty" not in response.text
    # The count goes out of band into the live region that stays in the page.
    assert (
        '<p id="theme-report-count" data-hx-swap-oob="innerHTML">1 lähetetty tilannekuva</p>'
        in response.text
    )
    assert "HX-Request" in response["Vary"]


def test_an_area_without_submitted_reports_says_so(official_client, personnel, reports):
    response = official_client.get(page_url(personnel, "?area=etela-suomi"))
    assert card_regions(response) == []
    assert "Yksikään alue ei ole vielä lähettänyt tilannekuvaa." in response.text
    assert "Ei vielä lähetetty: Helsinki, Vantaa–Kerava" in response.text
    assert "0 lähetettyä tilannekuvaa" in response.text


def test_a_round_without_regions_says_so(official_client, personnel):
    response = official_client.get(page_url(personnel))
    assert response.status_code == 200
    assert "Kierrokselle ei ole vielä valittu alueita." in response.text


@pytest.mark.parametrize("query", ["?area=xyz", "?area=", "?area=1&area=2&page=x"])
def test_invalid_area_values_show_every_submitted_report(
    official_client, personnel, reports, query
):
    for headers in ({}, HTMX):
        response = official_client.get(page_url(personnel, query), **headers)
        assert response.status_code == 200
        assert card_regions(response) == ["Lappi", "Pirkanmaa", "Pohjois-Savo"]


def test_a_theme_of_another_round_is_not_found(official_client, personnel):
    other_round = make_round(2028, **OPEN)
    other_theme = add_theme(other_round, "henkilosto", "Henkilöstötilanne", 1)
    assert official_client.get(page_url(other_theme, round_pk=personnel.round_id)).status_code == (
        404
    )
    assert official_client.get(page_url(other_theme)).status_code == 200
    missing_round = page_url(personnel, round_pk=personnel.round_id + 1000)
    assert official_client.get(missing_round).status_code == 404


def test_only_ministry_officials_see_the_page(client, personnel, reports, ministry_user):
    url = page_url(personnel)

    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"

    # Pirkanmaa's own preparer: its region is in the round, but reading across regions is not.
    client.force_login(make_preparer("pirkanmaan-valmistelija", county("08")))
    assert client.get(url).status_code == 403
    assert client.get(url, **HTMX).status_code == 403

    client.force_login(make_preparer("satakunnan-valmistelija", county("06")))
    assert client.get(url).status_code == 403

    client.force_login(ministry_user)
    assert client.get(url).status_code == 200
    assert client.get(page_url(personnel, "?area=sisa-suomi"), **HTMX).status_code == 200
    assert client.post(url).status_code == 405


def test_query_count_is_the_same_for_5_and_23_regions(
    client, writer, django_assert_max_num_queries, query_count
):
    client.force_login(make_user("laskija", group=MINISTRY_OFFICIAL))
    current = list(Region.objects.current())
    assert len(current) == 23  # 21 counties, Helsinki and HUS

    def pages(size: int) -> list[tuple[str, dict]]:
        """A round of `size` regions; its theme page, whole and filtered with htmx."""
        round_ = make_round(2027, name=f"Kierros {size}", **OPEN)
        round_theme = add_theme(round_, "henkilosto", "Henkilöstötilanne", 1)
        add_theme(round_, "pelastustoimi", "Pelastustoimi", 2)
        for i, region in enumerate(current[:size]):
            # Every third region keeps a draft, one region has no report at all.
            if i == 1:
                negotiation(round_, region)
                continue
            text = f"Teksti {region.name}"
            write(negotiation(round_, region), round_theme, text, by=writer, submit=i % 3 != 0)
        full = page_url(round_theme)
        assert len(card_regions(client.get(full))) == size - 1 - len(range(0, size, 3))
        return [(full, {}), (page_url(round_theme, "?area=pohjois-suomi"), HTMX)]

    few = [query_count(client, url, **headers) for url, headers in pages(5)]
    large = pages(23)
    for (url, headers), count in zip(large, few, strict=True):
        with django_assert_max_num_queries(count):
            assert client.get(url, **headers).status_code == 200
    assert [query_count(client, url, **headers) for url, headers in large] == few
