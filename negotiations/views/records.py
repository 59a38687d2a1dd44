"""The negotiation record (neuvottelumuistio): the ministry writes it section by section beside
the region's situation report, the region's preparers comment on it, the ministry approves
and publishes it.

Editing works as in the situation report: every section autosaves (htmx) as one versioned
unit, and a save based on an older version than the stored one is refused, never merged
silently.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from negotiations import services
from negotiations.access import (
    get_negotiation_for_user,
    get_record_for_user,
    get_record_section_for_user,
)
from negotiations.documents import field_labels, record_document, section_queryset
from negotiations.forms.records import ApproveForm, AttendanceForm, CommentForm, ReopenForm
from negotiations.models import (
    FollowUpAction,
    Participant,
    Record,
    RecordAttendee,
    RecordComment,
    RecordEvent,
    RecordSection,
    ReportSection,
    SituationReport,
)
from negotiations.views.carried import carried_queryset
from negotiations.views.reads import NEGOTIATION
from negotiations.views.rows import SECTION_ACTION_LENGTH, describe_actions
from negotiations.views.sections import SectionEditor
from pagecache.pages import TextsOf, cached_page
from regions.models import Region
from regions.roles import is_ministry_official

# A returned report was submitted once: what the region wrote is still worth reading.
REPORT_SHOWN = (SituationReport.Status.SUBMITTED, SituationReport.Status.RETURNED)


def _editor(section: RecordSection, data=None) -> SectionEditor:
    editor = SectionEditor(
        section,
        labels=field_labels(section),
        kind="record",
        data=data,
        rows=5 if section.is_theme else 6,
        autosave_url=reverse(
            "negotiations:record-section-save", args=[section.record_id, section.pk]
        ),
    )
    editor.report_section = None
    editor.comment_form = None
    # A theme section's texts are folded on the record page until opened (see record_detail).
    editor.open = False
    return editor


def _report_sections(negotiation, **filters) -> dict:
    """The region's text per theme (None: the region's own theme), in one query."""
    return {
        report_section.round_theme_id: report_section
        for report_section in ReportSection.objects.filter(
            report__negotiation=negotiation, report__status__in=REPORT_SHOWN, **filters
        )
        .exclude(text="")
        .select_related("report")
        .order_by()
    }


def _can_edit(user: User | AnonymousUser, record: Record) -> bool:
    return is_ministry_official(user) and record.is_editable


def can_comment(user: User | AnonymousUser, record: Record) -> bool:
    """The region's own preparers, while the record is with them for comments."""
    return (
        record.status == Record.Status.COMMENTS
        and Region.objects.prepared_by(user).filter(pk=record.negotiation.region_id).exists()
    )


def _attendance(record: Record) -> list[dict]:
    """The invited participants by side, each ticked if the record has them as present."""
    present = set(record.attendees.values_list("participant_id", flat=True))
    by_side: dict[str, list[dict]] = {side: [] for side in Participant.Side.values}
    for participant in record.negotiation.participants.select_related("user"):
        by_side[participant.side].append(
            {"participant": participant, "present": participant.pk in present}
        )
    return [
        {"label": Participant.Side(side).label, "people": people}
        for side, people in by_side.items()
        if people
    ]


