from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knowledge.importer import FIRST_YEAR, LAST_YEAR, MAX_YEARS


def _this_year() -> int:
    return timezone.localdate().year


def _five_years_ago() -> int:
    return _this_year() - 5


class SotkanetImportForm(forms.Form):
    """One indicator and a range of years, imported from the admin."""

    sotkanet_id = forms.IntegerField(
        label=_("Sotkanet-tunnus"),
        min_value=1,
        max_value=10**9,
        help_text=_("Indikaattorin numero Sotkanetissa, esim. 127 (väestö 31.12.)."),
    )
    first_year = forms.IntegerField(
        label=_("Ensimmäinen vuosi"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        initial=_five_years_ago,
    )
    last_year = forms.IntegerField(
        label=_("Viimeinen vuosi"), min_value=FIRST_YEAR, max_value=LAST_YEAR, initial=_this_year
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None:
            if last < first:
                self.add_error("last_year", _("Viimeinen vuosi ei voi olla ennen ensimmäistä."))
            elif last - first + 1 > MAX_YEARS:
                self.add_error(
                    "last_year",
                    _("Kerralla voi tuoda enintään %(count)s vuotta.") % {"count": MAX_YEARS},
                )
        return cleaned

    @property
    def years(self) -> list[int]:
        return list(range(self.cleaned_data["first_year"], self.cleaned_data["last_year"] + 1))


class IndicatorTableForm(forms.Form):
    """The year and order of the indicator page's table, from the query string. A year
    without figures or an unknown order is refused with a message at its field (the page
    then shows the newest year, in the default order)."""

    VALUE_DESC = "arvo"
    VALUE_ASC = "arvo-nouseva"
    NAME = "nimi"
    ORDER_CHOICES = [
        (VALUE_DESC, _("Arvo, suurin ensin")),
        (VALUE_ASC, _("Arvo, pienin ensin")),
        (NAME, _("Alueen nimi")),
    ]

    vuosi = forms.TypedChoiceField(
        label=_("Vuosi"),
        coerce=int,
        required=False,
        error_messages={
            "invalid_choice": _("Valitulta vuodelta ei ole tietoja. Valitse vuosi listasta.")
        },
    )
    jarjestys = forms.ChoiceField(
        label=_("Järjestys"),
        choices=ORDER_CHOICES,
        required=False,
        error_messages={
            "invalid_choice": _("Tällaista järjestystä ei ole. Valitse järjestys listasta.")
        },
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        # The view reads the years once; they are the only choices.
        super().__init__(*args, **kwargs)
        self.years = years
        self.fields["vuosi"].choices = [(year, year) for year in reversed(years)]

    @property
    def year(self) -> int | None:
        """The chosen year, else the newest with figures (None without any)."""
        self.is_valid()  # fills cleaned_data with the fields that are valid
        chosen = self.cleaned_data.get("vuosi")
        return chosen or (self.years[-1] if self.years else None)

    @property
    def order(self) -> str:
        self.is_valid()
        chosen = self.cleaned_data.get("jarjestys")
        return chosen or self.VALUE_DESC
