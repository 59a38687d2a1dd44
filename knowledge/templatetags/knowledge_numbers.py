"""Figures in the reader's number format: `{% load knowledge_numbers %}`.

The separators are Django's formats of the active language (fi and sv: a no-break space
U+00A0 between thousands and a decimal comma, `532 671`, `12,4`; en: `532,671`, `12.4`), with
grouping forced whatever USE_THOUSAND_SEPARATOR says. Django's number_format cuts a Decimal
off at the last decimal; statistics are rounded, so the value is rounded half up first.
A missing value is "ei tietoa", never 0.
"""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()

NBSP = "\u00a0"
# Units of Sotkanet's value types that are a percentage, in each language.
PERCENT_UNITS = {"%", "prosenttia", "prosentti", "procent", "percent", "per cent"}


def missing() -> str:
    return _("ei tietoa")


def is_percentage(indicator) -> bool:
    return (getattr(indicator, "unit_fi", "") or "").strip().lower() in PERCENT_UNITS


def _rounded(value, decimals: int) -> Decimal:
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(value, decimals: int = 0) -> str:
    """`532 671`, `12,4`; "ei tietoa" for None."""
    if value is None or value == "":
        return missing()
    text = number_format(_rounded(value, decimals), decimals, use_l10n=True, force_grouping=True)
    return minus_sign() + text[1:] if text.startswith("-") else text


def _english() -> bool:
    return (get_language() or "fi").startswith("en")


def minus_sign() -> str:
    """CLDR's minus of Finnish and Swedish is U+2212; English writes a hyphen-minus."""
    return "-" if _english() else "\u2212"


def percent_sign() -> str:
    """Finnish and Swedish write a (no-break) space before %, English does not."""
    return "%" if _english() else f"{NBSP}%"


def format_figure(value, indicator) -> str:
    """A value of an indicator: its decimals, and `12,4 %` where the unit is a percentage."""
    if value is None or value == "":
        return missing()
    text = format_number(value, indicator.decimals)
    return f"{text}{percent_sign()}" if is_percentage(indicator) else text


def format_change(value, indicator) -> str:
    """A difference with its sign, `+1 234` or `−0,4`; the unit is said beside it (for a
    percentage: percentage points)."""
    if value is None:
        return missing()
    rounded = _rounded(value, indicator.decimals)
    text = format_number(abs(rounded), indicator.decimals)
    if rounded > 0:
        return f"+{text}"
    if rounded < 0:
        return f"{minus_sign()}{text}"
    return text


def format_percent_change(value) -> str:
    """A relative change, one decimal: `+0,4 %`."""
    if value is None:
        return missing()
    rounded = _rounded(value, 1)
    text = format_number(abs(rounded), 1)
    sign = "+" if rounded > 0 else minus_sign() if rounded < 0 else ""
    return f"{sign}{text}{percent_sign()}"


@register.filter
def number(value, decimals: int = 0) -> str:
    """`{{ value|number }}`, `{{ value|number:1 }}`."""
    return format_number(value, int(decimals))


@register.filter
def figure(value, indicator) -> str:
    """`{{ value|figure:indicator }}`: the indicator's decimals and unit."""
    return format_figure(value, indicator)


@register.filter
def change(value, indicator) -> str:
    """`{{ difference|change:indicator }}`: signed."""
    return format_change(value, indicator)


@register.filter
def percent_change(value) -> str:
    return format_percent_change(value)
