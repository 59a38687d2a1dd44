"""The situation report: the region writes it theme by theme, the ministry reads or returns it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from negotiations.access import (
    get_negotiation_for_user,
    get_report_for_user,
    require_ministry_official,
)
from negotiations.models import ReportSection, SituationReport
from negotiations.services import ensure_report
from negotiations.views.autosave import MAX_SECTION_LENGTH, base_version, posted_text


class SectionEdit:
    """One section's save attempt: the text typed and what became of it."""

    def __init__(self, section: ReportSection, text: str | None = None) -> None:
        self.section = section
        self.text = section.text if text is None else text
        self.error = ""
        self.conflict = False
        self.saved = False

    @property
    def fields(self) -> list[dict]:
        """The stored text, shown beside a conflict (one unlabelled field)."""
        return [{"label": "", "stored": self.section.text}]

    @property
    def merge_params(self) -> str:
        return f"text-{self.section.pk},merged_version"


def _sections(report: SituationReport):
    return report.sections.select_related("round_theme__theme", "updated_by", "report__negotiation")


def _page(request: HttpRequest, report: SituationReport, edits=None, status: int = 200):
    edits = edits or {}
    sections = [edits.get(section.pk) or SectionEdit(section) for section in _sections(report)]
    context = {
        "report": report,
        "negotiation": report.negotiation,
        "sections": sections,
        "can_edit": report.can_edit(request.user),
    }
    return render(request, "negotiations/report_detail.html", context, status=status)


def _read_text(request: HttpRequest, edit: SectionEdit) -> str:
    """The text as typed; the form keeps it whatever happens."""
    return posted_text(request, f"text-{edit.section.pk}", request.POST.get("text", ""))


def _save_section(request: HttpRequest, report: SituationReport, edit: SectionEdit) -> None:
    edit.text = _read_text(request, edit)
    section = edit.section
    base = base_version(request, section.pk)
    if len(edit.text) > MAX_SECTION_LENGTH:
        edit.error = _("Teksti on liian pitkä: enintään %(max)d merkkiä.") % {
            "max": MAX_SECTION_LENGTH
        }
        return
    if base == section.version and edit.text == section.text:
        edit.saved = True  # nothing new: no empty version in the history
        return
    if base is None or not section.save_text(text=edit.text, base_version=base, by=request.user):
        section.refresh_from_db()
        edit.conflict = True
        return
    report.mark_started()
    edit.saved = True


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk)
    report = ensure_report(negotiation)
    if report is None:
        return render(request, "negotiations/report_not_open.html", {"negotiation": negotiation})
    if request.method != "POST":
        return _page(request, report)

    # Without JavaScript the Save button sends every section at once.
    if not report.can_edit(request.user):
        raise PermissionDenied
    edits = {}
    for section in _sections(report):
        if f"text-{section.pk}" in request.POST:
            edits[section.pk] = edit = SectionEdit(section)
            _save_section(request, report, edit)
    if all(edit.saved for edit in edits.values()):
        messages.success(request, _("Tilannekuva tallennettiin."))
        return redirect("negotiations:report-detail", negotiation.pk)
    return _page(request, report, edits, status=409)


@login_required
@require_POST
def section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """Autosave of one section (htmx), or its Save button without JavaScript."""
    report = get_report_for_user(request, pk, write=True)
    section = get_object_or_404(_sections(report), pk=section_pk)
    edit = SectionEdit(section)
    _save_section(request, report, edit)
    if request.htmx:
        return render(
            request,
            "negotiations/report_detail.html#section-status",
            {"edit": edit, "report": report},
        )
    if edit.saved:
        messages.success(request, _("Osio ”%(title)s” tallennettiin.") % {"title": section.title})
        return redirect("negotiations:report-detail", report.negotiation_id)
    return _page(request, report, {section.pk: edit}, status=409)


@login_required
@require_safe
def section_history(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    section = get_object_or_404(_sections(report), pk=section_pk)
    versions = section.versions.select_related("author")
    return render(
        request,
        "negotiations/report_section_history.html",
        {
            "report": report,
            "negotiation": report.negotiation,
            "section": section,
            "versions": versions,
        },
    )


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=True)
    try:
        report.submit(by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("Tilannekuva lähetettiin ministeriölle.")
        if report.is_late:
            text += " " + _("Se merkittiin myöhästyneeksi, koska määräpäivä oli jo mennyt.")
        messages.success(request, text)
    return redirect("negotiations:report-detail", report.negotiation_id)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    require_ministry_official(request)
    report = get_report_for_user(request, pk)
    try:
        report.return_for_completion(by=request.user, comment=request.POST.get("comment", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tilannekuva palautettiin alueelle täydennettäväksi."))
    return redirect("negotiations:report-detail", report.negotiation_id)
