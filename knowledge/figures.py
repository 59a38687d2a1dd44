"""The figures of indicators for a region, as the knowledge partial shows them beside a theme.

`figures_for(region, indicators, years)` answers for one region, `figures_for_regions()` for
many at once; both read the regions once and the values once (plus the indicators, when they
are given as a queryset), whatever the number of indicators, regions and years, and keep the
answer in the cache for as long as the values' state stays the same (one query). Everything
else (latest value, changes, the cooperation area's and the country's figures of the same
year, the rank among the region's peers, the charts) is worked out from those rows in Python.

HUS has no figures of its own (it serves the four Uusimaa counties and Helsinki, whose figures
are their own): its `has_own_values` is False and nothing is summed or guessed for it.
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _

from knowledge import charts
from knowledge.models import RANKED_KINDS, Indicator, IndicatorValue
from regions.models import CooperationArea, Region

# The regions HUS serves, by (kind, code): its figures are theirs.
HUS_SERVES = {
    (Region.Kind.COUNTY, "01"),
    (Region.Kind.COUNTY, "02"),
    (Region.Kind.COUNTY, "03"),
    (Region.Kind.COUNTY, "04"),
    (Region.Kind.CITY, "90"),
}


def peer_kinds(region: Region) -> tuple[str, ...]:
    """Whom a region is ranked against: a maakunta of 2018 among the maakunnat, everybody
    else among the counties and Helsinki."""
    if region.kind == Region.Kind.MAAKUNTA:
        return (Region.Kind.MAAKUNTA,)
    return RANKED_KINDS


@dataclass(frozen=True)
class YearValue:
    year: int
    value: Decimal | None


@dataclass(frozen=True)
class Change:
    """From one year's value to another's: the difference and, where the first is not 0,
    the relative change in per cent."""

    since: int
    to: int
    difference: Decimal
    percent: Decimal | None

    @classmethod
    def between(cls, first: YearValue, last: YearValue) -> "Change | None":
        if first.value is None or last.value is None or first.year == last.year:
            return None
        difference = last.value - first.value
        percent = difference / abs(first.value) * 100 if first.value else None
        return cls(since=first.year, to=last.year, difference=difference, percent=percent)


@dataclass(frozen=True)
class Ranked:
    """One peer's value in the ranking year; 1 is the best (or the largest where the
    indicator has no better direction), equal values share a rank."""

    rank: int
    region: Region
    value: Decimal
    highlighted: bool


@dataclass
class IndicatorFigures:
    """One indicator for one region: what `templates/knowledge/_indicator_figures.html`
    draws. Series have one entry per year of `years`, value None where there is none."""

    indicator: Indicator
    region: Region
    area: CooperationArea | None
    years: list[int]
    region_series: list[YearValue]
    area_series: list[YearValue]
    country_series: list[YearValue]
    # All peers' values, each year: the ranking of any year is at hand.
    peer_values: dict[int, list[tuple[Region, Decimal]]] = field(repr=False)
    # Tells apart the blocks of one indicator shown more than once on a page (e.g. beside
    # two themes): `dataclasses.replace(figures, scope="t3")`.
    scope: str = ""

    @property
    def dom_id(self) -> str:
        """A prefix for the ids of this block's elements, unique on a page."""
        own = f"k{self.indicator.pk}-r{self.region.pk}"
        return f"{own}-{self.scope}" if self.scope else own

    @property
    def has_own_values(self) -> bool:
        return self.region.kind != Region.Kind.JOINT_AUTHORITY

    @property
    def served_regions(self) -> list[Region]:
        """For HUS: the regions it serves, whose figures are their own."""
        if self.has_own_values:
            return []
        seen = {region.pk: region for year in self.peer_values.values() for region, _ in year}
        return sorted(
            (r for r in seen.values() if (r.kind, r.code) in HUS_SERVES), key=lambda r: r.code
        )

    @property
    def is_percentage(self) -> bool:
        from knowledge.templatetags.knowledge_numbers import is_percentage

        return is_percentage(self.indicator)

    @property
    def has_values(self) -> bool:
        return any(point.value is not None for point in self.region_series)

    @cached_property
    def latest(self) -> YearValue | None:
        """The region's newest value."""
        return next((p for p in reversed(self.region_series) if p.value is not None), None)

    @cached_property
    def first(self) -> YearValue | None:
        return next((p for p in self.region_series if p.value is not None), None)

    @property
    def year(self) -> int | None:
        """The year the comparisons are made in: the region's newest, or for HUS the
        country's."""
        if self.latest:
            return self.latest.year
        newest = next((p for p in reversed(self.country_series) if p.value is not None), None)
        return newest.year if newest else None

    def _at(self, series: list[YearValue], year: int | None) -> YearValue | None:
        return next((p for p in series if p.year == year), None) if year else None

    @property
    def previous(self) -> YearValue | None:
        """The year before the latest, its value None when there is none."""
        if not self.latest:
            return None
        return self._at(self.region_series, self.latest.year - 1) or YearValue(
            self.latest.year - 1, None
        )

    @property
    def area_value(self) -> YearValue | None:
        return self._at(self.area_series, self.year)

    @property
    def country_value(self) -> YearValue | None:
        return self._at(self.country_series, self.year)

    @property
    def change_since_first(self) -> Change | None:
        return Change.between(self.first, self.latest) if self.latest else None

    @property
    def change_since_previous(self) -> Change | None:
        return Change.between(self.previous, self.latest) if self.latest else None

    @cached_property
    def ranking(self) -> list[Ranked]:
        """The peers in `year`, best first."""
        return rank(
            self.peer_values.get(self.year, []),
            self.indicator.direction,
            highlighted=self.highlighted_ids,
        )

    @property
    def highlighted_ids(self) -> set[int]:
        if self.has_own_values:
            return {self.region.pk}
        return {region.pk for region in self.served_regions}

    @property
    def rank(self) -> Ranked | None:
        if not self.has_own_values:
            return None
        return next((r for r in self.ranking if r.region.pk == self.region.pk), None)

    @property
    def peers_are_maakunnat(self) -> bool:
        return self.region.kind == Region.Kind.MAAKUNTA

    @cached_property
    def line_chart(self) -> "charts.LineChart | None":
        return charts.line_chart(self)

    @cached_property
    def bar_chart(self) -> "charts.BarChart | None":
        return charts.bar_chart(
            self.ranking,
            self.indicator,
            self.year,
            maakunnat=self.peers_are_maakunnat,
            chart_id=f"{self.dom_id}-bars",
        )

    @property
    def sparkline(self) -> "charts.Sparkline | None":
        return charts.sparkline(self.region_series, self.indicator, f"{self.dom_id}-spark")


