"""THL's indicator bank Sotkanet: fetch an indicator's metadata and values and store them.

`manage.py import_sotkanet` and the admin's import page both call `import_indicator()` (or,
for a CSV downloaded from Sotkanet, `read_csv()` and `import_rows()`). Sotkanet names regions
by its own ids, which it has changed once; they are mapped to the project's places through
its `/regions` answer by (category, code), never by a stored id.

Every failure a person can act on is a `SotkanetError` whose text says what happened in the
reader's language; an indicator is stored in one transaction, so a failure leaves its earlier
data as it was.
"""

import csv
import functools
import itertools
import math
import time
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import IO

import httpx
from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from knowledge.models import Indicator, IndicatorValue
from knowledge.places import WHOLE_COUNTRY_KEY, PlaceKey, Places

RETRY_STATUSES = {429, 500, 502, 503, 504}
CSV_COLUMNS = ["indicator", "region", "year", "gender", "primary value", "absolute value"]
# Values are written in batches, so a long answer is not held twice in memory; a failure in
# a later batch still rolls back the earlier ones (one transaction per indicator).
BATCH_SIZE = 100
FIRST_YEAR, LAST_YEAR, MAX_YEARS = 1970, 2100, 50
# IndicatorValue.value: 20 digits, 6 of them decimals.
QUANTUM = Decimal("0.000001")
LARGEST = Decimal(10) ** 14


class SotkanetError(Exception):
    """An import failed for a reason a person can act on; str() says which, in their language."""


class UnknownIndicator(SotkanetError):
    pass


@functools.cache
def _version() -> str:
    try:
        with (settings.BASE_DIR / "pyproject.toml").open("rb") as project:
            return tomllib.load(project)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "0"


def user_agent() -> str:
    """Sotkanet refuses (403) clients that do not say who they are."""
    return f"Ohjausneuvottelut/{_version()} (+{settings.SOTKANET_CONTACT})"


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


class SotkanetClient:
    """Sotkanet's REST API over httpx: our User-Agent, timeouts, and a few retries with
    back-off for what passes (no connection, a timeout, 429, 5xx). httpx's own transport
    retries only failed connections, at once; these wait, and cover busy servers too."""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        retries: int | None = None,
        backoff: float | None = None,
    ) -> None:
        self.retries = settings.SOTKANET_RETRIES if retries is None else retries
        self.backoff = settings.SOTKANET_BACKOFF_SECONDS if backoff is None else backoff
        self._http = httpx.Client(
            base_url=base_url or settings.SOTKANET_API_URL,
            headers={"User-Agent": user_agent(), "Accept": "application/json, text/csv"},
            timeout=httpx.Timeout(timeout or settings.SOTKANET_TIMEOUT_SECONDS),
            follow_redirects=True,
        )

    def __enter__(self) -> "SotkanetClient":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _get(self, path: str, params=None) -> httpx.Response:
        attempts = self.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._http.get(path, params=params)
            except httpx.TransportError as exc:
                if last:
                    raise SotkanetError(
                        _(
                            "Sotkanetiin ei saatu yhteyttä (%(url)s: %(reason)s) %(attempts)s "
                            "yrityksellä. Yritä myöhemmin uudelleen tai tarkista asetus "
                            "SOTKANET_API_URL."
                        )
                        % {"url": self._http.base_url, "reason": exc, "attempts": attempts}
                    ) from None
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                if last:
                    raise SotkanetError(
                        _(
                            "Sotkanet ei pystynyt vastaamaan (HTTP %(status)s) %(attempts)s "
                            "yrityksellä. Yritä myöhemmin uudelleen."
                        )
                        % {"status": response.status_code, "attempts": attempts}
                    )
            time.sleep(self.backoff * 2**attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def get_json(self, path: str, params=None):
        response = self._get(path, params)
        if response.status_code == 403:
            raise SotkanetError(
                _(
                    "Sotkanet kieltäytyi vastaamasta (HTTP 403). Se torjuu pyynnöt, joiden "
                    "User-Agent ei kerro lähettäjää (asetus SOTKANET_CONTACT), ja rajoittaa "
                    "runsaita hakuja; yritä myöhemmin uudelleen."
                )
            )
        if response.status_code == 404:
            raise UnknownIndicator(_("Sotkanet ei tunne osoitetta %(url)s.") % {"url": path})
        if response.is_error:
            raise SotkanetError(
                _("Sotkanet vastasi osoitteeseen %(url)s virheellä HTTP %(status)s.")
                % {"url": response.url, "status": response.status_code}
            )
        try:
            return response.json()
        except ValueError:
            raise SotkanetError(
                _("Sotkanetin vastaus osoitteeseen %(url)s ei ollut kelvollista JSONia.")
                % {"url": response.url}
            ) from None

    def regions(self) -> list[dict]:
        answer = self.get_json("/regions")
        if not isinstance(answer, list) or not all(_is_region(item) for item in answer):
            raise _malformed("/regions")
        return answer

    def indicator(self, sotkanet_id: int) -> dict:
        try:
            answer = self.get_json(f"/indicators/{sotkanet_id}")
        except UnknownIndicator:
            answer = None
        if not answer:
            raise UnknownIndicator(
                _(
                    "Sotkanetissa ei ole indikaattoria %(id)s. Tarkista tunnus "
                    "(https://sotkanet.fi/sotkanet/fi/haku)."
                )
                % {"id": sotkanet_id}
            )
        if not isinstance(answer, dict) or not isinstance(answer.get("title"), dict | str):
            raise _malformed(f"/indicators/{sotkanet_id}")
        return answer

    def data(self, sotkanet_id: int, years: Sequence[int]) -> list["SotkanetRow"]:
        params = [("indicator", sotkanet_id), *(("years", year) for year in years)]
        params.append(("genders", "total"))
        answer = self.get_json("/json", params)
        if not isinstance(answer, list):
            raise _malformed("/json")
        rows = []
        for item in answer:
            try:
                rows.append(
                    SotkanetRow(
                        region=int(item["region"]),
                        year=int(item["year"]),
                        value=item.get("value"),
                        gender=str(item.get("gender", "total")),
                    )
                )
            except (KeyError, TypeError, ValueError):
                raise _malformed("/json") from None
        return rows


def _is_region(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), int) and "category" in item


