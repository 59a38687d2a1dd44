"""Changes that touch several objects or have side effects (e-mail)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from negotiations.emails import send_to_region_preparers
from negotiations.models import (
    Negotiation,
    Participant,
    Record,
    RecordAttendee,
    RecordSection,
    ReportSection,
    Round,
    RoundTheme,
    SituationReport,
)
from negotiations.models.locking import lock_row

SCHEDULE_FIELDS = ("date", "start_time", "end_time", "place", "video_link", "chair")
TIME_FIELDS = ("date", "start_time", "end_time")


@transaction.atomic
def set_participating_regions(*, round_: Round, regions) -> None:
    """One negotiation per participating region: create the missing, remove the dropped.

    A region whose negotiation is already scheduled is not dropped silently: the whole
    change is refused with the names of those regions.
    """
    # Two edits of the round at once: the second sees the negotiations the first created.
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    wanted = {region.pk for region in regions}
    current = dict(round_.negotiations.values_list("region_id", "pk"))
    dropped = Negotiation.objects.filter(
        pk__in=[pk for rid, pk in current.items() if rid not in wanted]
    )
    scheduled = [n.region.name for n in dropped.scheduled().select_related("region")]
    if scheduled:
        raise ValidationError(
            _("Alueita, joiden neuvottelu on jo aikataulutettu, ei voi poistaa: %(regions)s.")
            % {"regions": ", ".join(sorted(scheduled))},
            code="scheduled_region_dropped",
        )
    dropped.delete()
    added = Negotiation.objects.bulk_create(
        Negotiation(round=round_, region_id=region_id) for region_id in wanted - set(current)
    )
    for negotiation in added:
        negotiation.round = round_
        ensure_documents(negotiation)


@transaction.atomic
def copy_round_themes(*, source: Round, target: Round) -> None:
    """The themes of an earlier round, in order, with this round's questions, the national
    objectives each theme covers and the indicators shown beside it."""
    originals = list(source.round_themes.prefetch_related("objectives", "indicators"))
    copies = RoundTheme.objects.bulk_create(
        RoundTheme(
            round=target,
            theme_id=round_theme.theme_id,
            position=round_theme.position,
            guiding_questions_fi=round_theme.guiding_questions_fi,
            guiding_questions_sv=round_theme.guiding_questions_sv,
        )
        for round_theme in originals
    )
    RoundTheme.objectives.through.objects.bulk_create(
        RoundTheme.objectives.through(roundtheme_id=twin.pk, nationalobjective_id=objective.pk)
        for original, twin in zip(originals, copies, strict=True)
        for objective in original.objectives.all()
    )
    RoundTheme.indicators.through.objects.bulk_create(
        RoundTheme.indicators.through(roundtheme_id=twin.pk, indicator_id=indicator.pk)
        for original, twin in zip(originals, copies, strict=True)
        for indicator in original.indicators.all()
    )


@transaction.atomic
def save_round(*, form, copy_themes_from: Round | None = None) -> Round:
    """Save a valid RoundForm with its participating regions (and copied themes).

    Raises ValidationError, with nothing saved, when a scheduled region would be dropped.
    """
    round_ = form.save()
    set_participating_regions(round_=round_, regions=form.participating_regions())
    if copy_themes_from is not None:
        copy_round_themes(source=copy_themes_from, target=round_)
    return round_


@transaction.atomic
def advance_round_status(*, round_: Round, to: str) -> int:
    """Move the round on; opening it for reports gives every region its situation report and
    tells the region's preparers (the e-mails leave when the change is committed).

    Returns the number of e-mails sent. A repeated or concurrent request for the same step
    finds the round already moved on (the status is checked on the locked row) and changes
    nothing.
    """
    round_.advance_status(to)
    if to != Round.Status.OPEN_FOR_REPORTS:
        return 0
    sent = 0
    for negotiation in round_.negotiations.select_related("region"):
        negotiation.round = round_
        ensure_documents(negotiation)
        sent += send_to_region_preparers(
            negotiation.region,
            "round_opened",
            {"round": round_, "negotiation": negotiation},
        )
    return sent


@transaction.atomic
def schedule_negotiation(*, negotiation: Negotiation, **changes) -> bool:
    """Save the schedule fields of a negotiation; tell the region when the time is set or moves.

    Moving an already scheduled meeting increases its iCalendar SEQUENCE so that calendar
    programs replace the old event. Returns whether the region was told.
    """
    unknown = set(changes) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"not schedule fields: {sorted(unknown)}")
    # Two saves of the same row at once: the second sees the first's time, so the region is
    # told once and SEQUENCE grows once.
    lock_row(negotiation)
    before = {field: getattr(negotiation, field) for field in TIME_FIELDS}
    was_scheduled = negotiation.is_scheduled
    for field, value in changes.items():
        setattr(negotiation, field, value)
    time_changed = any(getattr(negotiation, field) != before[field] for field in TIME_FIELDS)
    if time_changed and was_scheduled:
        negotiation.sequence += 1
    negotiation.full_clean(exclude=["round", "region"])
    negotiation.save()
    if negotiation.chair and not negotiation.participants.filter(user=negotiation.chair).exists():
        # The chair takes part: invited, so that the record can mark them present.
        negotiation.participants.create(side=Participant.Side.MINISTRY, user=negotiation.chair)
    if not (time_changed and negotiation.is_scheduled):
        return False
    template = "negotiation_moved" if was_scheduled else "negotiation_scheduled"
    send_to_region_preparers(negotiation.region, template, {"negotiation": negotiation})
    return True


@transaction.atomic
def ensure_report(negotiation: Negotiation) -> SituationReport | None:
    """The negotiation's situation report with a section per theme; None while the round is
    still being planned (the region has nothing to write yet)."""
    if negotiation.round.status == Round.Status.PLANNING:
        return None
    report, _created = SituationReport.objects.get_or_create(negotiation=negotiation)
    report.ensure_sections()
    return report


@transaction.atomic
def ensure_record(negotiation: Negotiation) -> Record:
    """The negotiation's record with its sections: opening, one per theme, closing."""
    record, _created = Record.objects.get_or_create(negotiation=negotiation)
    if record.is_editable:
        record.ensure_sections()
    return record


