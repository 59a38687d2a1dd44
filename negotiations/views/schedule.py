"""The schedule of a round, one row per negotiation, and the planning of one negotiation
(participants, the region theme), whose page is in `negotiations.views.negotiations`.

Managing is for ministry officials. Once the negotiation's record is approved, its planning
is history: every planning write is refused, checked on the locked record where the write
happens.
"""

import copy
import datetime
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from negotiations import feedback, services
from negotiations.access import get_negotiation_for_user, get_round_for_ministry
from negotiations.display import options
from negotiations.emails import region_preparers
from negotiations.forms.schedule import (
    NegotiationScheduleForm,
    ParticipantForm,
    RegionThemeForm,
    chair_choices,
)
from negotiations.links import PkUrl
from negotiations.models import Negotiation, Participant, Record, Round
from negotiations.models.schedule import REGION_THEME_NOT_ALLOWED
from negotiations.overlaps import Overlap, find_overlaps
from negotiations.services import schedule_negotiation
from negotiations.views.confirm import Confirmation, Fact, render_confirmation
from negotiations.views.negotiations import render_detail
from pagecache.pages import cached_page

NOT_SAVED = gettext_lazy("Ei tallennettu: korjaa rivin virheet.")
PLANNING_LOCKED = gettext_lazy(
    "Neuvottelun muistio on hyväksytty, joten neuvottelun aikaa, osallistujia ja "
    "aluekohtaista teemaa ei voi enää muuttaa."
)


def require_planning_open(negotiation: Negotiation) -> None:
    services.require_record_open(negotiation, str(PLANNING_LOCKED))


def is_locked(error: ValidationError) -> bool:
    return getattr(error, "code", None) == "locked"


@dataclass
class ScheduleRow:
    """One negotiation of the schedule. `form` is the row's bound form after a failed save;
    every other row is drawn from the negotiation itself as plain inputs, the same inputs
    `NegotiationScheduleForm` would draw (a page of 23 forms spent most of its time copying
    fields and rendering widget templates)."""

    negotiation: Negotiation
    form: NegotiationScheduleForm | None = None
    overlaps: list[Overlap] = field(default_factory=list)
    status: str = ""
    # Set by finish_rows(): what the row writes besides its inputs.
    detail_url: str = ""
    calendar_url: str = ""
    save_url: str = ""
    calendar_label: str = ""
    chair_options: str = ""

    @property
    def locked(self) -> bool:
        """An approved record fixes the meeting: the row is shown, not edited (the write view
        refuses it too, on the locked record)."""
        record = getattr(self.negotiation, "record", None)
        return record is not None and not record.is_editable

    @property
    def html_id(self) -> str:
        return f"schedule-{self.negotiation.pk}"

    @property
    def date_value(self) -> str:
        date = self.negotiation.date
        return date.isoformat() if date else ""

    @property
    def start_value(self) -> str:
        return _clock_value(self.negotiation.start_time)

    @property
    def end_value(self) -> str:
        return _clock_value(self.negotiation.end_time)

    @property
    def shows_confirmation(self) -> bool:
        """A saved day outside the round's period was confirmed: the box stays ticked."""
        if self.form is not None:
            return self.form.shows_confirmation
        date, round_ = self.negotiation.date, self.negotiation.round
        return date is not None and not (round_.period_start <= date <= round_.period_end)


def _clock_value(time: datetime.time | None) -> str:
    return f"{time:%H:%M}" if time else ""


class ChairOptions:
    """The chair select's options for the plain rows, drawn once per chair chosen."""

    def __init__(self, choices: list[tuple[str | int, str]]) -> None:
        self.choices = choices
        self.drawn: dict[str, str] = {}

    def __call__(self, chair_id: int | None) -> str:
        key = "" if chair_id is None else str(chair_id)
        if key not in self.drawn:
            self.drawn[key] = options(self.choices, key)
        return self.drawn[key]


def row_texts() -> dict[str, str]:
    """The rows' labels (the row form's) and words, translated once a page."""
    texts = {name: str(field.label) for name, field in NegotiationScheduleForm.base_fields.items()}
    texts["save"] = _("Tallenna")
    texts["video"] = _("Videoyhteys")
    texts["locked"] = _("Muistio on hyväksytty: aikaa ei voi enää muuttaa.")
    return texts