def _page(
    request: HttpRequest,
    record: Record,
    edits: dict | None = None,
    *,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The record page. A theme section's texts and the region's text beside them fold into a
    disclosure that loads them when opened (record_section_texts): a record's texts run to
    tens of pages. A section in `edits` (a refused save, a comment) comes with its editor as
    it was; one whose save was refused, or named by ?open=, is open with its texts in place."""
    negotiation = record.negotiation
    edits = edits or {}
    reports = _report_sections(negotiation)
    opened = _opened_section(request)
    # The record's content comes from the same function as the PDF's: the two never disagree.
    document = record_document(
        record,
        prefetch=(Prefetch("comments", queryset=RecordComment.objects.select_related("author")),),
        figure_summaries=True,
    )
    for section in document.themes:
        section.action_rows = list(section.actions.all())
        describe_actions(section.action_rows, what_length=SECTION_ACTION_LENGTH)
    items = []
    for section in document.sections:
        edit = edits.get(section.pk) or _editor(section)
        edit.section = section
        if section.is_theme:
            edit.report_section = reports.get(section.round_theme_id)
            edit.open = edit.open or section.pk == opened
            edit.written = sum(1 for _label, text in section.texts_with_labels if text.strip())
            edit.text_count = len(section.texts_with_labels)
        items.append(edit)
    can_edit = _can_edit(request.user, record)
    context = {
        "record": record,
        "negotiation": negotiation,
        "document": document,
        "sections": items,
        "events": record.events.select_related("by"),
        "carried_count": carried_queryset(request, negotiation).count(),
        "attendance_groups": _attendance(record) if can_edit else [],
        "can_edit": can_edit,
        "can_comment": can_comment(request.user, record),
        "comment_form": next((e.comment_form for e in items if e.comment_form), None),
        "reopen_form": reopen_form or ReopenForm(),
    }
    return render(request, "negotiations/record_detail.html", context, status=status)


def _opened_section(request: HttpRequest) -> int | None:
    """The section named by ?open= (a theme section to show with its texts), if any."""
    opened = request.GET.get("open", "")
    return int(opened) if opened.isascii() and opened.isdigit() else None


def _record_url(record: Record, anchor: str = "", *, opened: RecordSection | None = None) -> str:
    url = reverse("negotiations:record-detail", args=[record.negotiation_id])
    if opened is not None and opened.is_theme:
        url = f"{url}?open={opened.pk}"
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_safe
@cached_page(
    "knowledge",
    *NEGOTIATION,
    FollowUpAction,
    Participant,
    RecordAttendee,
    RecordComment,
    RecordEvent,
    TextsOf(RecordSection),
    TextsOf(ReportSection),
)
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk)
    # The record is created with the negotiation; a region sees it once it has been sent.
    record = get_object_or_404(Record.objects.for_user(request.user), negotiation=negotiation)
    record.negotiation = negotiation
    return _page(request, record)


@login_required
@require_POST
def record_section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """Autosave of one section (htmx), or its Save button without JavaScript."""
    # Only what the save and its answer read; the message of a save without JavaScript reads
    # the section's title, and a refused one the rest of its page, when they are drawn.
    section = get_record_section_for_user(request, pk, section_pk, manage=True)
    record = section.record
    editor = _editor(section, request.POST)
    editor.save(request)
    if request.htmx:
        return render(request, "negotiations/_autosave_status.html", {"edit": editor})
    if editor.saved:
        messages.success(request, _("Osio ”%(title)s” tallennettiin.") % {"title": section.title})
        return redirect(_record_url(record, f"section-{section.pk}", opened=section))
    editor.open = True
    return _page(request, record, {section.pk: editor}, status=409)


@login_required
@require_safe
@cached_page(*NEGOTIATION, TextsOf(RecordSection), TextsOf(ReportSection))
def record_section_texts(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """A theme section's texts (its editor for the ministry while the record is editable) and
    the region's text beside them: what its disclosure on the record page loads (htmx).
    Without htmx, the record page with the section open."""
    record = get_record_for_user(request, pk)
    section = get_object_or_404(section_queryset(record), pk=section_pk)
    if not request.htmx:
        return redirect(_record_url(record, f"section-{section.pk}", opened=section))
    edit = _editor(section)
    edit.section = section
    edit.report_section = _report_sections(
        record.negotiation, round_theme=section.round_theme_id
    ).get(section.round_theme_id)
    context = {
        "record": record,
        "negotiation": record.negotiation,
        "edit": edit,
        "can_edit": _can_edit(request.user, record),
    }
    return render(request, "negotiations/record_detail.html#section-texts", context)


@login_required
@require_safe
def record_section_history(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk)
    section = get_object_or_404(section_queryset(record), pk=section_pk)
    labels = field_labels(section)
    versions = [
        {
            "version": version,
            "texts": [(label, getattr(version, name)) for name, label in labels],
        }
        for version in section.versions.select_related("author")
    ]
    return render(
        request,
        "negotiations/record_section_history.html",
        {
            "record": record,
            "negotiation": record.negotiation,
            "section": section,
            "versions": versions,
            "labelled": section.is_theme,
        },
    )


@login_required
@require_POST
def record_comment_add(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk)
    if not can_comment(request.user, record):
        raise PermissionDenied
    section = get_object_or_404(record.sections, pk=section_pk)
    form = CommentForm(request.POST, auto_id=f"comment-{section.pk}-%s")
    if form.is_valid():
        try:
            record.add_comment(section=section, by=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error)
    if form.errors:
        edit = _editor(section)
        edit.comment_form = form
        return _page(request, record, {section.pk: edit}, status=400)
    messages.success(request, _("Kommenttisi tallennettiin."))
    return redirect(_record_url(record, f"section-{section.pk}"))


@login_required
@require_POST
def record_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_record_for_user(request, pk, manage=True)
    form = AttendanceForm(request.POST, negotiation=record.negotiation)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["present"])
        record.set_attendance(form.cleaned_data["present"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Läsnäolijat tallennettiin."))
    return redirect(_record_url(record, "attendance"))


class InvalidForm(Exception):
    """A step's form (the reason for reopening) was not valid: show it with its errors."""

    def __init__(self, form) -> None:
        self.form = form


def _send(request: HttpRequest, record: Record) -> str:
    if services.send_record_for_comments(record=record, by=request.user):
        return _(
            "Muistio lähetettiin alueelle kommentoitavaksi. Alueen valmistelijoille lähti "
            "ilmoitus sähköpostilla."
        )
    return _(
        "Muistio lähetettiin alueelle kommentoitavaksi. Alueella ei ole valmistelijaa, jolla on "
        "sähköpostiosoite, joten ilmoitusta ei lähetetty."
    )


def _approve(request: HttpRequest, record: Record, reason: str) -> str:
    if services.approve_record(record=record, by=request.user, reason=reason):
        return _(
            "Muistio hyväksyttiin ja lukittiin. Alueen valmistelijoille lähti ilmoitus "
            "sähköpostilla."
        )
    return _("Muistio hyväksyttiin ja lukittiin.")


def _reopen(request: HttpRequest, record: Record) -> str:
    form = ReopenForm(request.POST)
    if not form.is_valid():
        raise InvalidForm(form)
    record.reopen(by=request.user, reason=form.cleaned_data["reason"])
    return _("Muistio avattiin uudelleen muokattavaksi.")


# Approving and publishing go through their check pages: record_approve, record_publish.
TRANSITIONS = {"send": _send, "reopen": _reopen}


@login_required
@require_POST
def record_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the record on; a refused step changes nothing and says why."""
    record = get_record_for_user(request, pk, manage=True)
    transition = TRANSITIONS.get(request.POST.get("action", ""))
    if transition is None:
        messages.error(request, _("Tuntematon toiminto."))
        return redirect(_record_url(record))
    try:
        text = transition(request, record)
    except InvalidForm as invalid:
        return _page(request, record, reopen_form=invalid.form, status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text)
    return redirect(_record_url(record))


# --- check before an irreversible step -----------------------------------------------------------


def _empty_texts(sections) -> tuple[list, list]:
    """The sections with nothing written, and the theme sections with some texts missing
    (each with the labels of the missing ones)."""
    empty, partial = [], []
    for section in sections:
        missing = [label for label, text in section.texts_with_labels if not text.strip()]
        if len(missing) == len(section.texts_with_labels):
            empty.append(section)
        elif missing:
            partial.append({"section": section, "missing": missing})
    return empty, partial


def _approve_page(
    request: HttpRequest, record: Record, form: ApproveForm, *, status: int = 200
) -> HttpResponse:
    document = record_document(
        record,
        prefetch=(Prefetch("comments", queryset=RecordComment.objects.order_by()),),
        figure_summaries=True,
    )
    empty, partial = _empty_texts(document.sections)
    actions = []
    for section in document.themes:
        for action in section.actions.all():
            action.theme_title = section.title
            actions.append(action)
    commented = [
        {"section": section, "count": len(section.comments.all())}
        for section in document.sections
        if section.comments.all()
    ]
    context = {
        "record": record,
        "negotiation": record.negotiation,
        "document": document,
        "empty_sections": empty,
        "partial_sections": partial,
        "action_count": len(actions),
        "incomplete_actions": [a for a in actions if not a.owner.strip() or not a.due_date],
        "commented_sections": commented,
        "comment_count": sum(item["count"] for item in commented),
        "region_has_had_it": not form.needs_reason,
        "form": form,
    }
    return render(request, "negotiations/record_approve_check.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Check before approving (GET: the sections left empty, who attended, actions without an
    owner or a due date, the region's comments, what happens next); the confirmation
    approves (POST). A record the region never had for comments needs a reason."""
    record = get_record_for_user(request, pk, manage=True)
    if not record.is_editable:
        if request.method == "POST":
            messages.error(request, _("Muistio on jo hyväksytty."))
        return redirect(_record_url(record))
    needs_reason = not record.region_has_had_it
    if request.method != "POST":
        return _approve_page(request, record, ApproveForm(needs_reason=needs_reason))
    form = ApproveForm(request.POST, needs_reason=needs_reason)
    if not form.is_valid():
        return _approve_page(request, record, form, status=400)
    try:
        text = _approve(request, record, form.cleaned_data.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text)
    return redirect(_record_url(record))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def record_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Check before publishing (GET: the record exactly as the public page will show it);
    the confirmation publishes (POST). A published record can no longer be reopened."""
    record = get_record_for_user(request, pk, manage=True)
    if request.method == "POST":
        try:
            record.publish(by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Muistio julkaistiin."))
        return redirect(_record_url(record))
    if record.status != Record.Status.APPROVED:
        return redirect(_record_url(record))
    record = Record.objects.select_related(
        "negotiation__round", "negotiation__region", "approved_by"
    ).get(pk=record.pk)
    # Shown as it will be once published today; the object is never saved here.
    record.published_at = timezone.now()
    document = record_document(record)
    context = {
        "record": record,
        "negotiation": record.negotiation,
        "sections": document.sections,
        "present_groups": document.present_groups,
    }
    return render(request, "negotiations/record_publish_check.html", context)
