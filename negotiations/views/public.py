"""Published records, for everyone: open government needs no login.

Only `Record.objects.published()` is ever read here. A published record is locked (it can no
longer be reopened), so its section texts are the published ones; comments, version history
and the event log belong to the preparation and never reach these pages.
"""

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from negotiations.documents import record_document
from negotiations.forms.public import PublicRoundFilterForm
from negotiations.models import Record, Round
from regions.localized import language_code


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