def finish_rows(rows: list[ScheduleRow]) -> None:
    """The links, the calendar label and the chair's options of each row, worked out once a
    page rather than by template tags in every row."""
    detail, calendar, save = (
        PkUrl(f"negotiations:{name}")
        for name in ("negotiation-detail", "negotiation-calendar", "negotiation-schedule")
    )
    calendar_entry = _("kalenterimerkintä, %(region)s")
    chair_options = None
    for row in rows:
        negotiation = row.negotiation
        row.detail_url = detail(negotiation.pk)
        row.calendar_url = calendar(negotiation.pk)
        row.save_url = save(negotiation.pk)
        row.calendar_label = calendar_entry % {"region": negotiation.region.name}
        if row.form is None and not row.locked:
            chair_options = chair_options or ChairOptions(chair_choices())
            row.chair_options = chair_options(negotiation.chair_id)


def _render_schedule(
    request: HttpRequest,
    round_: Round,
    *,
    bound: NegotiationScheduleForm | None = None,
    status: int = 200,
) -> HttpResponse:
    negotiations = list(
        round_.negotiations.select_related("region", "chair", "record").order_by(
            "region__kind", "region__code"
        )
    )
    overlaps = find_overlaps(negotiations)
    rows = []
    for negotiation in negotiations:
        row = ScheduleRow(negotiation, overlaps=overlaps.get(negotiation.pk, []))
        if bound is not None and bound.instance.pk == negotiation.pk:
            row.form, row.status = bound, NOT_SAVED
        rows.append(row)
    finish_rows(rows)
    return render(
        request,
        "negotiations/round_schedule.html",
        {"round": round_, "rows": rows, "form": bound, "texts": row_texts()},
        status=status,
    )


@login_required
@require_safe
@cached_page(Negotiation, Participant, Record, Round)
def round_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_schedule(request, get_round_for_ministry(request, pk))


