"""A round with Pirkanmaa's and Lappi's negotiations, reports and records; the helpers that
read the usage log are in tests/factories.py."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from negotiations.models import Assessment, Negotiation, Record, ReportAttachment, Round
from negotiations.services import ensure_record, ensure_report
from tests.factories import SMALL_PDF_BYTES, clear_log, county, make_round

PDF_BYTES = SMALL_PDF_BYTES


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
def files_in_the_tests_folder(media_root):
    """Every audit test stores its files in a folder of its own (tests/conftest.py)."""


@pytest.fixture
def documents(db, ministry_user) -> Documents:
    round_ = make_round(2027, status=Round.Status.NEGOTIATING)
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
