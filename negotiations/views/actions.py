"""Follow-up actions (jatkotoimenpiteet): agreed in a theme section of a record, followed up
in the tracker round after round, with dated progress notes from the ministry and the region."""

import copy
import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as format_date
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from negotiations import feedback
from negotiations.access import get_action_for_user, get_record_for_user, require_ministry_official
from negotiations.display import day
from negotiations.forms.actions import (
    ActionEditForm,
    ActionFilterForm,
    BulkStatusForm,
    FollowUpActionForm,
    ProgressNoteForm,
)
from negotiations.links import PkUrl
from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    Round,
    RoundTheme,
    Theme,
)
from negotiations.models.actions import (
    ROW_RELATIONS as ROW_RELATIONS,  # views/reports.py reads it from here
)
from negotiations.models.actions import FollowUpActionQuerySet, notes_with_authors
from negotiations.renderers import QUICK
from negotiations.views.confirm import Confirmation, Fact, render_confirmation
from negotiations.views.rows import section_actions, truncated
from pagecache.pages import cached_page
from regions.models import CooperationArea, Region
from regions.roles import is_ministry_official

PAGE_SIZE = 50
THEME_KINDS = (RecordSection.Kind.THEME, RecordSection.Kind.REGION_THEME)
ACTION_LOCKED = gettext_lazy(
    "Muistio on hyväksytty, joten sen jatkotoimenpiteitä ei voi enää poistaa. Tilan voi yhä "
    "muuttaa, esimerkiksi perutuksi."
)


# --- progress notes --------------------------------------------------------------------------
# Whoever sees an action may note its progress: the ministry, and the preparers of its region
# or of a successor (FollowUpAction.objects.for_user decides who sees it).


def with_note_form(
    action: FollowUpAction, *, next_url: str, form: ProgressNoteForm | None = None
) -> FollowUpAction:
    """Attach what the notes partial reads: the form, and where a note added without
    JavaScript returns to."""
    action.note_form = form if form is not None else ProgressNoteForm(action=action)
    action.note_next = next_url
    return action


def with_notes(action: FollowUpAction) -> FollowUpAction:
    """The action's notes with their authors in one query, for the notes partial."""
    prefetch_related_objects([action], notes_with_authors())
    return action


def theme_title(action: FollowUpAction) -> str:
    # Not section.title: for the region's own theme it reads the record again.
    if action.section.round_theme_id:
        return action.section.round_theme.theme.title
    return action.negotiation.region_theme_title


# --- adding an action in a record -----------------------------------------------------------


