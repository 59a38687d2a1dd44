"""Importing indicators from Sotkanet: `manage.py import_sotkanet` and the admin's import
page both call `import_indicator()` (or, for a CSV downloaded from Sotkanet,
`sotkanet.read_csv()` and `import_rows()`).

An indicator is stored in one transaction, so a failure leaves its earlier data as it was;
values equal to the stored ones are left alone, so importing the same twice changes nothing.
"""

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from knowledge.models import Indicator, IndicatorValue
from knowledge.places import PlaceKey
from knowledge.sotkanet import (
    OTHER_LEVEL,
    RegionMap,
    SotkanetClient,
    SotkanetError,
    SotkanetRow,
    malformed,
)

# Values are written in batches, so a long answer is not held twice in memory; a failure in
# a later batch still rolls back the earlier ones (one transaction per indicator).
BATCH_SIZE = 100
FIRST_YEAR, LAST_YEAR, MAX_YEARS = 1970, 2100, 50
# IndicatorValue.value: 20 digits, 6 of them decimals.
QUANTUM = Decimal("0.000001")
LARGEST = Decimal(10) ** 14


def parse_years(text: str) -> list[int]:
    """'2019-2024', '2022' or '2015,2019-2021' as a sorted list of years."""
    years: set[int] = set()
    try:
        for part in text.replace(" ", "").split(","):
            first, _dash, last = part.partition("-")
            years.update(range(int(first), int(last or first) + 1))
    except ValueError:
        raise SotkanetError(
            _("Vuodet annetaan muodossa 2019-2024 tai 2022, nyt annettiin %(text)s.")
            % {"text": text}
        ) from None
    if not years:
        raise SotkanetError(
            _("Vuodet annetaan muodossa 2019-2024 tai 2022, nyt annettiin %(text)s.")
            % {"text": text}
        )
    check_years(years)
    return sorted(years)


