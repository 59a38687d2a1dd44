"""The project's places by official code: where a figure of another system belongs.

Sotkanet and Statistics Finland name places by (category, code); the project has regions
(counties, Helsinki, HUS, the maakunnat of 2018) and cooperation areas, and the whole
country. This is the one place that maps the one to the other (a Region read that would
belong in `regions`, kept here while that app has other owners).
"""

from dataclasses import dataclass

from regions.models import CooperationArea, Region

# Statistics Finland's codes of the cooperation areas of decree 91/2022 (1-5; 6 is Åland,
# outside the reform) and the project's codes of the same areas.
COOPERATION_AREA_CODES = {
    "1": "etela-suomi",
    "2": "ita-suomi",
    "3": "sisa-suomi",
    "4": "lansi-suomi",
    "5": "pohjois-suomi",
}
HELSINKI = "90"


@dataclass(frozen=True)
class PlaceKey:
    """A place as the fields of an IndicatorValue: exactly one of the three is set."""

    region_id: int | None = None
    cooperation_area_id: int | None = None
    whole_country: bool = False

    def as_fields(self) -> dict:
        return {
            "region_id": self.region_id,
            "cooperation_area_id": self.cooperation_area_id,
            "whole_country": self.whole_country,
        }


WHOLE_COUNTRY_KEY = PlaceKey(whole_country=True)


def _two_digits(code: str) -> str:
    """Statistics Finland's region codes have two digits (08); other systems drop the zero."""
    code = code.strip()
    return code.zfill(2) if code.isdigit() else code


class Places:
    """The project's regions and cooperation areas, read once, looked up by official code."""

    def __init__(self) -> None:
        self._regions = {
            (kind, code): pk for pk, kind, code in Region.objects.values_list("pk", "kind", "code")
        }
        self._areas = dict(CooperationArea.objects.values_list("code", "pk"))

    def county(self, code: str) -> PlaceKey | None:
        """A wellbeing services county by its code 01-21, or Helsinki by 90."""
        code = _two_digits(code)
        kind = Region.Kind.CITY if code == HELSINKI else Region.Kind.COUNTY
        pk = self._regions.get((kind, code))
        return PlaceKey(region_id=pk) if pk else None

    def maakunta(self, code: str) -> PlaceKey | None:
        pk = self._regions.get((Region.Kind.MAAKUNTA, _two_digits(code)))
        return PlaceKey(region_id=pk) if pk else None

    def cooperation_area(self, code: str) -> PlaceKey | None:
        code = code.strip().lstrip("0")
        pk = self._areas.get(COOPERATION_AREA_CODES.get(code, ""))
        return PlaceKey(cooperation_area_id=pk) if pk else None
