"""Population 31.12. 2015–2022, as facts every database starts with (as the region facts are).

The figures are `knowledge/data/population_2015_2022.csv`, copied unchanged from the shared
data (provenance in `knowledge/data/README.md`). Places are matched by official code: the
counties and Helsinki, the cooperation areas, the maakunnat of 2018 and the whole country.
Åland has no region in the project (it is outside the reform): its rows are left out, and any
other row that matches no place stops the migration rather than being dropped silently.
"""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "population_2015_2022.csv"

SOTKANET_ID = 127

INDICATOR = {
    "name_fi": "Väestö 31.12.",
    "name_sv": "Befolkning 31.12.",
    "name_en": "Population at year end",
    "description_fi": "Väestö 31. joulukuuta vuosina 2015–2022, vuoden 2023 aluejaolla.",
    "description_sv": "Befolkningen den 31 december 2015–2022, enligt regionindelningen 2023.",
    "description_en": "Population on 31 December, 2015–2022, on the 2023 regional division.",
    "unit_fi": "henkilöä",
    "unit_sv": "personer",
    "unit_en": "persons",
    "decimals": 0,
    "direction": "neither",
    "producer_fi": "Tilastokeskus",
    "producer_sv": "Statistikcentralen",
    "producer_en": "Statistics Finland",
    "licence": "CC BY 4.0",
    "source_fi": (
        "Lähde: Tilastokeskus, väestö 31.12. (THL Sotkanet, indikaattori 127); aluejako 2023. "
        "CC BY 4.0."
    ),
    "source_sv": (
        "Källa: Statistikcentralen, befolkning 31.12. (THL Sotkanet, indikator 127); "
        "regionindelning 2023. CC BY 4.0."
    ),
    "source_en": (
        "Source: Statistics Finland, population on 31 December (THL Sotkanet, indicator 127); "
        "2023 regional division. CC BY 4.0."
    ),
}

# Statistics Finland's codes of the cooperation areas of decree 91/2022 and the project's.
COOPERATION_AREAS = {
    "1": "etela-suomi",
    "2": "ita-suomi",
    "3": "sisa-suomi",
    "4": "lansi-suomi",
    "5": "pohjois-suomi",
}
HELSINKI = "90"
ALAND = {("HYVINVOINTIALUE", "91"), ("YHTEISTYOALUE", "6"), ("MAAKUNTA", "21")}


def load_population(apps, schema_editor):
    Indicator = apps.get_model("knowledge", "Indicator")
    IndicatorValue = apps.get_model("knowledge", "IndicatorValue")
    Region = apps.get_model("regions", "Region")
    CooperationArea = apps.get_model("regions", "CooperationArea")

    regions = {(region.kind, region.code): region for region in Region.objects.all()}
    areas = {area.code: area for area in CooperationArea.objects.all()}

    def place(row: dict) -> dict | None:
        level, code = row["level"], row["code"]
        if (level, code) in ALAND:
            return None
        found = None
        if level == "HYVINVOINTIALUE":
            kind = "city" if code == HELSINKI else "county"
            found = regions.get((kind, code))
            if found is not None:
                # The file's cooperation area of each county is the project's too.
                expected = COOPERATION_AREAS.get(row["yhteistyoalue_code"])
                if found.cooperation_area is None or found.cooperation_area.code != expected:
                    raise ValueError(f"{found.name_fi} is not in cooperation area {expected}")
                return {"region": found}
        elif level == "MAAKUNTA":
            found = regions.get(("maakunta", code))
            if found is not None:
                return {"region": found}
        elif level == "YHTEISTYOALUE":
            found = areas.get(COOPERATION_AREAS.get(code, ""))
            if found is not None:
                return {"cooperation_area": found}
        elif level == "MAA" and code == "SSS":
            return {"whole_country": True}
        raise ValueError(f"No place in the project for {level} {code} ({row['name']})")

    indicator, _ = Indicator.objects.update_or_create(sotkanet_id=SOTKANET_ID, defaults=INDICATOR)
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        values = [
            IndicatorValue(
                indicator=indicator, year=int(row["year"]), value=Decimal(row["population"]), **at
            )
            for row in csv.DictReader(data)
            if (at := place(row)) is not None
        ]
    IndicatorValue.objects.filter(indicator=indicator).delete()
    IndicatorValue.objects.bulk_create(values)


def remove_population(apps, schema_editor):
    apps.get_model("knowledge", "Indicator").objects.filter(sotkanet_id=SOTKANET_ID).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("regions", "0002_region_facts"),
    ]

    operations = [migrations.RunPython(load_population, remove_population)]
