"""The round dashboard: one row per region of a round, filtered and sorted from the query
string, with a summary of the rows shown on top.

The counting helpers here (`progress_counts`, `OpenActions`, `Deadline`, with the models'
`late_report`) are also what the home page counts with, so the two pages give the same numbers.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.db.models import (
    Aggregate,
    Count,
    F,
    Min,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from knowledge.models import Indicator, IndicatorValue, NationalObjective
from negotiations.access import get_round_for_ministry
from negotiations.display import (
    full_name,
    localized_value,
    meeting_datetime,
    meeting_time,
    options,
)
from negotiations.forms.dashboard import DashboardFilterForm
from negotiations.links import PkUrl
from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    Round,
    RoundTheme,
    SituationReport,
)
from negotiations.models.schedule import late_report
from negotiations.views.reads import NEGOTIATION
from pagecache.pages import cached_page
from regions.localized import LANGUAGE_CODES, language_code
from regions.models import CooperationArea, Region

REPORT = SituationReport.Status


# --- what is counted, the same on the dashboard and on the home page ------------------------


def progress_counts(today: datetime.date) -> dict[str, Aggregate]:
    """Aggregates over a set of negotiations (a round's, or the dashboard's rows): scheduled,
    reports submitted and late, records per status, and the next meeting from today."""
    counts = {
        "total": Count("pk"),
        "scheduled": Count("pk", filter=Q(date__isnull=False)),
        "reports_submitted": Count("pk", filter=Q(report__status=REPORT.SUBMITTED)),
        "reports_late": Count("pk", filter=late_report(today)),
        "next_date": Min("date", filter=Q(date__gte=today)),
    }
    for status in Record.Status:
        counts[f"records_{status.value}"] = Count("pk", filter=Q(record__status=status))
    return counts


@dataclass(frozen=True)
class ActionCount:
    open: int = 0
    overdue: int = 0

    def __add__(self, other: "ActionCount") -> "ActionCount":
        return ActionCount(self.open + other.open, self.overdue + other.overdue)


@dataclass(frozen=True)
class RoundActions:
    """Open follow-up actions of a round's negotiations: agreed in the round itself, and
    carried over to it from earlier rounds."""

    own: ActionCount = ActionCount()
    carried: ActionCount = ActionCount()

    @property
    def open(self) -> int:
        return self.own.open + self.carried.open

    @property
    def overdue(self) -> int:
        return self.own.overdue + self.carried.overdue


class OpenActions:
    """The open follow-up actions of some regions and their predecessors for some rounds,
    counted per region in one query (after one read of the succession table), so that a page
    with one row per region needs no query per row.

    For each round the query counts, per region, the open actions agreed in that round and
    those of earlier rounds (conditional counts), so that it returns one row per region of
    the lineages however many rounds the regions have behind them.

    Carried over means what `FollowUpAction.objects.carried_over_to()` lists: open actions
    of earlier rounds agreed with the region or any region it succeeds. Counted for a set of
    regions, an action is counted once, however many of them succeed its region (the six
    successors of Uusimaa share its actions of 2018).
    """

    def __init__(
        self, region_ids: Iterable[int], *, rounds: Iterable[Round], today: datetime.date
    ) -> None:
        self.lineage = Region.objects.lineages(region_ids)
        rounds = list(rounds)
        late = Q(due_date__lt=today)
        counts = {}
        for round_ in rounds:
            own = Q(negotiation__round_id=round_.pk)
            earlier = Q(negotiation__round__period_start__lt=round_.period_start)
            counts[f"own_{round_.pk}"] = Count("pk", filter=own)
            counts[f"own_late_{round_.pk}"] = Count("pk", filter=own & late)
            counts[f"carried_{round_.pk}"] = Count("pk", filter=earlier)
            counts[f"carried_late_{round_.pk}"] = Count("pk", filter=earlier & late)
        rows = (
            FollowUpAction.objects.open()
            .filter(
                negotiation__region_id__in=set().union(*self.lineage.values()),
                negotiation__round__period_start__lte=max(r.period_start for r in rounds),
            )
            .order_by()
            .values("negotiation__region_id")
            .annotate(**counts)
            if rounds
            else []
        )
        self._by_region = {row["negotiation__region_id"]: row for row in rows}

    def of(self, round_: Round, region_ids: Iterable[int]) -> RoundActions:
        """The open actions of these regions' negotiations in `round_`, and those carried
        over to them (the regions and the round must be among those counted)."""
        region_ids = set(region_ids)
        lineage = set().union(*(self.lineage[region_id] for region_id in region_ids))
        own = carried = ActionCount()
        pk = round_.pk
        for region_id in lineage:
            row = self._by_region.get(region_id)
            if row is None:
                continue
            if region_id in region_ids:
                own += ActionCount(row[f"own_{pk}"], row[f"own_late_{pk}"])
            carried += ActionCount(row[f"carried_{pk}"], row[f"carried_late_{pk}"])
        return RoundActions(own, carried)


@dataclass(frozen=True)
class Deadline:
    """A date and how far it is from today, for "5 days left" or "3 days late"."""

    date: datetime.date
    today: datetime.date

    @property
    def days_left(self) -> int:
        return (self.date - self.today).days

    @property
    def days_late(self) -> int:
        return -self.days_left


@dataclass
class Progress:
    """The summary of a set of negotiations, as `progress_counts` and `OpenActions` count it."""

    round: Round
    total: int
    scheduled: int
    reports_submitted: int
    reports_late: int
    next_date: datetime.date | None
    records: list[dict]
    actions: RoundActions = field(default_factory=RoundActions)

    @classmethod
    def of_negotiations(
        cls,
        round_: Round,
        negotiations: Iterable[dict],
        actions: RoundActions,
        today: datetime.date,
    ) -> "Progress":
        """The figures `progress_counts` gives, counted from negotiations already read
        `with_progress` as values (date, report_status, report_is_late, record_status: the
        dashboard's rows, the home page's current rounds), so that a page that reads the rows
        anyway needs no aggregate query of its own."""
        negotiations = list(negotiations)
        dates = [n["date"] for n in negotiations if n["date"] is not None]
        records = Counter(n["record_status"] for n in negotiations)
        counts = {
            "total": len(negotiations),
            "scheduled": len(dates),
            "reports_submitted": sum(n["report_status"] == REPORT.SUBMITTED for n in negotiations),
            "reports_late": sum(bool(n["report_is_late"]) for n in negotiations),
            "next_date": min((date for date in dates if date >= today), default=None),
        }
        for status in Record.Status:
            counts[f"records_{status.value}"] = records[status.value]
        return cls.from_counts(round_, counts, actions)

    @classmethod
    def from_counts(cls, round_: Round, counts: dict, actions: RoundActions) -> "Progress":
        return cls(
            round=round_,
            total=counts["total"],
            scheduled=counts["scheduled"],
            reports_submitted=counts["reports_submitted"],
            reports_late=counts["reports_late"],
            next_date=counts["next_date"],
            records=[
                {
                    "status": status.value,
                    "label": capfirst(str(status.label)),
                    "count": counts[f"records_{status.value}"],
                }
                for status in Record.Status
            ],
            actions=actions,
        )

    @property
    def takes_reports(self) -> bool:
        """Reports exist (and are due) once the round has been opened for them."""
        return self.round.status != Round.Status.PLANNING


def legend() -> list[dict]:
    """What each status on the dashboard means, under the same words the rows use."""
    report = {
        REPORT.NOT_STARTED: _("Alue ei ole vielä kirjoittanut tilannekuvaan."),
        REPORT.DRAFT: _("Alue kirjoittaa tilannekuvaa, eikä sitä ole vielä lähetetty."),
        REPORT.SUBMITTED: _("Alue on lähettänyt tilannekuvan ministeriön luettavaksi."),
        REPORT.RETURNED: _(
            "Ministeriö palautti tilannekuvan alueelle täydennettäväksi; alue lähettää sen "
            "uudelleen."
        ),
    }
    record = {
        Record.Status.DRAFT: _("Ministeriö kirjoittaa muistiota. Alue ei vielä näe sitä."),
        Record.Status.COMMENTS: _(
            "Muistio on lähetetty alueelle kommentoitavaksi, ja ministeriö hyväksyy sen "
            "kommenttien jälkeen."
        ),
        Record.Status.APPROVED: _(
            "Muistio on hyväksytty ja lukittu, mutta sitä ei ole vielä julkaistu."
        ),
        Record.Status.PUBLISHED: _(
            "Muistio on julkinen: kuka tahansa voi lukea sen ilman kirjautumista."
        ),
    }
    late = capfirst(_("myöhässä"))
    return [
        {
            "title": _("Tilannekuva"),
            "entries": [
                *((capfirst(status.label), report[status]) for status in REPORT),
                (
                    late,
                    _(
                        "Tilannekuva lähetettiin määräpäivän jälkeen, tai määräpäivä on mennyt "
                        "eikä sitä ole lähetetty."
                    ),
                ),
            ],
        },
        {
            "title": _("Muistio"),
            "entries": [(capfirst(status.label), record[status]) for status in Record.Status],
        },
        {
            "title": _("Jatkotoimenpiteet"),
            "entries": [
                (
                    _("Avoimet"),
                    _(
                        "Sovitut ja käynnissä olevat jatkotoimenpiteet: tällä kierroksella "
                        "sovitut ja aiemmilta kierroksilta siirtyneet, jotka sovittiin alueen "
                        "tai sen edeltäjän (esimerkiksi vuoden 2018 maakunnan) kanssa."
                    ),
                ),
                (late, _("Avoin jatkotoimenpide, jonka määräaika on mennyt.")),
            ],
        },
    ]


# --- the rows --------------------------------------------------------------------------------


# What a dashboard row reads: the negotiation `with_progress`, its region and its chair.
ROW_VALUES = (
    "pk",
    "region_id",
    "date",
    "start_time",
    "end_time",
    "report_status",
    "report_is_late",
    "record_status",
    "region__kind",
    *(f"region__name_{code}" for code in LANGUAGE_CODES),
    *(f"region__cooperation_area__name_{code}" for code in LANGUAGE_CODES),
    "chair__first_name",
    "chair__last_name",
    "chair__username",
)


def dashboard_rows(round_: Round, negotiations: list[dict], actions: OpenActions) -> list[dict]:
    """What each row of the dashboard says, worked out once here rather than by template
    tags in every row: the links, the region, the time, the chair, the report's and the
    record's status in words (a report nobody has written in yet reads "not started" like a
    missing one, and so does a missing record, as `_dashboard_record_status.html` says it in
    the round PDF) and the open follow-up actions with their notes. `negotiations` are
    ROW_VALUES rows."""
    not_started = _("Ei aloitettu")
    written = (REPORT.DRAFT, REPORT.SUBMITTED, REPORT.RETURNED)
    reports = {status.value: capfirst(str(status.label)) for status in written}
    records = {status.value: capfirst(str(status.label)) for status in Record.Status}
    kinds = {kind.value: str(kind.label) for kind in Region.Kind}
    calendar_entry = _("kalenterimerkintä, %(region)s")
    detail_url = PkUrl("negotiations:negotiation-detail")
    calendar_url = PkUrl("negotiations:negotiation-calendar")
    rows = []
    for negotiation in negotiations:
        region = localized_value(negotiation, "region__name")
        username = negotiation["chair__username"]
        open_actions = actions.of(round_, [negotiation["region_id"]])
        carried, overdue = open_actions.carried.open, open_actions.overdue
        date = negotiation["date"]
        rows.append(
            {
                "url": detail_url(negotiation["pk"]),
                "region": region,
                "kind": kinds.get(negotiation["region__kind"], negotiation["region__kind"]),
                "area": localized_value(negotiation, "region__cooperation_area__name")
                if negotiation["region__cooperation_area__name_fi"] is not None
                else "",
                # As _negotiation_time.html reads them from a negotiation.
                "is_scheduled": date is not None,
                "time_datetime": meeting_datetime(date, negotiation["start_time"]),
                "time_label": meeting_time(
                    date, negotiation["start_time"], negotiation["end_time"]
                ),
                "chair": full_name(
                    negotiation["chair__first_name"], negotiation["chair__last_name"], username
                )
                if username is not None
                else "",
                "report": reports.get(negotiation["report_status"], not_started),
                "report_is_late": negotiation["report_is_late"],
                "record": records.get(negotiation["record_status"], not_started),
                # As text: a number is localised on output.
                "open_actions": str(open_actions.open),
                "carried_note": ngettext(
                    "josta %(carried)s aiemmilta kierroksilta",
                    "joista %(carried)s aiemmilta kierroksilta",
                    open_actions.open,
                )
                % {"carried": carried}
                if carried
                else "",
                "overdue_note": ngettext("%(counter)s myöhässä", "%(counter)s myöhässä", overdue)
                % {"counter": overdue}
                if overdue
                else "",
                "calendar_url": calendar_url(negotiation["pk"]),
                "calendar_label": calendar_entry % {"region": region},
            }
        )
    return rows


def filter_selects(form: DashboardFilterForm) -> list[dict]:
    """The filter form's selects, as its Select widgets would draw them."""
    return [
        {
            "name": field.html_name,
            "id": field.auto_id,
            "label": field.label,
            "options": options(field.field.choices, field.value()),
        }
        for field in form
    ]


