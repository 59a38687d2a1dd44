"""The ministries' recommendations (toimenpidesuositukset): given in a record, they come back
to the region's next situation report through region succession, the region's preparer
writes its response (vastine) there, the ministry reads it in the report and the next record,
the tracker filters them by kind, and the record PDF lists them in a table of their own."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from negotiations import pdf
from negotiations.forms.actions import FollowUpActionForm
from negotiations.models import FollowUpAction, Negotiation, Record, RecordSection
from negotiations.models.actions import RecommendationResponse
from negotiations.services import ensure_record
from tests.factories import county

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
ROUND_2023 = "Hyvinvointialueneuvottelut 2023"
ROUND_2027 = "Hyvinvointialueneuvottelut 2027"


def negotiation(round_name: str, code: str) -> Negotiation:
    return Negotiation.objects.select_related("round", "region").get(
        round__name_fi=round_name, region=county(code)
    )


def recommendation_2023() -> FollowUpAction:
    """The demo's open recommendation of STM in Pirkanmaa's published 2023 record."""
    return FollowUpAction.objects.recommendations().get(negotiation=negotiation(ROUND_2023, "08"))


def report_2027(code: str = "08"):
    return negotiation(ROUND_2027, code).report


def response_url(report, action) -> str:
    return reverse("negotiations:report-response", args=[report.pk, action.pk])


def report_url(code: str = "08") -> str:
    return reverse("negotiations:report-detail", args=[negotiation(ROUND_2027, code).pk])


def carried_url(code: str = "08") -> str:
    """The report's list of the actions carried over to it (folded in the report)."""
    pk = negotiation(ROUND_2027, code).pk
    return reverse("negotiations:report-carried-actions", args=[pk])


def record_carried_url(code: str = "08") -> str:
    return reverse("negotiations:carried-actions", args=[negotiation(ROUND_2027, code).pk])


def test_a_recommendation_of_pirkanmaas_2023_record_comes_back_to_its_2027_report(
    demo_data, client, pirkanmaa_preparer
):
    recommendation = recommendation_2023()
    assert recommendation.negotiation.record.status == Record.Status.PUBLISHED
    carried = FollowUpAction.objects.carried_over_to(negotiation(ROUND_2027, "08"))
    assert recommendation in carried
    # The same carry-over as an agreed action: Lappi's report does not get it.
    assert recommendation not in FollowUpAction.objects.carried_over_to(
        negotiation(ROUND_2027, "21")
    )

    client.force_login(pirkanmaa_preparer)
    assert f'data-hx-get="{carried_url()}"' in client.get(report_url()).text
    response = client.get(carried_url())
    assert response.status_code == 200
    assert "Toimenpidesuositus" in response.text
    assert "Vastine ministeriön suositukseen" in response.text
    assert response_url(report_2027(), recommendation) in response.text


def test_pirkanmaas_preparer_writes_the_response_in_the_2027_report(
    demo_data, client, pirkanmaa_preparer
):
    recommendation, report = recommendation_2023(), report_2027()
    client.force_login(pirkanmaa_preparer)
    response = client.post(
        response_url(report, recommendation), {"text": "Suunnitelma hyväksyttiin kesäkuussa."}
    )
    assert response.status_code == 302
    assert response.url == f"{carried_url()}#action-{recommendation.pk}"
    saved = RecommendationResponse.objects.get(action=recommendation, report=report)
    assert saved.text == "Suunnitelma hyväksyttiin kesäkuussa."
    assert saved.updated_by == pirkanmaa_preparer

    # Written again, the same response changes: one per recommendation and report.
    response = client.post(
        response_url(report, recommendation), {"text": "Suunnitelma on toimeenpantu."}, headers=HTMX
    )
    assert response.status_code == 200
    assert f'id="action-response-{recommendation.pk}"' in response.text
    assert "Vastine tallennettiin." in response.text
    assert "Suunnitelma on toimeenpantu." in response.text
    assert RecommendationResponse.objects.get().text == "Suunnitelma on toimeenpantu."


@pytest.mark.parametrize(
    ("level", "heading"), [("3", "h3"), ("4", "h4"), ("", "h4"), ("2", "h4"), ("<h1>", "h4")]
)
def test_the_saved_response_keeps_the_heading_level_of_where_it_was_written(
    demo_data, client, pirkanmaa_preparer, level, heading
):
    """On the carried actions' own page the response is under an h2 (h3); in the report's
    disclosure under an h3 (h4): the form sends its level with the htmx post."""
    recommendation, report = recommendation_2023(), report_2027()
    client.force_login(pirkanmaa_preparer)
    page = client.get(carried_url()).text
    assert """data-hx-vals='{"level": "3"}'""" in page
    assert '<h3 class="action-response-heading">' in page
    inline = client.get(carried_url(), headers=HTMX).text  # what the report's disclosure loads
    assert """data-hx-vals='{"level": "4"}'""" in inline
    response = client.post(
        response_url(report, recommendation), {"text": "Vastine", "level": level}, headers=HTMX
    )
    assert response.status_code == 200
    assert f'<{heading} class="action-response-heading">' in response.text


