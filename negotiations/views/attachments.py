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
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from negotiations import feedback
from negotiations.access import get_negotiation_for_user, get_report_for_user
from negotiations.forms.attachments import AssessmentForm, AttachmentForm
from negotiations.models import Assessment, ReportAttachment, SituationReport
from negotiations.services import lock_assessment
from negotiations.views.confirm import Confirmation, Fact, render_confirmation
from negotiations.views.negotiations import render_detail


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
    """An upload refused (type, size, no file) comes back at the file field of the report
    page, with the error summary above the form; the feedback of an upload, either way, is
    where the focus lands: in the attachments section, not at the top of a long page."""
    report = get_report_for_user(request, pk, write=True)
    place = feedback.attachments_place(report.pk)
    form = AttachmentForm(request.POST, request.FILES, report=report, uploaded_by=request.user)
    if not form.is_valid():
        # A redirect loses nothing typed: each section of the report saves on its own, and
        # the upload form has only the file, which a browser never re-fills anyway.
        upload = request.FILES.get("file")
        if upload is not None:
            text = _("Liitettä %(name)s ei lisätty.") % {"name": upload.name}
        else:
            text = _("Liitettä ei lisätty.")
        feedback.give(request, place, text, error=True, field_errors=form.errors)
        return redirect(_report_url(report))
    try:
        with transaction.atomic():
            report.require_editable()
            attachment = form.save()
            report.mark_started()
    except ValidationError as error:
        feedback.give(request, place, " ".join(error.messages), error=True)
        return redirect(_report_url(report))
    feedback.give(
        request, place, _("Liite %(name)s lisättiin.") % {"name": attachment.original_name}
    )
    return redirect(_report_url(report))


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    attachment = get_object_or_404(report.attachments, pk=attachment_pk)
    return _file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )


def _attachment_confirmation(
    report: SituationReport, attachment: ReportAttachment | None, attachment_pk: int
) -> Confirmation:
    confirmation = Confirmation(
        question=_("Poistetaanko liite?"),
        confirm_label=_("Poista liite"),
        delete_url=reverse(
            "negotiations:report-attachment-delete", args=[report.pk, attachment_pk]
        ),
        back_url=_report_url(report, "attachments"),
        negotiation=report.negotiation,
        document="report",
    )
    if attachment is None:
        confirmation.gone = _("Liite on jo poistettu.")
        return confirmation
    added = format_date(attachment.uploaded_at, "j.n.Y")
    if attachment.uploaded_by:
        who = attachment.uploaded_by.get_full_name() or attachment.uploaded_by.get_username()
        added = f"{added}, {who}"
    confirmation.facts = [
        Fact(_("Tiedosto"), attachment.original_name),
        Fact(_("Koko"), filesizeformat(attachment.size)),
        Fact(_("Lisätty"), added),
    ]
    confirmation.consequence = _(
        "Liite poistetaan tilannekuvasta pysyvästi. Ministeriö ei enää näe sitä."
    )
    return confirmation


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    """GET asks (a page, or a dialog for htmx), POST removes the attachment and its file; an
    attachment already removed is said to be gone, whether asked about or removed again."""
    report = get_report_for_user(request, pk, write=True)
    attachment = report.attachments.select_related("uploaded_by").filter(pk=attachment_pk).first()
    if request.method != "POST":
        confirmation = _attachment_confirmation(report, attachment, attachment_pk)
        if attachment is not None and not report.can_edit(request.user):
            confirmation.refused = _(
                "Tilannekuva on jo lähetetty tai kierros ei enää ota vastaan tilannekuvia, "
                "joten liitettä ei voi poistaa."
            )
        return render_confirmation(request, confirmation)

    place = feedback.attachments_place(report.pk)
    gone = _("Liite on jo poistettu.")
    if attachment is None:
        feedback.give(request, place, gone)
        return redirect(_report_url(report))
    stored_name, storage = attachment.file.name, attachment.file.storage
    try:
        with transaction.atomic():
            report.require_editable()
            # A second request waited for the report's lock: the first has removed it.
            if not report.attachments.filter(pk=attachment.pk).exists():
                feedback.give(request, place, gone)
                return redirect(_report_url(report))
            attachment.delete()
            # The file goes only when the row is gone for good.
            transaction.on_commit(lambda: storage.delete(stored_name))
    except ValidationError as error:
        feedback.give(request, place, " ".join(error.messages), error=True)
        return redirect(_report_url(report))
    feedback.give(
        request, place, _("Liite %(name)s poistettiin.") % {"name": attachment.original_name}
    )
    return redirect(_report_url(report))


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
