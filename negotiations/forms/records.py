"""Forms of the record and report pages: attendance, the region's comments, and the reasons
a step needs (returning a report, reopening a record)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from negotiations.forms.fields import BoundedIdsField, TypedTextField
from negotiations.models import Negotiation

MAX_COMMENT_LENGTH = 5_000
MAX_REASON_LENGTH = 2_000


class AttendanceForm(forms.Form):
    """The invited participants ticked as present; only the negotiation's own are valid."""

    present = BoundedIdsField(
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
        self.fields["present"].queryset = negotiation.participants.select_related("user")


class CommentForm(forms.Form):
    text = TypedTextField(
        label=_("Kommentti"),
        max_length=MAX_COMMENT_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Kirjoita kommentti.")},
    )


class ReturnForm(forms.Form):
    """Why the ministry returns a submitted report to the region."""

    comment = TypedTextField(
        label=_("Palauta täydennettäväksi: mitä alueen pitää täydentää?"),
        max_length=MAX_REASON_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Kerro alueelle, mitä tilannekuvaan pitää täydentää.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="return-%s", **kwargs)


class ReopenForm(forms.Form):
    """Why an approved record is opened again: the event log keeps the reason."""

    reason = TypedTextField(
        label=_("Avaa muistio uudelleen muokattavaksi: miksi?"),
        max_length=MAX_REASON_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Kerro, miksi hyväksytty muistio avataan.")},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="reopen-%s", **kwargs)


class ApproveForm(forms.Form):
    """Approving locks the record. One the region never had for comments is approved only
    with a reason, which the event log keeps beside the approval."""

    reason = TypedTextField(
        label=_("Miksi muistio hyväksytään, vaikka alue ei ole nähnyt sitä?"),
        help_text=_("Perustelu näkyy muistion vaiheissa hyväksynnän kohdalla."),
        max_length=MAX_REASON_LENGTH,
        strip=True,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, needs_reason: bool, **kwargs) -> None:
        super().__init__(*args, auto_id="approve-%s", **kwargs)
        self.needs_reason = needs_reason
        if needs_reason:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Muistiota ei ole lähetetty alueelle kommentoitavaksi. Kerro, miksi se "
                "hyväksytään silti."
            )
        else:
            del self.fields["reason"]