def test_an_empty_response_is_refused_at_the_field(demo_data, client, pirkanmaa_preparer):
    client.force_login(pirkanmaa_preparer)
    response = client.post(response_url(report_2027(), recommendation_2023()), {"text": " "})
    assert response.status_code == 400
    assert "Kirjoita vastine toimenpidesuositukseen." in response.text
    assert not RecommendationResponse.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("other-preparer", 404), ("ministry", 403), ("anonymous", 302)]
)
def test_only_the_regions_own_preparer_writes_the_response(
    demo_data, client, log_in_as, who, status
):
    log_in_as(who)
    url = response_url(report_2027(), recommendation_2023())
    response = client.post(url, {"text": "Ei kuulu minulle."})
    assert response.status_code == status
    if who == "anonymous":
        assert response.url.startswith(reverse("login"))
    assert not RecommendationResponse.objects.exists()


def test_another_regions_report_cannot_answer_pirkanmaas_recommendation(
    demo_data, client, lappi_preparer
):
    """Lappi's preparer, in Lappi's own report: the recommendation does not come back there."""
    client.force_login(lappi_preparer)
    report = report_2027("21")
    report.status = report.Status.DRAFT
    report.save(update_fields=["status"])
    response = client.post(response_url(report, recommendation_2023()), {"text": "Vastine"})
    assert response.status_code == 404


def test_the_ministry_reads_the_response_in_the_report_and_the_next_record(
    demo_data, client, pirkanmaa_preparer, ministry_user
):
    recommendation, report = recommendation_2023(), report_2027()
    recommendation.respond(
        report=report, text="Henkilöstösuunnitelma valmistui.", by=pirkanmaa_preparer
    )

    client.force_login(ministry_user)
    page = client.get(carried_url())
    assert page.status_code == 200
    assert "Henkilöstösuunnitelma valmistui." in page.text
    assert "Vastine ministeriön suositukseen" not in page.text  # read only, no form

    record = ensure_record(report.negotiation)
    assert record.negotiation_id == negotiation(ROUND_2027, "08").pk
    page = client.get(record_carried_url(), headers=HTMX)  # the record's folded table
    assert page.status_code == 200
    assert "Henkilöstösuunnitelma valmistui." in page.text
    # And on the recommendation's own page.
    page = client.get(reverse("negotiations:action-edit", args=[recommendation.pk]))
    assert "Alueen vastineet" in page.text
    assert "Henkilöstösuunnitelma valmistui." in page.text


def test_the_response_is_refused_once_the_report_is_submitted_and_the_text_is_kept(
    demo_data, client, pirkanmaa_preparer
):
    recommendation, report = recommendation_2023(), report_2027()
    client.force_login(pirkanmaa_preparer)
    page = client.get(carried_url())  # the preparer opens the list with the form
    assert "Vastine ministeriön suositukseen" in page.text
    report.submit(by=pirkanmaa_preparer)

    text = "Kirjoitettu ennen kuin toinen valmistelija lähetti tilannekuvan."
    response = client.post(response_url(report, recommendation), {"text": text})
    assert response.status_code == 409
    assert text in response.text
    assert "Tilannekuva on jo lähetetty" in response.text
    assert not RecommendationResponse.objects.exists()

    response = client.post(response_url(report, recommendation), {"text": text}, headers=HTMX)
    assert response.status_code == 200
    assert text in response.text
    assert "Vastinetta ei tallennettu." in response.text
    assert not RecommendationResponse.objects.exists()


def test_the_tracker_filters_by_kind_and_shows_the_status(demo_data, client, ministry_user):
    recommendation = recommendation_2023()
    client.force_login(ministry_user)
    response = client.get(reverse("negotiations:action-tracker"), {"kind": "recommendation"})
    assert response.status_code == 200
    assert f'id="action-{recommendation.pk}"' in response.text
    assert "1 jatkotoimenpide" in response.text
    row = response.text.split(f'id="action-{recommendation.pk}"', 1)[1].split("</tr>", 1)[0]
    # The kind under the action itself: no column of its own, so the table fits a laptop.
    assert "Toimenpidesuositus</span> <span" in row and "STM" in row
    assert "Sovittu" in row
    agreed = client.get(reverse("negotiations:action-tracker"), {"kind": "agreed"})
    assert f'id="action-{recommendation.pk}"' not in agreed.text
    assert "3 jatkotoimenpidettä" in agreed.text


