"""Nobody keeps the server busy with PDFs: a published record's PDF is drawn once per
published version and then served from storage (also to requests that come at once), and the
PDFs drawn for drafts and rounds are limited per user and minute, with a clear 429 page."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from audit.models import PdfRender
from negotiations import pdf
from negotiations.models import Record
from negotiations.views.pdf import published_pdf_name
from tests.concurrency import at_once, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """The records WeasyPrint draws a PDF of (the real drawing, counted)."""
    drawn = []
    draw = pdf.record_pdf

    def counted(record):
        drawn.append(record.pk)
        return draw(record)

    monkeypatch.setattr(pdf, "record_pdf", counted)
    return drawn


def published() -> Record:
    return Record.objects.published().select_related("negotiation").get()


def draft() -> Record:
    return Record.objects.filter(status=Record.Status.DRAFT).select_related("negotiation").first()


def public_url(record: Record) -> str:
    return reverse("negotiations:public-record-pdf", args=[record.pk])


def record_url(record: Record) -> str:
    return reverse("negotiations:record-pdf", args=[record.negotiation_id])


def test_a_published_pdf_is_drawn_once_and_then_served_from_storage(
    client, demo_data, ministry_user, renders
):
    record = published()
    first = client.get(public_url(record))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert default_storage.exists(published_pdf_name(record))
    again = [client.get(public_url(record)) for _ in range(3)]
    client.force_login(ministry_user)
    again.append(client.get(record_url(record)))  # the signed-in download: the same file
    assert renders == [record.pk]
    assert all(response.content == first.content for response in again)
    assert not PdfRender.objects.exists()  # published PDFs are not counted against anyone


def test_the_stored_pdf_is_named_by_the_published_version_and_language(demo_data):
    record = published()
    name = published_pdf_name(record)
    assert name.startswith(f"published-records/{record.pk}/")
    assert name.endswith(f"-{record.negotiation.language}.pdf")
    assert record.published_at.strftime("%Y%m%dT%H%M%S") in name


def test_drafts_pdfs_are_limited_per_user_and_minute(
    client, settings, demo_data, ministry_user, renders
):
    settings.PDF_RENDERS_PER_MINUTE = 2
    client.force_login(ministry_user)
    record = draft()
    assert [client.get(record_url(record)).status_code for _ in range(2)] == [200, 200]
    refused = client.get(record_url(record))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Voit muodostaa enintään 2 PDF-tiedostoa minuutissa." in refused.text
    assert "Odota minuutti" in refused.text
    round_pdf = reverse("negotiations:round-pdf", args=[record.negotiation.round_id])
    assert client.get(round_pdf).status_code == 429  # the round's PDF counts the same
    assert len(renders) == 2
    # Published records stay downloadable, and a minute later drafts are again.
    assert client.get(public_url(published())).status_code == 200
    PdfRender.objects.update(
        at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=61)
    )
    assert client.get(record_url(record)).status_code == 200


def test_one_users_limit_is_not_anothers(client, settings, demo_data, ministry_user, superuser):
    settings.PDF_RENDERS_PER_MINUTE = 1
    record = draft()
    client.force_login(ministry_user)
    assert client.get(record_url(record)).status_code == 200
    assert client.get(record_url(record)).status_code == 429
    client.force_login(superuser)
    assert client.get(record_url(record)).status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (make test-postgres runs it): requests at once in separate "
    "connections with row locks",
)
def test_requests_at_once_draw_a_published_pdf_once_and_a_burst_keeps_the_limit(
    settings, demo_data, ministry_user, renders
):
    record = published()
    readers = [logged_in(ministry_user) for _ in range(6)]
    replies = at_once(*(lambda c=c: c.get(public_url(record)) for c in readers))
    assert [r.status_code for r in replies] == [200] * 6
    assert renders == [record.pk]
    assert len({r.content for r in replies}) == 1

    settings.PDF_RENDERS_PER_MINUTE = 3
    clients = [logged_in(ministry_user) for _ in range(6)]
    replies = at_once(*(lambda c=c: c.get(record_url(draft())) for c in clients))
    assert sorted(r.status_code for r in replies) == [200, 200, 200, 429, 429, 429]
    assert PdfRender.objects.filter(user=ministry_user).count() == 3
