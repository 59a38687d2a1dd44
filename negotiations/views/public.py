"""Published records, for everyone: open government needs no login.

Only `Record.objects.published()` is ever read here. A published record is locked (it can no
longer be reopened), so its section texts are the published ones; comments, version history
and the event log belong to the preparation and never reach these pages.
"""

from django import forms
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from negotiations.documents import record_document
from negotiations.forms.dashboard import LenientChoiceField
from negotiations.models import Record, Round
from regions.localized import language_code


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


@require_safe
def public_records(request: HttpRequest) -> HttpResponse:
    published = Record.objects.published()
    rounds = list(Round.objects.filter(negotiations__record__in=published).distinct())
    form = PublicRoundFilterForm(request.GET, rounds=rounds)
    records = published.select_related("negotiation__round", "negotiation__region").order_by(
        F("negotiation__round__period_start").desc(),
        "negotiation__round_id",
        f"negotiation__region__name_{language_code()}",
        "pk",
    )
    chosen = form.chosen_round()
    if chosen:
        records = records.filter(negotiation__round_id=chosen)
    context = {"form": form, "records": list(records), "chosen_round": chosen}
    return render(request, "negotiations/public_records.html", context)


@require_safe
def public_record(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(
        Record.objects.published().select_related(
            "negotiation__round", "negotiation__region", "approved_by"
        ),
        pk=pk,
    )
    document = record_document(record)
    context = {
        "record": record,
        "negotiation": record.negotiation,
        "sections": document.sections,
        "present_groups": document.present_groups,
    }
    return render(request, "negotiations/public_record.html", context)