def _malformed(path: str) -> SotkanetError:
    return SotkanetError(
        _("Sotkanetin vastaus osoitteeseen %(url)s ei ollut Sotkanetin rajapinnan muotoinen.")
        % {"url": path}
    )


@dataclass(frozen=True)
class SotkanetRow:
    region: int  # Sotkanet's own id
    year: int
    value: object  # a number from JSON, a string from CSV, None where there is no data
    gender: str = "total"


# A Sotkanet region on a level the knowledge base keeps nothing of (municipalities, AVI areas,
# hospital districts, other countries): skipped and counted, not "unmatched".
OTHER_LEVEL = object()


class RegionMap:
    """Sotkanet's region ids to the project's places, by (category, code) of `/regions`.

    The whole country is Sotkanet's category MAA, which holds Finland alone (other countries
    are in EUROOPPA and POHJOISMAAT), so its code is not compared."""

    def __init__(self, regions: list[dict], places: Places | None = None) -> None:
        places = places or Places()
        match = {
            "HYVINVOINTIALUE": places.county,
            "MAAKUNTA": places.maakunta,
            "YTA": places.cooperation_area,
            "MAA": lambda code: WHOLE_COUNTRY_KEY,
        }
        self._places: dict[int, PlaceKey | object | None] = {}
        for region in regions:
            find = match.get(str(region.get("category", "")).upper())
            code = str(region.get("code") or "")
            self._places[region["id"]] = find(code) if find else OTHER_LEVEL

    @classmethod
    def fetch(cls, client: SotkanetClient) -> "RegionMap":
        return cls(client.regions())

    def place(self, sotkanet_region: int) -> PlaceKey | object | None:
        """The place, OTHER_LEVEL, or None: a county, area or maakunta the project does not
        have (Åland), or an id Sotkanet's `/regions` did not list."""
        return self._places.get(sotkanet_region)


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


def read_csv(stream: IO[str], *, years: Sequence[int] | None = None) -> dict[int, list]:
    """The rows of a CSV downloaded from Sotkanet (`/rest/1.1/csv?...`), per indicator id."""
    reader = csv.reader(stream, delimiter=";")
    try:
        header = [column.strip().lstrip("\ufeff").lower() for column in next(reader, [])]
        if header != CSV_COLUMNS:
            raise SotkanetError(
                _(
                    "Tiedosto ei ole Sotkanetin CSV-vienti: sarakkeiden pitää olla %(expected)s, "
                    "tiedostossa on %(found)s."
                )
                % {"expected": ";".join(CSV_COLUMNS), "found": ";".join(header) or "—"}
            )
        rows: dict[int, list[SotkanetRow]] = {}
        for line, fields in enumerate(reader, start=2):
            if not any(field.strip() for field in fields):
                continue
            try:
                indicator, region, year, gender, value, _absolute = fields
                row = SotkanetRow(
                    region=int(region), year=int(year), value=value.strip(), gender=gender
                )
                indicator = int(indicator)
            except ValueError:
                raise SotkanetError(
                    _("Tiedoston rivi %(line)s ei ole Sotkanetin CSV-muotoa: %(text)s")
                    % {"line": line, "text": ";".join(fields)[:200]}
                ) from None
            if years is None or row.year in years:
                rows.setdefault(indicator, []).append(row)
    except UnicodeDecodeError:
        raise SotkanetError(_("Tiedosto ei ole UTF-8-merkistöä.")) from None
    except csv.Error as exc:
        raise SotkanetError(
            _("Tiedosto ei ole Sotkanetin CSV-muotoa: %(reason)s") % {"reason": exc}
        ) from None
    return rows


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
                changed.append(IndicatorValue(pk=stored[key][0], value=value))
            else:
                summary.unchanged += 1
        IndicatorValue.objects.bulk_create(added)
        IndicatorValue.objects.bulk_update(changed, ["value"])
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
        raise _malformed(f"/indicators/{sotkanet_id}")
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
