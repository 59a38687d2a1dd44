"""Files: the attachments of a situation report and THL's assessment of a negotiation.

Files are stored under MEDIA_ROOT with generated names and never served from there: every
download goes through a view that checks who is asking.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from negotiations.access import get_negotiation_for_user, get_report_for_user
from negotiations.forms.attachments import AssessmentForm, AttachmentForm
from negotiations.models import Assessment, SituationReport
from negotiations.services import lock_assessment
from negotiations.views.schedule import render_detail


def _report_url(report: SituationReport, section: str = "") -> str:
    url = reverse("negotiations:report-detail", args=[report.negotiation_id])
    return f"{url}#{section}" if section else url


def _error_text(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _file_response(field_file, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (restored database, cleaned disk): nothing to serve.
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    # The files are as confidential as the pages: keep them out of shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    form = AttachmentForm(request.POST, request.FILES, report=report, uploaded_by=request.user)
    if not form.is_valid():
        # A redirect loses nothing typed: each section of the report saves on its own, and
        # the upload form has only the file, which a browser never re-fills anyway.
        upload = request.FILES.get("file")
        if upload is not None:
            text = _("Liitettä %(name)s ei lisätty: %(reason)s") % {
                "name": upload.name,
                "reason": _error_text(form),
            }
        else:
            text = _("Liitettä ei lisätty: %(reason)s") % {"reason": _error_text(form)}
        messages.error(request, text)
        # No fragment: the message is at the top of the page, where the reader lands.
        return redirect(_report_url(report))
    try:
        with transaction.atomic():
            report.require_editable()
            attachment = form.save()
            report.mark_started()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_report_url(report))
    messages.success(request, _("Liite %(name)s lisättiin.") % {"name": attachment.original_name})
    return redirect(_report_url(report, "attachments"))


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    attachment = get_object_or_404(report.attachments, pk=attachment_pk)
    return _file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    attachment = get_object_or_404(report.attachments, pk=attachment_pk)
    stored_name, storage = attachment.file.name, attachment.file.storage
    try:
        with transaction.atomic():
            report.require_editable()
            attachment.delete()
            # The file goes only when the row is gone for good.
            transaction.on_commit(lambda: storage.delete(stored_name))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_report_url(report, "attachments"))
    messages.success(request, _("Liite %(name)s poistettiin.") % {"name": attachment.original_name})
    return redirect(_report_url(report, "attachments"))


@login_required
@require_POST
def assessment_save(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    form = AssessmentForm(
        request.POST, request.FILES, negotiation=negotiation, added_by=request.user
    )
    url = reverse("negotiations:negotiation-detail", args=[negotiation.pk])
    if not form.is_valid():
        # The negotiation page again, with the official's input and the errors in the form.
        messages.error(
            request, _("THL:n arviota ei tallennettu: %(reason)s") % {"reason": _error_text(form)}
        )
        return render_detail(request, negotiation, assessment_form=form, status=400)
    try:
        with transaction.atomic():
            lock_assessment(negotiation)
            form.save()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render_detail(request, negotiation, assessment_form=form, status=409)
    messages.success(request, _("THL:n arvio tallennettiin."))
    return redirect(f"{url}#assessment")


@login_required
@require_safe
def assessment_download(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk)
    assessment = get_object_or_404(Assessment.objects.exclude(file=""), negotiation=negotiation)
    filename = assessment.original_name or f"THL-arvio-{negotiation.region.name}.pdf"
    return _file_response(assessment.file, filename=filename, content_type="application/pdf")
