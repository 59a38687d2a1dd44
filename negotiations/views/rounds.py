"""Planning a round: its facts and regions, its themes, and its status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from knowledge.models import Indicator
from negotiations.access import get_round_for_ministry, require_ministry_official
from negotiations.forms.rounds import CopyFromForm, RegionSet, RoundForm, RoundThemeFormSet
from negotiations.models import Record, Round, SituationReport
from negotiations.services import advance_round_status, save_round, save_round_themes
from regions.localized import language_code


def _copy_initial(source: Round) -> dict:
    """The new round's form, filled from an earlier round; the dates are left for the user."""
    regions = set(source.negotiations.values_list("region_id", flat=True))
    return {
        "name_fi": source.name_fi,
        "name_sv": source.name_sv,
        "name_en": source.name_en,
        "kind": source.kind,
        "lead_ministry": source.lead_ministry,
        "ministries": source.ministries,
        "objective_period": source.objective_period_id,
        "allows_region_theme": source.allows_region_theme,
        "region_set": RegionSet.describe(regions),
        "regions": sorted(regions),
    }


def _save(request: HttpRequest, form: RoundForm, copy_from: Round | None = None) -> Round | None:
    try:
        return save_round(form=form, copy_themes_from=copy_from)
    except ValidationError as error:
        form.add_error("regions", error)
        return None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    require_ministry_official(request)
    copy_form = CopyFromForm(request.GET if "copy_from" in request.GET else None)
    source = copy_form.cleaned_data["copy_from"] if copy_form.is_valid() else None
    if request.method == "POST":
        form = RoundForm(request.POST)
        if form.is_valid() and (round_ := _save(request, form, copy_from=source)):
            messages.success(request, _("Kierros ”%(round)s” luotiin.") % {"round": round_.name})
            return redirect("negotiations:round-detail", round_.pk)
    else:
        form = RoundForm(initial=_copy_initial(source) if source else None)
    return render(
        request,
        "negotiations/round_form.html",
        {"form": form, "copy_form": copy_form, "copy_source": source},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_ministry(request, pk)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid() and _save(request, form):
        messages.success(request, _("Kierroksen tiedot tallennettiin."))
        return redirect("negotiations:round-detail", round_.pk)
    return render(
        request,
        "negotiations/round_form.html",
        {"form": form, "round": round_},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_themes(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_ministry(request, pk)
    formset = RoundThemeFormSet(
        request.POST or None,
        instance=round_,
        queryset=round_.round_themes.select_related("theme").prefetch_related(
            "objectives", "indicators"
        ),
    )
    if request.method == "POST" and formset.is_valid():
        try:
            with transaction.atomic():
                save_round_themes(formset=formset)
        except ProtectedError:
            # A section was created under the theme after the formset checked: nothing saved.
            formset.refuse_protected_deletions()
        else:
            messages.success(request, _("Kierroksen teemat tallennettiin."))
            return redirect("negotiations:round-themes", round_.pk)
    return render(
        request,
        "negotiations/round_themes.html",
        {"round": round_, "formset": formset, "has_indicators": Indicator.objects.exists()},
        status=400 if request.method == "POST" else 200,
    )


def _status_check(round_: Round) -> dict:
    """What the next step leaves behind: the regions whose report is not in (and, when the
    round closes, the records not yet approved), so that the official decides knowingly."""
    to = round_.next_status
    negotiations = list(
        round_.negotiations.select_related("region", "report", "record").order_by(
            f"region__name_{language_code()}", "pk"
        )
    )
    for negotiation in negotiations:
        report = getattr(negotiation, "report", None)
        negotiation.report_label = (
            report.get_status_display() if report else SituationReport.Status.NOT_STARTED.label
        )
        negotiation.has_report = bool(report and report.status == SituationReport.Status.SUBMITTED)
        record = getattr(negotiation, "record", None)
        negotiation.record_label = record.get_status_display() if record else ""
        negotiation.record_done = bool(record and record.status not in Record.EDITABLE)
    check = {
        "to": to,
        "to_label": Round.Status(to).label,
        "negotiations": negotiations,
        "theme_count": round_.round_themes.count(),
    }
    if to in (Round.Status.NEGOTIATING, Round.Status.CLOSED):
        check["unsubmitted"] = [n for n in negotiations if not n.has_report]
    if to == Round.Status.CLOSED:
        check["unapproved"] = [n for n in negotiations if not n.record_done]
    return check


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Check before moving the round on (GET: what the step does and which regions it leaves
    behind); the confirmation moves it (POST). The status never moves back."""
    round_ = get_round_for_ministry(request, pk)
    if request.method != "POST":
        if not round_.next_status:
            return redirect("negotiations:round-detail", round_.pk)
        context = {"round": round_, **_status_check(round_)}
        return render(request, "negotiations/round_status_check.html", context)
    try:
        sent = advance_round_status(round_=round_, to=request.POST.get("to", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("Kierroksen tila on nyt ”%(status)s”.") % {"status": round_.get_status_display()}
        if round_.status == Round.Status.OPEN_FOR_REPORTS:
            text += " " + ngettext(
                "Alueiden valmistelijoille lähetettiin %(count)d sähköposti.",
                "Alueiden valmistelijoille lähetettiin %(count)d sähköpostia.",
                sent,
            ) % {"count": sent}
        messages.success(request, text)
    return redirect("negotiations:round-detail", round_.pk)
