"""What a row of a list of follow-up actions shows beside the action, worked out once per row:
the record's theme sections and the carried-over actions have a row per action, and the
model's get_FOO_display (which makes its choices hashable on every call), the truncatechars
filter and a template lookup per label cost tens of microseconds each, hundreds of times a
page (issue 12). The choices' labels are translated once per list."""

from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from negotiations.models import FollowUpAction, RecordSection

# How much of an action's text a record section's row shows (the whole text is on its page).
SECTION_ACTION_LENGTH = 200


def shorten(text: str, length: int) -> str:
    """`text` cut to `length` characters with an ellipsis, as the truncatechars filter does."""
    return text if len(text) <= length else f"{text[: length - 1]}…"


def describe_actions(actions, *, what_length: int) -> None:
    """Give each action its row's texts: `what_short`, `responsible_text`, `status_text`,
    `overdue` and `page_url`."""
    today = timezone.localdate()
    responsible = {value: capfirst(label) for value, label in FollowUpAction.Responsible.choices}
    status = {value: capfirst(label) for value, label in FollowUpAction.Status.choices}
    for action in actions:
        action.what_short = shorten(action.what, what_length)
        action.responsible_text = responsible.get(action.responsible, action.responsible)
        action.status_text = status.get(action.status, action.status)
        action.overdue = action.is_overdue(today)
        action.page_url = reverse("negotiations:action-edit", args=[action.pk])


def section_actions(section: RecordSection) -> list[FollowUpAction]:
    """A theme section's actions in order, with their rows' texts, for its partial."""
    actions = list(section.actions.order_by("pk"))
    describe_actions(actions, what_length=SECTION_ACTION_LENGTH)
    return actions
