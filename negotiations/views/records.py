"""The negotiation record (neuvottelumuistio): the ministry writes it section by section beside
the region's situation report, the region's preparers comment on it, the ministry approves
and publishes it.

Editing works as in the situation report: every section autosaves (htmx) as one versioned
unit, and a save based on an older version than the stored one is refused, never merged
silently.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from negotiations import services
from negotiations.access import get_negotiation_for_user, get_record_for_user
from negotiations.documents import field_labels, record_document, section_queryset
from negotiations.forms.records import AttendanceForm, CommentForm
from negotiations.models import (
    Participant,
    Record,
    RecordComment,
    RecordSection,
    ReportSection,
    SituationReport,
)
from negotiations.views.autosave import MAX_SECTION_LENGTH, base_version, posted_text
from regions.models import Region
from regions.roles import is_ministry_official

# A returned report was submitted once: what the region wrote is still worth reading.
REPORT_SHOWN = (SituationReport.Status.SUBMITTED, SituationReport.Status.RETURNED)


@dataclass
class FieldText:
    name: str
    label: str
    input_name: str  # "situation-12": unique on the page
    value: str  # as typed, or as stored
    stored: str  # as stored now: shown beside a conflict


class SectionEdit:
    """One section on the page: its texts as typed and what became of a save attempt."""

    def __init__(self, section: RecordSection) -> None:
        self.section = section
        self.typed: dict[str, str] = {}
        self.error = ""
        self.conflict = False
        self.saved = False
        self.report_section: ReportSection | None = None
        self.comment_form: CommentForm | None = None

    @property
    def fields(self) -> list[FieldText]:
        section = self.section
        return [
            FieldText(
                name=name,
                label=label,
                input_name=f"{name}-{section.pk}",
                value=self.typed.get(name, getattr(section, name)),
                stored=getattr(section, name),
            )
            for name, label in field_labels(section)
        ]

    def _params(self, *extra: str) -> str:
        return ",".join([field.input_name for field in self.fields] + list(extra))

    @property
    def save_params(self) -> str:
        """hx-params of an autosave: the whole section and its version, one unit."""
        return self._params(f"version-{self.section.pk}")

    @property
    def merge_params(self) -> str:
        return self._params("merged_version")


def _save_section(request: HttpRequest, edit: SectionEdit) -> None:
    section = edit.section
    names = [name for name, _label in field_labels(section)]
    edit.typed = {
        name: posted_text(request, f"{name}-{section.pk}")
        for name in names
        if f"{name}-{section.pk}" in request.POST
    }
    if any(len(text) > MAX_SECTION_LENGTH for text in edit.typed.values()):
        edit.error = _("Teksti on liian pitkä: enintään %(max)d merkkiä.") % {
            "max": MAX_SECTION_LENGTH
        }
        return
    base = base_version(request, section.pk)
    unchanged = all(getattr(section, name) == text for name, text in edit.typed.items())
    if base == section.version and unchanged:
        edit.saved = True  # nothing new: no empty version in the history
        return
    if base is None or not section.save_texts(texts=edit.typed, base_version=base, by=request.user):
        edit.conflict = True
        return
    edit.saved = True


def can_comment(user: User | AnonymousUser, record: Record) -> bool:
    """The region's own preparers, while the record is with them for comments."""
    return (
        record.status == Record.Status.COMMENTS
        and Region.objects.prepared_by(user).filter(pk=record.negotiation.region_id).exists()
    )


def _attendance(record: Record) -> tuple[list[dict], bool]:
    """The invited participants by side, each marked present or not; and whether any is."""
    present = set(record.present.values_list("pk", flat=True))
    by_side: dict[str, list[dict]] = {side: [] for side in Participant.Side.values}
    for participant in record.negotiation.participants.select_related("user"):
        by_side[participant.side].append(
            {"participant": participant, "present": participant.pk in present}
        )
    groups = [
        {"label": Participant.Side(side).label, "people": people}
        for side, people in by_side.items()
        if people
    ]
    return groups, bool(present)


