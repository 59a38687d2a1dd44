"""The filter of the published records' list, from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from negotiations.forms.dashboard import LenientChoiceField
from negotiations.models import Round


class PublicRoundFilterForm(forms.Form):
    round = LenientChoiceField(label=_("Neuvottelukierros"), required=False)

    def __init__(self, *args, rounds: list[Round], **kwargs) -> None:
        # The view fetches the rounds once; a ModelChoiceField would query again to validate.
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", _("Kaikki kierrokset"))] + [
            (round_.pk, round_.name) for round_ in rounds
        ]

    def chosen_round(self) -> int | None:
        """The chosen round's pk; None for all rounds or a value that is not on the list."""
        self.is_valid()  # a lenient field never fails; this fills cleaned_data
        chosen = self.cleaned_data.get("round")
        return int(chosen) if chosen else None
