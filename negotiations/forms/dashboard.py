"""The filters of the round pages (dashboard, a theme across regions), from the query string."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.models import CooperationArea


class LenientChoiceField(forms.ChoiceField):
    """A filter choice where an unknown value (a hand-edited URL) means "no filter".

    Filters only narrow a list: showing everything is a better answer to ?status=bogus
    than an error message about a field the user never typed in.
    """

    def to_python(self, value) -> str:
        value = super().to_python(value)
        return value if self.valid_value(value) else ""


class AreaFilterForm(forms.Form):
    area = LenientChoiceField(label=_("Yhteistyöalue"), required=False)

    def __init__(self, *args, areas: list[CooperationArea], **kwargs) -> None:
        # The view fetches the areas once; a ModelChoiceField would query again to validate.
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("Kaikki"))] + [(a.code, a.name) for a in areas]

    def filters(self) -> dict[str, str]:
        """The chosen filters, each "" when not chosen (or not understood)."""
        self.is_valid()  # lenient fields never fail; this fills cleaned_data
        return {"area": self.cleaned_data.get("area", "")}


class DashboardFilterForm(AreaFilterForm):
    # Query-string values; the record issue adds its statuses to STATUS_CHOICES.
    SCHEDULED = "scheduled"
    UNSCHEDULED = "unscheduled"
    REPORT_SUBMITTED = "report-submitted"
    REPORT_UNFINISHED = "report-unfinished"
    STATUS_CHOICES = [
        ("", _("Kaikki")),
        (SCHEDULED, _("Aikataulutettu")),
        (UNSCHEDULED, _("Ei aikataulutettu")),
        (REPORT_SUBMITTED, _("Tilannekuva lähetetty")),
        (REPORT_UNFINISHED, _("Tilannekuva kesken")),
    ]

    DATE = "date"
    DATE_DESC = "-date"
    REGION = "region"
    SORT_CHOICES = [
        (DATE, _("Päivämäärä, aikaisin ensin")),
        (DATE_DESC, _("Päivämäärä, myöhäisin ensin")),
        (REGION, _("Alueen nimi")),
    ]

    status = LenientChoiceField(label=_("Tila"), choices=STATUS_CHOICES, required=False)
    sort = LenientChoiceField(label=_("Järjestys"), choices=SORT_CHOICES, required=False)

    def filters(self) -> dict[str, str]:
        return {
            **super().filters(),
            "status": self.cleaned_data.get("status", ""),
            "sort": self.cleaned_data.get("sort", "") or self.DATE,
        }
