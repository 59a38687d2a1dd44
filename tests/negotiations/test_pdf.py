"""PDF export of the record and of the round: what the PDF says (extracted from the real PDF
with pypdf), its language, accessibility metadata, the URL fetcher, escaping and who may
download what."""

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from negotiations import pdf
from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    Round,
    RoundTheme,
    SituationReport,
    Theme,
)
from negotiations.services import ensure_record
from regions.models import RegionMembership
from tests.bench.data import add_record_actions, build_data
from tests.bench.measure import measure_pdf, pdf_documents
from tests.factories import county, make_round, negotiate, record_of, report_of
from tests.pages import progress_summary

pytestmark = pytest.mark.django_db


def pdf_round(year: int = 2027) -> Round:
    """The negotiating round the PDFs come from: one theme, and a Swedish name of its own."""
    return make_round(
        year,
        name_sv=f"Förhandlingar med välfärdsområdena {year}",
        status=Round.Status.NEGOTIATING,
        allows_region_theme=True,
        themes=[("henkilosto", "Henkilöstö", "Personalens läge", "henkilosto")],
    )


def make_record(
    ministry_user,
    *,
    region_code: str = "08",
    round_: Round | None = None,
    language: str = "fi",
    status: str = Record.Status.DRAFT,
    text: str = "Hoitoon pääsy on parantunut, jonot lyhenevät.",
) -> Record:
    negotiation = Negotiation.objects.create(
        round=round_ or pdf_round(),
        region=county(region_code),
        date=datetime.date(2027, 2, 15),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        place="Kuopion kaupungintalo",
        chair=ministry_user,
        language=language,
    )
    person = negotiation.add_participant(
        side="region", name="Åsa Öhman", organisation="Österbottens välfärdsområde"
    )
    negotiation.add_participant(side="thl", name="Poissa Oleva", organisation="THL")
    record = ensure_record(negotiation)
    record.set_attendance([person])
    section = record.sections.get(kind="theme")
    section.save_texts(
        texts={"situation": text, "measures": "Työhyvinvointiohjelma käynnistetään."},
        base_version=0,
        by=ministry_user,
    )
    record.sections.filter(kind="closing").update(discussion="Neuvottelu päättyi klo 12.")
    FollowUpAction.objects.create(
        negotiation=negotiation,
        section=section,
        what="Alue selvittää täyttämättömät virat.",
        responsible="region",
        owner="Henkilöstöjohtaja",
        due_date=datetime.date(2027, 9, 30),
        created_by=ministry_user,
    )
    if status != Record.Status.DRAFT:
        record.approve(by=ministry_user)
    if status == Record.Status.PUBLISHED:
        record.publish(by=ministry_user)
    return record


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def record_pdf_url(record: Record) -> str:
    return reverse("negotiations:record-pdf", args=[record.negotiation_id])


def public_pdf_url(record: Record) -> str:
    return reverse("negotiations:public-record-pdf", args=[record.pk])


def test_the_record_pdf_has_the_facts_themes_actions_and_page_numbers(client, ministry_user):
    record = make_record(ministry_user)
    client.force_login(ministry_user)

    response = client.get(record_pdf_url(record))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="neuvottelumuistio-2027-pirkanmaa.pdf"'
    )
    text = pdf_text(response.content)
    for expected in (
        "Sosiaali- ja terveysministeriö",
        "Pirkanmaa",
        "Hyvinvointialueneuvottelut 2027",
        "15.2.2027 9.00–12.00",
        "Kuopion kaupungintalo",
        "Åsa Öhman",
        "Henkilöstö",
        "Tilanne",
        "Hoitoon pääsy on parantunut, jonot lyhenevät.",
        "Kehittämistoimet",
        "Alue selvittää täyttämättömät virat.",
        "Henkilöstöjohtaja",
        "30.9.2027",
        "Neuvottelu päättyi klo 12.",
        "Sivu 1 / ",
    ):
        assert expected in text, expected
    assert "Poissa Oleva" not in text  # invited, not present


def test_a_draft_carries_the_draft_mark_on_every_page(client, ministry_user):
    record = make_record(ministry_user)
    client.force_login(ministry_user)

    reader = PdfReader(io.BytesIO(client.get(record_pdf_url(record)).content))

    assert len(reader.pages) > 1
    assert all("LUONNOS" in page.extract_text() for page in reader.pages)


def test_an_approved_record_has_no_draft_mark(client, ministry_user):
    record = make_record(ministry_user, status=Record.Status.APPROVED)
    client.force_login(ministry_user)

    text = pdf_text(client.get(record_pdf_url(record)).content)

    assert "LUONNOS" not in text
    assert "Hyväksytty:" in text
    assert record.approved_at.astimezone(datetime.UTC).strftime("%Y") in text


