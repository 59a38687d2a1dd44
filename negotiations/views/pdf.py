"""PDF downloads: the record (for the ministry and the region, and for everyone once it is
published) and the round summary (ministry only); and the negotiation's language, which the
record is written and printed in.

A published record's PDF is drawn once and then served from storage; drawing a draft's or a
round's PDF counts against the user's limit per minute (audit.throttle)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from audit import throttle
from negotiations import pdf, services
from negotiations.access import get_negotiation_for_user, get_round_for_ministry
from negotiations.models import Negotiation, Record
from negotiations.models.locking import lock_row
from regions.models import CooperationArea

RECORD_RELATED = ("negotiation__round", "negotiation__region", "negotiation__chair", "approved_by")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _too_many(request: HttpRequest) -> HttpResponse:
    response = render(
        request,
        "429.html",
        {"per_minute": settings.PDF_RENDERS_PER_MINUTE},
        status=429,
    )
    response["Retry-After"] = str(int(throttle.WINDOW.total_seconds()))
    return response


def published_pdf_name(record: Record) -> str:
    """Where a published record's PDF is kept: a published record never changes, so its
    publication time and language name its one version."""
    published = record.published_at.strftime("%Y%m%dT%H%M%S%f")
    return f"published-records/{record.pk}/{published}-{record.negotiation.language}.pdf"


def published_pdf(record: Record) -> bytes:
    """The published record's PDF from storage, drawn the first time it is asked for: with
    the record's row locked, so requests that come at once draw it once and the others wait
    for it. Storage is Django's default storage (the media folder, or object storage)."""
    name = published_pdf_name(record)
    if not default_storage.exists(name):
        with transaction.atomic():
            lock_row(record)
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(pdf.record_pdf(record)))
    with default_storage.open(name, "rb") as stored:
        return stored.read()


def _record_pdf_response(request: HttpRequest, record: Record) -> HttpResponse:
    if record.status == Record.Status.PUBLISHED:
        return _pdf_response(published_pdf(record), pdf.record_filename(record))
    if not throttle.allow_pdf_render(request.user):
        return _too_many(request)
    return _pdf_response(pdf.record_pdf(record), pdf.record_filename(record))


@login_required
@require_safe
def record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The record of negotiation `pk`, at any status: a draft carries a draft mark. The region
    sees its record only once the ministry has sent it for comments (404 for a draft)."""
    negotiation = get_negotiation_for_user(request, pk)
    record = get_object_or_404(
        Record.objects.for_user(request.user).select_related(*RECORD_RELATED),
        negotiation=negotiation,
    )
    return _record_pdf_response(request, record)


@require_safe
def public_record_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A published record, for everyone."""
    record = get_object_or_404(Record.objects.published().select_related(*RECORD_RELATED), pk=pk)
    return _pdf_response(published_pdf(record), pdf.record_filename(record))


@login_required
@require_safe
def round_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The round summary for briefing the minister; `?area=<code>` limits it to one
    cooperation area (an unknown code: 404)."""
    round_ = get_round_for_ministry(request, pk)
    area = None
    if code := request.GET.get("area", "").strip():
        if len(code) > 32 or not code.isprintable():
            raise Http404
        area = get_object_or_404(CooperationArea, code=code)
    if not throttle.allow_pdf_render(request.user):
        return _too_many(request)
    return _pdf_response(pdf.round_pdf(round_, area), pdf.round_filename(round_, area))


@login_required
@require_POST
def negotiation_language(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the language the record is written and printed in (ministry only)."""
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    language = request.POST.get("language", "")
    if language not in dict(Negotiation._meta.get_field("language").choices):
        messages.error(request, _("Valitse muistion kieli."))
        return redirect(reverse("negotiations:negotiation-detail", args=[negotiation.pk]))
    try:
        with transaction.atomic():
            services.require_record_open(
                negotiation,
                _("Muistio on hyväksytty, joten sen kieltä ei voi enää vaihtaa."),
            )
            negotiation.language = language
            negotiation.save(update_fields=["language", "updated_at"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Muistion kieleksi vaihdettiin %(language)s.")
            % {"language": negotiation.get_language_display()},
        )
    return redirect(reverse("negotiations:negotiation-detail", args=[negotiation.pk]))
