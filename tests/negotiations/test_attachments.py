"""Attachments of a situation report: the type is read from the content, files are stored under
generated names and served only to those who may read the report."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.urls import reverse

from negotiations.forms.attachments import AttachmentForm
from negotiations.models import ReportAttachment, Round, SituationReport
from negotiations.services import ensure_report
from negotiations.uploads import DEFAULT_MAX_BYTES, max_upload_bytes, validate_upload
from tests.factories import (
    EXE_BYTES,
    PDF_BYTES,
    XLSM_MAIN,
    county,
    docx_bytes,
    make_round,
    negotiation_of,
    odf_bytes,
    ods_bytes,
    odt_bytes,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def report(db) -> SituationReport:
    round_ = make_round(
        status=Round.Status.OPEN_FOR_REPORTS, regions=map(county, ("08", "20", "21"))
    )
    return ensure_report(negotiation_of(round_, "08"))


@pytest.fixture
def lappi_report(report) -> SituationReport:
    return ensure_report(negotiation_of(report.negotiation.round, "21"))


def upload_url(report: SituationReport) -> str:
    return reverse("negotiations:report-attachment-upload", args=[report.pk])


def download_url(attachment: ReportAttachment) -> str:
    return reverse("negotiations:report-attachment", args=[attachment.report_id, attachment.pk])


def delete_url(attachment: ReportAttachment) -> str:
    return reverse(
        "negotiations:report-attachment-delete", args=[attachment.report_id, attachment.pk]
    )


def report_url(report: SituationReport) -> str:
    return reverse("negotiations:report-detail", args=[report.negotiation_id])


def message_texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def attachments_section(client, report: SituationReport) -> str:
    """The attachments section of the report page, as the user sees it next."""
    page = client.get(report_url(report)).text
    start = page.index('<section id="attachments"')
    return page[start : page.index("</section>", start)]


def add_attachment(report: SituationReport, name: str = "liite.pdf", content=PDF_BYTES):
    form = AttachmentForm(files={"file": upload(name, content)}, report=report, uploaded_by=None)
    assert form.is_valid(), form.errors
    return form.save()


# --- What the content shows ---


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("tilannekuva.pdf", PDF_BYTES, "application/pdf"),
        (
            "henkilöstö.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "talous.XLSX",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("muistio.odt", odt_bytes(), "application/vnd.oasis.opendocument.text"),
        ("luvut.ods", ods_bytes(), "application/vnd.oasis.opendocument.spreadsheet"),
    ],
)
def test_the_five_document_types_are_recognised_from_their_content(name, content, content_type):
    assert validate_upload(upload(name, content)).content_type == content_type


def refusal(name: str, content: bytes) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(name, content))
    return caught.value.messages


def test_a_windows_program_renamed_pdf_is_refused():
    assert refusal("tilannekuva.pdf", EXE_BYTES) == [
        "Tiedoston sisältö ei vastaa sallittuja tyyppejä (PDF, DOCX, XLSX, ODT, ODS)."
    ]


def test_a_pdf_renamed_docx_is_refused():
    assert refusal("tilannekuva.docx", PDF_BYTES) == [
        "Tiedoston nimen pääte ei vastaa sen sisältöä: sisältö on PDF, "
        "joten nimen pitää päättyä .pdf."
    ]


def test_a_pdf_without_an_extension_is_refused():
    assert "sisältö on PDF" in refusal("tilannekuva", PDF_BYTES)[0]


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + b"\x00" * 200,
        docx_bytes()[:-30],
    ],
    ids=["garbage-after-zip-signature", "truncated-docx"],
)
def test_a_broken_zip_is_refused(content):
    assert refusal("raportti.docx", content) == [
        "Tiedoston sisältö ei vastaa sallittuja tyyppejä (PDF, DOCX, XLSX, ODT, ODS)."
    ]


def test_a_zip_that_is_no_document_is_refused():
    assert refusal("raportti.docx", zip_bytes(("readme.txt", "hei"))) == [
        "Tiedoston sisältö ei vastaa sallittuja tyyppejä (PDF, DOCX, XLSX, ODT, ODS)."
    ]


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused():
    assert "sallittuja tyyppejä" in refusal("talous.xlsx", xlsx_bytes(XLSM_MAIN))[0]


def test_an_opendocument_drawing_renamed_odt_is_refused():
    content = odf_bytes("application/vnd.oasis.opendocument.graphics")
    assert "sallittuja tyyppejä" in refusal("kuva.odt", content)[0]


@override_settings(REPORT_ATTACHMENT_MAX_BYTES=1024)
def test_an_oversized_file_is_refused():
    assert validate_upload(upload("pieni.pdf", PDF_BYTES.ljust(1024, b"\n")))
    big = PDF_BYTES.ljust(1025, b"\n")
    assert refusal("iso.pdf", big) == ["Tiedosto on liian suuri: enintään 1,0\xa0KB."]


def test_the_default_size_limit_is_20_megabytes():
    assert max_upload_bytes() == DEFAULT_MAX_BYTES == 20 * 1024 * 1024
    at_limit = upload("iso.pdf", PDF_BYTES)
    at_limit.size = 20 * 1024 * 1024
    assert validate_upload(at_limit).extension == "pdf"
    over_limit = upload("iso.pdf", PDF_BYTES)
    over_limit.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as caught:
        validate_upload(over_limit)
    assert caught.value.messages == ["Tiedosto on liian suuri: enintään 20 Mt."]


# --- Uploading ---


def test_preparer_attaches_a_pdf_that_is_stored_under_a_generated_name(
    client, pirkanmaa_preparer, report, media_root
):
    client.force_login(pirkanmaa_preparer)
    response = client.post(
        upload_url(report), {"file": upload("Pirkanmaan tilannekuva.pdf", PDF_BYTES)}
    )
    assert response.status_code == 302
    assert response.url == report_url(report)
    assert message_texts(response) == []
    assert "Liite Pirkanmaan tilannekuva.pdf lisättiin." in attachments_section(client, report)

    attachment = report.attachments.get()
    assert attachment.original_name == "Pirkanmaan tilannekuva.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert attachment.uploaded_by == pirkanmaa_preparer
    assert attachment.file.name.startswith(f"reports/{report.pk}/")
    assert attachment.file.name.endswith(".pdf")
    assert "Pirkanmaan" not in attachment.file.name
    assert "tilannekuva" not in attachment.file.name
    assert (media_root / attachment.file.name).read_bytes() == PDF_BYTES

    report.refresh_from_db()
    assert report.status == SituationReport.Status.DRAFT


def test_a_refused_file_is_named_with_the_reason_and_nothing_is_stored(
    client, pirkanmaa_preparer, report, media_root
):
    client.force_login(pirkanmaa_preparer)
    response = client.post(upload_url(report), {"file": upload("ohjelma.pdf", EXE_BYTES)})
    assert response.status_code == 302
    assert response.url == report_url(report)
    section = attachments_section(client, report)
    assert "Liitettä ohjelma.pdf ei lisätty." in section
    assert "Tiedoston sisältö ei vastaa sallittuja tyyppejä (PDF, DOCX, XLSX, ODT, ODS)." in section
    assert not report.attachments.exists()
    assert not any(path.is_file() for path in media_root.rglob("*"))
    report.refresh_from_db()
    assert report.status == SituationReport.Status.NOT_STARTED


@override_settings(REPORT_ATTACHMENT_MAX_BYTES=1024)
def test_an_oversized_upload_is_refused_with_the_limit(client, pirkanmaa_preparer, report):
    client.force_login(pirkanmaa_preparer)
    client.post(upload_url(report), {"file": upload("iso.pdf", PDF_BYTES.ljust(2048, b"\n"))})
    section = attachments_section(client, report)
    assert "Liitettä iso.pdf ei lisätty." in section
    assert "Tiedosto on liian suuri: enintään 1,0\xa0KB." in section
    assert not report.attachments.exists()


def test_an_upload_without_a_file_asks_for_one(client, pirkanmaa_preparer, report):
    client.force_login(pirkanmaa_preparer)
    response = client.post(upload_url(report), {})
    assert response.status_code == 302
    section = attachments_section(client, report)
    assert "Liitettä ei lisätty." in section
    assert "Valitse lisättävä tiedosto." in section


def test_each_document_type_can_be_attached(client, pirkanmaa_preparer, report):
    client.force_login(pirkanmaa_preparer)
    files = {
        "a.pdf": PDF_BYTES,
        "b.docx": docx_bytes(),
        "c.xlsx": xlsx_bytes(),
        "d.odt": odt_bytes(),
        "e.ods": ods_bytes(),
    }
    for name, content in files.items():
        client.post(upload_url(report), {"file": upload(name, content)})
    assert list(report.attachments.values_list("original_name", flat=True)) == list(files)


def test_a_submitted_report_takes_no_attachments(client, pirkanmaa_preparer, report):
    report.submit(by=pirkanmaa_preparer)
    client.force_login(pirkanmaa_preparer)
    response = client.post(upload_url(report), {"file": upload("myöhässä.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert "Tilannekuva on jo lähetetty" in attachments_section(client, report)
    assert not report.attachments.exists()


# --- Downloading and deleting ---


def test_download_streams_the_same_bytes_under_the_original_name(
    client, pirkanmaa_preparer, report
):
    attachment = add_attachment(report, "Liite 1.pdf")
    client.force_login(pirkanmaa_preparer)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"] == 'attachment; filename="Liite 1.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_download_keeps_a_finnish_file_name(client, ministry_user, report):
    attachment = add_attachment(report, "Henkilöstö.xlsx", xlsx_bytes())
    client.force_login(ministry_user)
    response = client.get(download_url(attachment))
    assert response.status_code == 200
    assert "filename*=utf-8''Henkil%C3%B6st%C3%B6.xlsx" in response["Content-Disposition"]
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_an_attachment_is_found_only_under_its_own_report(
    client, ministry_user, report, lappi_report
):
    attachment = add_attachment(lappi_report)
    client.force_login(ministry_user)
    url = reverse("negotiations:report-attachment", args=[report.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_a_missing_file_answers_404(client, ministry_user, report, media_root):
    attachment = add_attachment(report)
    (media_root / attachment.file.name).unlink()
    client.force_login(ministry_user)
    assert client.get(download_url(attachment)).status_code == 404


def test_delete_removes_the_attachment_and_its_file(
    client, pirkanmaa_preparer, report, media_root, django_capture_on_commit_callbacks
):
    attachment = add_attachment(report, "vanha.pdf")
    stored = media_root / attachment.file.name
    assert stored.is_file()
    client.force_login(pirkanmaa_preparer)
    with django_capture_on_commit_callbacks(execute=True):  # the file goes on commit
        response = client.post(delete_url(attachment))
    assert response.status_code == 302
    assert response.url == report_url(report)
    assert not report.attachments.exists()
    assert not stored.exists()
    assert "Liite vanha.pdf poistettiin." in attachments_section(client, report)


def test_a_get_of_the_delete_url_only_asks(client, pirkanmaa_preparer, report):
    attachment = add_attachment(report)
    client.force_login(pirkanmaa_preparer)
    response = client.get(delete_url(attachment))
    assert response.status_code == 200
    assert "Poistetaanko liite?" in response.text
    assert report.attachments.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own-preparer", [302, 200, 302]),
        ("other-preparer", [404, 404, 404]),
        ("ministry", [403, 200, 403]),
        ("anonymous", [302, 302, 302]),
    ],
)
def test_permission_walk_over_the_attachment_urls(
    client, who, expected, log_in_as, ministry_user, pirkanmaa_preparer, lappi_preparer, report
):
    attachment = add_attachment(report, "olemassa.pdf")
    log_in_as(who)
    responses = [
        client.post(upload_url(report), {"file": upload("uusi.pdf", PDF_BYTES)}),
        client.get(download_url(attachment)),
        client.post(delete_url(attachment)),
    ]
    assert [response.status_code for response in responses] == expected
    if who == "anonymous":
        assert all(r.url.startswith(reverse("login") + "?next=") for r in responses)

    names = set(report.attachments.values_list("original_name", flat=True))
    # The own preparer adds one file and deletes the other; nobody else changes anything.
    assert names == ({"uusi.pdf"} if who == "own-preparer" else {"olemassa.pdf"})


# --- The partial on the report page ---


def render_partial(user, report, **context) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "negotiations/_report_attachments.html", {"report": report, **context}, request=request
    )


def test_the_partial_lists_attachments_and_offers_upload_and_delete_to_the_editor(
    pirkanmaa_preparer, report
):
    attachment = add_attachment(report, "Liite 1.pdf")
    html = render_partial(pirkanmaa_preparer, report, can_edit=True)
    assert f'<a href="{download_url(attachment)}">Liite 1.pdf</a>' in html
    assert f'href="{delete_url(attachment)}"' in html
    assert f'action="{upload_url(report)}" enctype="multipart/form-data"' in html
    assert '<label for="attachment-file">Liitetiedosto:</label>' in html
    assert ">Lisää liite</button>" in html


def test_the_partial_renders_a_given_form_like_its_own(pirkanmaa_preparer, report):
    form = AttachmentForm(report=report, uploaded_by=pirkanmaa_preparer)
    with_form = render_partial(pirkanmaa_preparer, report, can_edit=True, attachment_form=form)
    without = render_partial(pirkanmaa_preparer, report, can_edit=True)
    for html in (with_form, without):
        assert '<label for="attachment-file">Liitetiedosto:</label>' in html
        assert 'id="attachment-file_helptext">PDF, DOCX, XLSX, ODT tai ODS, enintään 20 Mt.' in html
        assert 'name="file" accept=".pdf,.docx,.xlsx,.odt,.ods" required' in html


def test_readers_see_the_list_without_forms(ministry_user, report):
    attachment = add_attachment(report)
    html = render_partial(ministry_user, report, can_edit=False)
    assert download_url(attachment) in html
    assert "<form" not in html


def test_the_partial_says_when_there_are_no_attachments(ministry_user, report):
    assert "Liitteitä ei ole lisätty." in render_partial(ministry_user, report, can_edit=False)


def test_the_report_page_shows_the_new_attachment_and_the_message(
    client, pirkanmaa_preparer, report
):
    client.force_login(pirkanmaa_preparer)
    response = client.post(
        upload_url(report), {"file": upload("Tilannekuvan liite.pdf", PDF_BYTES)}, follow=True
    )
    assert response.status_code == 200
    assert "Liite Tilannekuvan liite.pdf lisättiin." in response.text
    attachment = report.attachments.get()
    assert f'<a href="{download_url(attachment)}">Tilannekuvan liite.pdf</a>' in response.text
    assert ">Lisää liite</button>" in response.text
