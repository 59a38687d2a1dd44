"""Situation reports: autosave, conflicts, history, submission and return, who may do what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from negotiations.models import Negotiation, Round, RoundTheme, SituationReport, Theme
from negotiations.models.versioning import SaveOutcome
from negotiations.services import ensure_report
from tests.factories import county, make_preparer

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def round_2027(db) -> Round:
    round_ = Round.objects.create(
        name_fi="Hyvinvointialueneuvottelut 2027",
        name_sv="Välfärdsområdesförhandlingarna 2027",
        kind=Round.Kind.COUNTY_NEGOTIATIONS,
        status=Round.Status.OPEN_FOR_REPORTS,
        period_start=datetime.date(2027, 2, 1),
        period_end=datetime.date(2027, 3, 31),
        report_deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    for position, (code, title) in enumerate(
        [("henkilosto", "Henkilöstötilanne"), ("pelastustoimi", "Pelastustoimi")], start=1
    ):
        theme = Theme.objects.create(
            code=code,
            title_fi=title,
            title_sv=title,
            title_en=title,
            guiding_questions_fi="Mikä on tilanne?\nMitä aiotte tehdä?",
        )
        RoundTheme.objects.create(round=round_, theme=theme, position=position)
    return round_


@pytest.fixture
def negotiation(round_2027) -> Negotiation:
    return Negotiation.objects.create(round=round_2027, region=county("08"))


@pytest.fixture
def report(negotiation) -> SituationReport:
    return ensure_report(negotiation)


def report_url(report: SituationReport) -> str:
    return reverse("negotiations:report-detail", args=[report.negotiation_id])


def save_url(section) -> str:
    return reverse("negotiations:report-section-save", args=[section.report_id, section.pk])


def autosave(client, section, text: str, version: int | str):
    return client.post(
        save_url(section), {f"text-{section.pk}": text, f"version-{section.pk}": version}, **HTMX
    )


# --- the page -------------------------------------------------------------------------------


def test_report_has_a_section_per_theme_with_its_questions(client, pirkanmaa_preparer, report):
    client.force_login(pirkanmaa_preparer)
    response = client.get(report_url(report))
    assert response.status_code == 200
    assert [s.title for s in report.sections.all()] == ["Henkilöstötilanne", "Pelastustoimi"]
    assert "1. Henkilöstötilanne" in response.text
    assert "<li>Mitä aiotte tehdä?</li>" in response.text
    assert "Vastaus: Henkilöstötilanne" in response.text  # the label of the text field
    assert "Alueella ei ole avoimia jatkotoimenpiteitä aiemmilta kierroksilta." in response.text


def test_the_region_specific_theme_gets_a_section_too(client, pirkanmaa_preparer, negotiation):
    negotiation.round.allows_region_theme = True
    negotiation.round.save()
    negotiation.set_region_theme(title="Saaristo", questions="Miten saaret palvellaan?")
    report = ensure_report(negotiation)
    assert [s.title for s in report.sections.all()] == [
        "Henkilöstötilanne",
        "Pelastustoimi",
        "Saaristo",
    ]
    client.force_login(pirkanmaa_preparer)
    assert "Miten saaret palvellaan?" in client.get(report_url(report)).text


def test_a_round_still_being_planned_has_no_report_yet(client, pirkanmaa_preparer, negotiation):
    negotiation.round.status = Round.Status.PLANNING
    negotiation.round.save()
    client.force_login(pirkanmaa_preparer)
    response = client.get(report_url(SituationReport(negotiation=negotiation)))
    assert response.status_code == 200
    assert "on vielä suunnittelussa" in response.text
    assert not SituationReport.objects.exists()


# --- autosave -----------------------------------------------------------------------------------


def test_autosave_stores_the_section_and_says_when(client, pirkanmaa_preparer, report):
    section = report.sections.first()
    client.force_login(pirkanmaa_preparer)
    response = autosave(client, section, "Rivi 1\r\n\r\nRivi 2", 0)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Tallennettu klo" in response.text
    assert f'id="version-{section.pk}"' in response.text and 'value="1"' in response.text
    section.refresh_from_db()
    assert (section.text, section.version, section.updated_by) == (
        "Rivi 1\n\nRivi 2",
        1,
        pirkanmaa_preparer,
    )
    report.refresh_from_db()
    assert report.status == SituationReport.Status.DRAFT


def test_swedish_user_sees_the_save_time_in_swedish(client, pirkanmaa_preparer, report):
    client.force_login(pirkanmaa_preparer)
    client.post(reverse("set_language"), {"language": "sv"})
    response = autosave(client, report.sections.first(), "Text", 0)
    assert "Sparat" in response.text


def test_the_save_button_works_without_javascript(client, pirkanmaa_preparer, report):
    first, second = report.sections.all()
    client.force_login(pirkanmaa_preparer)
    response = client.post(
        report_url(report),
        {
            f"text-{first.pk}": "Ensimmäinen",
            f"version-{first.pk}": "0",
            f"text-{second.pk}": "Toinen",
            f"version-{second.pk}": "0",
        },
    )
    assert response.status_code == 302
    assert [s.text for s in report.sections.all()] == ["Ensimmäinen", "Toinen"]
    single = client.post(
        save_url(first), {f"text-{first.pk}": "Korjattu", f"version-{first.pk}": "1"}
    )
    assert single.status_code == 302
    first.refresh_from_db()
    assert first.text == "Korjattu"


def test_an_unchanged_save_adds_no_version(client, pirkanmaa_preparer, report):
    section = report.sections.first()
    client.force_login(pirkanmaa_preparer)
    autosave(client, section, "Sama", 0)
    autosave(client, section, "Sama", 1)
    assert section.versions.count() == 1


def test_markup_is_stored_as_text_and_escaped_on_output(client, pirkanmaa_preparer, report):
    section = report.sections.first()
    client.force_login(pirkanmaa_preparer)
    autosave(client, section, "<script>alert(1)</script>", 0)
    page = client.get(report_url(report)).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_overlong_text_is_refused_and_kept(client, pirkanmaa_preparer, report):
    section = report.sections.first()
    client.force_login(pirkanmaa_preparer)
    response = client.post(
        save_url(section), {f"text-{section.pk}": "x" * 50_001, f"version-{section.pk}": "0"}
    )
    assert response.status_code == 409
    assert "Teksti on liian pitkä" in response.text
    assert "x" * 50_001 in response.text
    section.refresh_from_db()
    assert section.text == ""


def test_a_garbage_version_never_saves_and_never_fails(client, pirkanmaa_preparer, report):
    section = report.sections.first()
    client.force_login(pirkanmaa_preparer)
    response = autosave(client, section, "Teksti", "abc")
    assert response.status_code == 200
    assert "Tekstiäsi ei tallennettu" in response.text
    section.refresh_from_db()
    assert section.version == 0


# --- no lost updates ---------------------------------------------------------------------------


def test_the_second_of_two_editors_is_refused_and_keeps_their_text(client, report):
    section = report.sections.first()
    first = make_preparer("eka", county("08"))
    second = make_preparer("toka", county("08"))
    client.force_login(first)
    autosave(client, section, "Ensimmäisen teksti", 0)

    client.force_login(second)
    response = autosave(client, section, "Toisen teksti", 0)  # based on the old version
    assert "Tekstiäsi ei tallennettu, koska osiota on muutettu sillä välin." in response.text
    assert "<p>Ensimmäisen teksti</p>" in response.text
    # The form no longer carries a version: further autosaves cannot overwrite either.
    assert f'id="version-{section.pk}" name="version-{section.pk}" value=""' in response.text
    section.refresh_from_db()
    assert (section.text, section.version) == ("Ensimmäisen teksti", 1)

    # Without JavaScript the page comes back with the second editor's own text in the field.
    page = client.post(
        save_url(section), {f"text-{section.pk}": "Toisen teksti", f"version-{section.pk}": "0"}
    )
    assert page.status_code == 409
    assert ">\nToisen teksti</textarea>" in page.text
    assert "<p>Ensimmäisen teksti</p>" in page.text

    merged = client.post(
        save_url(section),
        {f"text-{section.pk}": "Yhdistetty teksti", "merged_version": "1"},
        **HTMX,
    )
    assert "Tallennettu klo" in merged.text
    section.refresh_from_db()
    assert (section.text, section.version) == ("Yhdistetty teksti", 2)


def test_a_save_never_overwrites_a_newer_version(report, pirkanmaa_preparer):
    section = report.sections.first()
    saved, conflict = SaveOutcome.SAVED, SaveOutcome.CONFLICT
    assert section.save_texts(texts={"text": "v1"}, base_version=0, by=pirkanmaa_preparer) is saved
    assert section.save_texts(texts={"text": "v2"}, base_version=1, by=pirkanmaa_preparer) is saved
    old = section.save_texts(texts={"text": "old base"}, base_version=1, by=pirkanmaa_preparer)
    assert old is conflict
    section.refresh_from_db()
    assert (section.text, section.version) == ("v2", 2)


# --- history ------------------------------------------------------------------------------------


def test_every_version_is_kept_with_author_and_time(
    client, report, pirkanmaa_preparer, ministry_user
):
    section = report.sections.first()
    colleague = make_preparer("kollega", county("08"))
    section.save_texts(texts={"text": "Ensimmäinen versio"}, base_version=0, by=pirkanmaa_preparer)
    section.save_texts(texts={"text": "Toinen versio"}, base_version=1, by=colleague)
    assert [(v.version, v.text, v.author) for v in section.versions.all()] == [
        (2, "Toinen versio", colleague),
        (1, "Ensimmäinen versio", pirkanmaa_preparer),
    ]
    url = reverse("negotiations:report-section-history", args=[report.pk, section.pk])
    for user in (pirkanmaa_preparer, ministry_user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert "Versio 2" in response.text and "kollega" in response.text
        assert "Ensimmäinen versio" in response.text


# --- status -------------------------------------------------------------------------------------


def test_preparer_submits_and_can_then_only_read(client, pirkanmaa_preparer, report):
    section = report.sections.first()
    client.force_login(pirkanmaa_preparer)
    autosave(client, section, "Valmis", 0)
    response = client.post(reverse("negotiations:report-submit", args=[report.pk]), follow=True)
    assert "Tilannekuva lähetettiin ministeriölle." in response.text
    report.refresh_from_db()
    assert report.status == SituationReport.Status.SUBMITTED
    assert report.submitted_by == pirkanmaa_preparer and report.submitted_at
    assert not report.is_late
    page = client.get(report_url(report)).text
    assert "<textarea" not in page and "<p>Valmis</p>" in page
    # A late autosave (a tab left open) is told why; the text stays in the field.
    late = autosave(client, section, "Muutos", 1)
    assert late.status_code == 200 and "tilannekuva on jo lähetetty" in late.text
    section.refresh_from_db()
    assert section.text == "Valmis"
    again = client.post(reverse("negotiations:report-submit", args=[report.pk]), follow=True)
    assert "Tilannekuva on jo lähetetty." in again.text


def test_a_report_submitted_after_the_deadline_is_marked_late(client, pirkanmaa_preparer, report):
    round_ = report.negotiation.round
    round_.report_deadline = timezone.localdate() - datetime.timedelta(days=1)
    round_.save()
    client.force_login(pirkanmaa_preparer)
    response = client.post(reverse("negotiations:report-submit", args=[report.pk]), follow=True)
    assert "merkittiin myöhästyneeksi" in response.text
    report.refresh_from_db()
    assert report.status == SituationReport.Status.SUBMITTED and report.is_late


def test_ministry_returns_a_submitted_report_with_a_comment(
    client, ministry_user, pirkanmaa_preparer, report
):
    report.submit(by=pirkanmaa_preparer)
    client.force_login(ministry_user)
    url = reverse("negotiations:report-return", args=[report.pk])
    refused = client.post(url, {"comment": "  "}, follow=True)
    assert "Kerro alueelle, mitä tilannekuvaan pitää täydentää." in refused.text
    report.refresh_from_db()
    assert report.status == SituationReport.Status.SUBMITTED

    client.post(url, {"comment": "Lisätkää henkilöstöluvut."})
    report.refresh_from_db()
    assert report.status == SituationReport.Status.RETURNED
    assert (report.returned_by, report.return_comment) == (
        ministry_user,
        "Lisätkää henkilöstöluvut.",
    )

    client.force_login(pirkanmaa_preparer)
    page = client.get(report_url(report)).text
    assert "Lisätkää henkilöstöluvut." in page and "<textarea" in page
    assert autosave(client, report.sections.first(), "Täydennetty", 0).status_code == 200
    client.post(reverse("negotiations:report-submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == SituationReport.Status.SUBMITTED


def test_refused_transitions(client, ministry_user, pirkanmaa_preparer, report):
    client.force_login(ministry_user)
    draft_return = client.post(
        reverse("negotiations:report-return", args=[report.pk]), {"comment": "?"}, follow=True
    )
    assert "Vain lähetetyn tilannekuvan voi palauttaa" in draft_return.text
    report.refresh_from_db()
    assert report.status == SituationReport.Status.NOT_STARTED

    round_ = report.negotiation.round
    round_.status = Round.Status.CLOSED
    round_.save()
    client.force_login(pirkanmaa_preparer)
    closed = client.post(reverse("negotiations:report-submit", args=[report.pk]), follow=True)
    assert "Kierros ei ota vastaan tilannekuvia." in closed.text
    report.refresh_from_db()
    assert report.status == SituationReport.Status.NOT_STARTED
    assert "<textarea" not in client.get(report_url(report)).text


def test_ministry_reads_every_report_but_never_edits(client, ministry_user, report):
    section = report.sections.first()
    client.force_login(ministry_user)
    page = client.get(report_url(report))
    assert page.status_code == 200 and '<textarea id="text-' not in page.text
    assert autosave(client, section, "Ministeriön teksti", 0).status_code == 403
    assert client.post(report_url(report), {f"text-{section.pk}": "x"}).status_code == 403
    assert client.post(reverse("negotiations:report-submit", args=[report.pk])).status_code == 403
    section.refresh_from_db()
    assert section.text == ""


# --- who may do what ------------------------------------------------------------------------------


def report_urls(report: SituationReport) -> list[tuple[str, str]]:
    section = report.sections.first()
    return [
        ("get", report_url(report)),
        ("post", report_url(report)),
        ("post", save_url(section)),
        ("get", reverse("negotiations:report-section-history", args=[report.pk, section.pk])),
        ("post", reverse("negotiations:report-submit", args=[report.pk])),
        ("post", reverse("negotiations:report-return", args=[report.pk])),
    ]


def test_permission_walk_over_the_report_urls(
    client, report, pirkanmaa_preparer, lappi_preparer, ministry_user
):
    expected = {
        # method, url index: (own preparer, other preparer, ministry)
        0: (200, 404, 200),
        1: (302, 404, 403),
        2: (302, 404, 403),
        3: (200, 404, 200),
        4: (302, 404, 403),
        5: (403, 403, 400),  # the ministry's return without a comment: its form again
    }
    for index, (method, url) in enumerate(report_urls(report)):
        client.logout()
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login")), url
        for user, status in zip(
            (pirkanmaa_preparer, lappi_preparer, ministry_user), expected[index], strict=True
        ):
            client.force_login(user)
            section = report.sections.first()
            data = {f"text-{section.pk}": "", f"version-{section.pk}": "0"}
            response = client.post(url, data) if method == "post" else client.get(url)
            assert response.status_code == status, (user, method, url, response.status_code)


def test_submitting_starts_with_a_check_page_that_changes_nothing(
    client, pirkanmaa_preparer, lappi_preparer, ministry_user, report
):
    first = report.sections.first()
    first.save_texts(texts={"text": "Vastattu"}, base_version=0, by=pirkanmaa_preparer)
    url = reverse("negotiations:report-submit", args=[report.pk])
    client.force_login(pirkanmaa_preparer)
    page = client.get(url)
    assert page.status_code == 200
    assert "1 teema on vielä vastaamatta:" in page.text
    assert "<li>Pelastustoimi</li>" in page.text
    assert "Tilannekuva lukittuu" in page.text
    report.refresh_from_db()
    assert report.status == SituationReport.Status.DRAFT  # the GET sent nothing
    for other in (lappi_preparer, ministry_user):
        client.force_login(other)
        assert client.get(url).status_code in (403, 404)
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login"))
    # Once sent, the check page leads back to the report.
    report.submit(by=pirkanmaa_preparer)
    client.force_login(pirkanmaa_preparer)
    assert client.get(url).status_code == 302
