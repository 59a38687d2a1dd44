"""The filters of the round pages (dashboard, a theme across regions), from the query string."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from negotiations.models import Record, SituationReport
from regions.models import CooperationArea

ALL = _("Kaikki")


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
        self.fields["area"].choices = [("", ALL)] + [(a.code, a.name) for a in areas]

    def filters(self) -> dict[str, str]:
        """The chosen filters, each "" when not chosen (or not understood)."""
        self.is_valid()  # lenient fields never fail; this fills cleaned_data
        return {"area": self.cleaned_data.get("area", "")}


def _status_choices(statuses) -> list[tuple[str, str]]:
    return [(status.value, capfirst(status.label)) for status in statuses]


class DashboardFilterForm(AreaFilterForm):
    """Scheduling, the report and the record are filtered separately: "scheduled, report
    submitted, record still a draft" is one question a ministry official asks."""

    SCHEDULED = "scheduled"
    UNSCHEDULED = "unscheduled"
    SCHEDULE_CHOICES = [
        ("", ALL),
        (SCHEDULED, _("Aikataulutettu")),
        (UNSCHEDULED, _("Ei aikataulutettu")),
    ]

    # Besides the report's own statuses: everything not yet submitted, and the late ones.
    REPORT_UNFINISHED = "unfinished"
    REPORT_LATE = "late"
    REPORT_CHOICES = [
        ("", ALL),
        *_status_choices(SituationReport.Status),
        (REPORT_UNFINISHED, _("Kaikki lähettämättömät")),
        (REPORT_LATE, _("Myöhässä")),
    ]
    RECORD_CHOICES = [("", ALL), *_status_choices(Record.Status)]

    DATE = "date"
    DATE_DESC = "-date"
    REGION = "region"
    SORT_CHOICES = [
        (DATE, _("Päivämäärä, aikaisin ensin")),
        (DATE_DESC, _("Päivämäärä, myöhäisin ensin")),
        (REGION, _("Alueen nimi")),
    ]

    schedule = LenientChoiceField(label=_("Aikataulutus"), choices=SCHEDULE_CHOICES, required=False)
    report = LenientChoiceField(
        label=_("Tilannekuvan tila"), choices=REPORT_CHOICES, required=False
    )
    record = LenientChoiceField(label=_("Muistion tila"), choices=RECORD_CHOICES, required=False)
    sort = LenientChoiceField(label=_("Järjestys"), choices=SORT_CHOICES, required=False)

    NARROWING = ("area", "schedule", "report", "record")

    def filters(self) -> dict[str, str]:
        chosen = super().filters()  # fills cleaned_data
        data = self.cleaned_data
        return {
            **chosen,
            "schedule": data.get("schedule", ""),
            "report": data.get("report", ""),
            "record": data.get("record", ""),
            "sort": data.get("sort", "") or self.DATE,
        }
