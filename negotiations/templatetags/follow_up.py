"""Template tags of the follow-up action partials, which other pages include with only the
negotiation or the record section in their context."""

from django import template
from django.urls import reverse

from negotiations.forms.actions import FollowUpActionForm
from negotiations.models import FollowUpAction, Negotiation, RecordSection
from negotiations.views.actions import theme_title

register = template.Library()


@register.simple_tag(takes_context=True)
def carried_actions(context, negotiation: Negotiation, compact: bool = False) -> list:
    """The open actions of earlier rounds that come back to this negotiation (through region
    succession), each with its notes and where a progress note added for it returns to.
    A fixed number of queries however many actions and notes there are.

    `compact` (the record page) lists them without note forms: progress is noted in the
    situation report and on each action's page, and a round can carry dozens of actions."""
    request = context["request"]
    user = request.user
    actions = list(
        FollowUpAction.objects.for_user(user)
        .carried_over_to(negotiation)
        .as_rows()
        .with_notes()
        .order_by("negotiation__round__period_start", "section__order", "pk")
    )
    # A note added without JavaScript returns here; a page shown after a POST (a form with
    # errors) has no URL to return to, so the note then leads to the action's own page.
    here = request.get_full_path() if request.method == "GET" else None
    for action in actions:
        action.theme_title = theme_title(action)
        if not compact:
            # The note form itself is loaded on demand (action-note-form); the link needs
            # only where a note added on the action's page returns to.
            back = here or reverse("negotiations:action-edit", args=[action.pk])
            action.note_next = f"{back}#action-{action.pk}"
    return actions


@register.simple_tag(takes_context=True)
def section_action_form(context, section: RecordSection) -> FollowUpActionForm:
    """The add form of this section: the one with the user's input and errors after a failed
    htmx save, else an empty one."""
    bound = context.get("bound_action_form")
    if bound is not None and bound.section.pk == section.pk:
        return bound
    return FollowUpActionForm(section=section)
