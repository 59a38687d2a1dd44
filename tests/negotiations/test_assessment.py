"""THL's assessment of a region for a round: a ministry official links it or attaches the PDF,
both sides read it on the negotiation page and the report."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse

from negotiations.forms.attachments import AssessmentForm
from negotiations.models import Assessment, Negotiation, Round
from negotiations.services import ensure_report
from tests.factories import EXE_BYTES, PDF_BYTES, county, docx_bytes, make_round, negotiation_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

THL_URL = "https://www.julkari.fi/handle/10024/146338"


@pytest.fixture
def pirkanmaa(db) -> Negotiation:
    round_ = make_round(
        status=Round.Status.OPEN_FOR_REPORTS, regions=map(county, ("08", "20", "21"))
    )
    return negotiation_of(round_, "08")


def save_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:assessment-save", args=[negotiation.pk])


def file_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:assessment-file", args=[negotiation.pk])


def detail_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:negotiation-detail", args=[negotiation.pk])


def pdf(name: str = "THL-arvio.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def save(client, negotiation: Negotiation, **data):
    return client.post(save_url(negotiation), {"title": "", "url": "", **data})


# --- Saving ---


def test_ministry_official_links_the_assessment(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = save(client, pirkanmaa, title="Pirkanmaan arvio 2027", url=THL_URL)
    assert response.status_code == 302
    assert response.url == detail_url(pirkanmaa) + "#assessment"
    assert message_texts(response) == ["THL:n arvio tallennettiin."]
    assessment = pirkanmaa.assessment
    assert (assessment.title, assessment.url, assessment.file.name) == (
        "Pirkanmaan arvio 2027",
        THL_URL,
        "",
    )
    assert assessment.added_by == ministry_user


def test_ministry_official_attaches_the_pdf_under_a_generated_name(
    client, ministry_user, pirkanmaa, media_root
):
    client.force_login(ministry_user)
    response = save(client, pirkanmaa, file=pdf("Pirkanmaa THL 2027.pdf"))
    assert response.status_code == 302
    assessment = Assessment.objects.get(negotiation=pirkanmaa)
    assert assessment.original_name == "Pirkanmaa THL 2027.pdf"
    assert assessment.file.name.startswith(f"assessments/{pirkanmaa.pk}/")
    assert "Pirkanmaa" not in assessment.file.name
    assert (media_root / assessment.file.name).read_bytes() == PDF_BYTES


def test_saving_the_link_later_keeps_the_pdf(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    save(client, pirkanmaa, file=pdf())
    stored = Assessment.objects.get(negotiation=pirkanmaa).file.name
    save(client, pirkanmaa, title="Arvio", url=THL_URL)
    assessment = Assessment.objects.get(negotiation=pirkanmaa)
    assert (assessment.file.name, assessment.url, assessment.original_name) == (
        stored,
        THL_URL,
        "THL-arvio.pdf",
    )


def test_a_new_pdf_replaces_the_old_one_in_storage(client, ministry_user, pirkanmaa, media_root):
    client.force_login(ministry_user)
    save(client, pirkanmaa, file=pdf("vanha.pdf"))
    old = media_root / Assessment.objects.get(negotiation=pirkanmaa).file.name
    save(client, pirkanmaa, file=pdf("uusi.pdf", PDF_BYTES + b"% uusi\n"))
    assessment = Assessment.objects.get(negotiation=pirkanmaa)
    assert assessment.original_name == "uusi.pdf"
    assert not old.exists()
    assert (media_root / assessment.file.name).read_bytes().endswith(b"% uusi\n")


def test_the_pdf_can_be_removed_when_a_link_remains(client, ministry_user, pirkanmaa, media_root):
    client.force_login(ministry_user)
    save(client, pirkanmaa, url=THL_URL, file=pdf())
    stored = media_root / Assessment.objects.get(negotiation=pirkanmaa).file.name
    response = save(client, pirkanmaa, url=THL_URL, remove_file="on")
    assert message_texts(response)[-1] == "THL:n arvio tallennettiin."
    assessment = Assessment.objects.get(negotiation=pirkanmaa)
    assert (assessment.file.name, assessment.original_name) == ("", "")
    assert not stored.exists()


def test_removing_the_only_pdf_without_a_link_is_refused(
    client, ministry_user, pirkanmaa, media_root
):
    client.force_login(ministry_user)
    save(client, pirkanmaa, file=pdf())
    stored = media_root / Assessment.objects.get(negotiation=pirkanmaa).file.name
    response = save(client, pirkanmaa, remove_file="on")
    assert message_texts(response)[-1] == (
        "THL:n arviota ei tallennettu: Anna linkki THL:n arvioon tai lisää arvio PDF-tiedostona."
    )
    assert stored.exists()
    assert Assessment.objects.get(negotiation=pirkanmaa).file.name


def test_neither_link_nor_file_is_refused(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = save(client, pirkanmaa, title="Pelkkä otsikko")
    assert response.status_code == 400
    assert (
        "THL:n arviota ei tallennettu: Anna linkki THL:n arvioon tai lisää arvio PDF-tiedostona."
        in response.text
    )
    assert 'value="Pelkkä otsikko"' in response.text  # the official's input is kept
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("upload", "reason"),
    [
        (pdf("arvio.docx", docx_bytes()), "Tiedoston sisältö ei vastaa sallittuja tyyppejä (PDF)."),
        (pdf("arvio.pdf", EXE_BYTES), "Tiedoston sisältö ei vastaa sallittuja tyyppejä (PDF)."),
        (
            pdf("arvio.docx", PDF_BYTES),
            "Tiedoston nimen pääte ei vastaa sen sisältöä: sisältö on PDF, "
            "joten nimen pitää päättyä .pdf.",
        ),
    ],
    ids=["docx", "renamed-program", "pdf-named-docx"],
)
def test_only_a_real_pdf_is_accepted(client, ministry_user, pirkanmaa, upload, reason):
    client.force_login(ministry_user)
    response = save(client, pirkanmaa, url=THL_URL, file=upload)
    assert response.status_code == 400
    assert f"THL:n arviota ei tallennettu: {reason}" in response.text
    assert f'value="{THL_URL}"' in response.text
    assert not Assessment.objects.exists()


@override_settings(REPORT_ATTACHMENT_MAX_BYTES=1024)
def test_an_oversized_pdf_is_refused(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = save(client, pirkanmaa, file=pdf(content=PDF_BYTES.ljust(2048, b"\n")))
    assert "THL:n arviota ei tallennettu: Tiedosto on liian suuri: enintään 1,0\xa0KB." in (
        response.text
    )
    assert not Assessment.objects.exists()


def test_an_invalid_link_is_refused(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = save(client, pirkanmaa, url="julkari")
    assert "THL:n arviota ei tallennettu: Syötä oikea URL-osoite." in response.text
    assert 'value="julkari"' in response.text
    assert not Assessment.objects.exists()


# --- Reading ---


def test_both_sides_download_the_pdf(client, ministry_user, pirkanmaa_preparer, pirkanmaa):
    client.force_login(ministry_user)
    save(client, pirkanmaa, file=pdf("THL Pirkanmaa.pdf"))
    for user in (ministry_user, pirkanmaa_preparer):
        client.force_login(user)
        response = client.get(file_url(pirkanmaa))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="THL Pirkanmaa.pdf"'


def test_a_link_only_assessment_has_no_file_to_download(client, ministry_user, pirkanmaa):
    Assessment.objects.create(negotiation=pirkanmaa, url=THL_URL)
    client.force_login(ministry_user)
    assert client.get(file_url(pirkanmaa)).status_code == 404


def test_the_negotiation_page_shows_the_assessment_to_the_region(
    client, pirkanmaa_preparer, pirkanmaa
):
    Assessment.objects.create(negotiation=pirkanmaa, title="THL:n arvio Pirkanmaasta", url=THL_URL)
    client.force_login(pirkanmaa_preparer)
    page = client.get(detail_url(pirkanmaa)).text
    assert '<h2 id="assessment-heading">THL:n asiantuntija-arvio</h2>' in page
    assert '<p class="assessment-title">THL:n arvio Pirkanmaasta</p>' in page
    assert f'<a href="{THL_URL}" rel="noopener">' in page
    assert save_url(pirkanmaa) not in page


def test_the_negotiation_page_offers_the_form_to_the_ministry(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    page = client.get(detail_url(pirkanmaa)).text
    assert "THL:n arviota ei ole vielä lisätty." in page
    assert f'action="{save_url(pirkanmaa)}" enctype="multipart/form-data"' in page
    assert '<label for="assessment-url">Linkki THL:n arvioon:</label>' in page
    assert '<label for="assessment-file">Arvio PDF-tiedostona:</label>' in page
    assert "assessment-remove_file" not in page


def test_the_form_offers_removal_when_a_pdf_is_stored(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    save(client, pirkanmaa, title="Arvio", url=THL_URL, file=pdf())
    page = client.get(detail_url(pirkanmaa)).text
    assert f'<a href="{file_url(pirkanmaa)}">Lataa arvio (PDF)</a>' in page
    assert 'value="Arvio" maxlength="300" id="assessment-title"' in page
    assert f'value="{THL_URL}"' in page
    assert '<label for="assessment-remove_file">Poista nykyinen PDF-tiedosto</label>' in page


def render_partial(user, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("negotiations/_assessment.html", context, request=request)


def test_the_report_shows_the_assessment_and_links_the_ministry_to_the_form(
    ministry_user, pirkanmaa_preparer, pirkanmaa
):
    report = ensure_report(pirkanmaa)
    Assessment.objects.create(negotiation=pirkanmaa, title="Arvio", file="assessments/x.pdf")
    context = {"report": report, "negotiation": report.negotiation}
    for_region = render_partial(pirkanmaa_preparer, **context, is_ministry_official=False)
    assert f'<a href="{file_url(pirkanmaa)}">Lataa arvio (PDF)</a>' in for_region
    assert "neuvottelun sivulla" not in for_region
    for_ministry = render_partial(ministry_user, **context, is_ministry_official=True)
    assert f'href="{detail_url(pirkanmaa)}#assessment"' in for_ministry
    assert "<form" not in for_ministry


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own-preparer", [403, 200]),
        ("other-preparer", [404, 404]),
        ("ministry", [302, 200]),
        ("anonymous", [302, 302]),
    ],
)
def test_permission_walk_over_the_assessment_urls(
    client,
    who,
    expected,
    log_in_as,
    ministry_user,
    pirkanmaa_preparer,
    lappi_preparer,
    pirkanmaa,
    media_root,
):
    (media_root / "assessments").mkdir()
    (media_root / "assessments/x.pdf").write_bytes(PDF_BYTES)
    Assessment.objects.create(negotiation=pirkanmaa, title="Ennen", file="assessments/x.pdf")
    log_in_as(who)
    responses = [
        save(client, pirkanmaa, title="Jälkeen", file=pdf()),
        client.get(file_url(pirkanmaa)),
    ]
    assert [response.status_code for response in responses] == expected
    if who == "anonymous":
        assert all(r.url.startswith(reverse("login") + "?next=") for r in responses)
    title = Assessment.objects.get(negotiation=pirkanmaa).title
    assert title == ("Jälkeen" if who == "ministry" else "Ennen")


def test_the_partial_renders_a_given_form_like_its_own(ministry_user, pirkanmaa):
    form = AssessmentForm(negotiation=pirkanmaa, added_by=ministry_user)
    context = {"negotiation": pirkanmaa, "with_form": True, "is_ministry_official": True}
    with_form = render_partial(ministry_user, **context, assessment_form=form)
    without = render_partial(ministry_user, **context)
    for html in (with_form, without):
        assert '<label for="assessment-title">Arvion otsikko:</label>' in html
        assert '<label for="assessment-url">Linkki THL:n arvioon:</label>' in html
        assert 'name="file" accept=".pdf" aria-describedby="assessment-file_helptext"' in html
        assert ">Tallenna THL:n arvio</button>" in html


def test_the_report_page_shows_the_assessment_to_both_sides(
    client, ministry_user, pirkanmaa_preparer, pirkanmaa
):
    ensure_report(pirkanmaa)
    Assessment.objects.create(negotiation=pirkanmaa, title="THL:n arvio Pirkanmaasta", url=THL_URL)
    url = reverse("negotiations:report-detail", args=[pirkanmaa.pk])
    for user in (pirkanmaa_preparer, ministry_user):
        client.force_login(user)
        page = client.get(url).text
        assert '<p class="assessment-title">THL:n arvio Pirkanmaasta</p>' in page
        assert f'<a href="{THL_URL}" rel="noopener">' in page
