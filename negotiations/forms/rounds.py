"""Forms with which a ministry official plans a round: its facts, regions and themes."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from knowledge.models import Indicator, NationalObjective
from negotiations.forms.fields import BoundedIdsField, TypedTextField, typed_text_formfield
from negotiations.models import Ministry, RecordSection, ReportSection, Round, RoundTheme, Theme
from regions.models import Region

MAX_QUESTIONS_LENGTH = 5_000
MAX_POSITION = 99
# More than a round ever has; a tampered form count beyond it is refused, not built.
MAX_ROUND_THEMES = 50


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegionSet:
    CURRENT = "current"
    MAAKUNNAT = "maakunnat"
    CHOSEN = "chosen"

    CHOICES = [
        (CURRENT, _("Kaikki hyvinvointialueet, Helsinki ja HUS")),
        (MAAKUNNAT, _("Kaikki vuoden 2018 maakunnat")),
        (CHOSEN, _("Valitut alueet")),
    ]

    @staticmethod
    def regions(which: str):
        if which == RegionSet.CURRENT:
            return Region.objects.current()
        if which == RegionSet.MAAKUNNAT:
            return Region.objects.filter(kind=Region.Kind.MAAKUNTA)
        return Region.objects.none()

    @staticmethod
    def describe(region_ids: set[int]) -> str:
        """Which choice matches a set of regions exactly, else CHOSEN."""
        for which in (RegionSet.CURRENT, RegionSet.MAAKUNNAT):
            if region_ids == set(RegionSet.regions(which).values_list("pk", flat=True)):
                return which
        return RegionSet.CHOSEN


class RegionChoiceField(BoundedIdsField):
    def label_from_instance(self, region: Region) -> str:
        return region.label


class RoundForm(forms.ModelForm):
    ministries = forms.MultipleChoiceField(
        label=_("Osallistuvat ministeriöt"),
        choices=Ministry.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    region_set = forms.ChoiceField(
        label=_("Osallistuvat alueet"),
        choices=RegionSet.CHOICES,
        widget=forms.RadioSelect,
        initial=RegionSet.CURRENT,
    )
    regions = RegionChoiceField(
        label=_("Valitut alueet"),
        queryset=Region.objects.select_related("cooperation_area").order_by("kind", "name_fi"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Käytetään, kun osallistuviksi alueiksi on valittu ”Valitut alueet”."),
    )

    class Meta:
        model = Round
        fields = [
            "name_fi",
            "name_sv",
            "name_en",
            "kind",
            "period_start",
            "period_end",
            "report_deadline",
            "lead_ministry",
            "ministries",
            "objective_period",
            "allows_region_theme",
        ]
        labels = {"objective_period": _("Valtakunnallisten tavoitteiden kausi")}
        field_classes = dict.fromkeys(("name_fi", "name_sv", "name_en"), TypedTextField)
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "report_deadline": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            current = set(self.instance.negotiations.values_list("region_id", flat=True))
            self.initial["region_set"] = RegionSet.describe(current)
            self.initial["regions"] = sorted(current)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        deadline = data.get("report_deadline")
        if start and end and end < start:
            self.add_error("period_end", _("Neuvottelukausi ei voi päättyä ennen kuin se alkaa."))
        if deadline and end and deadline > end:
            self.add_error(
                "report_deadline",
                _("Tilannekuvien määräpäivän on oltava viimeistään neuvottelukauden lopussa."),
            )
        if data.get("region_set") == RegionSet.CHOSEN and not data.get("regions"):
            self.add_error("regions", _("Valitse vähintään yksi alue."))
        return data

    def participating_regions(self):
        which = self.cleaned_data["region_set"]
        if which == RegionSet.CHOSEN:
            return self.cleaned_data["regions"]
        return RegionSet.regions(which)


class CopyFromForm(forms.Form):
    """Start a new round from an earlier one: themes, questions and regions; no dates."""

    copy_from = forms.ModelChoiceField(
        label=_("Kierros, jolta kopioidaan"),
        queryset=Round.objects.order_by("-period_start"),
        empty_label=_("Valitse kierros"),
    )


class ObjectiveChoiceField(BoundedIdsField):
    def label_from_instance(self, objective: NationalObjective) -> str:
        if objective.is_example:
            return _("%(title)s (esimerkki — ei virallinen sanamuoto)") % {"title": objective.title}
        return objective.title


class IndicatorChoiceField(BoundedIdsField):
    def label_from_instance(self, indicator: Indicator) -> str:
        return _("%(name)s (Sotkanet %(id)s)") % {
            "name": indicator.name,
            "id": indicator.sotkanet_id,
        }


class RoundThemeForm(forms.ModelForm):
    position = RoundTheme._meta.get_field("position").formfield(min_value=0, max_value=MAX_POSITION)
    guiding_questions_fi = typed_text_formfield(
        RoundTheme,
        "guiding_questions_fi",
        max_length=MAX_QUESTIONS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    guiding_questions_sv = typed_text_formfield(
        RoundTheme,
        "guiding_questions_sv",
        max_length=MAX_QUESTIONS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    objectives = ObjectiveChoiceField(
        label=_("Valtakunnalliset tavoitteet, joita teema käsittelee"),
        queryset=NationalObjective.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    indicators = IndicatorChoiceField(
        label=_("Indikaattorit, joiden luvut näytetään teeman yhteydessä"),
        queryset=Indicator.objects.order_by("name_fi", "pk"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Alueen luvut, kehitys, vertailu yhteistyöalueeseen ja koko maahan sekä sija "
            "näkyvät teeman vieressä tilannekuvassa, muistiossa ja neuvottelun sivulla."
        ),
    )

    class Meta:
        model = RoundTheme
        fields = [
            "theme",
            "position",
            "guiding_questions_fi",
            "guiding_questions_sv",
            "objectives",
            "indicators",
        ]

    def __init__(self, *args, objective_period=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The objectives of the period the round follows; those chosen earlier stay choosable.
        objectives = NationalObjective.objects.filter(period=objective_period)
        if self.instance.pk:
            objectives = objectives | NationalObjective.objects.filter(round_themes=self.instance)
        self.fields["objectives"].queryset = objectives.distinct().order_by("order", "pk")
        # Only active themes can be chosen; a theme already in the round stays selectable.
        themes = Theme.objects.filter(is_active=True)
        if self.instance.pk:
            themes = themes | Theme.objects.filter(pk=self.instance.theme_id)
        self.fields["theme"].queryset = themes.order_by("title_fi")

    def save(self, commit: bool = True) -> RoundTheme:
        round_theme = super().save(commit=False)
        if not (round_theme.guiding_questions_fi or round_theme.guiding_questions_sv):
            # Start from the catalogue's questions, so the official sees and edits them here.
            round_theme.guiding_questions_fi = round_theme.theme.guiding_questions_fi
            round_theme.guiding_questions_sv = round_theme.theme.guiding_questions_sv
        if commit:
            round_theme.save()
            self._save_m2m()
        return round_theme


def sections_using(round_theme: RoundTheme) -> tuple[int, int]:
    """How many situation report and record sections are written under the round theme
    (empty sections, which every report and record has for each theme, go with the theme)."""
    return (
        ReportSection.objects.filter(round_theme=round_theme).written().count(),
        RecordSection.objects.filter(round_theme=round_theme).written().count(),
    )


def still_in_use_message(theme: Theme, reports: int, records: int) -> str:
    in_reports = ngettext("%(count)d tilannekuvassa", "%(count)d tilannekuvassa", reports) % {
        "count": reports
    }
    in_records = ngettext("%(count)d muistiossa", "%(count)d muistiossa", records) % {
        "count": records
    }
    if reports and records:
        uses = _("%(reports)s ja %(records)s") % {"reports": in_reports, "records": in_records}
    else:
        uses = in_reports if reports else in_records
    return _(
        "Teemaa ”%(theme)s” ei voi poistaa: sillä on jo osio %(uses)s. Jätä teema kierrokselle "
        "poistamalla valinta kohdasta ”Poista”."
    ) % {"theme": theme.title, "uses": uses}


class BaseRoundThemeFormSet(forms.BaseInlineFormSet):
    """A round theme under which a report or record has sections cannot be deleted: the
    sections keep what was written (the foreign key protects them). The row says so, and
    nothing of the formset is saved."""

    def get_form_kwargs(self, index):
        period = self.instance.objective_period
        return {**super().get_form_kwargs(index), "objective_period": period}

    def clean(self) -> None:
        super().clean()
        self.refuse_protected_deletions()

    def refuse_protected_deletions(self) -> bool:
        """Put an error on each row whose deletion the sections prevent; True if any."""
        refused = False
        for form in self.initial_forms:
            if form.instance.pk and self._should_delete_form(form):
                reports, records = sections_using(form.instance)
                if (reports or records) and not form.has_error(NON_FIELD_ERRORS, "protected"):
                    # The stored theme: the row's select may have been changed too.
                    theme = Theme.objects.get(round_themes=form.instance.pk)
                    form.add_error(
                        None,
                        forms.ValidationError(
                            still_in_use_message(theme, reports, records),
                            code="protected",
                        ),
                    )
                    refused = True
        return refused

    def is_valid(self) -> bool:
        # A form marked for deletion does not count in Django's is_valid(); a refused deletion
        # must stop the whole save.
        valid = super().is_valid()
        return valid and not any(
            form.has_error(NON_FIELD_ERRORS, "protected") for form in self.initial_forms
        )


RoundThemeFormSet = forms.inlineformset_factory(
    Round,
    RoundTheme,
    form=RoundThemeForm,
    formset=BaseRoundThemeFormSet,
    extra=2,
    can_delete=True,
    max_num=MAX_ROUND_THEMES,
    absolute_max=MAX_ROUND_THEMES,
)
