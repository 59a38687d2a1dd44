"""A round with Pirkanmaa's and Lappi's negotiations, reports and records, and helpers to
read the usage log."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from audit.models import UsageEntry
from negotiations.models import Assessment, Negotiation, Record, ReportAttachment, Round
from negotiations.services import ensure_record, ensure_report
from tests.conftest import county

ADDRESS = "198.51.100.23"
PDF_BYTES = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


@dataclass
class Documents:
    round: Round
    pirkanmaa: Negotiation
    lappi: Negotiation
    attachment: ReportAttachment

    @property
    def report(self):
        return self.pirkanmaa.report

    @property
    def record(self) -> Record:
        return self.pirkanmaa.record


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def documents(db, ministry_user) -> Documents:
    round_ = Round.objects.create(
        name_fi="Hyvinvointialueneuvottelut 2027",
        name_sv="Välfärdsområdesförhandlingarna 2027",
        kind=Round.Kind.COUNTY_NEGOTIATIONS,
        status=Round.Status.NEGOTIATING,
        period_start=datetime.date(2027, 2, 1),
        period_end=datetime.date(2027, 3, 31),
    )
    negotiations = {}
    for code in ("08", "21"):
        negotiation = Negotiation.objects.create(
            round=round_,
            region=county(code),
            date=datetime.date(2027, 2, 16),
            start_time=datetime.time(9),
            end_time=datetime.time(12),
        )
        ensure_report(negotiation)
        record = ensure_record(negotiation)
        # Sent for comments: the region's preparers see it too.
        Record.objects.filter(pk=record.pk).update(status=Record.Status.COMMENTS)
        negotiations[code] = negotiation
    pirkanmaa = negotiations["08"]
    attachment = ReportAttachment(
        report=pirkanmaa.report,
        original_name="liite.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        uploaded_by=ministry_user,
    )
    attachment.file.save("liite.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    assessment = Assessment(negotiation=pirkanmaa, title="THL:n arvio", original_name="arvio.pdf")
    assessment.file.save("arvio.pdf", ContentFile(PDF_BYTES), save=False)
    assessment.save()
    clear_log()
    return Documents(round_, pirkanmaa, negotiations["21"], attachment)


def clear_log() -> None:
    """Forget what setting up the test logged (users, groups and memberships made)."""
    UsageEntry.objects.purge_before(timezone.now() + datetime.timedelta(seconds=1))


def log_of(**filters) -> list[UsageEntry]:
    return list(UsageEntry.objects.filter(**filters).order_by("pk"))


def the_entry(**filters) -> UsageEntry:
    entries = log_of(**filters)
    assert len(entries) == 1, [(e.kind, e.path, e.detail) for e in log_of()]
    return entries[0]