@login_required
@require_POST
def negotiation_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one row of the schedule: htmx gets the row back, a plain POST is redirected."""
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    # The form validates a copy: the service compares the stored time with the new one.
    form = NegotiationScheduleForm(request.POST, instance=copy.copy(negotiation))
    saved = notified = False
    if form.is_valid():
        try:
            with transaction.atomic():
                require_planning_open(negotiation)
                notified = schedule_negotiation(negotiation=negotiation, **form.schedule_changes())
            saved = True
            # The service tells the region also when it has nobody with an e-mail address.
            notified = notified and region_preparers(negotiation.region).exists()
        except ValidationError as error:
            negotiation.refresh_from_db()
            form.add_error(None, error)

    if not saved:
        status = NOT_SAVED
    elif notified:
        status = _("Tallennettu. Alueen valmistelijoille lähti ilmoitus sähköpostilla.")
    else:
        status = _("Tallennettu.")

    if request.htmx:
        row = ScheduleRow(
            negotiation,
            None if saved else form,
            find_overlaps([negotiation]).get(negotiation.pk, []),
            status,
        )
        finish_rows([row])
        # 200 also for errors: htmx swaps only successful responses.
        return render(
            request,
            "negotiations/round_schedule.html#row",
            {"round": negotiation.round, "row": row, "texts": row_texts()},
        )
    if saved:
        messages.success(
            request,
            _("Alueen %(region)s aikataulu: %(status)s")
            % {"region": negotiation.region, "status": status},
        )
        url = reverse("negotiations:round-schedule", args=[negotiation.round_id])
        return redirect(f"{url}#row-{negotiation.pk}")
    return _render_schedule(request, negotiation.round, bound=form, status=400)


def _detail_url(negotiation: Negotiation) -> str:
    # No fragment: the section's feedback takes the focus (autofocus), which a fragment
    # pointing at an element would cancel.
    return reverse("negotiations:negotiation-detail", args=[negotiation.pk])


@login_required
@require_POST
def participant_add(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    place = feedback.participants_place(negotiation.pk)
    form = ParticipantForm(request.POST, negotiation=negotiation)
    if form.is_valid():
        try:
            with transaction.atomic():
                require_planning_open(negotiation)
                participant = negotiation.add_participant(**form.cleaned_data)
        except ValidationError as error:
            if is_locked(error):
                feedback.give(request, place, " ".join(error.messages), error=True)
                return redirect(_detail_url(negotiation))
            form.add_error(None, error)
        else:
            feedback.give(
                request,
                place,
                _("%(name)s lisättiin osallistujaksi.") % {"name": participant.display_name},
            )
            return redirect(_detail_url(negotiation))
    return render_detail(request, negotiation, participant_form=form, status=400)


def _participant_confirmation(
    negotiation: Negotiation, participant: Participant | None, participant_pk: int
) -> Confirmation:
    confirmation = Confirmation(
        question=_("Poistetaanko osallistuja?"),
        confirm_label=_("Poista osallistuja"),
        delete_url=reverse(
            "negotiations:participant-delete", args=[negotiation.pk, participant_pk]
        ),
        back_url=_detail_url(negotiation) + "#participants",
        negotiation=negotiation,
    )
    if participant is None:
        confirmation.gone = _("Osallistuja on jo poistettu.")
        return confirmation
    confirmation.facts = [
        Fact(_("Nimi"), participant.display_name),
        Fact(_("Osapuoli"), capfirst(participant.get_side_display())),
    ]
    if participant.title:
        confirmation.facts.append(Fact(_("Tehtävänimike"), participant.title))
    if participant.organisation:
        confirmation.facts.append(Fact(_("Organisaatio"), participant.organisation))
    confirmation.facts.append(Fact(_("Neuvottelu"), str(negotiation)))
    confirmation.consequence = _(
        "Henkilö poistetaan neuvottelun osallistujista. Muistion luonnoksesta poistuu myös "
        "hänen läsnäolomerkintänsä."
    )
    return confirmation


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def participant_delete(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """GET asks (a page, or a dialog for htmx), POST removes; a participant already removed
    is said to be gone, whether asked about or removed again."""
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    participants = negotiation.participants.select_related("user")
    participant = participants.filter(pk=participant_pk).first()
    if request.method != "POST":
        confirmation = _participant_confirmation(negotiation, participant, participant_pk)
        if participant is not None and planning_is_locked(negotiation):
            confirmation.refused = str(PLANNING_LOCKED)
        return render_confirmation(request, confirmation)

    place = feedback.participants_place(negotiation.pk)
    gone = _("Osallistuja on jo poistettu.")
    if participant is None:
        feedback.give(request, place, gone)
        return redirect(_detail_url(negotiation))
    name = participant.display_name
    try:
        with transaction.atomic():
            require_planning_open(negotiation)
            # A second request waited for the record's lock: the first has removed them.
            if not participants.filter(pk=participant.pk).exists():
                feedback.give(request, place, gone)
                return redirect(_detail_url(negotiation))
            services.remove_participant(participant=participant)
    except ValidationError as error:
        feedback.give(request, place, " ".join(error.messages), error=True)
        return redirect(_detail_url(negotiation))
    feedback.give(request, place, _("%(name)s poistettiin osallistujista.") % {"name": name})
    return redirect(_detail_url(negotiation))


def planning_is_locked(negotiation: Negotiation) -> bool:
    """For the pages only: a write checks it again on the locked record."""
    record = Record.objects.filter(negotiation=negotiation).only("status").first()
    return record is not None and not record.is_editable


@login_required
@require_POST
def region_theme(request: HttpRequest, pk: int) -> HttpResponse:
    negotiation = get_negotiation_for_user(request, pk, manage=True)
    if not negotiation.round.allows_region_theme:
        messages.error(request, REGION_THEME_NOT_ALLOWED)
        return render_detail(request, negotiation, status=400)
    place = feedback.region_theme_place(negotiation.pk)
    form = RegionThemeForm(request.POST, negotiation=negotiation)
    if form.is_valid():
        try:
            with transaction.atomic():
                require_planning_open(negotiation)
                services.set_region_theme(
                    negotiation=negotiation,
                    title=form.cleaned_data["region_theme_title"],
                    questions=form.cleaned_data["region_theme_questions"],
                )
        except ValidationError as error:
            if is_locked(error):
                feedback.give(request, place, " ".join(error.messages), error=True)
                return redirect(_detail_url(negotiation))
            form.add_error(None, error)
        else:
            feedback.give(request, place, _("Aluekohtainen teema tallennettiin."))
            return redirect(_detail_url(negotiation))
    return render_detail(request, negotiation, theme_form=form, status=400)
