"""The regions the ministry negotiates with, as facts every database starts with.

Sources: Statistics Finland's codes for the wellbeing services counties (2023) and for the
maakunnat (2018), and the cooperation areas of government decree 91/2022. The maakunnat are
placed in the cooperation area of their successors, so that rounds of 2018-2022 can be
filtered by area as well.
"""

import datetime

from django.db import migrations

COOPERATION_AREAS = [
    # code, fi, sv, en
    ("etela-suomi", "Etelä-Suomi", "Södra Finland", "Southern Finland"),
    ("ita-suomi", "Itä-Suomi", "Östra Finland", "Eastern Finland"),
    ("sisa-suomi", "Sisä-Suomi", "Inre Finland", "Inland Finland"),
    ("lansi-suomi", "Länsi-Suomi", "Västra Finland", "Western Finland"),
    ("pohjois-suomi", "Pohjois-Suomi", "Norra Finland", "Northern Finland"),
]

# code, kind, fi, sv, en, cooperation area
CURRENT_REGIONS = [
    ("01", "county", "Itä-Uusimaa", "Östra Nyland", "East Uusimaa", "etela-suomi"),
    ("02", "county", "Keski-Uusimaa", "Mellersta Nyland", "Central Uusimaa", "etela-suomi"),
    ("03", "county", "Länsi-Uusimaa", "Västra Nyland", "West Uusimaa", "etela-suomi"),
    ("04", "county", "Vantaa–Kerava", "Vanda och Kervo", "Vantaa and Kerava", "etela-suomi"),
    ("05", "county", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland", "lansi-suomi"),
    ("06", "county", "Satakunta", "Satakunta", "Satakunta", "lansi-suomi"),
    ("07", "county", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme", "sisa-suomi"),
    ("08", "county", "Pirkanmaa", "Birkaland", "Pirkanmaa", "sisa-suomi"),
    ("09", "county", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme", "etela-suomi"),
    ("10", "county", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso", "etela-suomi"),
    ("11", "county", "Etelä-Karjala", "Södra Karelen", "South Karelia", "etela-suomi"),
    ("12", "county", "Etelä-Savo", "Södra Savolax", "South Savo", "ita-suomi"),
    ("13", "county", "Pohjois-Savo", "Norra Savolax", "North Savo", "ita-suomi"),
    ("14", "county", "Pohjois-Karjala", "Norra Karelen", "North Karelia", "ita-suomi"),
    ("15", "county", "Keski-Suomi", "Mellersta Finland", "Central Finland", "ita-suomi"),
    (
        "16",
        "county",
        "Etelä-Pohjanmaa",
        "Södra Österbotten",
        "South Ostrobothnia",
        "sisa-suomi",
    ),
    ("17", "county", "Pohjanmaa", "Österbotten", "Ostrobothnia", "lansi-suomi"),
    (
        "18",
        "county",
        "Keski-Pohjanmaa",
        "Mellersta Österbotten",
        "Central Ostrobothnia",
        "pohjois-suomi",
    ),
    (
        "19",
        "county",
        "Pohjois-Pohjanmaa",
        "Norra Österbotten",
        "North Ostrobothnia",
        "pohjois-suomi",
    ),
    ("20", "county", "Kainuu", "Kajanaland", "Kainuu", "pohjois-suomi"),
    ("21", "county", "Lappi", "Lappland", "Lapland", "pohjois-suomi"),
    ("90", "city", "Helsinki", "Helsingfors", "Helsinki", "etela-suomi"),
    ("HUS", "joint-authority", "HUS-yhtymä", "HUS-sammanslutningen", "HUS Group", "etela-suomi"),
]

# code, fi, sv, en; successors: the current regions of the same name, except Uusimaa.
MAAKUNNAT_2018 = [
    ("01", "Uusimaa", "Nyland", "Uusimaa"),
    ("02", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    ("04", "Satakunta", "Satakunta", "Satakunta"),
    ("05", "Kanta-Häme", "Egentliga Tavastland", "Kanta-Häme"),
    ("06", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
    ("07", "Päijät-Häme", "Päijänne-Tavastland", "Päijät-Häme"),
    ("08", "Kymenlaakso", "Kymmenedalen", "Kymenlaakso"),
    ("09", "Etelä-Karjala", "Södra Karelen", "South Karelia"),
    ("10", "Etelä-Savo", "Södra Savolax", "South Savo"),
    ("11", "Pohjois-Savo", "Norra Savolax", "North Savo"),
    ("12", "Pohjois-Karjala", "Norra Karelen", "North Karelia"),
    ("13", "Keski-Suomi", "Mellersta Finland", "Central Finland"),
    ("14", "Etelä-Pohjanmaa", "Södra Österbotten", "South Ostrobothnia"),
    ("15", "Pohjanmaa", "Österbotten", "Ostrobothnia"),
    ("16", "Keski-Pohjanmaa", "Mellersta Österbotten", "Central Ostrobothnia"),
    ("17", "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    ("18", "Kainuu", "Kajanaland", "Kainuu"),
    ("19", "Lappi", "Lappland", "Lapland"),
]
UUSIMAA_SUCCESSORS = [("county", "01"), ("county", "02"), ("county", "03"), ("county", "04")]
UUSIMAA_SUCCESSORS += [("city", "90"), ("joint-authority", "HUS")]

COUNTIES_START = datetime.date(2023, 1, 1)
MAAKUNNAT_END = datetime.date(2022, 12, 31)


def load_regions(apps, schema_editor):
    CooperationArea = apps.get_model("regions", "CooperationArea")
    Region = apps.get_model("regions", "Region")

    areas = {}
    for code, fi, sv, en in COOPERATION_AREAS:
        areas[code], _ = CooperationArea.objects.update_or_create(
            code=code, defaults={"name_fi": fi, "name_sv": sv, "name_en": en}
        )

    current = {}
    for code, kind, fi, sv, en, area in CURRENT_REGIONS:
        current[(kind, code)], _ = Region.objects.update_or_create(
            kind=kind,
            code=code,
            defaults={
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "cooperation_area": areas[area],
                "valid_from": COUNTIES_START,
            },
        )
    by_name = {region.name_fi: region for region in current.values()}

    for code, fi, sv, en in MAAKUNNAT_2018:
        if fi == "Uusimaa":
            successors = [current[key] for key in UUSIMAA_SUCCESSORS]
        else:
            successors = [by_name[fi]]
        maakunta, _ = Region.objects.update_or_create(
            kind="maakunta",
            code=code,
            defaults={
                "name_fi": fi,
                "name_sv": sv,
                "name_en": en,
                "cooperation_area": successors[0].cooperation_area,
                "valid_to": MAAKUNNAT_END,
            },
        )
        maakunta.successors.set(successors)


def create_role_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ("ministry-official", "regional-preparer"):
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("regions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(load_regions, migrations.RunPython.noop),
        migrations.RunPython(create_role_groups, migrations.RunPython.noop),
    ]