def test_a_swedish_negotiation_gets_a_swedish_pdf_whatever_the_users_language(
    client, ministry_user
):
    record = make_record(ministry_user, region_code="17", language="sv")
    client.force_login(ministry_user)

    response = client.get(record_pdf_url(record), HTTP_ACCEPT_LANGUAGE="fi")

    text = pdf_text(response.content)
    for expected in (
        "Social- och hälsovårdsministeriet",
        "Österbotten",
        "Förhandlingar med välfärdsområdena 2027",
        "Personalens läge",
        "Läge",
        "Utvecklingsåtgärder",
        "Uppföljningsåtgärder",
        "Närvarande",
        "UTKAST",
        "Sida 1 / ",
    ):
        assert expected in text, expected
    assert "Sivu 1 / " not in text
    assert "LUONNOS" not in text
    # The file name stays Finnish: the ministry files it.
    assert 'filename="neuvottelumuistio-2027-pohjanmaa.pdf"' in response["Content-Disposition"]
    # The page itself is still in the user's language.
    page = client.get(reverse("negotiations:record-detail", args=[record.negotiation_id]))
    assert "Neuvottelumuistio" in page.content.decode()


def test_the_pdf_is_tagged_pdf_ua_with_title_and_language(client, ministry_user):
    record = make_record(ministry_user, region_code="17", language="sv")
    client.force_login(ministry_user)

    reader = PdfReader(io.BytesIO(client.get(record_pdf_url(record)).content))

    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == (
        "Förhandlingspromemoria: Österbotten – Förhandlingar med välfärdsområdena 2027"
    )
    metadata = root["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in metadata
    fonts = {
        font.get_object()["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("Source-Sans-3" in name for name in fonts), fonts
    descendant = next(iter(reader.pages[0]["/Resources"]["/Font"].values())).get_object()
    descriptor = descendant["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    assert "/FontFile2" in descriptor  # embedded


class RecordingFetcher(pdf.StaticOnlyFetcher):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def fetch(self, url, headers=None):
        self.urls.append(url)
        return super().fetch(url, headers)


def test_markup_typed_into_a_record_is_text_and_fetches_nothing(ministry_user):
    injected = '<img src="file:///etc/passwd"> <script>alert("x")</script> <b>lihava</b>'
    record = make_record(ministry_user, text=injected)
    record = Record.objects.select_related("negotiation__round", "negotiation__region").get(
        pk=record.pk
    )
    fetcher = RecordingFetcher()

    content = pdf.render_pdf(pdf.record_html(record), fetcher=fetcher)

    assert fetcher.urls, "the fonts are fetched through the fetcher"
    assert all(url.startswith("static:fonts/ttf/") for url in fetcher.urls), fetcher.urls
    text = pdf_text(content).replace("\n", " ")
    assert '<img src="file:///etc/passwd">' in text
    assert '<script>alert("x")</script>' in text
    assert "<b>lihava</b>" in text
    assert "root:" not in text


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/font.ttf",
        "https://example.com/style.css",
        "data:text/css,body{}",
        "static:../../../etc/passwd",
        "static:/etc/passwd",
        "static:fonts/ttf/../../../../etc/passwd",
        "static:fonts/missing.ttf",
        "static:css/app.py",
    ],
)
def test_the_fetcher_refuses_everything_but_the_projects_static_files(url):
    with pytest.raises(pdf.FetchRefused):
        pdf.StaticOnlyFetcher().fetch(url)


def test_the_fetcher_serves_the_fonts_from_static():
    response = pdf.StaticOnlyFetcher().fetch("static:fonts/ttf/SourceSans3-Regular.ttf")

    assert isinstance(pdf.StaticOnlyFetcher(), URLFetcher)
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    response.close()


def test_the_public_pdf_is_for_published_records_only(client, ministry_user):
    published = make_record(ministry_user, status=Record.Status.PUBLISHED)
    approved = make_record(
        ministry_user, region_code="21", round_=published.negotiation.round, status="approved"
    )

    response = client.get(public_pdf_url(published))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Alue selvittää täyttämättömät virat." in pdf_text(response.content)
    assert client.get(public_pdf_url(approved)).status_code == 404
    # The record PDF of the logged-in pages needs a login.
    response = client.get(record_pdf_url(published))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("who", "draft", "sent"),
    [
        ("own-preparer", 404, 200),
        ("other-preparer", 404, 404),
        ("ministry", 200, 200),
        ("anonymous", 302, 302),
    ],
)
def test_who_may_download_the_record_pdf(
    log_in_as, client, ministry_user, pirkanmaa_preparer, who, draft, sent
):
    round_ = pdf_round()
    draft_record = make_record(ministry_user, round_=round_)  # Pirkanmaa's
    sent_record = make_record(ministry_user, region_code="17", round_=round_)
    sent_record.send_for_comments(by=ministry_user)
    # The own preparer prepares for both regions: one record is a draft, the other is not.
    RegionMembership.objects.create(user=pirkanmaa_preparer, region=county("17"))
    log_in_as(who)

    assert client.get(record_pdf_url(draft_record)).status_code == draft
    assert client.get(record_pdf_url(sent_record)).status_code == sent


def test_a_negotiation_without_a_record_has_no_pdf(client, ministry_user):
    negotiation = Negotiation.objects.create(round=pdf_round(), region=county("08"))
    client.force_login(ministry_user)

    assert client.get(record_pdf_url(Record(negotiation=negotiation))).status_code == 404


def test_the_record_page_and_the_public_page_link_to_the_pdf(client, ministry_user):
    record = make_record(ministry_user, status=Record.Status.PUBLISHED)
    client.force_login(ministry_user)

    page = client.get(reverse("negotiations:record-detail", args=[record.negotiation_id]))
    public = client.get(reverse("negotiations:public-record", args=[record.pk]))

    assert f'href="{record_pdf_url(record)}"' in page.content.decode()
    assert f'href="{public_pdf_url(record)}"' in public.content.decode()


# --- the round --------------------------------------------------------------------------------


def round_pdf_url(round_: Round, area: str = "") -> str:
    url = reverse("negotiations:round-pdf", args=[round_.pk])
    return f"{url}?area={area}" if area else url


def test_the_round_pdf_has_the_schedule_and_the_agreed_actions_by_theme(client, ministry_user):
    round_ = pdf_round()
    make_record(ministry_user, round_=round_, status=Record.Status.APPROVED)
    draft = make_record(ministry_user, region_code="21", round_=round_)
    draft.sections.get(kind="theme").actions.update(what="Luonnoksen toimenpide.")
    client.force_login(ministry_user)

    response = client.get(round_pdf_url(round_))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="kierros-2027-hyvinvointialueneuvottelut-2027.pdf"'
    )
    text = pdf_text(response.content)
    for expected in (
        "Hyvinvointialueneuvottelut 2027",
        "Aikataulu",
        "Pirkanmaa",
        "Lappi",
        "Kuopion kaupungintalo",
        "Henkilöstö",
        "Alue selvittää täyttämättömät virat.",
        "Sivu 1 / ",
    ):
        assert expected in text, expected
    assert "Luonnoksen toimenpide." not in text  # only approved and published records