def check_years(years: Iterable[int]) -> None:
    years = list(years)
    if not years or min(years) < FIRST_YEAR or max(years) > LAST_YEAR:
        raise SotkanetError(
            _("Vuosien pitää olla väliltä %(first)s–%(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    if len(years) > MAX_YEARS:
        raise SotkanetError(
            _(
                "Kerralla voi tuoda enintään %(count)s vuotta: Sotkanetin rajapinta on tarkoitettu "
                "satunnaisiin hakuihin."
            )
            % {"count": MAX_YEARS}
        )


@dataclass
class ImportSummary:
    indicator: Indicator
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: int = 0
    other_levels: int = 0

    def __str__(self) -> str:
        return (
            f"{self.indicator.sotkanet_id} {self.indicator.name_fi}: {self.added} added, "
            f"{self.changed} changed, {self.unchanged} unchanged, {self.unmatched} unmatched, "
            f"{self.other_levels} on other levels (municipalities etc.) skipped"
        )


def import_indicator(
    *,
    sotkanet_id: int,
    years: Sequence[int],
    client: SotkanetClient,
    region_map: RegionMap | None = None,
) -> ImportSummary:
    """Fetch one indicator's metadata and its values of these years, and store them."""
    check_years(years)
    region_map = region_map or RegionMap.fetch(client)
    metadata = client.indicator(sotkanet_id)
    rows = client.data(sotkanet_id, years)
    return store(sotkanet_id=sotkanet_id, metadata=metadata, rows=rows, region_map=region_map)


def import_rows(
    *,
    sotkanet_id: int,
    rows: Sequence[SotkanetRow],
    client: SotkanetClient,
    region_map: RegionMap,
) -> ImportSummary:
    """Store rows read from a CSV of Sotkanet, with the indicator's metadata from the API."""
    metadata = client.indicator(sotkanet_id)
    return store(sotkanet_id=sotkanet_id, metadata=metadata, rows=rows, region_map=region_map)


@transaction.atomic
def store(
    *, sotkanet_id: int, metadata: dict, rows: Sequence[SotkanetRow], region_map: RegionMap
) -> ImportSummary:
    """Write the indicator and its values; values equal to the stored ones are left alone,
    so storing the same answer twice changes nothing."""
    indicator = _save_indicator(sotkanet_id, metadata)
    summary = ImportSummary(indicator)
    stored = {
        (PlaceKey(region, area, country), year): (pk, value)
        for pk, region, area, country, year, value in IndicatorValue.objects.filter(
            indicator=indicator
        ).values_list("pk", "region", "cooperation_area", "whole_country", "year", "value")
    }
    seen: set[tuple[PlaceKey, int]] = set()
    now = timezone.now()  # bulk_update sets no auto_now field by itself
    for batch in itertools.batched(rows, BATCH_SIZE):
        added, changed = [], []
        for row in batch:
            if row.gender != "total":
                continue
            place = region_map.place(row.region)
            if place is OTHER_LEVEL:
                summary.other_levels += 1
                continue
            if place is None:
                summary.unmatched += 1
                continue
            value = _decimal(row, sotkanet_id)
            key = (place, row.year)
            if value is None or key in seen:
                continue  # no figure for that year (never a made-up one), or said twice
            seen.add(key)
            if key not in stored:
                added.append(
                    IndicatorValue(
                        indicator=indicator, year=row.year, value=value, **place.as_fields()
                    )
                )
            elif stored[key][1] != value:
                changed.append(IndicatorValue(pk=stored[key][0], value=value, updated_at=now))
            else:
                summary.unchanged += 1
        IndicatorValue.objects.bulk_create(added)
        IndicatorValue.objects.bulk_update(changed, ["value", "updated_at"])
        summary.added += len(added)
        summary.changed += len(changed)
    return summary


def _decimal(row: SotkanetRow, sotkanet_id: int) -> Decimal | None:
    raw = row.value
    if raw is None or raw == "":
        return None
    try:
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            raise InvalidOperation
        if isinstance(raw, float) and not math.isfinite(raw):
            raise InvalidOperation
        value = Decimal(str(raw).replace(",", ".")).quantize(QUANTUM, rounding=ROUND_HALF_EVEN)
        if not value.is_finite() or abs(value) >= LARGEST:
            raise InvalidOperation
    except InvalidOperation:
        raise SotkanetError(
            _(
                "Indikaattorin %(id)s arvo ei ole luku (vuosi %(year)s, Sotkanetin alue "
                "%(region)s: %(value)s). Indikaattorin tiedot jätettiin ennalleen."
            )
            % {"id": sotkanet_id, "year": row.year, "region": row.region, "value": str(raw)[:50]}
        ) from None
    return value


def _texts(value) -> dict[str, str]:
    """Sotkanet's {fi, sv, en} texts (or one plain text) as our three languages."""
    if isinstance(value, dict):
        return {language: str(value.get(language) or "").strip() for language in ("fi", "sv", "en")}
    return {"fi": str(value or "").strip(), "sv": "", "en": ""}


def _fields(sotkanet_id: int, metadata: dict) -> dict:
    title = _texts(metadata.get("title"))
    if not title["fi"]:
        raise malformed(f"/indicators/{sotkanet_id}")
    description = _texts(metadata.get("description") or metadata.get("interpretation"))
    value_type = metadata.get("primaryValueType")
    unit = _texts(value_type.get("title") if isinstance(value_type, dict) else value_type)
    organization = metadata.get("organization")
    producer = _texts(organization.get("title") if isinstance(organization, dict) else "")
    try:
        decimals = max(0, min(6, int(metadata.get("decimals") or 0)))
    except (TypeError, ValueError):
        decimals = 0
    try:
        updated = parse_date(str(metadata.get("data-updated") or "")[:10])
    except ValueError:
        updated = None
    fields = {"decimals": decimals, "data_updated": updated}
    for language in ("fi", "sv", "en"):
        fields[f"name_{language}"] = title[language][:500]
        fields[f"description_{language}"] = description[language]
        fields[f"unit_{language}"] = unit[language][:100]
        fields[f"producer_{language}"] = producer[language][:200]
    return fields


def _attribution(sotkanet_id: int, fields: dict) -> dict:
    """A new indicator's source line and, for THL's own, its licence (CC BY 4.0). Other
    producers' terms vary, so their licence is left for the ministry to fill in."""
    producer = {language: fields[f"producer_{language}"] for language in ("fi", "sv", "en")}
    thl = "THL" in producer["fi"] or "THL" in producer["en"]
    return {
        "licence": "CC BY 4.0" if thl else "",
        "source_fi": (
            f"Lähde: {producer['fi'] or 'THL'} (THL Sotkanet, indikaattori {sotkanet_id})."
        ),
        "source_sv": (
            f"Källa: {producer['sv'] or producer['fi'] or 'THL'} "
            f"(THL Sotkanet, indikator {sotkanet_id})."
        ),
        "source_en": (
            f"Source: {producer['en'] or producer['fi'] or 'THL'} "
            f"(THL Sotkanet, indicator {sotkanet_id})."
        ),
    }


def _save_indicator(sotkanet_id: int, metadata: dict) -> Indicator:
    """Sotkanet's metadata over ours; what the ministry decides (direction, licence, source
    line) is set only when the indicator is new. The row is locked until the values are in,
    so two imports of one indicator do not interleave."""
    fields = _fields(sotkanet_id, metadata)
    indicator = Indicator.objects.select_for_update().filter(sotkanet_id=sotkanet_id).first()
    if indicator is None:
        return Indicator.objects.create(
            sotkanet_id=sotkanet_id, **fields, **_attribution(sotkanet_id, fields)
        )
    # A text Sotkanet leaves empty keeps ours (the shipped population's description).
    changed = [
        name
        for name, value in fields.items()
        if value not in ("", None) and getattr(indicator, name) != value
    ]
    for name in changed:
        setattr(indicator, name, fields[name])
    if changed:
        indicator.save(update_fields=changed)
    return indicator
