"""Template tags of the follow-up action partials, which other pages include with only the
record section in their context."""

from django import template

from negotiations.forms.actions import FollowUpActionForm
from negotiations.models import RecordSection

register = template.Library()


@register.simple_tag(takes_context=True)
def section_action_form(
    context, section: RecordSection, keep_open: bool = False
) -> FollowUpActionForm | None:
    """The add form of this section when the page shows it: the one with the user's input and
    errors after a failed htmx save, an empty one to add the next action after a saved one
    (`keep_open`), else None (the form is loaded on demand)."""
    bound = context.get("bound_action_form")
    if bound is not None and bound.section.pk == section.pk:
        return bound
    return FollowUpActionForm(section=section) if keep_open else None