def test_the_round_pdf_can_be_limited_to_one_cooperation_area(client, ministry_user):
    round_ = pdf_round()
    make_record(ministry_user, round_=round_, status=Record.Status.APPROVED)  # sisa-suomi
    make_record(ministry_user, region_code="21", round_=round_, status="approved")
    client.force_login(ministry_user)

    response = client.get(round_pdf_url(round_, "sisa-suomi"))

    assert (
        'filename="kierros-2027-hyvinvointialueneuvottelut-2027-sisa-suomi.pdf"'
        in (response["Content-Disposition"])
    )
    text = pdf_text(response.content)
    assert "Pirkanmaa" in text
    assert "Lappi" not in text
    assert client.get(round_pdf_url(round_, "no-such-area")).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [("own-preparer", 403), ("other-preparer", 403), ("ministry", 200), ("anonymous", 302)],
)
def test_the_round_pdf_is_for_the_ministry_only(log_in_as, client, ministry_user, who, status):
    round_ = pdf_round()
    make_record(ministry_user, round_=round_)
    log_in_as(who)

    assert client.get(round_pdf_url(round_)).status_code == status


def test_the_round_pdf_takes_the_same_queries_for_one_region_or_many(
    ministry_user, django_assert_max_num_queries
):
    small = pdf_round(2027)
    make_record(ministry_user, round_=small, status="approved")
    large = pdf_round(2028)
    for code in ("08", "17", "21", "02", "05"):
        make_record(ministry_user, round_=large, region_code=code, status="approved")

    with CaptureQueriesContext(connection) as few:
        pdf.round_html(small)
    with django_assert_max_num_queries(len(few)) as many:
        pdf.round_html(large)
    assert len(many) == len(few)


# --- the negotiation's language -----------------------------------------------------------------


