"""THL's indicator bank Sotkanet: its REST API, its CSV export and its region ids.

Sotkanet names regions by its own ids, which it has changed once; `RegionMap` maps them to
the project's places through the `/regions` answer by (category, code), never by a stored
id. Every failure a person can act on is a `SotkanetError` whose text says what happened in
the reader's language. Storing what it sends is `knowledge/importer.py`.
"""

import csv
import functools
import time
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from knowledge.places import WHOLE_COUNTRY_KEY, PlaceKey, Places

RETRY_STATUSES = {429, 500, 502, 503, 504}
CSV_COLUMNS = ["indicator", "region", "year", "gender", "primary value", "absolute value"]


class SotkanetError(Exception):
    """An import failed for a reason a person can act on; str() says which, in their language."""


class NotFound(SotkanetError):
    """Sotkanet answered 404."""


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
            raise NotFound(_("Sotkanet ei tunne osoitetta %(url)s.") % {"url": path})
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
            raise malformed("/regions")
        return answer

    def indicator(self, sotkanet_id: int) -> dict:
        try:
            answer = self.get_json(f"/indicators/{sotkanet_id}")
        except NotFound:
            answer = None
        if not answer:
            raise SotkanetError(
                _(
                    "Sotkanetissa ei ole indikaattoria %(id)s. Tarkista tunnus "
                    "(https://sotkanet.fi/sotkanet/fi/haku)."
                )
                % {"id": sotkanet_id}
            )
        if not isinstance(answer, dict) or not isinstance(answer.get("title"), dict | str):
            raise malformed(f"/indicators/{sotkanet_id}")
        return answer

    def data(self, sotkanet_id: int, years: Sequence[int]) -> list["SotkanetRow"]:
        params = [("indicator", sotkanet_id), *(("years", year) for year in years)]
        params.append(("genders", "total"))
        answer = self.get_json("/json", params)
        if not isinstance(answer, list):
            raise malformed("/json")
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
                raise malformed("/json") from None
        return rows


def _is_region(item) -> bool:
    return isinstance(item, dict) and isinstance(item.get("id"), int) and "category" in item


def malformed(path: str) -> SotkanetError:
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
