"""Published records, for everyone: open government needs no login.

Only `Record.objects.published()` is ever read here. A published record is locked (it can no
longer be reopened), so its section texts are the published ones; comments, version history
and the event log belong to the preparation and never reach these pages.
"""

import hashlib
import re

from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from negotiations.display import day
from negotiations.documents import attach_theme_figures, record_document, section_queryset
from negotiations.forms.public import PublicRoundFilterForm
from negotiations.links import PkUrl
from negotiations.models import FollowUpAction, Record, Round
from regions.localized import language_code

# The published records' list is served from the cache for as long as what it shows is the
# same (the key holds all of it), and dropped after this time if nobody asks for it.
PUBLIC_LIST_SECONDS = 3600


@require_safe
def public_records(request: HttpRequest) -> HttpResponse:
    """Every published record, by round (newest first) and region: some 23 rows a round,
    all on the page. Its table is rendered once for what it shows (the rows' values, the
    rounds' names, the language) and then served from the cache."""
    published = Record.objects.published()
    rounds = list(Round.objects.filter(negotiations__record__in=published).distinct())
    form = PublicRoundFilterForm(request.GET, rounds=rounds)
    code = language_code()
    records = published.order_by(
        F("negotiation__round__period_start").desc(),
        "negotiation__round_id",
        f"negotiation__region__name_{code}",
        "pk",
    ).values_list(
        "pk",
        "negotiation__round_id",
        f"negotiation__region__name_{code}",
        "negotiation__region__name_fi",
        "negotiation__date",
        "published_at",
    )
    chosen = form.chosen_round()
    if chosen:
        records = records.filter(negotiation__round_id=chosen)
    records = list(records)
    names = [(round_.pk, round_.name) for round_ in rounds]
    digest = hashlib.sha256(repr((chosen, names, records)).encode()).hexdigest()
    key = f"public-records:{get_language()}:{digest}"
    table = cache.get(key)
    if table is None:
        context = {"groups": by_round(records, rounds), "chosen_round": chosen}
        table = render_to_string(
            "negotiations/public_records.html#records", context, request=request
        )
        cache.set(key, table, PUBLIC_LIST_SECONDS)
    # The cache keeps the page's own rendering: it is HTML, not text to escape.
    context = {"form": form, "table": mark_safe(table)}
    return render(request, "negotiations/public_records.html", context)


def by_round(records: list[tuple], rounds: list[Round]) -> list[dict]:
    """The list's rows grouped by round, each row's texts worked out here (no model
    instances, date filters or reverse() per row)."""
    by_pk = {round_.pk: round_ for round_ in rounds}
    url = PkUrl("negotiations:public-record")
    groups = []
    for pk, round_pk, region, region_fi, date, published_at in records:
        round_ = by_pk[round_pk]
        if not groups or groups[-1]["round"] is not round_:
            groups.append({"round": round_, "records": []})
        if published_at:
            published_at = timezone.localdate(published_at)
        groups[-1]["records"].append(
            {
                "url": url(pk),
                "region": region or region_fi,
                "date": date and {"iso": date.isoformat(), "day": day(date)},
                "published": published_at
                and {"iso": published_at.isoformat(), "day": day(published_at)},
            }
        )
    return groups


# A published record's content is served from the cache for as long as what it shows is the
# same (the key holds all of it), and dropped after this time if nobody asks for it. Its theme
# figures are the region's current indicator data: they are put in on every request.
PUBLIC_RECORD_SECONDS = 3600
FIGURES_PLACE = re.compile(r"<!--figures-(\d+)-->")  # where the template left a theme's figures


def public_content_key(record: Record, sections: list) -> str:
    """The cache key of a published record's content in the active language, from what it
    shows: the texts, the names, the negotiation's details, the approval, the actions and
    their statuses (followed up after publication). Who was present is fixed at the
    approval (Record.set_attendance), and which actions the record has at its publication
    (FollowUpActionQuerySet.as_published_in)."""
    negotiation = record.negotiation
    approver = record.approved_by
    state = (
        record.published_at,
        record.approved_at,
        approver and (approver.pk, approver.get_full_name()),
        negotiation.round.name,
        negotiation.region.name,
        [
            getattr(negotiation, name)
            for name in ("date", "start_time", "end_time", "place", "language", "updated_at")
        ],
        [
            (section.pk, section.kind, section.title, *(getattr(section, name) for name in TEXTS))
            for section in sections
        ],
        list(
            FollowUpAction.objects.as_published_in(record)
            .order_by("pk")
            .values_list(
                "pk",
                "section_id",
                "kind",
                "ministry",
                "what",
                "responsible",
                "owner",
                "due_date",
                "status",
            )
        ),
    )
    digest = hashlib.sha256(repr(state).encode()).hexdigest()
    return f"public-record:{record.pk}:{get_language()}:{digest}"


TEXTS = ("situation", "discussion", "challenges", "measures")


@require_safe
def public_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The published record. Its content (the partial public-content, also the publish
    check's preview) is rendered once and then served from the cache; the theme figures
    are rendered into it on every request."""
    record = get_object_or_404(
        Record.objects.published().select_related(
            "negotiation__round", "negotiation__region", "approved_by"
        ),
        pk=pk,
    )
    sections = list(section_queryset(record))
    key = public_content_key(record, sections)
    content = cache.get(key)
    if content is None:
        document = record_document(record)
        sections = document.sections  # with their figures
        context = {
            "record": record,
            "negotiation": record.negotiation,
            "sections": sections,
            "present_groups": document.present_groups,
            "figures_later": True,
        }
        content = render_to_string(
            "negotiations/public_record.html#public-content", context, request=request
        )
        cache.set(key, content, PUBLIC_RECORD_SECONDS)
    else:
        attach_theme_figures(sections, record.negotiation.region)
    figures = get_template("negotiations/public_record.html#theme-figures")
    by_section = {section.pk: section for section in sections}
    content = FIGURES_PLACE.sub(
        lambda place: figures.render({"section": by_section[int(place[1])]}), content
    )
    # The cache keeps the page's own rendering: it is HTML, not text to escape.
    context = {"record": record, "negotiation": record.negotiation, "content": mark_safe(content)}
    return render(request, "negotiations/public_record.html", context)