def rank(
    values: Iterable[tuple[Region, Decimal]], direction: str, *, highlighted: set[int]
) -> list[Ranked]:
    """Rank 1 is the best value (the smallest where lower is better, else the largest);
    a rank is 1 + the number of strictly better values, as `ranked_counties()` counts."""
    lower_is_better = direction == Indicator.Direction.LOWER_IS_BETTER
    ordered = sorted(
        values,
        key=lambda pair: (pair[1] if lower_is_better else -pair[1], pair[0].name),
    )
    ranked, previous, position = [], None, 0
    for index, (region, value) in enumerate(ordered, start=1):
        if value != previous:
            position, previous = index, value
        ranked.append(Ranked(position, region, value, region.pk in highlighted))
    return ranked


@dataclass
class RegionFigures:
    """Every indicator asked for, for one region, in the order asked."""

    region: Region
    indicators: list[IndicatorFigures]

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, indicator: Indicator) -> IndicatorFigures | None:
        return next((f for f in self.indicators if f.indicator.pk == indicator.pk), None)

    @property
    def years(self) -> list[int]:
        return sorted({year for figures in self.indicators for year in figures.years})


def figures_for(
    region: Region,
    indicators: Iterable[Indicator],
    years: Iterable[int] | None = None,
    *,
    own_only: bool = False,
) -> RegionFigures:
    """The figures of these indicators for one region. `years`: the years to show (those
    without a value say so); None for every year there is data of. `own_only`: only the
    region's own values (latest, first, changes): for a summary line; the cooperation area,
    the country, the rank and the charts are then empty."""
    return figures_for_regions([region], indicators, years, own_only=own_only)[region.pk]


VALUE_COLUMNS = (
    "indicator_id",
    "year",
    "value",
    "whole_country",
    "cooperation_area_id",
    "region_id",
)
REGION_COLUMNS = [field.attname for field in Region._meta.concrete_fields]


def columns_of(instance) -> list:
    """Every column of a model instance: what a cache key holds of it."""
    return [getattr(instance, field.attname) for field in instance._meta.concrete_fields]


def data_state(indicators: Iterable[Indicator]) -> tuple:
    """What these indicators' figures are drawn from, places aside: the indicators' fields and
    the state of their values (IndicatorValueQuerySet.state, one query)."""
    indicators = list(indicators)
    return (
        [columns_of(indicator) for indicator in indicators],
        IndicatorValue.objects.filter(indicator__in=indicators).state(),
    )


