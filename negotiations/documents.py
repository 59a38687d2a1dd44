"""What a negotiation record says, built once for every place that shows it.

`record_document()` gathers the content of a record (the negotiation's facts, who was present,
the sections with their texts, follow-up actions and the region's figures for each theme's
indicators, the approval) and is used both by the
record page (negotiations/views/records.py) and by the PDF (negotiations/pdf.py), so that the
page and the filed document never disagree. Labels are lazy: they follow the language active
when they are rendered (the PDF renders in the negotiation's language).
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from knowledge.figures import IndicatorFigures, figures_for
from knowledge.models import Indicator
from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Participant,
    Record,
    RecordAttendee,
    RecordSection,
    RoundTheme,
)
from regions.models import Region

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


THEME_INDICATORS = Prefetch("indicators", queryset=Indicator.objects.order_by("name_fi", "pk"))


class ThemeFigures(list):
    """The figures of one round theme's indicators: a list of IndicatorFigures that knows its
    round theme, so that the page's summary can link to the theme's full figures
    (`negotiations:theme-figures`), which are loaded only when asked for."""

    def __init__(self, round_theme_id: int, figures: Iterable[IndicatorFigures] = ()) -> None:
        super().__init__(figures)
        self.round_theme_id = round_theme_id


def theme_figures(
    round_themes: Iterable[RoundTheme], region: Region, *, summaries: bool = False
) -> dict[int, ThemeFigures]:
    """The region's figures for the indicators chosen for each round theme, by round theme
    pk, in the order of the indicators' names. Built once for a page: one query for the
    themes' indicators and, when there are any, two for the figures of all of them, whatever
    the number of themes, indicators, regions or years. The charts are built only when a
    template asks for them (IndicatorFigures' cached properties): a page that shows the
    summaries does not pay for them.

    An indicator chosen for two themes gets a block of its own beside each (its ids scoped
    by the theme), so that the page never repeats an id. `summaries`: only what the summary
    line beside a theme shows (the region's own values; see figures_for's own_only)."""
    round_themes = [rt for rt in round_themes if rt is not None]
    prefetch_related_objects(round_themes, THEME_INDICATORS)
    indicators = {i.pk: i for rt in round_themes for i in rt.indicators.all()}
    if not indicators:
        return {rt.pk: ThemeFigures(rt.pk) for rt in round_themes}
    figures = figures_for(region, indicators.values(), own_only=summaries)
    return {
        rt.pk: ThemeFigures(
            rt.pk,
            (
                dataclasses.replace(figures.get(indicator), scope=f"t{rt.pk}")
                for indicator in rt.indicators.all()
            ),
        )
        for rt in round_themes
    }


def attach_theme_figures(sections: Iterable, region: Region, *, summaries: bool = False) -> None:
    """Set `indicator_figures` on each section (of a report or a record): the figures of its
    round theme's indicators, [] for the region's own theme and the opening and closing."""
    sections = list(sections)
    by_theme = theme_figures(
        (section.round_theme for section in sections if section.round_theme_id),
        region,
        summaries=summaries,
    )
    for section in sections:
        section.indicator_figures = by_theme.get(section.round_theme_id, [])


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


def record_document(
    record: Record, *, prefetch: tuple = (), figure_summaries: bool = False
) -> RecordDocument:
    """The record's content; `prefetch` adds what a page needs beside it (e.g. comments);
    `figure_summaries`: the theme figures only as far as the summary line beside a theme
    needs them (the editing pages; the public page and the PDF show more)."""
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
    # Indicator data is public: the public page and the PDF show the same figures.
    attach_theme_figures(sections, negotiation.region, summaries=figure_summaries)
    return RecordDocument(
        record=record,
        negotiation=negotiation,
        sections=sections,
        present_groups=present_by_side(record),
    )