def _negotiation_filters(filters: dict[str, str]) -> dict:
    """The form's filters in the words of `NegotiationQuerySet.filtered`."""
    form = DashboardFilterForm
    report = filters["report"]
    return {
        "area_code": filters["area"],
        "scheduled": {form.SCHEDULED: True, form.UNSCHEDULED: False}.get(filters["schedule"]),
        "report_status": report if report in REPORT.values else "",
        "unfinished_reports": report == form.REPORT_UNFINISHED,
        "late_reports": report == form.REPORT_LATE,
        "record_status": filters["record"],
    }


def sort_negotiations(negotiations: QuerySet, sort: str) -> QuerySet:
    region_name = f"region__name_{language_code()}"
    if sort == DashboardFilterForm.REGION:
        return negotiations.order_by(region_name)
    if sort == DashboardFilterForm.DATE_DESC:
        return negotiations.order_by(
            F("date").desc(nulls_last=True), F("start_time").desc(nulls_last=True), region_name
        )
    # Unscheduled negotiations last in both date orders: they are the ones still to plan.
    return negotiations.order_by(
        F("date").asc(nulls_last=True), F("start_time").asc(nulls_last=True), region_name
    )


@require_safe
@login_required
@vary_on_headers("HX-Request")
@cached_page("knowledge", *NEGOTIATION, FollowUpAction)
def round_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for_ministry(request, pk)
    form = DashboardFilterForm(request.GET, areas=list(CooperationArea.objects.all()))
    filters = form.filters()
    today = timezone.localdate()
    shown = round_.negotiations.filtered(today=today, **_negotiation_filters(filters))
    negotiations = list(
        sort_negotiations(shown, filters["sort"]).with_progress(today).values(*ROW_VALUES)
    )
    region_ids = [negotiation["region_id"] for negotiation in negotiations]
    actions = OpenActions(region_ids, rounds=[round_], today=today)
    rows = dashboard_rows(round_, negotiations, actions)
    summary = Progress.of_negotiations(round_, negotiations, actions.of(round_, region_ids), today)
    context = {
        "round": round_,
        "form": form,
        "filter_selects": filter_selects(form),
        "filters": filters,
        "filtered": any(filters[name] for name in DashboardFilterForm.NARROWING),
        "negotiations": negotiations,
        "rows": rows,
        "summary": summary,
        "report_deadline": Deadline(round_.report_deadline, today)
        if round_.report_deadline
        else None,
    }
    # A history restore (back button with htmx's cache empty) needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "negotiations/round_dashboard.html#results", context)
    context["round_themes"] = round_.round_themes.select_related("theme").only(
        "round", "theme", *(f"theme__title_{code}" for code in LANGUAGE_CODES)
    )
    context["legend"] = legend()
    return render(request, "negotiations/round_dashboard.html", context)


