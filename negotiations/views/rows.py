"""What a row of a list of follow-up actions shows beside the action, worked out once per row:
the record's theme sections and the carried-over actions have a row per action, and the
model's get_FOO_display (which makes its choices hashable on every call), the truncatechars
filter and a template lookup per label cost tens of microseconds each, hundreds of times a
page (issue 12). The choices' labels are translated once per list."""

import unicodedata

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import pgettext

from negotiations.models import FollowUpAction, RecordSection

# How much of an action's text a record section's row shows (the whole text is on its page).
SECTION_ACTION_LENGTH = 200


def truncated(text: str, length: int, pattern: str) -> str:
    """`truncatechars` (Django's `Truncator.chars`, same result), whose loop over every
    character in Python took more of the tracker's time than its query: that loop counts
    the characters that are not combining marks, which in text without any (nearly all) are
    all of them. `pattern` is the translated ellipsis, "%(truncated_text)s…"."""
    if length <= 0:
        return ""
    text = unicodedata.normalize("NFC", text)
    ellipsis = pattern % {"truncated_text": ""}
    if (
        "%(truncated_text)s" not in pattern
        or any(map(unicodedata.combining, ellipsis))
        or any(map(unicodedata.combining, text[: length + 1]))
    ):
        return Truncator(text).chars(length, truncate=pattern)
    if len(text) <= length:
        return text
    return pattern % {"truncated_text": text[: max(length - len(ellipsis), 0)]}


def ellipsis_pattern() -> str:
    """The translated ellipsis of truncatechars, for truncated()."""
    return pgettext("String to return when truncating text", "%(truncated_text)s…")


def shorten(text: str, length: int) -> str:
    """`text` as the truncatechars filter cuts it to `length` characters."""
    return truncated(text, length, ellipsis_pattern())


def describe_actions(actions, *, what_length: int) -> None:
    """Give each action its row's texts: `what_short`, `responsible_text`, `status_text`,
    `overdue` and `page_url`."""
    today = timezone.localdate()
    responsible = {value: capfirst(label) for value, label in FollowUpAction.Responsible.choices}
    status = {value: capfirst(label) for value, label in FollowUpAction.Status.choices}
    ellipsis = ellipsis_pattern()
    for action in actions:
        action.what_short = truncated(action.what, what_length, ellipsis)
        action.responsible_text = responsible.get(action.responsible, action.responsible)
        action.status_text = status.get(action.status, action.status)
        action.overdue = action.is_overdue(today)
        action.page_url = reverse("negotiations:action-edit", args=[action.pk])


def section_actions(section: RecordSection) -> list[FollowUpAction]:
    """A theme section's actions in order, with their rows' texts, for its partial."""
    actions = list(section.actions.order_by("pk"))
    describe_actions(actions, what_length=SECTION_ACTION_LENGTH)
    return actions