@transaction.atomic
def ensure_documents(negotiation: Negotiation) -> None:
    """The report (once the round takes reports) and the record of a negotiation, each with
    a section per theme. Called by the changes that create a negotiation, open its round or
    change its themes, never by a page: a GET only reads."""
    ensure_report(negotiation)
    ensure_record(negotiation)


@transaction.atomic
def sync_round_documents(*, round_: Round) -> None:
    """After the round's themes changed: every report and record gets the new sections."""
    for negotiation in round_.negotiations.all():
        negotiation.round = round_
        ensure_documents(negotiation)


@transaction.atomic
def save_round_themes(*, formset) -> None:
    """Save a valid round-theme formset: every report and record of the round gets a section
    for an added theme, and a removed theme takes its empty sections along (a theme with
    written sections is refused by the formset, and by the foreign key if one was written
    meanwhile)."""
    removed = [form.instance for form in formset.deleted_forms if form.instance.pk]
    ReportSection.objects.filter(round_theme__in=removed).unwritten().delete()
    RecordSection.objects.filter(round_theme__in=removed).unwritten().delete()
    formset.save()
    sync_round_documents(round_=formset.instance)


@transaction.atomic
def send_record_for_comments(*, record: Record, by) -> int:
    """Send the draft to the region; its preparers get an e-mail. Returns e-mails sent."""
    record.send_for_comments(by=by)
    return send_to_region_preparers(
        record.negotiation.region, "record_sent", {"negotiation": record.negotiation}
    )


@transaction.atomic
def approve_record(*, record: Record, by, reason: str = "") -> int:
    """Approve (and lock) the record, with the reason in its log when one is given; the
    region's preparers get an e-mail."""
    record.approve(by=by, reason=reason)
    return send_to_region_preparers(
        record.negotiation.region, "record_approved", {"negotiation": record.negotiation}
    )


@transaction.atomic
def set_region_theme(*, negotiation: Negotiation, title: str, questions: str) -> None:
    """The region's own theme; its report and record get a section for it."""
    negotiation.set_region_theme(title=title, questions=questions)
    ensure_documents(negotiation)


@transaction.atomic
def remove_participant(*, participant: Participant) -> None:
    """Participants stay editable for planning. A record that is still a draft forgets the
    person's attendance with them; an approved record keeps its copy as it was recorded."""
    record = Record.objects.filter(negotiation_id=participant.negotiation_id).first()
    if record is not None:
        record.lock()
        if record.is_editable:
            RecordAttendee.objects.filter(record=record, participant=participant).delete()
    participant.delete()


def require_record_open(negotiation: Negotiation, message: str) -> None:
    """What belongs to the negotiation's record can change until the record is approved: lock
    the record row and refuse with `message` once it is (inside the caller's transaction,
    before the write; a record reopened with a reason allows it again)."""
    record = Record.objects.filter(negotiation=negotiation).first()
    if record is not None:
        record.require_editable(message)


def lock_assessment(negotiation: Negotiation) -> None:
    """THL's assessment is background of the negotiation's record."""
    require_record_open(
        negotiation,
        _("Neuvottelun muistio on hyväksytty, joten THL:n arviota ei voi enää vaihtaa."),
    )
