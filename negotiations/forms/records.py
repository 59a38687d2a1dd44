"""Forms of the record page: who attended, and the region's comments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from negotiations.models import Negotiation

MAX_COMMENT_LENGTH = 5_000


class AttendanceForm(forms.Form):
    """The invited participants ticked as present; only the negotiation's own are valid."""

    present = forms.ModelMultipleChoiceField(
        label=_("Läsnä"),
        queryset=None,
        required=False,
        error_messages={
            "invalid_choice": _("Valitse läsnäolijat neuvottelun osallistujista."),
            "invalid_pk_value": _("Valitse läsnäolijat neuvottelun osallistujista."),
        },
    )

    def __init__(self, *args, negotiation: Negotiation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = negotiation.participants.all()


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Kommentti"),
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Kirjoita kommentti.")},
    )
