"""Dates and times as the pages write them ("3.2.2027", "ke 3.2.2027 9.00–12.00"), built with
plain string formatting.

The output is what Django's date and time filters give for the formats "j.n.Y", "D j.n.Y" and
"G.i", which the pages use in every language. The filters cost tens of microseconds a call
(format lookups, localisation, a parser of the format string), which the busy pages, with a
date or two on every row, pay hundreds of times a request; these cost a few. The template
filter `day` (`{% load display %}`) is the first of them for templates.

`options()` draws a select's options as Django's Select widget does, in one go instead of two
templates per option.
"""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe

from regions.localized import language_code


def day(value: datetime.date | datetime.datetime | None) -> str:
    """'3.2.2027' (the date filter's "j.n.Y"); a datetime in the current time zone."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day}.{value.month}.{value.year}"


def weekday_day(value: datetime.date) -> str:
    """'ke 3.2.2027' ("D j.n.Y"), the weekday in the active language."""
    return f"{WEEKDAYS_ABBR[value.weekday()]} {day(value)}"


def clock(value: datetime.time) -> str:
    """'9.00' (the time filter's "G.i")."""
    return f"{value.hour}.{value.minute:02}"


def meeting_time(
    date: datetime.date | None, start: datetime.time | None, end: datetime.time | None
) -> str:
    """'ke 3.2.2027 9.00–12.00': the day, with the start and the end when known."""
    if date is None:
        return ""
    label = weekday_day(date)
    if start is not None:
        label += f" {clock(start)}"
        if end is not None:
            label += f"–{clock(end)}"
    return label


def meeting_datetime(date: datetime.date | None, start: datetime.time | None) -> str:
    """The machine-readable time of `<time datetime>`: '2027-02-03T09:00'."""
    if date is None:
        return ""
    if start is None:
        return date.isoformat()
    return f"{date.isoformat()}T{start:%H:%M}"


def full_name(first_name: str, last_name: str, username: str) -> str:
    """A user's name as `get_full_name() or get_username()` gives it, from values() rows."""
    return f"{first_name} {last_name}".strip() or username


def localized_columns(path: str) -> tuple[str, ...]:
    """The columns a values() row needs for `path` ("negotiation__region__name") in the
    active language (`localized_value`): that language's and Finnish."""
    return tuple(dict.fromkeys((f"{path}_{language_code()}", f"{path}_fi")))


def localized_value(row: dict, path: str) -> str:
    """`path` of a values() row as `LocalizedMixin.localized` reads it: the active
    language's value, else the Finnish one."""
    return row[f"{path}_{language_code()}"] or row[f"{path}_fi"]


def options(choices: Iterable[tuple[object, object]], selected: object) -> SafeString:
    """`<option>`s of a select whose value is `selected` (compared as text, as the Select
    widget compares; None selects the empty choice)."""
    selected = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == selected else "", label)
            for value, label in choices
        ),
    )


# The heading levels a partial loaded into a page may be asked for (?level= or a posted
# `level`): under a page's h2 or under an h3.
NESTED_HEADING_LEVELS = {"3": 3, "4": 4}


def heading_level(asked: str, default: int) -> int:
    """The level a request asks for, if it is one of NESTED_HEADING_LEVELS, else `default`."""
    return NESTED_HEADING_LEVELS.get(asked, default)
