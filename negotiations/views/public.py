"""Published records, for everyone: open government needs no login.

Only `Record.objects.published()` is ever read here. A published record is locked (it can no
longer be reopened), so its section texts are the published ones; comments, version history
and the event log belong to the preparation and never reach these pages.
"""

import hashlib
import re

from django.core.cache import cache
from django.db.models import F, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import get_template, render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from knowledge.figures import columns_of, data_state
from negotiations.display import day
from negotiations.documents import (
    THEME_INDICATORS,
    attach_theme_figures,
    record_document,
    section_queryset,
)
from negotiations.forms.public import PublicRoundFilterForm
from negotiations.links import PkUrl
from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordAttendee,
    RecordSection,
    Round,
    RoundTheme,
    Theme,
)
from pagecache.pages import TextsOf, cached_page
from regions.localized import language_code

# The published records' list is served from the cache for as long as what it shows is the
# same (the key holds all of it), and dropped after this time if nobody asks for it.
PUBLIC_LIST_SECONDS = 3600


@require_safe
@cached_page(Negotiation, Record, Round)
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
    key = f"public-records:{get_language()}:{_digest((chosen, names, records))}"
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
    return f"public-record:{record.pk}:{get_language()}:{_digest(state)}"


TEXTS = ("situation", "discussion", "challenges", "measures")


def _digest(state) -> str:
    """A cache key's part for everything a page shows (its repr, hashed)."""
    return hashlib.sha256(repr(state).encode()).hexdigest()


def public_figures_key(record: Record, sections: list) -> str | None:
    """The cache key of the theme figures of a published record in the active language, from
    what they are drawn from: the region and its cooperation area, each theme's indicators
    with all their fields, and the state of the indicators' values (a new import or an edit
    changes it). None when no theme has indicators."""
    round_themes = [section.round_theme for section in sections if section.round_theme_id]
    prefetch_related_objects(round_themes, THEME_INDICATORS)
    indicators = {i.pk: i for rt in round_themes for i in rt.indicators.all()}
    if not indicators:
        return None
    region = record.negotiation.region
    area = region.cooperation_area
    state = (
        columns_of(region),
        area and columns_of(area),
        [(rt.pk, [i.pk for i in rt.indicators.all()]) for rt in round_themes],
        data_state(indicators.values()),
    )
    return f"public-figures:{record.pk}:{get_language()}:{_digest(state)}"


def _public_figures(record: Record, sections: list, *, attached: bool) -> dict[int, str]:
    """Each section's theme figures as the public page shows them, by section pk: from the
    cache while their data stays the same. `attached`: the sections have their figures."""
    key = public_figures_key(record, sections)
    if key is None:
        return {}
    shown = cache.get(key)
    if shown is None:
        if not attached:
            attach_theme_figures(sections, record.negotiation.region)
        template = get_template("negotiations/public_record.html#theme-figures")
        shown = {section.pk: template.render({"section": section}) for section in sections}
        cache.set(key, shown, PUBLIC_RECORD_SECONDS)
    return shown


@require_safe
@cached_page(
    "knowledge",
    FollowUpAction,
    Negotiation,
    Record,
    RecordAttendee,
    TextsOf(RecordSection),
    Round,
    RoundTheme,
    Theme,
)
def public_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The published record. Its content (the partial public-content, also the publish
    check's preview) is rendered once and then served from the cache; so are the theme
    figures put into it, for as long as the indicator data they show stays the same."""
    record = get_object_or_404(
        Record.objects.published().select_related(
            "negotiation__round", "negotiation__region__cooperation_area", "approved_by"
        ),
        pk=pk,
    )
    sections = list(section_queryset(record))
    key = public_content_key(record, sections)
    content = cache.get(key)
    attached = content is None
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
    figures = _public_figures(record, sections, attached=attached)
    content = FIGURES_PLACE.sub(lambda place: figures.get(int(place[1]), ""), content)
    # The cache keeps the page's own rendering: it is HTML, not text to escape.
    context = {"record": record, "negotiation": record.negotiation, "content": mark_safe(content)}
    return render(request, "negotiations/public_record.html", context)
