"""What a negotiation record says, built once for every place that shows it.

`record_document()` gathers the content of a record (the negotiation's facts, who was present,
the sections with their texts and follow-up actions, the approval) and is used both by the
record page (negotiations/views/records.py) and by the PDF (negotiations/pdf.py), so that the
page and the filed document never disagree. Labels are lazy: they follow the language active
when they are rendered (the PDF renders in the negotiation's language).
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Participant,
    Record,
    RecordAttendee,
    RecordSection,
)

THEME_FIELDS = (
    ("situation", _("Tilanne")),
    ("discussion", _("Keskustelu")),
    ("challenges", _("Haasteet")),
    ("measures", _("Kehittämistoimet")),
)


def field_labels(section: RecordSection) -> tuple:
    """Theme sections have four texts; the opening and closing notes only `discussion`."""
    if section.is_theme:
        return THEME_FIELDS
    return (("discussion", section.title),)


def section_queryset(record: Record):
    return record.sections.select_related("round_theme__theme", "record__negotiation", "updated_by")


def present_by_side(record: Record) -> list[dict]:
    """Who attended (as recorded: copies, unchanged by later participant changes), ministry
    first, then the region, THL and others (the choices' order); within a side by
    organisation and name."""
    by_side: dict[str, list[RecordAttendee]] = {side: [] for side in Participant.Side.values}
    for attendee in record.attendees.all():
        by_side[attendee.side].append(attendee)
    return [
        {
            "label": Participant.Side(side).label,
            "people": sorted(people, key=lambda p: (p.organisation, p.name)),
        }
        for side, people in by_side.items()
        if people
    ]


@dataclass
class RecordDocument:
    record: Record
    negotiation: Negotiation
    sections: list[RecordSection]  # in order, each with `actions` prefetched (pk order)
    present_groups: list[dict] = field(default_factory=list)

    @property
    def round(self):
        return self.negotiation.round

    @property
    def region(self):
        return self.negotiation.region

    @property
    def chair(self) -> User | None:
        return self.negotiation.chair

    @property
    def is_draft(self) -> bool:
        """Anything before approval is a draft: the PDF carries a draft mark."""
        return self.record.status in Record.EDITABLE

    @property
    def opening(self) -> RecordSection | None:
        return next((s for s in self.sections if s.kind == RecordSection.Kind.OPENING), None)

    @property
    def closing(self) -> RecordSection | None:
        return next((s for s in self.sections if s.kind == RecordSection.Kind.CLOSING), None)

    @property
    def themes(self) -> list[RecordSection]:
        return [s for s in self.sections if s.is_theme]


def record_document(record: Record, *, prefetch: tuple = ()) -> RecordDocument:
    """The record's content; `prefetch` adds what a page needs beside it (e.g. comments)."""
    negotiation = record.negotiation
    actions = FollowUpAction.objects.order_by("pk")
    if record.status == Record.Status.PUBLISHED and record.published_at:
        # The published record is what was published: actions recorded later are not in it.
        actions = actions.filter(created_at__lte=record.published_at)
    sections = list(
        section_queryset(record).prefetch_related(Prefetch("actions", queryset=actions), *prefetch)
    )
    for section in sections:
        section.record = record  # the titles read record.negotiation: no query per section
        section.texts_with_labels = [
            (label, getattr(section, name)) for name, label in field_labels(section)
        ]
    return RecordDocument(
        record=record,
        negotiation=negotiation,
        sections=sections,
        present_groups=present_by_side(record),
    )
