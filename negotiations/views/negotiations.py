"""The page of one negotiation: its time and place, participants, themes with the region's
figures, and where its report and record stand.

A region's preparer reads their own negotiation's page; ministry officials also get the
planning forms, whose writes are in `negotiations.views.schedule`. Once the record is
approved, the planning is shown read-only.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from negotiations.access import get_negotiation_for_user
from negotiations.documents import theme_figures
from negotiations.forms.schedule import ParticipantForm, RegionThemeForm
from negotiations.models import (
    Assessment,
    Negotiation,
    Participant,
    Record,
)
from negotiations.overlaps import find_overlaps
from negotiations.views.reads import NEGOTIATION
from pagecache.pages import cached_page
from regions.roles import is_ministry_official


@dataclass
class PersonEntry:
    """A line in the participant list: a participant, or the chair when not one of them."""

    name: str
    organisation: str = ""
    title: str = ""
    is_chair: bool = False
    participant: Participant | None = None
    # A participant's removal: its URL and what the link says to a screen reader.
    delete_url: str = ""
    delete_label: str = ""


def _participant_groups(negotiation: Negotiation) -> list[dict]:
    participants = list(negotiation.participants.select_related("user"))
    by_side: dict[str, list[PersonEntry]] = {side: [] for side in Participant.Side.values}
    removal = _("osallistuja %(name)s")
    for participant in participants:
        name = participant.display_name
        by_side[participant.side].append(
            PersonEntry(
                name=name,
                organisation=participant.organisation,
                title=participant.title,
                is_chair=bool(participant.user_id) and participant.user_id == negotiation.chair_id,
                participant=participant,
                delete_url=reverse(
                    "negotiations:participant-delete", args=[negotiation.pk, participant.pk]
                ),
                delete_label=removal % {"name": name},
            )
        )
    chair = negotiation.chair
    if chair is not None and not any(p.user_id == chair.pk for p in participants):
        by_side[Participant.Side.MINISTRY].insert(
            0, PersonEntry(name=chair.get_full_name() or chair.get_username(), is_chair=True)
        )
    labels = dict(Participant.Side.choices)
    return [
        {"side": side, "label": capfirst(str(labels[side])), "people": people}
        for side, people in by_side.items()
        if people
    ]


def _fields(form_class: type[forms.Form]) -> dict[str, dict]:
    """What the template needs to write an empty form's fields out: label, maximum length,
    help text and initial value, from the form's own fields."""
    return {
        name: {
            "label": str(field.label),
            "max_length": getattr(field, "max_length", None),
            "help_text": str(field.help_text),
            "initial": field.initial,
        }
        for name, field in form_class.base_fields.items()
    }


def render_detail(
    request: HttpRequest,
    negotiation: Negotiation,
    *,
    participant_form: ParticipantForm | None = None,
    theme_form: RegionThemeForm | None = None,
    assessment_form=None,
    status: int = 200,
) -> HttpResponse:
    manage = is_ministry_official(request.user)
    record = Record.objects.for_user(request.user).filter(negotiation=negotiation).first()
    # The report and THL's assessment in one read (LEFT JOINs of the reverse one-to-ones);
    # `documents` is the same negotiation, for _assessment.html.
    documents = Negotiation.objects.select_related("report", "assessment").get(pk=negotiation.pk)
    # A preparer does not see a draft record, and a draft does not lock the planning.
    planning_locked = record is not None and not record.is_editable
    round_themes = list(negotiation.round.round_themes.select_related("theme"))
    figures = theme_figures(round_themes, negotiation.region, summaries=True)
    context = {
        "negotiation": negotiation,
        "round": negotiation.round,
        "groups": _participant_groups(negotiation),
        "manage": manage,
        "planning_locked": planning_locked,
        "edit_planning": manage and not planning_locked,
        "report": getattr(documents, "report", None),
        "documents": documents,
        "record": record,
        # Each theme of the round with the region's figures for its indicators.
        "themes": [(round_theme, figures[round_theme.pk]) for round_theme in round_themes],
    }
    if manage:
        if not planning_locked:
            # After a failed write the page shows the bound form with its errors; otherwise
            # the template writes the empty forms out itself, as their widgets would (a form
            # drawn through the form renderer cost more than the rest of the page).
            context["participant_form"] = participant_form
            if participant_form is None:
                user_field = ParticipantForm.base_fields["user"]
                context["participant_fields"] = _fields(ParticipantForm)
                context["participant_choices"] = {
                    "side": ParticipantForm.base_fields["side"].choices,
                    "user": [("", user_field.empty_label)]
                    + [
                        (user.pk, user_field.label_from_instance(user))
                        for user in ParticipantForm.users(negotiation)
                    ],
                }
            if negotiation.round.allows_region_theme:
                context["theme_form"] = theme_form
                if theme_form is None:
                    context["theme_fields"] = _fields(RegionThemeForm)
        context["overlaps"] = find_overlaps([negotiation]).get(negotiation.pk, [])
        context["assessment_form"] = assessment_form
    return render(request, "negotiations/negotiation_detail.html", context, status=status)


@login_required
@require_safe
@cached_page("knowledge", *NEGOTIATION, Assessment, Participant)
def negotiation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_detail(request, get_negotiation_for_user(request, pk))