def _page(
    request: HttpRequest, record: Record, edits: dict | None = None, status: int = 200
) -> HttpResponse:
    negotiation = record.negotiation
    edits = edits or {}
    # The region's text per theme, for all sections in one query (None: the region's theme).
    reports = {
        report_section.round_theme_id: report_section
        for report_section in ReportSection.objects.filter(
            report__negotiation=negotiation, report__status__in=REPORT_SHOWN
        )
        .exclude(text="")
        .select_related("report")
        .order_by()
    }
    # The record's content comes from the same function as the PDF's: the two never disagree.
    document = record_document(
        record,
        prefetch=(Prefetch("comments", queryset=RecordComment.objects.select_related("author")),),
    )
    items = []
    for section in document.sections:
        edit = edits.get(section.pk) or SectionEdit(section)
        edit.section = section
        if section.is_theme:
            edit.report_section = reports.get(section.round_theme_id)
        items.append(edit)
    groups, anyone_present = _attendance(record)
    context = {
        "record": record,
        "negotiation": negotiation,
        "document": document,
        "sections": items,
        "events": record.events.select_related("by"),
        "attendance_groups": groups,
        "anyone_present": anyone_present,
        "can_edit": is_ministry_official(request.user) and record.is_editable,
        "can_comment": can_comment(request.user, record),
        "comment_form": next((e.comment_form for e in items if e.comment_form), None),
    }
    return render(request, "negotiations/record_detail.html", context, status=status)


def _record_url(record: Record, anchor: str = "") -> str:
    url = reverse("negotiations:record-detail", args=[record.negotiation_id])
    return f"{url}#{anchor}" if anchor else url


def _editable_record(request: HttpRequest, pk: int) -> Record:
    """Ministry officials only, and only before approval: an approved record is locked."""
    record = get_record_for_user(request, pk, manage=True)
    if not record.is_editable:
        raise PermissionDenied
    return record


@login_required
@require_safe
def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk)
    if is_ministry_official(request.user):
        record = services.ensure_record(negotiation)
    else:
        # The region sees its record once the ministry has sent it for comments.
        record = (
            Record.objects.filter(negotiation=negotiation)
            .exclude(status=Record.Status.DRAFT)
            .first()
        )
        if record is None:
            raise Http404
    record.negotiation = negotiation
    return _page(request, record)


@login_required
@require_POST
def record_section_save(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """Autosave of one section (htmx), or its Save button without JavaScript."""
    record = _editable_record(request, pk)
    section = get_object_or_404(section_queryset(record), pk=section_pk)
    edit = SectionEdit(section)
    _save_section(request, edit)
    if request.htmx:
        return render(
            request,
            "negotiations/record_detail.html#section-status",
            {"edit": edit, "record": record},
        )
    if edit.saved:
        messages.success(request, _("Osio ”%(title)s” tallennettiin.") % {"title": section.title})
        return redirect(_record_url(record, f"section-{section.pk}"))
    return _page(request, record, {section.pk: edit}, status=409)


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
    if not form.is_valid():
        edit = SectionEdit(section)
        edit.comment_form = form
        return _page(request, record, {section.pk: edit}, status=400)
    section.comments.create(author=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Kommenttisi tallennettiin."))
    return redirect(_record_url(record, f"section-{section.pk}"))


@login_required
@require_POST
def record_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    record = _editable_record(request, pk)
    form = AttendanceForm(request.POST, negotiation=record.negotiation)
    if form.is_valid():
        record.present.set(form.cleaned_data["present"])
        messages.success(request, _("Läsnäolijat tallennettiin."))
    else:
        messages.error(request, " ".join(form.errors["present"]))
    return redirect(_record_url(record, "attendance"))


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


def _approve(request: HttpRequest, record: Record) -> str:
    if services.approve_record(record=record, by=request.user):
        return _(
            "Muistio hyväksyttiin ja lukittiin. Alueen valmistelijoille lähti ilmoitus "
            "sähköpostilla."
        )
    return _("Muistio hyväksyttiin ja lukittiin.")


def _reopen(request: HttpRequest, record: Record) -> str:
    record.reopen(by=request.user, reason=request.POST.get("reason", ""))
    return _("Muistio avattiin uudelleen muokattavaksi.")


def _publish(request: HttpRequest, record: Record) -> str:
    record.publish(by=request.user)
    return _("Muistio julkaistiin.")


TRANSITIONS = {"send": _send, "approve": _approve, "reopen": _reopen, "publish": _publish}


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
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, text)
    return redirect(_record_url(record))
