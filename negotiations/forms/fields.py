"""One cleaning step for everything a person types, and bounded integer lists.

Typed text that contains a control character is refused, not stripped: the person sees what
was wrong and their text stays in the form (PostgreSQL cannot store NUL at all, and the other
control characters are never typed on purpose). Every typed text has a server-side maximum
length, counted after the browser's "\\r\\n" line breaks are turned into "\\n", as the
`maxlength` attribute counts them.
"""

import re
from collections.abc import Iterable

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; and lone
# surrogates, which reach us only through JSON escapes ("\ud800") and cannot be encoded.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

# The largest value of a PostgreSQL bigint / SQLite integer: anything above it cannot be a
# primary key, and passing it to a query raises OverflowError instead of finding nothing.
MAX_ID = 2**63 - 1

CONTROL_CHARACTER_MESSAGE = _(
    "Tekstissä on merkki, jota ei voi tallentaa (ohjausmerkki). Poista se ja tallenna uudelleen."
)
TOO_LONG_MESSAGE = _("Teksti on liian pitkä: enintään %(max)d merkkiä.")
INVALID_ID_MESSAGE = _("Valinta ”%(value)s” ei kelpaa. Päivitä sivu ja valitse uudelleen.")


def validate_typed_text(value: str | None) -> None:
    """Raise ValidationError (code "control_character") if the text holds NUL or another
    control character; newline, tab and carriage return are allowed."""
    if value and CONTROL_CHARACTERS.search(str(value)):
        raise ValidationError(CONTROL_CHARACTER_MESSAGE, code="control_character")


def normalise_newlines(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n")


def validate_text_length(value: str | None, *, max_length: int) -> None:
    if value and len(value) > max_length:
        raise ValidationError(
            TOO_LONG_MESSAGE,
            code="max_length",
            params={"max": max_length, "length": len(value)},
        )


def clean_typed_text(value: str | None, *, max_length: int) -> str:
    """The text as it is stored: refused if it holds a control character or is longer than
    `max_length` (after line breaks are normalised to "\\n"). None becomes ""."""
    if value is None:
        return ""
    value = str(value)
    validate_typed_text(value)
    value = normalise_newlines(value)
    validate_text_length(value, max_length=max_length)
    return value


class TypedTextMixin:
    """Control characters refused before anything is stripped, line breaks normalised, and
    our length message instead of Django's (and one error for NUL, not two)."""

    def __init__(self, *, max_length: int, **kwargs) -> None:
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(
                v, validators.ProhibitNullCharactersValidator | validators.MaxLengthValidator
            )
        ]

    def to_python(self, value):
        if value not in self.empty_values:
            value = str(value)
            validate_typed_text(value)
            value = normalise_newlines(value)
        return super().to_python(value)

    def validate(self, value) -> None:
        super().validate(value)
        validate_text_length(value, max_length=self.max_length)

    def bound_data(self, data, initial):
        """The text as typed goes back into the form, a control character shown as a visible
        mark (U+FFFD): HTML cannot carry it, and the writer sees where it was."""
        if isinstance(data, str):
            return CONTROL_CHARACTERS.sub("\ufffd", data)
        return super().bound_data(data, initial)


class TypedTextField(TypedTextMixin, forms.CharField):
    """A CharField for text a person types; the maximum length is required."""


class TypedURLField(TypedTextMixin, forms.URLField):
    """A URLField with the same refusal of control characters and a required maximum length."""


def typed_text_formfield(model: type[models.Model], name: str, *, max_length: int, **kwargs):
    """The model field's form field (label, help text, required) as a TypedTextField with a
    maximum length, for a TextField, which has none of its own."""
    return model._meta.get_field(name).formfield(
        form_class=TypedTextField, max_length=max_length, **kwargs
    )


def validate_ids(values: Iterable) -> list[int]:
    """The values as ids (integers 1 ... 2**63 - 1), or ValidationError naming the first one
    that is not."""
    ids = []
    for value in values:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= MAX_ID:
            shown = str(value)
            shown = shown if len(shown) <= 20 else shown[:20] + "…"
            raise ValidationError(INVALID_ID_MESSAGE, code="invalid_id", params={"value": shown})
        ids.append(number)
    return ids


class BoundedIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose values are checked to be ids in range before they
    reach the database (a huge integer otherwise raises OverflowError in the query)."""

    def __init__(self, queryset, **kwargs) -> None:
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("invalid_choice", INVALID_ID_MESSAGE)
        super().__init__(queryset, **kwargs)

    def _check_values(self, value):
        validate_ids(value)
        return super()._check_values(value)
