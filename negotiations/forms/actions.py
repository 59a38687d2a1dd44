"""Forms of the follow-up actions: adding and editing one, progress notes, the tracker's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from negotiations.forms.dashboard import LenientChoiceField
from negotiations.forms.fields import TypedTextField, validate_ids
from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Ministry,
    RecordSection,
    Round,
    Theme,
)
from negotiations.models.actions import RecommendationResponse
from regions.models import CooperationArea, Region

ALL = _("Kaikki")
MAX_WHAT_LENGTH = 2000
MAX_NOTE_LENGTH = 5000

LABELS = {
    "kind": _("Laji"),
    "ministry": _("Antava ministeriö"),
    "what": _("Toimenpide"),
    "responsible": _("Vastuutaho"),
    "owner": _("Vastuuhenkilö tai -yksikkö"),
    "due_date": _("Määräaika"),
    "status": _("Tila"),
}
WIDGETS = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


def what_field() -> TypedTextField:
    return TypedTextField(
        label=LABELS["what"],
        max_length=MAX_WHAT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Kirjoita, mitä sovittiin.")},
    )


HELP_TEXTS = {
    "owner": _("Henkilö tai organisaation yksikkö, esim. ”Hallintoylilääkäri”."),
    "kind": _(
        "Jatkotoimenpide sovitaan yhdessä; toimenpidesuosituksen antaa ministeriö, ja alue "
        "vastaa siihen seuraavassa tilannekuvassaan."
    ),
    "ministry": _("Vain toimenpidesuositukselle."),
}
KIND_FIELDS = ["kind", "ministry"]


class KindMixin:
    """The kind and the issuing ministry: a recommendation names its ministry, an agreed
    action has none (the database checks it too)."""

    def setup_kind_fields(self) -> None:
        self.fields["kind"].widget = forms.RadioSelect(choices=self.fields["kind"].choices)
        self.fields["kind"].required = False
        self.fields["ministry"].choices = [("", _("— valitse —")), *Ministry.choices]

    def clean_kind(self) -> str:
        default = self.instance.kind if self.instance.pk else FollowUpAction.Kind.AGREED
        return self.cleaned_data.get("kind") or default

    def clean_kind_and_ministry(self, data: dict) -> dict:
        kind, ministry = data.get("kind"), data.get("ministry")
        if "kind" not in data:
            return data
        if kind == FollowUpAction.Kind.RECOMMENDATION and not ministry and "ministry" in data:
            self.add_error("ministry", _("Valitse ministeriö, joka antaa toimenpidesuosituksen."))
        elif kind == FollowUpAction.Kind.AGREED and ministry:
            self.add_error(
                "ministry",
                _(
                    "Yhdessä sovitulla jatkotoimenpiteellä ei ole antavaa ministeriötä: valitse "
                    "laji ”toimenpidesuositus” tai jätä ministeriö valitsematta."
                ),
            )
        return data


class FollowUpActionForm(KindMixin, forms.ModelForm):
    """A new action, added inline in a theme section of a record (ids carry the section's pk:
    a record page has one form per theme)."""

    what = what_field()

    class Meta:
        model = FollowUpAction
        fields = [*KIND_FIELDS, "what", "responsible", "owner", "due_date", "status"]
        labels = LABELS
        widgets = WIDGETS
        help_texts = HELP_TEXTS
        field_classes = {"owner": TypedTextField}

    def __init__(self, *args, section: RecordSection, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"action-{section.pk}-%s")
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["responsible"].choices = [
            ("", _("— valitse —")),
            *FollowUpAction.Responsible.choices,
        ]
        self.fields["responsible"].error_messages["required"] = _("Valitse vastuutaho.")
        # A new action is agreed unless told otherwise.
        self.fields["status"].required = False
        self.setup_kind_fields()

    def clean_status(self) -> str:
        return self.cleaned_data.get("status") or FollowUpAction.Status.AGREED

    def clean(self) -> dict:
        return self.clean_kind_and_ministry(super().clean())


class ActionEditForm(KindMixin, forms.ModelForm):
    """Editing an agreed action. The status is a separate field: the view changes it through
    `FollowUpAction.change_status`, which leaves a dated note. Once the record is approved,
    what was agreed stays as it was written; only the status moves on."""

    what = what_field()
    status = forms.ChoiceField(label=LABELS["status"], choices=FollowUpAction.Status.choices)

    class Meta:
        model = FollowUpAction
        fields = [*KIND_FIELDS, "what", "responsible", "owner", "due_date"]
        labels = LABELS
        widgets = WIDGETS
        help_texts = HELP_TEXTS
        field_classes = {"owner": TypedTextField}

    def __init__(self, *args, locked: bool = False, **kwargs) -> None:
        kwargs.setdefault("auto_id", "action-%s")
        super().__init__(*args, **kwargs)
        self.fields["status"].initial = self.instance.status
        self.setup_kind_fields()
        self.locked = locked
        if locked:
            for name in self._meta.fields:
                self.fields[name].disabled = True

    def clean(self) -> dict:
        return self.clean_kind_and_ministry(super().clean())

    def changed_content(self) -> list[str]:
        """The agreed content fields (not the status) that this save changes (a kind not
        posted, by a form of before the kinds, keeps the action's kind: no change)."""
        return [
            name
            for name in self.changed_data
            if name in self._meta.fields
            and not (name in KIND_FIELDS and self.cleaned_data.get(name) == self.initial.get(name))
        ]


class RecommendationResponseForm(forms.ModelForm):
    """The region's response to a recommendation, in its situation report."""

    text = TypedTextField(
        label=_("Alueen vastine"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Kirjoita vastine toimenpidesuositukseen.")},
    )

    class Meta:
        model = RecommendationResponse
        fields = ["text"]

    def __init__(self, *args, action: FollowUpAction, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"response-{action.pk}-%s")
        super().__init__(*args, **kwargs)
        self.action = action


class ProgressNoteForm(forms.ModelForm):
    """A dated progress note; notes are never edited afterwards."""

    text = TypedTextField(
        label=_("Edistyminen"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Kirjoita edistymismerkintä.")},
    )

    class Meta:
        model = ActionProgressNote
        fields = ["text"]

    def __init__(self, *args, action: FollowUpAction, **kwargs) -> None:
        kwargs.setdefault("auto_id", f"note-{action.pk}-%s")
        super().__init__(*args, **kwargs)


class ActionFilterForm(forms.Form):
    """The tracker's filters from the query string; a value not understood means no filter."""

    OPEN = "open"

    round = LenientChoiceField(label=_("Kierros"), required=False)
    region = LenientChoiceField(label=_("Alue"), required=False)
    area = LenientChoiceField(label=_("Yhteistyöalue"), required=False)
    theme = LenientChoiceField(label=_("Teema"), required=False)
    kind = LenientChoiceField(
        label=_("Laji"), choices=[("", ALL), *FollowUpAction.Kind.choices], required=False
    )
    responsible = LenientChoiceField(
        label=_("Vastuutaho"),
        choices=[("", ALL), *FollowUpAction.Responsible.choices],
        required=False,
    )
    status = LenientChoiceField(
        label=_("Tila"),
        choices=[("", ALL), (OPEN, _("Avoimet")), *FollowUpAction.Status.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Vain myöhässä olevat"), required=False)

    def __init__(
        self,
        *args,
        rounds: list[Round],
        regions: list[Region],
        areas: list[CooperationArea],
        themes: list[Theme],
        **kwargs,
    ) -> None:
        # The view reads each list once; ModelChoiceFields would query again to validate.
        kwargs.setdefault("auto_id", "filter-%s")
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = [("", ALL)] + [(str(r.pk), r.name) for r in rounds]
        current = [(str(r.pk), r.label) for r in regions if r.kind in Region.CURRENT_KINDS]
        earlier = [(str(r.pk), r.label) for r in regions if r.kind not in Region.CURRENT_KINDS]
        self.fields["region"].choices = [
            ("", ALL),
            *([(_("Hyvinvointialueet, Helsinki ja HUS"), current)] if current else []),
            *([(_("Maakunnat 2018–2022"), earlier)] if earlier else []),
        ]
        self.fields["area"].choices = [("", ALL)] + [(a.code, a.name) for a in areas]
        self.fields["theme"].choices = [("", ALL)] + [(t.code, t.title) for t in themes]

    def filters(self) -> dict:
        self.is_valid()  # lenient fields never fail; this fills cleaned_data
        data = self.cleaned_data
        return {
            name: data.get(name, "")
            for name in ("round", "region", "area", "theme", "kind", "responsible", "status")
        } | {"overdue": bool(data.get("overdue"))}


class BulkStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Uusi tila valituille"),
        choices=[("", _("— valitse —")), *FollowUpAction.Status.choices],
        error_messages={"required": _("Valitse uusi tila.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "bulk-%s")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict:
        data = super().clean()
        raw = self.data.getlist("actions") if hasattr(self.data, "getlist") else []
        # What is not a number is ignored, as before; a number is checked before any query,
        # where one too large for the database would raise OverflowError.
        numbers = [value for value in raw if value.isascii() and value.isdigit()]
        data["actions"] = sorted(set(validate_ids(numbers)))
        if not data["actions"]:
            raise forms.ValidationError(
                _("Valitse ainakin yksi jatkotoimenpide."), code="no_actions"
            )
        return data
