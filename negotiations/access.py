"""Permission helpers: every view that touches a round's or region's data starts with one.

Objects are looked up through `for_user()`, so a region's data that the user may not see
answers 404, as if it did not exist. Seeing is not managing: managing rounds and schedules
is for ministry officials only (403 for anyone else who is logged in).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    Round,
    SituationReport,
)
from regions.roles import is_ministry_official


def require_ministry_official(request: HttpRequest) -> None:
    if not is_ministry_official(request.user):
        raise PermissionDenied


def get_round_for_ministry(request: HttpRequest, pk: int) -> Round:
    require_ministry_official(request)
    return get_object_or_404(Round.objects.for_user(request.user), pk=pk)


def get_negotiation_for_user(request: HttpRequest, pk: int, *, manage: bool = False) -> Negotiation:
    negotiation = get_object_or_404(
        Negotiation.objects.for_user(request.user).select_related(
            "round", "region", "region__cooperation_area", "chair"
        ),
        pk=pk,
    )
    if manage:
        require_ministry_official(request)
    return negotiation


def get_report_for_user(request: HttpRequest, pk: int, *, write: bool = False) -> SituationReport:
    """A report the user may see (404 otherwise); with write=True one they prepare (403).

    Only the region's own preparers write; ministry officials read every report and never
    edit a region's text. Whether the report still takes changes (not yet submitted, the
    round open) is checked on the locked report where the change is written, so that a
    late save is told why instead of being refused without a word.
    """
    report = get_object_or_404(
        SituationReport.objects.for_user(request.user).select_related(
            "negotiation", "negotiation__round", "negotiation__region"
        ),
        pk=pk,
    )
    if write and not report.is_prepared_by(request.user):
        raise PermissionDenied
    return report


def get_record_for_user(request: HttpRequest, pk: int, *, manage: bool = False) -> Record:
    """A record the user may see (404 otherwise: a region never sees a draft); with
    manage=True, ministry officials only."""
    records = Record.objects.for_user(request.user).select_related(
        "negotiation", "negotiation__round", "negotiation__region"
    )
    record = get_object_or_404(records, pk=pk)
    if manage:
        require_ministry_official(request)
    return record


def get_record_section_for_user(
    request: HttpRequest, pk: int, section_pk: int, *, manage: bool = False
) -> RecordSection:
    """A section of a record the user may see, with its record, in one query (404
    otherwise); with manage=True, ministry officials only."""
    sections = RecordSection.objects.filter(record__in=Record.objects.for_user(request.user))
    section = get_object_or_404(sections.select_related("record"), pk=section_pk, record_id=pk)
    if manage:
        require_ministry_official(request)
    return section


def get_action_for_user(request: HttpRequest, pk: int) -> FollowUpAction:
    return get_object_or_404(
        FollowUpAction.objects.for_user(request.user).select_related(
            "negotiation__round", "negotiation__region", "section__round_theme__theme"
        ),
        pk=pk,
    )