# Figures are kept in the cache under the state of their values (IndicatorValueQuerySet.state:
# an import or an edit changes it) and their indicators' fields; a renamed region (an admin's
# rare edit; the names come with the figures) shows once its entry has expired.
FIGURES_CACHE_SECONDS = 600


def figures_for_regions(
    regions: Iterable[Region],
    indicators: Iterable[Indicator],
    years: Iterable[int] | None = None,
    *,
    own_only: bool = False,
) -> dict[int, RegionFigures]:
    """`figures_for()` of many regions at once, by region pk: from the cache while the values
    are the same (one query for their state), else two queries more."""
    indicators = list(indicators)
    region_pks = sorted(region.pk for region in regions)
    wanted = sorted(set(years)) if years is not None else None
    state = (region_pks, wanted, own_only, data_state(indicators))
    key = f"figures:{hashlib.sha256(repr(state).encode()).hexdigest()}"
    answer = cache.get(key)
    if answer is None:
        answer = _figures_for_regions(region_pks, indicators, wanted, own_only=own_only)
        cache.set(key, answer, FIGURES_CACHE_SECONDS)
    return answer


def _figures_for_regions(
    region_pks: list[int], indicators: list[Indicator], wanted: list[int] | None, *, own_only: bool
) -> dict[int, RegionFigures]:
    regions = list(Region.objects.filter(pk__in=region_pks).select_related("cooperation_area"))
    kinds = {kind for region in regions for kind in peer_kinds(region)}
    area_ids = {region.cooperation_area_id for region in regions if region.cooperation_area_id}
    values = IndicatorValue.objects.filter(indicator__in=indicators)
    if own_only:
        values = values.filter(region__in=regions)
    else:
        values = values.filter(
            Q(whole_country=True) | Q(cooperation_area_id__in=area_ids) | Q(region__kind__in=kinds)
        )
    if wanted is not None:
        values = values.filter(year__in=wanted)

    by_region: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    by_area: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    by_country: dict[int, dict[int, Decimal]] = defaultdict(dict)
    by_kind: dict[tuple[int, str], dict[int, list]] = defaultdict(lambda: defaultdict(list))
    years_of: dict[int, set[int]] = defaultdict(set)
    # Rows as tuples, each ranked region made once (not a model per value): a page's figures
    # read a few thousand values.
    peer_columns = [] if own_only else [f"region__{name}" for name in REGION_COLUMNS]
    peers_made: dict[int, Region] = {}
    for row in values.order_by().values_list(*VALUE_COLUMNS, *peer_columns):
        indicator_id, year, value, whole_country, area_id, region_id = row[: len(VALUE_COLUMNS)]
        years_of[indicator_id].add(year)
        if whole_country:
            by_country[indicator_id][year] = value
        elif area_id:
            by_area[indicator_id, area_id][year] = value
        else:
            by_region[indicator_id, region_id][year] = value
            if not own_only:  # a rank among the region alone would say "1./1"
                peer = peers_made.get(region_id)
                if peer is None:
                    peer = Region.from_db(values.db, REGION_COLUMNS, row[len(VALUE_COLUMNS) :])
                    peers_made[region_id] = peer
                by_kind[indicator_id, peer.kind][year].append((peer, value))

    def series(found: dict[int, Decimal], shown: list[int]) -> list[YearValue]:
        return [YearValue(year, found.get(year)) for year in shown]

    answer = {}
    for region in regions:
        kinds_of_peers = peer_kinds(region)
        figures = []
        for indicator in indicators:
            shown = wanted if wanted is not None else sorted(years_of[indicator.pk])
            peers: dict[int, list] = defaultdict(list)
            for kind in kinds_of_peers:
                for year, pairs in by_kind[indicator.pk, kind].items():
                    peers[year].extend(pairs)
            figures.append(
                IndicatorFigures(
                    indicator=indicator,
                    region=region,
                    area=region.cooperation_area,
                    years=shown,
                    region_series=series(by_region[indicator.pk, region.pk], shown),
                    area_series=series(by_area[indicator.pk, region.cooperation_area_id], shown),
                    country_series=series(by_country[indicator.pk], shown),
                    peer_values=dict(peers),
                )
            )
        answer[region.pk] = RegionFigures(region=region, indicators=figures)
    return answer


def peers_label(figures: IndicatorFigures) -> str:
    if figures.peers_are_maakunnat:
        return _("maakuntien joukossa")
    return _("hyvinvointialueiden ja Helsingin joukossa")
