"""The geometry of the knowledge base's SVG charts; `templates/knowledge/_indicator_figures.html`
draws them. Server-rendered, no JavaScript: coordinates are worked out here in the SVG's own
user units (its viewBox), and the CSS scales the drawing to the space it has.

Every chart says what it shows in its title and description (the SVG is role="img"), and the
page puts the same figures in a table beside it. A missing year breaks a line: a point is
only joined to the next year's, never drawn at 0.

The line chart compares a region with the whole country. The two are of a very different
size where the indicator is a count (Pirkanmaa 532 671, the country 5 563 970): on one axis
the region's line would be flat at the bottom. Then both are drawn as an index, the first
year they both have = 100, which shows whose figure grew faster; the caption says so. Where
the two are of the same size (rates, percentages), the values themselves are drawn.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from knowledge.templatetags.knowledge_numbers import format_figure, format_number

if TYPE_CHECKING:
    from knowledge.figures import IndicatorFigures, Ranked, YearValue

# Drawn as index when the larger of the two is more than this many times the smaller.
INDEX_RATIO = 3


def nice_step(span: float, count: int) -> float:
    """A round step (1, 2, 2.5 or 5 × 10^n) for about `count` intervals over `span`."""
    if span <= 0:
        return 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high == low:
        low, high = low - 1, high + 1
    step = nice_step(high - low, count)
    first = math.floor(low / step) * step
    ticks, tick = [], first
    while tick < high + step / 2:
        ticks.append(round(tick, 10))
        tick += step
        if ticks[-1] >= high:
            break
    return ticks


def decimals_of(step: float) -> int:
    """The decimals a tick label needs so that neighbouring ticks differ."""
    if step >= 1 or step <= 0:
        return 0
    return min(6, max(0, -math.floor(math.log10(step) + 1e-9)))


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Marker:
    x: float
    y: float
    year: int
    label: str

    @property
    def square_x(self) -> float:
        return round(self.x - 3.5, 1)

    @property
    def square_y(self) -> float:
        return round(self.y - 3.5, 1)


@dataclass
class Line:
    """One series: `paths` are the runs of consecutive years with a value."""

    key: str
    label: str
    paths: list[str]
    markers: list[Marker]


@dataclass
class LineChart:
    id: str
    indicator: object
    title: str
    description: str
    caption: str
    indexed: bool
    base_year: int | None
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    lines: list[Line]
    # Rows of the table beside the chart: year, region's value, country's value and, when
    # indexed, the two indices.
    rows: list[dict] = field(default_factory=list)

    @property
    def y_label_x(self) -> float:
        return self.plot_left - 6

    @property
    def x_label_y(self) -> float:
        return self.plot_bottom + 20


def _index(series: "list[YearValue]", base: Decimal) -> list[float | None]:
    return [float(p.value / base * 100) if p.value is not None else None for p in series]


def _values(series: "list[YearValue]") -> list[float | None]:
    return [float(p.value) if p.value is not None else None for p in series]


def _paths(points: list[tuple[float, float] | None]) -> list[str]:
    """SVG path data of each run of consecutive points; a run of one point is left to its
    marker (a path of one point draws nothing)."""
    paths, run = [], []
    for point in [*points, None]:
        if point is None:
            if len(run) > 1:
                paths.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in run))
            run = []
        else:
            run.append(point)
    return paths


def line_chart(figures: "IndicatorFigures") -> LineChart | None:
    """The region against the whole country over the years; None without the region's
    values (HUS) or with fewer than two years."""
    region, country, indicator = figures.region_series, figures.country_series, figures.indicator
    if not figures.has_own_values or not figures.has_values or len(figures.years) < 2:
        return None
    both = [(r, c) for r, c in zip(region, country, strict=True) if r.value and c.value]
    indexed = False
    base_year = None
    if both:
        latest_region, latest_country = both[-1][0].value, both[-1][1].value
        ratio = max(abs(latest_region), abs(latest_country)) / min(
            abs(latest_region), abs(latest_country)
        )
        indexed = ratio > INDEX_RATIO
    if indexed:
        base_region, base_country = both[0]
        base_year = base_region.year
        region_y, country_y = _index(region, base_region.value), _index(country, base_country.value)
    else:
        region_y, country_y = _values(region), _values(country)

    plotted = [v for v in (*region_y, *country_y) if v is not None]
    low, high = min(plotted), max(plotted)
    if not indexed and low >= 0 and high > 0 and low < high * 0.5:
        low = 0.0  # values far from each other: start the axis at zero
    margin = (high - low) * 0.1 or abs(high) * 0.05 or 1
    ticks = nice_ticks(low - margin, high + margin)
    low, high = ticks[0], ticks[-1]
    tick_decimals = decimals_of(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    width, height = 340, 220
    left, right, top, bottom = 66.0, 326.0, 12.0, 184.0
    years = figures.years
    step = (right - left) / (len(years) - 1)

    def x(index: int) -> float:
        return round(left + index * step, 1)

    def y(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - top), 1)

    every = 1 if len(years) <= 8 else math.ceil(len(years) / 8)
    x_ticks = [Tick(x(i), str(year)) for i, year in enumerate(years) if i % every == 0]
    y_ticks = [Tick(y(t), format_number(Decimal(str(t)), tick_decimals)) for t in ticks]

    def line(key: str, label: str, ys: list[float | None], series) -> Line:
        points = [(x(i), y(v)) if v is not None else None for i, v in enumerate(ys)]
        markers = [
            Marker(point[0], point[1], p.year, _label(v, p, indexed, indicator))
            for point, v, p in zip(points, ys, series, strict=True)
            if point is not None
        ]
        return Line(key, label, _paths(points), markers)

    country_name = _("Koko maa")
    lines = [
        line("region", figures.region.name, region_y, region),
        line("country", country_name, country_y, country),
    ]
    first, last = years[0], years[-1]
    names = {
        "region": figures.region.name,
        "indicator": indicator.name,
        "first": first,
        "last": last,
    }
    if indexed:
        title = _(
            "%(indicator)s: %(region)s ja koko maa %(first)s–%(last)s, indeksi %(base)s = 100"
        ) % (names | {"base": base_year})
        caption = _(
            "Kuvio näyttää muutoksen, ei itse arvoja: kummankin arvo vuonna %(base)s on 100. "
            "Arvot ovat taulukossa."
        ) % {"base": base_year}
    else:
        title = _("%(indicator)s: %(region)s ja koko maa %(first)s–%(last)s") % names
        caption = _("Kuvio näyttää arvot (%(unit)s).") % {
            "unit": indicator.unit or _("ei yksikköä")
        }
    description = _describe(lines, years)
    rows = [
        {
            "year": r.year,
            "region": r.value,
            "country": c.value,
            "region_index": ri if indexed else None,
            "country_index": ci if indexed else None,
        }
        for r, c, ri, ci in zip(region, country, region_y, country_y, strict=True)
    ]
    return LineChart(
        id=f"{figures.dom_id}-line",
        indicator=indicator,
        title=title,
        description=description,
        caption=caption,
        indexed=indexed,
        base_year=base_year,
        width=width,
        height=height,
        plot_left=left,
        plot_right=right,
        plot_top=top,
        plot_bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        lines=lines,
        rows=rows,
    )


def _label(value: float | None, point, indexed: bool, indicator) -> str:
    if indexed:
        return format_number(Decimal(str(value)), 1)
    return format_figure(point.value, indicator)


def _describe(lines: list[Line], years: list[int]) -> str:
    """A sentence per line: its first and last drawn point, and the years without a value."""
    parts = []
    for line in lines:
        if not line.markers:
            parts.append(_("%(name)s: ei tietoa.") % {"name": line.label})
            continue
        first, last = line.markers[0], line.markers[-1]
        text = _("%(name)s %(first_year)s: %(first)s, %(last_year)s: %(last)s.") % {
            "name": line.label,
            "first_year": first.year,
            "first": first.label,
            "last_year": last.year,
            "last": last.label,
        }
        missing = [str(year) for year in years if year not in {m.year for m in line.markers}]
        if missing:
            text += " " + _("Ei tietoa vuosilta %(years)s.") % {"years": ", ".join(missing)}
        parts.append(text)
    return " ".join(parts)


@dataclass
class Bar:
    rank: int
    label: str
    value_label: str
    y: float
    x: float
    width: float
    highlighted: bool
    region_pk: int

    @property
    def text_y(self) -> float:
        return round(self.y + 11.5, 1)

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 4, 1)


@dataclass
class BarChart:
    id: str
    indicator: object
    title: str
    description: str
    year: int
    width: int
    height: int
    label_right: float
    bar_height: float
    zero: float
    bars: list[Bar]
    grid: list[Tick]

    @property
    def grid_bottom(self) -> int:
        return self.height - 20

    @property
    def grid_label_y(self) -> int:
        return self.height - 5

    @property
    def highlighted_names(self) -> str:
        return ", ".join(bar.label for bar in self.bars if bar.highlighted)


def bar_chart(
    ranking: "list[Ranked]", indicator, year: int, *, maakunnat: bool, chart_id: str
) -> BarChart | None:
    """Every peer's value in a year, in the order of `ranking` (best or largest first), the
    highlighted ones (a region; for HUS the regions it serves) with a pattern and bold name."""
    if not ranking:
        return None
    values = [float(r.value) for r in ranking]
    low, high = min(0.0, *values), max(0.0, *values)
    ticks = nice_ticks(low, high, 3)
    low, high = ticks[0], ticks[-1]
    tick_decimals = decimals_of(ticks[1] - ticks[0]) if len(ticks) > 1 else 0
    width, label_right, bar_left, bar_right = 340, 122.0, 126.0, 280.0
    row, bar_height, top = 19.0, 14.0, 6.0

    def x(value: float) -> float:
        return round(bar_left + (value - low) / (high - low) * (bar_right - bar_left), 1)

    zero = x(0.0)
    bars = []
    for index, ranked in enumerate(ranking):
        start, end = sorted((zero, x(float(ranked.value))))
        bars.append(
            Bar(
                rank=ranked.rank,
                label=ranked.region.name,
                value_label=format_figure(ranked.value, indicator),
                y=top + index * row,
                x=start,
                width=round(max(end - start, 0.5), 1),
                highlighted=ranked.highlighted,
                region_pk=ranked.region.pk,
            )
        )
    height = int(top + len(bars) * row + 24)
    grid = [Tick(x(t), format_number(Decimal(str(t)), tick_decimals)) for t in ticks]
    highlighted = [b for b in bars if b.highlighted]
    names = {"indicator": indicator.name, "year": year, "count": len(bars)}
    if maakunnat:
        title = _("%(indicator)s %(year)s: maakunnat järjestyksessä") % names
    else:
        title = _("%(indicator)s %(year)s: hyvinvointialueet ja Helsinki järjestyksessä") % names
    if highlighted:
        description = _("Korostettu: %(regions)s.") % {
            "regions": ", ".join(
                _("%(name)s sijalla %(rank)s/%(count)s, %(value)s")
                % {"name": b.label, "rank": b.rank, "count": len(bars), "value": b.value_label}
                for b in highlighted
            )
        }
    else:
        description = ""
    by_value = sorted(zip(values, bars, strict=True), key=lambda pair: pair[0])
    smallest, largest = by_value[0][1], by_value[-1][1]
    description += " " + _("Suurin %(largest)s, pienin %(smallest)s.") % {
        "largest": f"{largest.label} {largest.value_label}",
        "smallest": f"{smallest.label} {smallest.value_label}",
    }
    return BarChart(
        id=chart_id,
        indicator=indicator,
        title=title,
        description=description.strip(),
        year=year,
        width=width,
        height=height,
        label_right=label_right,
        bar_height=bar_height,
        zero=zero,
        bars=bars,
        grid=grid,
    )


@dataclass
class Sparkline:
    id: str
    label: str
    width: int
    height: int
    paths: list[str]
    dots: list[tuple[float, float]]
    last: tuple[float, float] | None


def sparkline(series: "list[YearValue]", indicator, chart_id: str) -> Sparkline | None:
    """A row's trend in a few pixels, scaled to its own range; its label says the first and
    last value and the change in words."""
    present = [(i, float(p.value)) for i, p in enumerate(series) if p.value is not None]
    if len(present) < 2:
        return None
    width, height, pad = 96, 28, 3.0
    low, high = min(v for _, v in present), max(v for _, v in present)
    span = high - low or 1.0
    step = (width - 2 * pad) / max(len(series) - 1, 1)
    points = [
        (
            round(pad + i * step, 1),
            round(height - pad - (float(p.value) - low) / span * (height - 2 * pad), 1),
        )
        if p.value is not None
        else None
        for i, p in enumerate(series)
    ]
    paths = _paths(points)
    # A point with no neighbour would be invisible in a path: it gets a dot.
    dots = [
        point
        for i, point in enumerate(points)
        if point is not None
        and (i == 0 or points[i - 1] is None)
        and (i == len(points) - 1 or points[i + 1] is None)
    ]
    first, last = series[present[0][0]], series[present[-1][0]]
    label = _("Kehitys %(first_year)s–%(last_year)s: %(first)s → %(last)s") % {
        "first_year": first.year,
        "last_year": last.year,
        "first": format_figure(first.value, indicator),
        "last": format_figure(last.value, indicator),
    }
    gaps = len(series) - len(present) - present[0][0] - (len(series) - 1 - present[-1][0])
    if gaps:
        label += ", " + _("välistä puuttuu vuosia")
    return Sparkline(
        id=chart_id,
        label=label,
        width=width,
        height=height,
        paths=paths,
        dots=dots,
        last=points[present[-1][0]],
    )