def test_the_csv_has_the_kind_the_ministry_and_the_response(
    demo_data, client, ministry_user, pirkanmaa_preparer
):
    recommendation = recommendation_2023()
    recommendation.respond(report=report_2027(), text="Vastattu.", by=pirkanmaa_preparer)
    client.force_login(ministry_user)
    response = client.get(reverse("negotiations:action-export"), {"kind": "recommendation"})
    rows = [line.split(";") for line in response.content.decode("utf-8")[1:].splitlines()]
    assert rows[0][-3:] == ["Laji", "Antava ministeriö", "Alueen vastine"]
    assert len(rows) == 2
    assert rows[1][-3:] == [
        "toimenpidesuositus",
        "sosiaali- ja terveysministeriö (STM)",
        "Vastattu.",
    ]


# --- the action form ------------------------------------------------------------------------


def lappi_section() -> RecordSection:
    record = negotiation(ROUND_2023, "21").record
    return record.sections.filter(kind=RecordSection.Kind.THEME).order_by("order")[0]


def action_form(**data) -> FollowUpActionForm:
    fields = {"what": "Selvitetään.", "responsible": "region"} | data
    return FollowUpActionForm(fields, section=lappi_section())


def test_a_recommendation_needs_its_ministry(demo_data):
    form = action_form(kind="recommendation", ministry="")
    assert not form.is_valid()
    assert form.errors["ministry"] == ["Valitse ministeriö, joka antaa toimenpidesuosituksen."]


def test_an_agreed_action_has_no_ministry(demo_data):
    form = action_form(kind="agreed", ministry="SM")
    assert not form.is_valid()
    assert "Yhdessä sovitulla jatkotoimenpiteellä ei ole antavaa ministeriötä" in str(
        form.errors["ministry"]
    )


def test_a_new_action_is_an_agreed_one_unless_told_otherwise(demo_data):
    form = action_form()
    assert form.is_valid(), form.errors
    assert form.cleaned_data["kind"] == "agreed"
    assert form.cleaned_data["ministry"] == ""


def test_the_ministry_adds_a_recommendation_in_a_record(demo_data, client, ministry_user):
    section = lappi_section()
    client.force_login(ministry_user)
    url = reverse("negotiations:action-add", args=[section.record_id, section.pk])
    data = {"what": "SM suosittaa valmiusaikojen seurantaa.", "responsible": "region"}
    refused = client.post(url, data | {"kind": "recommendation"})
    assert refused.status_code == 400
    assert "Valitse ministeriö, joka antaa toimenpidesuosituksen." in refused.text
    assert "SM suosittaa valmiusaikojen seurantaa." in refused.text

    response = client.post(url, data | {"kind": "recommendation", "ministry": "SM"})
    assert response.status_code == 302
    action = FollowUpAction.objects.get(what=data["what"])
    assert (action.kind, action.ministry) == ("recommendation", "SM")
    page = client.get(reverse("negotiations:record-detail", args=[section.record.negotiation_id]))
    assert "Toimenpidesuositus" in page.text


# --- the record PDF ---------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_record_pdf_lists_recommendations_in_their_own_table(demo_data):
    record = negotiation(ROUND_2023, "08").record
    html = pdf.record_html(record)
    assert html.count('class="recommendation-table"') == 1
    text = " ".join(pdf_text(pdf.record_pdf(record)).split())  # table cells wrap their lines
    assert "Ministeriöiden toimenpidesuositukset" in text
    assert "Toimenpidesuositukset: Henkilöstötilanne" in text
    assert "Sosiaali- ja terveysministeriö (STM)" in text
    assert "henkilöstön saatavuuden" in text
    assert "Pirkanmaan hyvinvointialue, henkilöstöjohtaja" in text
    assert "30.6.2026" in text
    # The agreed actions are in their own tables, without the recommendation.
    agreed_tables = html.split('class="recommendation-table"')[0]
    assert "Jatkotoimenpiteet: Henkilöstötilanne" in agreed_tables
    assert (
        "Ministeriö suosittaa"
        not in html.split("Jatkotoimenpiteet: Henkilöstötilanne")[1].split(
            "Toimenpidesuositukset: Henkilöstötilanne"
        )[0]
    )
