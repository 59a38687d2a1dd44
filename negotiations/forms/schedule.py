"""Forms of the schedule: one row per negotiation, its participants and region theme."""

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from negotiations.forms.fields import TypedTextField, TypedURLField
from negotiations.models import Negotiation, Participant
from regions.roles import MINISTRY_OFFICIAL

EMPTY_CHOICE = "—"
MAX_QUESTIONS_LENGTH = 5_000


def user_label(user: User) -> str:
    return user.get_full_name() or user.get_username()


def ministry_officials():
    return User.objects.filter(groups__name=MINISTRY_OFFICIAL, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return user_label(obj)


def chair_choices() -> list[tuple[str | int, str]]:
    """The chair select's options, read once for a page that shows many rows."""
    return [("", EMPTY_CHOICE)] + [(user.pk, user_label(user)) for user in ministry_officials()]


class NegotiationScheduleForm(forms.ModelForm):
    """One row of a round's schedule. Ids carry the negotiation's pk: a page has many rows."""

    chair = UserChoiceField(
        label=_("Puheenjohtaja"),
        queryset=ministry_officials(),
        required=False,
        empty_label=EMPTY_CHOICE,
    )
    confirm_outside_period = forms.BooleanField(
        label=_("Vahvistan poikkeavan päivän"), required=False
    )

    class Meta:
        model = Negotiation
        fields = ["date", "start_time", "end_time", "place", "video_link", "chair"]
        labels = {
            "date": _("Päivämäärä"),
            "start_time": _("Alkaa"),
            "end_time": _("Päättyy"),
            "place": _("Paikka"),
            "video_link": _("Videoyhteys"),
        }
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "video_link": forms.URLInput(attrs={"placeholder": "https://"}),
        }
        field_classes = {"place": TypedTextField, "video_link": TypedURLField}

    def __init__(self, *args, chair_choices: list | None = None, **kwargs) -> None:
        instance = kwargs["instance"]
        kwargs.setdefault("auto_id", f"schedule-{instance.pk}-%s")
        super().__init__(*args, **kwargs)
        self.round = instance.round
        if instance.date is not None and self._outside_period(instance.date):
            # Confirmed when it was saved; unchanged, it needs no new confirmation.
            self.initial["confirm_outside_period"] = True
        if chair_choices is not None:
            # Shared by every row of the page, so that the page reads the officials once.
            self.fields["chair"].choices = chair_choices
        for name in self.fields:
            self.fields[name].widget.attrs["form"] = self.html_id

    @property
    def html_id(self) -> str:
        return f"schedule-{self.instance.pk}"

    @property
    def shows_confirmation(self) -> bool:
        """The 'confirm an exceptional day' box is offered when the day is outside the period."""
        if self.is_bound:
            return self.has_error("date", "outside_period") or bool(
                self.data.get("confirm_outside_period")
            )
        return bool(self.initial.get("confirm_outside_period"))

    def _outside_period(self, date) -> bool:
        return not (self.round.period_start <= date <= self.round.period_end)

    def clean(self) -> dict:
        data = super().clean()
        date, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        date_valid = "date" not in self.errors
        start_valid = "start_time" not in self.errors
        if date_valid and date is None and (start or end):
            self.add_error("date", _("Anna myös päivämäärä, kun annat kellonajan."))
        if start_valid and start is None and end:
            self.add_error("start_time", _("Anna myös alkamisaika, kun annat päättymisajan."))
        if start and end and end <= start:
            self.add_error("end_time", _("Päättymisajan on oltava alkamisajan jälkeen."))
        if (
            date
            and self._outside_period(date)
            and "date" in self.changed_data
            and not data.get("confirm_outside_period")
        ):
            self.add_error(
                "date",
                forms.ValidationError(
                    _(
                        "Päivä on kierroksen neuvottelukauden ulkopuolella. "
                        "Vahvista valitsemalla ’Vahvistan poikkeavan päivän’."
                    ),
                    code="outside_period",
                ),
            )
        return data

    def schedule_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class ParticipantForm(forms.Form):
    """A user of the service, or a named external person (name, organisation, title)."""

    side = forms.ChoiceField(
        label=_("Osapuoli"), choices=Participant.Side.choices, initial=Participant.Side.MINISTRY
    )
    user = UserChoiceField(
        label=_("Palvelun käyttäjä"),
        queryset=User.objects.filter(is_active=True).order_by(
            "last_name", "first_name", "username"
        ),
        required=False,
        empty_label=_("— ulkopuolinen henkilö —"),
    )
    name = TypedTextField(label=_("Nimi"), max_length=200, required=False)
    organisation = TypedTextField(label=_("Organisaatio"), max_length=200, required=False)
    title = TypedTextField(label=_("Tehtävänimike"), max_length=200, required=False)

    def __init__(self, *args, negotiation: Negotiation, **kwargs) -> None:
        kwargs.setdefault("auto_id", "participant-%s")
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = self.users(negotiation)

    @classmethod
    def users(cls, negotiation: Negotiation):
        """The users to choose from: the region's own people and the ministry's officials;
        anyone else (THL's experts, who have no role of their own in the service) is added
        by name. The negotiation page draws the unbound form's select from these too."""
        return (
            cls.base_fields["user"]
            .queryset.filter(
                Q(groups__name=MINISTRY_OFFICIAL)
                | Q(region_memberships__region_id=negotiation.region_id)
            )
            .distinct()
        )

    def clean(self) -> dict:
        data = super().clean()
        if "user" in self.errors:
            return data
        user, name = data.get("user"), data.get("name", "").strip()
        if user is None and not name:
            self.add_error(
                "user", _("Valitse palvelun käyttäjä tai anna ulkopuolisen henkilön nimi.")
            )
        elif user is not None and name:
            self.add_error(
                "name",
                _(
                    "Anna nimi vain ulkopuoliselle henkilölle; "
                    "palvelun käyttäjän nimi tulee palvelusta."
                ),
            )
        return data


class RegionThemeForm(forms.Form):
    region_theme_title = TypedTextField(label=_("Teeman otsikko"), max_length=200, required=False)
    region_theme_questions = TypedTextField(
        label=_("Kysymykset"),
        max_length=MAX_QUESTIONS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Yksi kysymys riviä kohti."),
    )

    def __init__(self, *args, negotiation: Negotiation, **kwargs) -> None:
        kwargs.setdefault("auto_id", "region-theme-%s")
        kwargs.setdefault(
            "initial",
            {
                "region_theme_title": negotiation.region_theme_title,
                "region_theme_questions": negotiation.region_theme_questions,
            },
        )
        super().__init__(*args, **kwargs)
