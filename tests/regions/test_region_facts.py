"""Every new database knows the regions of DESIGN.md, loaded by a data migration."""

import pytest
from django.db import IntegrityError
from django.utils import translation

from regions.models import CooperationArea, Region
from tests.factories import county, maakunta

pytestmark = pytest.mark.django_db

COUNTIES = {
    "01": "Itä-Uusimaa",
    "02": "Keski-Uusimaa",
    "03": "Länsi-Uusimaa",
    "04": "Vantaa–Kerava",
    "05": "Varsinais-Suomi",
    "06": "Satakunta",
    "07": "Kanta-Häme",
    "08": "Pirkanmaa",
    "09": "Päijät-Häme",
    "10": "Kymenlaakso",
    "11": "Etelä-Karjala",
    "12": "Etelä-Savo",
    "13": "Pohjois-Savo",
    "14": "Pohjois-Karjala",
    "15": "Keski-Suomi",
    "16": "Etelä-Pohjanmaa",
    "17": "Pohjanmaa",
    "18": "Keski-Pohjanmaa",
    "19": "Pohjois-Pohjanmaa",
    "20": "Kainuu",
    "21": "Lappi",
}
MAAKUNNAT = {
    "01": "Uusimaa",
    "02": "Varsinais-Suomi",
    "04": "Satakunta",
    "05": "Kanta-Häme",
    "06": "Pirkanmaa",
    "07": "Päijät-Häme",
    "08": "Kymenlaakso",
    "09": "Etelä-Karjala",
    "10": "Etelä-Savo",
    "11": "Pohjois-Savo",
    "12": "Pohjois-Karjala",
    "13": "Keski-Suomi",
    "14": "Etelä-Pohjanmaa",
    "15": "Pohjanmaa",
    "16": "Keski-Pohjanmaa",
    "17": "Pohjois-Pohjanmaa",
    "18": "Kainuu",
    "19": "Lappi",
}
AREA_MEMBERS = {
    "Etelä-Suomi": {
        "Etelä-Karjala",
        "Helsinki",
        "HUS-yhtymä",
        "Itä-Uusimaa",
        "Keski-Uusimaa",
        "Kymenlaakso",
        "Länsi-Uusimaa",
        "Päijät-Häme",
        "Vantaa–Kerava",
    },
    "Itä-Suomi": {"Pohjois-Savo", "Keski-Suomi", "Etelä-Savo", "Pohjois-Karjala"},
    "Sisä-Suomi": {"Pirkanmaa", "Kanta-Häme", "Etelä-Pohjanmaa"},
    "Länsi-Suomi": {"Varsinais-Suomi", "Satakunta", "Pohjanmaa"},
    "Pohjois-Suomi": {"Pohjois-Pohjanmaa", "Keski-Pohjanmaa", "Kainuu", "Lappi"},
}


def test_there_are_21_counties_with_statistics_finland_codes():
    counties = Region.objects.filter(kind=Region.Kind.COUNTY)
    assert {r.code: r.name_fi for r in counties} == COUNTIES


def test_helsinki_and_hus_are_negotiated_with_like_counties():
    helsinki = Region.objects.get(kind=Region.Kind.CITY)
    hus = Region.objects.get(kind=Region.Kind.JOINT_AUTHORITY)
    assert (helsinki.code, helsinki.name_fi) == ("90", "Helsinki")
    assert (hus.code, hus.name_fi) == ("HUS", "HUS-yhtymä")
    assert Region.objects.current().count() == 23


def test_the_18_maakunnat_of_2018_have_their_codes_and_ended_in_2022():
    maakunnat = Region.objects.filter(kind=Region.Kind.MAAKUNTA)
    assert {r.code: r.name_fi for r in maakunnat} == MAAKUNNAT
    assert {r.valid_to.isoformat() for r in maakunnat} == {"2022-12-31"}


def test_a_code_is_unique_within_its_kind_only():
    assert county("01").name_fi == "Itä-Uusimaa"
    assert maakunta("01").name_fi == "Uusimaa"
    with pytest.raises(IntegrityError):
        Region.objects.create(kind=Region.Kind.COUNTY, code="08", name_fi="Toinen Pirkanmaa")


def test_five_cooperation_areas_have_the_members_of_decree_91_2022():
    areas = CooperationArea.objects.prefetch_related("regions")
    members = {
        area.name_fi: {r.name_fi for r in area.regions.all() if r.kind != Region.Kind.MAAKUNTA}
        for area in areas
    }
    assert members == AREA_MEMBERS


def test_uusimaa_is_succeeded_by_four_counties_helsinki_and_hus():
    successors = {r.name_fi for r in maakunta("01").successors.all()}
    assert successors == {
        "Itä-Uusimaa",
        "Keski-Uusimaa",
        "Länsi-Uusimaa",
        "Vantaa–Kerava",
        "Helsinki",
        "HUS-yhtymä",
    }
    assert set(county("02").predecessors.all()) == {maakunta("01")}


def test_every_other_maakunta_became_the_county_of_the_same_name():
    for code, name in MAAKUNNAT.items():
        if name == "Uusimaa":
            continue
        successors = list(maakunta(code).successors.all())
        assert [(r.kind, r.name_fi) for r in successors] == [(Region.Kind.COUNTY, name)]


def test_swedish_and_english_names():
    assert county("08").name_sv == "Birkaland"
    assert county("17").name_sv == "Österbotten"
    assert county("21").name_sv == "Lappland"
    assert county("21").name_en == "Lapland"
    assert county("05").name_sv == "Egentliga Finland"
    assert maakunta("01").name_sv == "Nyland"
    assert Region.objects.get(code="90").name_sv == "Helsingfors"
    assert CooperationArea.objects.get(code="ita-suomi").name_sv == "Östra Finland"


def test_name_follows_the_active_language():
    pirkanmaa = county("08")
    with translation.override("sv"):
        assert pirkanmaa.name == "Birkaland"
        assert str(pirkanmaa.cooperation_area) == "Inre Finland"
    with translation.override("fi"):
        assert pirkanmaa.name == "Pirkanmaa"
    with translation.override("en"):
        assert county("19").name == "North Ostrobothnia"