def _section_context(section: RecordSection, record: Record, **extra) -> dict:
    section.action_rows = section_actions(section)
    return {"section": section, "record": record, "can_edit": record.is_editable, **extra}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def action_add(request: HttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """Add an action to a theme section: htmx gets the section's actions back, a plain POST is
    redirected to the record (or shown the form with its errors). A GET gives the empty form:
    the partial the record's disclosure loads in place (htmx), or a page of its own."""
    record = get_record_for_user(request, pk, manage=True)
    section = get_object_or_404(
        record.sections.filter(kind__in=THEME_KINDS).select_related("round_theme__theme"),
        pk=section_pk,
    )
    record_url = reverse("negotiations:record-detail", args=[record.negotiation_id])
    section_url = f"{record_url}#section-{section.pk}"

    if request.method != "POST":
        return _add_form(request, record, section, section_url)
    if not record.is_editable:
        message = _("Muistio on hyväksytty, joten siihen ei voi enää lisätä jatkotoimenpiteitä.")
        if request.htmx:
            context = _section_context(
                section, record, action_status=message, status_is_error=True, oob=True
            )
            return render(request, "negotiations/_section_actions.html#content", context)
        messages.error(request, message)
        return redirect(section_url)

    form = FollowUpActionForm(request.POST, section=section)
    if form.is_valid():
        action = form.save(commit=False)
        action.section = section
        action.created_by = request.user
        try:
            record.add_action(action)
        except ValidationError as error:
            form.add_error(None, error)
    if form.is_valid():
        status = _("Jatkotoimenpide lisättiin.")
        if request.htmx:
            # The form stays open for the next action, and the button keeps the focus.
            context = _section_context(
                section, record, action_status=status, oob=True, keep_open=True
            )
            return render(request, "negotiations/_section_actions.html#content", context)
        messages.success(request, status)
        return redirect(section_url)

    if request.htmx:
        # 200 also for errors: htmx swaps only successful responses.
        context = _section_context(
            section,
            record,
            bound_action_form=form,
            action_status=_("Jatkotoimenpidettä ei lisätty. Korjaa merkityt kohdat."),
            status_is_error=True,
            oob=True,
        )
        return render(request, "negotiations/_section_actions.html#content", context)
    context = {
        "adding": True,
        "form": form,
        "section": section,
        "record": record,
        "negotiation": record.negotiation,
        "record_url": section_url,
    }
    return render(request, "negotiations/action_edit.html", context, status=400)


def _add_form(
    request: HttpRequest, record: Record, section: RecordSection, section_url: str
) -> HttpResponse:
    if not record.is_editable:  # approved meanwhile: the record says so
        return redirect(section_url)
    form = FollowUpActionForm(section=section)
    if request.htmx:
        add_url = reverse("negotiations:action-add", args=[record.pk, section.pk])
        context = {"form": form, "add_url": add_url, "section": section}
        return render(request, "negotiations/_section_actions.html#add-form", context)
    context = {
        "adding": True,
        "form": form,
        "section": section,
        "record": record,
        "negotiation": record.negotiation,
        "record_url": section_url,
    }
    return render(request, "negotiations/action_edit.html", context)


# --- one action: its page, editing, progress notes ------------------------------------------


def _action_page(
    request: HttpRequest,
    action: FollowUpAction,
    *,
    form: ActionEditForm | None = None,
    note_form: ProgressNoteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    record = action.section.record
    manage = is_ministry_official(request.user)
    if manage and form is None:
        form = ActionEditForm(instance=action, locked=not record.is_editable)
    # The page may be opened from a situation report, to which a note then returns.
    next_url = _safe_next(request, reverse("negotiations:action-edit", args=[action.pk]))
    action = with_note_form(with_notes(action), next_url=next_url, form=note_form)
    context = {
        "action": action,
        "negotiation": action.negotiation,
        "record": record,
        "theme_title": theme_title(action),
        "form": form if manage else None,
        "responses": action.responses.select_related(
            "report__negotiation__round", "report__negotiation__region", "updated_by"
        ).order_by("report__negotiation__round__period_start", "pk")
        if action.is_recommendation
        else [],
    }
    return render(request, "negotiations/action_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The action's page: everyone who sees it reads it and its notes; the ministry edits it."""
    action = get_action_for_user(request, pk)
    if request.method != "POST":
        return _action_page(request, action)

    require_ministry_official(request)
    record = action.section.record
    # The form validates a copy: an invalid form must not change the page's summary.
    form = ActionEditForm(request.POST, instance=copy.copy(action), locked=not record.is_editable)
    if not form.is_valid():
        return _action_page(request, action, form=form, status=400)
    try:
        with transaction.atomic():
            _save_action(request, form, record)
    except ValidationError as error:
        form.add_error(None, error)
        return _action_page(request, action, form=form, status=409)
    messages.success(request, _("Jatkotoimenpide tallennettiin."))
    return redirect("negotiations:action-edit", action.pk)


def _action_confirmation(
    record: Record, section: RecordSection, action: FollowUpAction | None, action_pk: int
) -> Confirmation:
    negotiation = record.negotiation
    confirmation = Confirmation(
        question=_("Poistetaanko jatkotoimenpide?"),
        confirm_label=_("Poista jatkotoimenpide"),
        delete_url=reverse("negotiations:action-delete", args=[record.pk, section.pk, action_pk]),
        back_url=(
            reverse("negotiations:action-edit", args=[action.pk])
            if action is not None
            else reverse("negotiations:record-detail", args=[negotiation.pk])
            + f"#section-{section.pk}"
        ),
        negotiation=negotiation,
        document="record",
    )
    if action is None:
        confirmation.gone = _("Jatkotoimenpide on jo poistettu.")
        return confirmation
    notes = action.notes.count()
    confirmation.facts = [
        Fact(_("Toimenpide"), action.what, lang=negotiation.language),
        Fact(_("Teema"), theme_title(action)),
        Fact(_("Vastuutaho"), capfirst(action.get_responsible_display())),
        Fact(_("Vastuuhenkilö tai -yksikkö"), action.owner or "–"),
        Fact(_("Määräaika"), format_date(action.due_date, "j.n.Y") if action.due_date else "–"),
        Fact(_("Tila"), capfirst(action.get_status_display())),
    ]
    confirmation.consequence = ngettext(
        "Jatkotoimenpide ja sen %(count)d edistymismerkintä poistetaan muistiosta pysyvästi.",
        "Jatkotoimenpide ja sen %(count)d edistymismerkintää poistetaan muistiosta pysyvästi.",
        notes,
    ) % {"count": notes}
    if not record.is_editable:
        confirmation.refused = str(ACTION_LOCKED)
    return confirmation


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_delete(request: HttpRequest, pk: int, section_pk: int, action_pk: int) -> HttpResponse:
    """A mistaken action goes, with its notes, while its record is a draft or with the region
    for comments (ministry officials only; checked on the locked record). GET asks (a page, or
    a dialog for htmx), POST deletes; an action already deleted is said to be gone."""
    record = get_record_for_user(request, pk, manage=True)
    section = get_object_or_404(
        record.sections.filter(kind__in=THEME_KINDS).select_related("round_theme__theme"),
        pk=section_pk,
    )
    actions = section.actions.select_related("negotiation", "section__round_theme__theme")
    action = actions.filter(pk=action_pk).first()
    if request.method != "POST":
        confirmation = _action_confirmation(record, section, action, action_pk)
        return render_confirmation(request, confirmation)

    place = feedback.actions_place(section.pk)
    back = reverse("negotiations:record-detail", args=[record.negotiation_id])
    gone = _("Jatkotoimenpide on jo poistettu.")
    if action is None:
        feedback.give(request, place, gone)
        return redirect(back)
    try:
        with transaction.atomic():
            record.require_editable(str(ACTION_LOCKED))
            # A second request waited for the record's lock: the first has deleted it.
            if not actions.filter(pk=action.pk).exists():
                feedback.give(request, place, gone)
                return redirect(back)
            action.delete()
    except ValidationError as error:
        feedback.give(request, place, " ".join(error.messages), error=True)
        return redirect(back)
    feedback.give(
        request,
        place,
        _("Jatkotoimenpide ”%(what)s” poistettiin.") % {"what": truncatechars(action.what, 80)},
    )
    return redirect(back)


def _save_action(request: HttpRequest, form: ActionEditForm, record: Record) -> None:
    """The action's content (only while its record is not approved: checked on the locked
    record) and its status (followed up whatever the record's state)."""
    changed = form.changed_content()
    action = form.instance
    if changed:
        record.require_editable(
            _("Muistio on hyväksytty, joten jatkotoimenpiteen sisältöä ei voi enää muuttaa.")
        )
        action = form.save()
        action.note_changes(list(changed), by=request.user)
    action.change_status(form.cleaned_data["status"], by=request.user)


def _safe_next(request: HttpRequest, default: str) -> str:
    """The page a note added without JavaScript returns to (`next` of the POST, or of the
    query string of a GET that shows the form): a path of this site, or the default (never a
    view name, another host, or anything with control characters)."""
    url = (request.POST if request.method == "POST" else request.GET).get("next", "")
    if (
        url.startswith("/")
        and url.isprintable()
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return url
    return default


@login_required
@require_POST
def action_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress note by the ministry or the action's region (or a successor of it)."""
    action = get_action_for_user(request, pk)
    next_url = _safe_next(request, reverse("negotiations:action-edit", args=[action.pk]))
    form = ProgressNoteForm(request.POST, action=action)
    if form.is_valid():
        action.notes.create(text=form.cleaned_data["text"], author=request.user)
        status = _("Edistymismerkintä lisättiin.")
        if request.htmx:
            return _notes_partial(request, action, next_url, status)
        messages.success(request, status)
        return redirect(next_url)
    if request.htmx:
        return _notes_partial(
            request, action, next_url, _("Merkintää ei lisätty. Korjaa merkityt kohdat."), form
        )
    return _action_page(request, action, note_form=form, status=400)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def action_note_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The action's notes, the progress-note form and its live region, which the situation
    report loads in place (htmx) instead of a form per carried-over action; without htmx, the
    action's page, which has the same form. Writes nothing."""
    action = get_action_for_user(request, pk)
    page_url = reverse("negotiations:action-edit", args=[action.pk])
    if not request.htmx:
        return redirect(f"{page_url}?{request.GET.urlencode()}" if request.GET else page_url)
    with_note_form(with_notes(action), next_url=_safe_next(request, page_url))
    context = {"action": action, "focus_note": True}
    return render(request, "negotiations/_carried_actions.html#action-notes", context)


def _notes_partial(request, action, next_url, status, form=None) -> HttpResponse:
    with_note_form(with_notes(action), next_url=next_url, form=form)
    context = {
        "action": action,
        "note_status": status,
        "status_is_error": form is not None,
        "oob": True,
    }
    return render(request, "negotiations/_carried_actions.html#notes-block", context)


# --- the tracker ---------------------------------------------------------------------------


def filter_form(request: HttpRequest) -> ActionFilterForm:
    user = request.user
    return ActionFilterForm(
        request.GET,
        rounds=list(Round.objects.for_user(user)),
        regions=list(Region.objects.for_user(user)),
        areas=list(CooperationArea.objects.all()),
        themes=list(Theme.objects.all()),
        renderer=QUICK,  # some 90 options: drawn without two templates each
    )


def tracker_actions(request: HttpRequest, filters: dict) -> FollowUpActionQuerySet:
    """The actions the user sees that match the form's filters."""
    only_open = filters["status"] == ActionFilterForm.OPEN
    return FollowUpAction.objects.for_user(request.user).filtered(
        round_id=filters["round"],
        region_id=filters["region"],
        area_code=filters["area"],
        theme_code=filters["theme"],
        kind=filters["kind"],
        responsible=filters["responsible"],
        status="" if only_open else filters["status"],
        only_open=only_open,
        only_overdue=filters["overdue"],
    )


class TrackerRows:
    """The tracker's rows as the Paginator reads them: counted, and sliced to a page, from the
    number of actions in each record (`counts_by_record`), so that a page reads only the
    records it shows instead of sorting every action."""

    def __init__(self, actions: FollowUpActionQuerySet) -> None:
        self.actions = actions
        self.records = actions.counts_by_record()

    def count(self) -> int:
        return sum(n for _pk, n in self.records)

    def __getitem__(self, window: slice) -> list[dict]:
        start, stop = window.start or 0, window.stop
        shown, skip, before = [], 0, 0
        for pk, n in self.records:
            if before + n > start and before < stop:
                if not shown:
                    skip = start - before
                shown.append(pk)
            before += n
        if not shown:
            return []
        rows = self.actions.filter(section__record__in=shown).tracker_page_rows()
        return tracker_cells(list(rows[skip : skip + stop - start]))


def tracker_cells(rows: list[dict]) -> list[dict]:
    """What the template prints in each row (`tracker_page_rows`), worked out once a page:
    the labels of the choices, the dates, the texts cut short and the links."""
    responsible = {
        value: capfirst(str(label)) for value, label in FollowUpAction.Responsible.choices
    }
    status = {value: capfirst(str(label)) for value, label in FollowUpAction.Status.choices}
    select = _("Valitse: %(what)s")
    ellipsis = pgettext("String to return when truncating text", "%(truncated_text)s…")
    url = PkUrl("negotiations:action-edit")
    for row in rows:
        what = row["what"]
        row["id"] = str(row["pk"])  # text: a number would be localised four times a row
        row["url"] = url(row["pk"])
        row["what"] = truncated(what, 160, ellipsis)
        row["select_label"] = mark_safe(select % {"what": escape(truncated(what, 60, ellipsis))})
        row["is_recommendation"] = row["kind"] == FollowUpAction.Kind.RECOMMENDATION
        row["responsible"] = responsible.get(row["responsible"], row["responsible"])
        row["status"] = status.get(row["status"], row["status"])
        row["due"] = day(row["due_date"])
        row["owner"] = row["owner"] or "–"
        row["notes"] = "–"
        if row["note_count"]:
            row["notes"] = ngettext(
                "%(counter)s merkintä, viimeisin %(when)s",
                "%(counter)s merkintää, viimeisin %(when)s",
                row["note_count"],
            ) % {
                "counter": row["note_count"],
                "when": day(row["latest_note_at"]),
            }
    return rows


def _tracker_url(request: HttpRequest) -> str:
    url = reverse("negotiations:action-tracker")
    return f"{url}?{request.GET.urlencode()}" if request.GET else url


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
@cached_page(
    ActionProgressNote, FollowUpAction, Negotiation, Record, RecordSection, Round, RoundTheme, Theme
)
def action_tracker(request: HttpRequest) -> HttpResponse:
    """Every action the user may see, filtered from the query string, 50 to a page; the
    ministry changes the status of the ticked ones at once."""
    if request.method == "POST":
        return _bulk_status_change(request)
    form = filter_form(request)
    filters = form.filters()
    rows = TrackerRows(tracker_actions(request, filters))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "filtered": any(filters.values()),
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "bulk_form": BulkStatusForm(renderer=QUICK) if is_ministry_official(request.user) else None,
    }
    # A history restore (back button with htmx's cache empty) needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "negotiations/action_tracker.html#results", context)
    return render(request, "negotiations/action_tracker.html", context)


def _bulk_status_change(request: HttpRequest) -> HttpResponse:
    require_ministry_official(request)
    back = _tracker_url(request)
    form = BulkStatusForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    status = form.cleaned_data["status"]
    changed = 0
    with transaction.atomic():
        selected = FollowUpAction.objects.for_user(request.user).filter(
            pk__in=form.cleaned_data["actions"]
        )
        for action in selected.select_for_update():
            if action.status != status:
                action.change_status(status, by=request.user)
                changed += 1
    messages.success(
        request,
        ngettext(
            "%(count)d jatkotoimenpiteen tila muutettiin.",
            "%(count)d jatkotoimenpiteen tila muutettiin.",
            changed,
        )
        % {"count": changed},
    )
    return redirect(back)


# --- CSV export ----------------------------------------------------------------------------

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """A spreadsheet program runs a cell starting with = + - @ as a formula: make it text."""
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def latest_note(action: FollowUpAction) -> ActionProgressNote:
    """The latest note of a tracker row, from its annotations (see
    `FollowUpActionQuerySet.tracker_rows`)."""
    return ActionProgressNote(
        kind=action.latest_note_kind,
        text=action.latest_note_text,
        old=action.latest_note_old,
        new=action.latest_note_new,
        fields=action.latest_note_fields or [],
    )


def _csv_date(value: datetime.date | datetime.datetime | None) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return value.strftime("%d.%m.%Y") if value else ""


@login_required
@require_safe
def action_export(request: HttpRequest) -> HttpResponse:
    """The tracker's rows (same filters, same scope, every page) as a CSV file that Finnish
    spreadsheet programs open as is: UTF-8 with a BOM, semicolons between the cells."""
    filters = filter_form(request).filters()
    actions = tracker_actions(request, filters).tracker_rows()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jatkotoimenpiteet.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Kierros"),
            _("Alue"),
            _("Teema"),
            _("Toimenpide"),
            _("Vastuutaho"),
            _("Vastuuhenkilö"),
            _("Määräaika"),
            _("Tila"),
            _("Viimeisin edistyminen"),
            _("Laji"),
            _("Antava ministeriö"),
            _("Alueen vastine"),
        ]
    )
    for action in actions:
        latest = ""
        if action.latest_note_at:
            latest = f"{_csv_date(action.latest_note_at)} {latest_note(action).display_text}"
        writer.writerow(
            [
                csv_cell(str(value))
                for value in (
                    action.negotiation.round.name,
                    action.negotiation.region.name,
                    theme_title(action),
                    action.what,
                    action.get_responsible_display(),
                    action.owner,
                    _csv_date(action.due_date),
                    action.get_status_display(),
                    latest,
                    action.get_kind_display(),
                    action.get_ministry_display() if action.ministry else "",
                    action.latest_response or "",
                )
            ]
        )
    return response