# --- the national objectives across the regions ----------------------------------------------


@dataclass
class ObjectiveRow:
    """One region (or the whole country) under one objective: the newest value of each of
    the objective's indicators (None: no figure) and its open recommendations by status."""

    label: str
    values: list[IndicatorValue | None]
    recommendations: dict[str, int] = field(default_factory=dict)
    is_country: bool = False

    @property
    def open_recommendations(self) -> int:
        return sum(self.recommendations.values())

    @property
    def recommendation_statuses(self) -> list[tuple[str, int]]:
        return [
            (FollowUpAction.Status(status).label, count)
            for status, count in self.recommendations.items()
            if count
        ]


@dataclass
class ObjectiveOverview:
    objective: NationalObjective
    indicators: list[Indicator]
    rows: list[ObjectiveRow]


def objectives_overview(round_: Round, negotiations: list[Negotiation]) -> list[ObjectiveOverview]:
    """For each national objective of the period the round follows: each region's newest
    values of the objective's indicators (and the whole country's), and the region's open
    recommendations on the themes that cover the objective in this round, given to it or to
    a region it succeeds in this or an earlier round.

    A fixed number of queries (objectives, their indicators, the values, the themes'
    objectives, the succession table, the recommendations), whatever the number of regions
    and objectives."""
    if not round_.objective_period_id:
        return []
    objectives = list(
        NationalObjective.objects.filter(period_id=round_.objective_period_id).prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("name_fi"))
        )
    )
    if not objectives:
        return []
    regions = [negotiation.region for negotiation in negotiations]
    region_ids = [region.pk for region in regions]
    indicator_ids = {i.pk for objective in objectives for i in objective.indicators.all()}

    newest: dict[tuple[int, int | None], IndicatorValue] = {}
    if indicator_ids:
        values = (
            IndicatorValue.objects.filter(
                Q(region_id__in=region_ids) | Q(whole_country=True), indicator_id__in=indicator_ids
            )
            .newest_per_place()
            .select_related("indicator")
        )
        for value in values:
            newest[(value.indicator_id, value.region_id)] = value

    themes_of: dict[int, set[int]] = defaultdict(set)
    for objective_id, theme_id in RoundTheme.objectives.through.objects.filter(
        roundtheme__round=round_
    ).values_list("nationalobjective_id", "roundtheme__theme_id"):
        themes_of[objective_id].add(theme_id)

    lineage = Region.objects.lineages(region_ids)
    # (region, theme) -> status -> count
    counted: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    theme_ids = set().union(*themes_of.values())
    if theme_ids and region_ids:
        rows = (
            FollowUpAction.objects.open()
            .recommendations()
            .filter(
                negotiation__region_id__in=set().union(*lineage.values()),
                negotiation__round__period_start__lte=round_.period_start,
                section__round_theme__theme_id__in=theme_ids,
            )
            .order_by()
            .values("negotiation__region_id", "section__round_theme__theme_id", "status")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            key = (row["negotiation__region_id"], row["section__round_theme__theme_id"])
            counted[key][row["status"]] += row["n"]

    overview = []
    for objective in objectives:
        indicators = list(objective.indicators.all())
        themes = themes_of[objective.pk]
        rows = []
        for region in regions:
            by_status = dict.fromkeys(FollowUpAction.OPEN_STATUSES, 0)
            for predecessor in lineage[region.pk]:
                for theme_id in themes:
                    for status, count in counted.get((predecessor, theme_id), {}).items():
                        by_status[status] += count
            rows.append(
                ObjectiveRow(
                    label=region.name,
                    values=[newest.get((i.pk, region.pk)) for i in indicators],
                    recommendations=by_status,
                )
            )
        if indicators:
            rows.append(
                ObjectiveRow(
                    label=_("Koko maa"),
                    values=[newest.get((i.pk, None)) for i in indicators],
                    is_country=True,
                )
            )
        overview.append(ObjectiveOverview(objective, indicators, rows))
    return overview


@require_safe
@login_required
def round_objectives(request: HttpRequest, pk: int) -> HttpResponse:
    """The national objectives across the round's regions: indicators and recommendations."""
    round_ = get_round_for_ministry(request, pk)
    negotiations = list(
        round_.negotiations.select_related("region").order_by(f"region__name_{language_code()}")
    )
    context = {
        "round": round_,
        "period": round_.objective_period,
        "overview": objectives_overview(round_, negotiations),
    }
    return render(request, "negotiations/round_objectives.html", context)