def test_the_ministry_sets_the_negotiations_language(client, ministry_user, pirkanmaa_preparer):
    negotiation = Negotiation.objects.create(round=pdf_round(), region=county("08"))
    url = reverse("negotiations:negotiation-language", args=[negotiation.pk])
    client.force_login(ministry_user)

    page = client.get(reverse("negotiations:negotiation-detail", args=[negotiation.pk]))
    assert 'name="language"' in page.content.decode()
    response = client.post(url, {"language": "sv"})

    assert response.status_code == 302
    negotiation.refresh_from_db()
    assert negotiation.language == "sv"
    assert client.post(url, {"language": "de"}).status_code == 302
    negotiation.refresh_from_db()
    assert negotiation.language == "sv"

    client.force_login(pirkanmaa_preparer)
    assert client.post(url, {"language": "fi"}).status_code == 403
    negotiation.refresh_from_db()
    assert negotiation.language == "sv"


# --- make bench -------------------------------------------------------------------------------


def test_the_benchmarked_pdfs_answer_on_the_built_data():
    data = build_data(rounds=2, regions=2, themes=2, actions=2, words=20)
    add_record_actions(data, 5)
    assert FollowUpAction.objects.filter(negotiation=data.record_negotiation).count() == 5
    client = Client()
    client.force_login(data.ministry)

    for name, url, make_html, _repetitions in pdf_documents(data):
        result = measure_pdf(client, url, make_html, timed=False)
        assert "error" not in result, (name, result)
        assert result["queries"] > 0
        assert "<html" in make_html()


# --- the round: pages, schedule order, cover ----------------------------------------------------


def round_pdf_pages(client, round_: Round) -> list[str]:
    content = client.get(round_pdf_url(round_)).content
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_themes_without_actions_take_a_line_each_not_a_page(client, ministry_user):
    round_ = pdf_round()
    make_record(ministry_user, round_=round_, status=Record.Status.APPROVED)
    client.force_login(ministry_user)
    pages_before = round_pdf_pages(client, round_)

    empty_themes = [f"Tyhjä teema {number}" for number in range(1, 7)]
    for position, title in enumerate(empty_themes, start=2):
        theme = Theme.objects.create(
            code=f"tyhja-{position}", title_fi=title, title_sv=title, title_en=title
        )
        RoundTheme.objects.create(round=round_, theme=theme, position=position)
    pages = round_pdf_pages(client, round_)

    assert len(pages) == len(pages_before)
    text = flat("\n".join(pages))
    for title in empty_themes:
        assert f"{title}: ei sovittuja jatkotoimenpiteitä" in text
    assert "Alue selvittää täyttämättömät virat." in text


def test_the_schedule_is_in_date_order_with_the_unscheduled_regions_last(client, ministry_user):
    round_ = pdf_round()
    for code, date in (
        ("20", None),  # Kainuu, unscheduled, made first
        ("21", datetime.date(2027, 3, 3)),  # Lappi
        ("13", None),  # Pohjois-Savo
        ("08", datetime.date(2027, 2, 16)),  # Pirkanmaa
        ("02", datetime.date(2027, 2, 20)),  # Keski-Uusimaa
    ):
        Negotiation.objects.create(round=round_, region=county(code), date=date)
    client.force_login(ministry_user)

    schedule = flat(round_pdf_pages(client, round_)[1])

    order = ["Pirkanmaa", "Keski-Uusimaa", "Lappi", "Kainuu", "Pohjois-Savo"]
    positions = [schedule.index(f"{region} ") for region in order]
    assert positions == sorted(positions), schedule
    assert "Kainuu ei ilmoitettu" in schedule


def test_the_cover_sums_up_reports_and_records_as_the_dashboard_does(client, ministry_user):
    round_ = pdf_round()
    round_.report_deadline = datetime.date(2027, 1, 15)
    round_.save()
    for code, day in (("08", (2, 16)), ("21", (3, 3)), ("20", None), ("13", None)):
        negotiate(round_, county(code), day)
    report_of(round_, county("21"), ministry_user, status=SituationReport.Status.SUBMITTED)
    report_of(round_, county("08"), ministry_user, status=SituationReport.Status.DRAFT)
    record_of(round_, county("21"), ministry_user, status=Record.Status.COMMENTS)
    record_of(round_, county("08"), ministry_user, status=Record.Status.APPROVED)
    record_of(round_, county("20"), ministry_user, status=Record.Status.PUBLISHED)
    client.force_login(ministry_user)

    on_the_dashboard = progress_summary(
        client.get(reverse("negotiations:round-detail", args=[round_.pk]))
    )
    cover = flat(round_pdf_pages(client, round_)[0])

    assert on_the_dashboard["Tilannekuvat"].startswith("1 / 4 lähetetty")
    assert on_the_dashboard["Muistiot"] == (
        "Luonnos 1 · Alueen kommentoitavana 1 · Hyväksytty 1 · Julkaistu 1"
    )
    for label, figures in on_the_dashboard.items():
        assert f"{label} {figures}" in cover, (label, figures, cover)
