"""The situation report: the region writes it theme by theme, the ministry reads or returns it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from negotiations.access import (
    get_negotiation_for_user,
    get_report_for_user,
    require_ministry_official,
)
from negotiations.display import heading_level
from negotiations.documents import attach_theme_figures
from negotiations.forms.actions import RecommendationResponseForm
from negotiations.forms.records import ReturnForm
from negotiations.models import (
    Assessment,
    FollowUpAction,
    RecordSection,
    ReportAttachment,
    ReportSection,
    SituationReport,
)
from negotiations.templatetags.objectives import OBJECTIVES_WITH_INDICATORS
from negotiations.views.actions import ROW_RELATIONS
from negotiations.views.carried import REPORT, attach_responses, carried_page, carried_queryset
from negotiations.views.reads import NEGOTIATION
from negotiations.views.sections import SectionEditor
from pagecache.pages import TextsOf, cached_page

OBJECTIVES = Prefetch("round_theme__objectives", queryset=OBJECTIVES_WITH_INDICATORS)


def _sections(report: SituationReport):
    return report.sections.select_related("round_theme__theme", "updated_by", "report__negotiation")


def _editor(section: ReportSection, data=None) -> SectionEditor:
    return SectionEditor(
        section,
        labels=(("text", _("Vastaus: %(title)s") % {"title": section.title}),),
        kind="report",
        data=data,
        rows=10,
        autosave_url=reverse(
            "negotiations:report-section-save", args=[section.report_id, section.pk]
        ),
        describedby=f"questions-{section.pk}" if section.guiding_questions else "",
    )


def _page(
    request: HttpRequest,
    report: SituationReport,
    editors: dict | None = None,
    *,
    return_form: ReturnForm | None = None,
    status: int = 200,
) -> HttpResponse:
    editors = editors or {}
    sections = [
        editors.get(section.pk) or _editor(section)
        for section in _sections(report).prefetch_related(OBJECTIVES)
    ]
    # Beside each theme the region's figures, built once for all themes of the page.
    attach_theme_figures(
        (edit.section for edit in sections), report.negotiation.region, summaries=True
    )
    context = {
        "report": report,
        "negotiation": report.negotiation,
        "sections": sections,
        "carried_count": carried_queryset(request, report.negotiation).count(),
        "can_edit": report.can_edit(request.user),
        "return_form": return_form or ReturnForm(),
    }
    return render(request, "negotiations/report_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@cached_page(
    "knowledge",
    *NEGOTIATION,
    Assessment,
    FollowUpAction,
    TextsOf(RecordSection),
    ReportAttachment,
    TextsOf(ReportSection),
)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk)
    # The report is created when the round opens for reports; a page view only reads.
    report = SituationReport.objects.filter(negotiation=negotiation).first()
    if report is None:
        return render(request, "negotiations/report_not_open.html", {"negotiation": negotiation})
    report.negotiation = negotiation
    if request.method != "POST":
        return _page(request, report)

    # Without JavaScript the Save button sends every section at once. A report submitted
    # meanwhile refuses each section with a message, and the page keeps what was typed.
    if not report.is_prepared_by(request.user):
        raise PermissionDenied
    editors = {}
    for section in _sections(report):
        editor = _editor(section, request.POST)
        if editor.form.is_posted():
            editors[section.pk] = editor
            editor.save(request)
    if all(editor.saved for editor in editors.values()):
        messages.success(request, _("Tilannekuva tallennettiin."))
        return redirect("negotiations:report-detail", negotiation.pk)
    return _page(request, report, editors, status=409)


@login_required
@require_POST
def section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """Autosave of one section (htmx), or its Save button without JavaScript."""
    report = get_report_for_user(request, pk, write=True)
    section = get_object_or_404(_sections(report), pk=section_pk)
    editor = _editor(section, request.POST)
    editor.save(request)
    if request.htmx:
        return render(request, "negotiations/_autosave_status.html", {"edit": editor})
    if editor.saved:
        messages.success(request, _("Osio ”%(title)s” tallennettiin.") % {"title": section.title})
        return redirect("negotiations:report-detail", report.negotiation_id)
    return _page(request, report, {section.pk: editor}, status=409)


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
@require_http_methods(["GET", "HEAD", "POST"])
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Check before sending (GET: what is still empty, the attachments, what happens next);
    the confirmation sends (POST). Sending cannot be undone by the region."""
    report = get_report_for_user(request, pk, write=True)
    if request.method != "POST":
        if not report.can_edit(request.user):
            return redirect("negotiations:report-detail", report.negotiation_id)
        sections = list(_sections(report))
        deadline = report.round.report_deadline
        context = {
            "report": report,
            "negotiation": report.negotiation,
            "sections": sections,
            "empty_sections": [section for section in sections if not section.text.strip()],
            "attachments": report.attachments.all(),
            "late": bool(deadline and timezone.localdate() > deadline),
        }
        return render(request, "negotiations/report_submit_check.html", context)
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
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _page(request, report, return_form=form, status=400)
    try:
        report.return_for_completion(by=request.user, comment=form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Tilannekuva palautettiin alueelle täydennettäväksi."))
    return redirect("negotiations:report-detail", report.negotiation_id)


@login_required
@require_POST
def response_save(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """The region's response (vastine) to a recommendation carried over to its report: its
    own preparers only, only while the report takes changes (checked on the locked report).
    htmx gets the response block back; a plain POST is redirected to the report, or shown
    the page with the typed text and the error."""
    report = get_report_for_user(request, pk, write=True)
    action = get_object_or_404(
        FollowUpAction.objects.for_user(request.user)
        .recommendations()
        .carried_over_to(report.negotiation)
        .select_related(*ROW_RELATIONS),
        pk=action_pk,
    )
    form = RecommendationResponseForm(request.POST, action=action)
    if form.is_valid():
        try:
            action.respond(report=report, text=form.cleaned_data["text"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    saved = form.is_valid()
    back = reverse("negotiations:report-carried-actions", args=[report.negotiation_id])
    if saved and not request.htmx:
        messages.success(request, _("Vastine tallennettiin."))
        return redirect(f"{back}#action-{action.pk}")
    if not saved and not request.htmx:
        status = 409 if form.non_field_errors() else 400
        return carried_page(request, report.negotiation, REPORT, bound=form, status=status)
    attach_responses(request, [action], report.negotiation, bound=None if saved else form)
    context = {
        "action": action,
        # 4 in the report's disclosure, 3 on the carried actions' own page.
        "response_heading_level": heading_level(request.POST.get("level", ""), 4),
        "oob": True,
        "status_is_error": not saved,
        "response_status": _("Vastine tallennettiin.")
        if saved
        else _("Vastinetta ei tallennettu. Korjaa merkityt kohdat."),
    }
    return render(request, "negotiations/_carried_actions.html#response-block", context)
