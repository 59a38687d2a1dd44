"""The open follow-up actions of earlier rounds that come back to a negotiation through region
succession: what the situation report lists (with its notes and the region's responses) and
what the record shows as a table.

The list is built here, by the views, in a fixed number of queries however many actions and
notes there are, and what each row shows is worked out once per row (labels, dates, the
latest note, the links), so that the template only prints it: a region can carry dozens of
actions from earlier rounds (issue 12). The record's table is loaded on demand, when its
disclosure is first opened (htmx), or as a page of its own without JavaScript.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from negotiations.access import get_negotiation_for_user
from negotiations.forms.actions import RecommendationResponseForm
from negotiations.models import ActionProgressNote, FollowUpAction, Negotiation, SituationReport
from negotiations.models.actions import RecommendationResponse
from negotiations.views.actions import theme_title
from negotiations.views.rows import describe_actions, shorten

CARRIED_ORDER = ("negotiation__round__period_start", "section__order", "pk")
# What a row shows beside the action: the round, the region and the theme.
CARRIED_RELATIONS = ("negotiation__round", "negotiation__region", "section__round_theme__theme")
# The long texts of those rows, which a row never shows: the record section's own texts (some
# kilobytes each) and the theme's descriptions and questions are left in the database.
UNSHOWN_TEXTS = (
    *(f"section__{name}" for name in ("situation", "discussion", "challenges", "measures")),
    "negotiation__region_theme_questions",
    "negotiation__round__ministries",
    "section__round_theme__guiding_questions_fi",
    "section__round_theme__guiding_questions_sv",
    *(
        f"section__round_theme__theme__{name}_{language}"
        for name in ("description", "guiding_questions")
        for language in ("fi", "sv", "en")
    ),
)


def person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def carried_queryset(request: HttpRequest, negotiation: Negotiation):
    return FollowUpAction.objects.for_user(request.user).carried_over_to(negotiation)


def carried_actions(
    request: HttpRequest, negotiation: Negotiation, *, note_next: str | None = None
) -> list[FollowUpAction]:
    """The carried-over actions in order, each with what its row shows. `note_next` is where a
    progress note added on an action's page returns to (the situation report); without it
    the rows have no note link (the record's table)."""
    actions = list(
        carried_queryset(request, negotiation)
        .select_related(*CARRIED_RELATIONS)
        .defer(*UNSHOWN_TEXTS)
        .order_by(*CARRIED_ORDER)
    )
    latest, counts = latest_notes(actions)
    describe_actions(actions, what_length=160)
    for action in actions:
        action.theme_title = theme_title(action)
        action.where = (
            f"{action.negotiation.round.name} · {action.negotiation.region.name} · "
            f"{action.theme_title}"
        )
        action.latest_note = note = latest.get(action.pk)
        if note is not None:
            note.short_text = shorten(note.display_text, 120)
            note.author_name = person(note.author)
            count = counts[action.pk]
            note.meta = ngettext(
                "Edistymismerkintä", "Viimeisin %(counter)s edistymismerkinnästä", count
            ) % {"counter": count}
        if note_next is not None:
            action.note_next = f"{note_next}#action-{action.pk}"
            action.note_form_url = reverse("negotiations:action-note-form", args=[action.pk])
    return actions


def latest_notes(actions: list[FollowUpAction]) -> tuple[dict, dict]:
    """Each action's newest progress note (with its author) and its number of notes, by the
    action's pk: two queries, whatever the number of actions and notes, and a model object
    only for the notes shown."""
    counts: dict[int, int] = {}
    newest: dict[int, int] = {}
    for action_id, note_id in ActionProgressNote.objects.filter(action__in=actions).values_list(
        "action_id", "pk"
    ):  # in the notes' order (oldest first): the last one seen is the newest
        counts[action_id] = counts.get(action_id, 0) + 1
        newest[action_id] = note_id
    notes = ActionProgressNote.objects.select_related("author").in_bulk(newest.values())
    return {action_id: notes[note_id] for action_id, note_id in newest.items()}, counts


def attach_responses(
    request: HttpRequest,
    actions: list[FollowUpAction],
    negotiation: Negotiation,
    *,
    writable: bool = True,
    bound: RecommendationResponseForm | None = None,
) -> None:
    """Give each recommendation among `actions` the response written to it in this
    negotiation's report (`action.response`, None if none) and, for the region's preparer
    while the report takes changes (and `writable`), a form (`action.response_form`; after a
    refused save the bound one with the preparer's text). Two queries, however many
    recommendations; none without them."""
    recommendations = [action for action in actions if action.is_recommendation]
    if not recommendations:
        return
    report = SituationReport.objects.filter(negotiation=negotiation).first()
    responses = {}
    if report is not None:
        report.negotiation = negotiation
        responses = {
            response.action_id: response
            for response in RecommendationResponse.objects.filter(
                report=report, action__in=recommendations
            ).select_related("updated_by")
        }
    for response in responses.values():
        response.report = report
    writable = bool(writable and report and report.can_edit(request.user))
    for action in recommendations:
        action.response = responses.get(action.pk)
        action.response_report = report
        action.response_form = None
        if bound is not None and bound.action.pk == action.pk:
            action.response_form = bound
        elif writable:
            action.response_form = RecommendationResponseForm(
                instance=action.response, action=action
            )


# The two lists: the record's read-only table, and the situation report's list with a progress
# note link per action and the region's responses to recommendations.
TABLE, REPORT = "table", "report"


def carried_page(
    request: HttpRequest,
    negotiation: Negotiation,
    kind: str,
    *,
    bound: RecommendationResponseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The carried-over actions of `negotiation` as a page of its own (the disclosure's link
    without JavaScript), or as the partial the disclosure loads in place (htmx)."""
    url = reverse(f"negotiations:{CARRIED_URLS[kind]}", args=[negotiation.pk])
    # A note added on an action's page returns to this list (without JavaScript, the report
    # and the record hold only the folded disclosure).
    carried = carried_actions(request, negotiation, note_next=url if kind == REPORT else None)
    attach_responses(request, carried, negotiation, writable=kind == REPORT, bound=bound)
    in_place = request.htmx and status == 200
    # The actions' titles: under the report's h2 in place, under the page's h1 on their own.
    level = 3 if in_place else 2
    context = {
        "negotiation": negotiation,
        "carried": carried,
        "kind": kind,
        "heading_level": level,
        "response_heading_level": level + 1,
    }
    if in_place:
        return render(request, f"negotiations/carried_actions.html#{kind}", context)
    return render(request, "negotiations/carried_actions.html", context, status=status)


CARRIED_URLS = {TABLE: "carried-actions", REPORT: "report-carried-actions"}


@login_required
@require_safe
@vary_on_headers("HX-Request")
def carried_actions_table(request: HttpRequest, pk: int) -> HttpResponse:
    """The record's table of the carried-over actions. Writes nothing."""
    return carried_page(request, get_negotiation_for_user(request, pk), TABLE)


@login_required
@require_safe
@vary_on_headers("HX-Request")
def carried_actions_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The situation report's list of the carried-over actions, where the region notes their
    progress and responds to the recommendations. Writes nothing."""
    return carried_page(request, get_negotiation_for_user(request, pk), REPORT)
