"""Importing indicators from THL's Sotkanet (`manage.py import_sotkanet`, and from the admin).

A real HTTP server in the test process answers like Sotkanet's REST API: `/regions`,
`/indicators/<id>` and `/json`. The region list has Sotkanet's real ids of the wellbeing
services counties (../shared/data/sotkanet/regions_hyvinvointialue.csv) and 658 for the
whole country; the ids of the other levels are the test's own. Indicator 127's values are
those of the shipped population file; indicator 4's are made up for the test only.
"""

import csv
import io
import json
import socket
import threading
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from knowledge.importer import parse_years
from knowledge.models import WHOLE_COUNTRY, Indicator, IndicatorValue
from knowledge.sotkanet import SotkanetError
from regions.models import CooperationArea, Region
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import county, maakunta, make_preparer, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
POPULATION_FILE = ROOT / "knowledge" / "data" / "population_2015_2022.csv"
SAMPLE_CSV = Path(__file__).resolve().parent / "sample_response_indicator127_2009.csv"

# Sotkanet's ids of the wellbeing services counties since 2023, with their official codes.
COUNTY_IDS = {
    "91": 956, "11": 957, "16": 958, "12": 959, "90": 960, "1": 961, "20": 962, "7": 963,
    "18": 964, "15": 965, "2": 966, "10": 967, "21": 968, "3": 969, "8": 970, "17": 971,
    "14": 972, "19": 973, "13": 974, "9": 975, "6": 976, "4": 977, "5": 978,
}  # fmt: skip
WHOLE_COUNTRY_ID = 658
AREA_IDS = {str(code): 5000 + code for code in range(1, 7)}  # the test's own ids
MAAKUNTA_IDS = {str(code): 6000 + code for code in range(1, 22)}  # the test's own ids
TAMPERE_ID, UNLISTED_ID = 837, 99999  # a municipality; an id /regions does not list


def sotkanet_regions() -> list[dict]:
    def region(id_, category, code, fi):
        return {"id": id_, "category": category, "code": code, "title": {"fi": fi}, "memberOf": []}

    return [
        *(region(i, "HYVINVOINTIALUE", code, f"HVA {code}") for code, i in COUNTY_IDS.items()),
        *(region(i, "YTA", code, f"YTA {code}") for code, i in AREA_IDS.items()),
        *(region(i, "MAAKUNTA", code, f"Maakunta {code}") for code, i in MAAKUNTA_IDS.items()),
        region(WHOLE_COUNTRY_ID, "MAA", "SSS", "Koko maa"),
        region(TAMPERE_ID, "KUNTA", "837", "Tampere"),
    ]


def population_rows() -> list[dict]:
    """The shipped population file as Sotkanet's /json rows, plus one municipality row and
    one row of a region /regions does not list, per year."""
    ids = {"HYVINVOINTIALUE": COUNTY_IDS, "YHTEISTYOALUE": AREA_IDS, "MAAKUNTA": MAAKUNTA_IDS}
    rows = []
    with POPULATION_FILE.open(encoding="utf-8", newline="") as data:
        for row in csv.DictReader(data):
            if row["level"] == "MAA":
                region = WHOLE_COUNTRY_ID
            else:
                region = ids[row["level"]][str(int(row["code"]))]
            year = int(row["year"])
            rows.append(_row(127, region, year, int(row["population"])))
    for year in range(2015, 2023):
        rows.append(_row(127, TAMPERE_ID, year, 240_000))
        rows.append(_row(127, UNLISTED_ID, year, 1))
    return rows


def _row(indicator: int, region: int, year: int, value) -> dict:
    return {
        "indicator": indicator,
        "region": region,
        "year": year,
        "gender": "total",
        "value": value,
        "absValue": None,
    }


POPULATION_METADATA = {
    "id": 127,
    "title": {"fi": "Väestö 31.12.", "sv": "Befolkning 31.12.", "en": "Population at year end"},
    "organization": {
        "id": 3,
        "title": {"fi": "Tilastokeskus", "sv": "Statistikcentralen", "en": "Statistics Finland"},
    },
    "primaryValueType": {"code": "count", "title": {"fi": "henkilöä", "sv": "personer"}},
    "decimals": 0,
    "range": {"start": 1990, "end": 2024},
    "data-updated": "2024-03-12",
}
THL_METADATA = {
    "id": 4,
    "title": {
        "fi": "Psykiatrian laitoshoidon 0–17-vuotiaat potilaat / 1 000 vastaavanikäistä",
        "en": "Hospital care for mental disorders, recipients aged 0-17 per 1000 persons",
    },
    "description": {"fi": "Testin kuvaus."},
    "organization": {
        "id": 2,
        "title": {
            "fi": "Terveyden ja hyvinvoinnin laitos (THL)",
            "en": "Finnish institute for Health and Welfare (THL)",
        },
    },
    "primaryValueType": {"code": "per1000", "title": {"fi": "/ 1 000 vastaavanikäistä"}},
    "decimals": 1,
}


class FakeSotkanet:
    """What the server answers; `script` is a list of (path, status, body) answered first,
    once each, before the normal answers (a 503, malformed JSON, ...)."""

    def __init__(self) -> None:
        self.regions = sotkanet_regions()
        self.indicators = {127: POPULATION_METADATA, 4: THL_METADATA}
        self.rows = {127: population_rows(), 4: []}
        self.script: list[tuple[str, int, bytes]] = []
        self.requests: list[tuple[str, dict, dict]] = []
        self.lock = threading.Lock()

    def answer(self, path: str, query: dict) -> tuple[int, bytes]:
        with self.lock:
            for number, (scripted_path, status, body) in enumerate(self.script):
                if path == scripted_path:
                    del self.script[number]
                    return status, body
        if path == "/rest/1.1/regions":
            return 200, json.dumps(self.regions).encode()
        if path.startswith("/rest/1.1/indicators/"):
            metadata = self.indicators.get(int(path.rsplit("/", 1)[1]))
            if metadata is None:
                return 404, b'{"error": "not found"}'
            return 200, json.dumps(metadata).encode()
        if path == "/rest/1.1/json":
            years = {int(year) for year in query.get("years", [])}
            rows = self.rows.get(int(query["indicator"][0]), [])
            return 200, json.dumps([row for row in rows if row["year"] in years]).encode()
        return 404, b""

    def requested(self, path: str) -> int:
        return sum(1 for requested, *_ in self.requests if requested == path)


@pytest.fixture
def sotkanet(settings):
    fake = FakeSotkanet()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            fake.requests.append((url.path, query, dict(self.headers)))
            status, body = fake.answer(url.path, query)
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format, *args) -> None:
            pass  # quiet test output

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    settings.SOTKANET_API_URL = f"http://127.0.0.1:{server.server_port}/rest/1.1"
    settings.SOTKANET_BACKOFF_SECONDS = 0.01
    settings.SOTKANET_RETRIES = 2
    settings.SOTKANET_TIMEOUT_SECONDS = 5
    settings.SOTKANET_CONTACT = "tietopohja@example.fi"
    yield fake
    server.shutdown()
    server.server_close()


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_sotkanet", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def population_value(place, year: int) -> Decimal:
    values = IndicatorValue.objects.filter(indicator__sotkanet_id=127)
    return values.at(place).in_year(year).get().value


def snapshot() -> list:
    return [
        *Indicator.objects.order_by("pk").values(),
        *IndicatorValue.objects.order_by("pk").values(),
    ]


def forget_the_shipped_population() -> None:
    Indicator.objects.filter(sotkanet_id=127).delete()


def test_an_import_puts_the_values_on_counties_areas_maakunnat_and_the_whole_country(sotkanet):
    forget_the_shipped_population()
    out, err = run("127", "--years", "2019-2022")
    # 46 places × 4 years; Åland's county, area and maakunta and the unlisted id unmatched.
    assert "[1/1] 127 Väestö 31.12.: 184 added, 0 changed, 0 unchanged, 16 unmatched" in out
    assert "4 on other levels" in out  # Tampere, a municipality, each year
    assert err == ""
    assert population_value(county("08"), 2022) == 532_671
    assert population_value(Region.objects.get(kind="city", code="90"), 2022) == 664_028
    # The Pirkanmaa maakunta of 2018 covers the area of the Pirkanmaa county.
    assert population_value(maakunta("06"), 2019) == population_value(county("08"), 2019)
    assert population_value(CooperationArea.objects.get(code="sisa-suomi"), 2022) == (
        532_671 + 169_537 + 190_774
    )
    assert population_value(WHOLE_COUNTRY, 2022) == 5_563_970
    hus = Region.objects.get(code="HUS")
    assert not IndicatorValue.objects.at(hus).exists()
    assert not IndicatorValue.objects.filter(indicator__sotkanet_id=127, year=2018).exists()
    indicator = Indicator.objects.get(sotkanet_id=127)
    assert (indicator.name_sv, indicator.producer_en) == ("Befolkning 31.12.", "Statistics Finland")
    assert indicator.unit_fi == "henkilöä"
    assert str(indicator.data_updated) == "2024-03-12"
    # Statistics Finland's terms are not assumed: the ministry fills in the licence.
    assert indicator.licence == ""
    assert indicator.source_fi == "Lähde: Tilastokeskus (THL Sotkanet, indikaattori 127)."


def test_the_regions_are_asked_from_sotkanet_and_the_data_for_the_years_given(sotkanet):
    run("127", "--years", "2021-2022")
    assert sotkanet.requested("/rest/1.1/regions") == 1
    _path, query, _headers = next(r for r in sotkanet.requests if r[0] == "/rest/1.1/json")
    assert query == {"indicator": ["127"], "years": ["2021", "2022"], "genders": ["total"]}


def test_the_user_agent_names_the_service_its_version_and_a_contact(sotkanet):
    run("127", "--years", "2022")
    for _path, _query, headers in sotkanet.requests:
        assert headers["User-Agent"] == "Ohjausneuvottelut/0.1.0 (+tietopohja@example.fi)"


def test_importing_the_shipped_population_again_changes_no_value(sotkanet):
    before = list(IndicatorValue.objects.order_by("pk").values())
    out, _err = run("127", "--years", "2015-2022")
    assert "0 added, 0 changed, 368 unchanged" in out
    assert list(IndicatorValue.objects.order_by("pk").values()) == before


def test_running_the_import_twice_changes_nothing(sotkanet):
    forget_the_shipped_population()
    sotkanet.rows[4] = [_row(4, COUNTY_IDS["8"], 2022, 4.25), _row(4, WHOLE_COUNTRY_ID, 2022, 3.9)]
    run("127", "4", "--years", "2019-2022")
    before = snapshot()
    out, _err = run("127", "4", "--years", "2019-2022")
    assert "[1/2] 127 Väestö 31.12.: 0 added, 0 changed, 184 unchanged" in out
    assert "[2/2] 4 Psykiatrian" in out and ": 0 added, 0 changed, 2 unchanged" in out
    assert "Imported 2 indicator(s): 0 values added, 0 changed, 186 unchanged" in out
    assert snapshot() == before


def test_a_value_changed_in_sotkanet_is_updated(sotkanet):
    row = next(r for r in sotkanet.rows[127] if r["region"] == 970 and r["year"] == 2022)
    row["value"] = 532_672
    out, _err = run("127", "--years", "2022")
    assert "0 added, 1 changed, 45 unchanged" in out
    assert population_value(county("08"), 2022) == 532_672


def test_an_updated_value_gets_a_new_save_time_and_the_others_keep_theirs(sotkanet):
    """The caches of figures (the public record's) key on the values' save times."""
    run("127", "--years", "2021-2022")
    values = IndicatorValue.objects.filter(indicator__sotkanet_id=127)
    before = dict(values.values_list("pk", "updated_at"))
    row = next(r for r in sotkanet.rows[127] if r["region"] == 970 and r["year"] == 2022)
    row["value"] = 532_672
    state = values.state()
    run("127", "--years", "2021-2022")
    changed = values.at(county("08")).in_year(2022).get()
    assert changed.updated_at > before[changed.pk]
    after = dict(values.exclude(pk=changed.pk).values_list("pk", "updated_at"))
    assert after == {pk: at for pk, at in before.items() if pk != changed.pk}
    assert values.state() != state


def test_a_thl_indicator_gets_its_licence_decimals_and_description(sotkanet):
    sotkanet.rows[4] = [_row(4, COUNTY_IDS["8"], 2022, 4.25)]
    run("4", "--years", "2022")
    indicator = Indicator.objects.get(sotkanet_id=4)
    assert indicator.licence == "CC BY 4.0"
    assert indicator.decimals == 1
    assert indicator.description == "Testin kuvaus."
    assert indicator.name_sv == ""
    assert IndicatorValue.objects.get(indicator=indicator).value == Decimal("4.25")


def test_the_ministrys_choices_are_kept_over_a_new_import(sotkanet):
    indicator = Indicator.objects.get(sotkanet_id=127)
    Indicator.objects.filter(pk=indicator.pk).update(direction=Indicator.Direction.HIGHER_IS_BETTER)
    run("127", "--years", "2022")
    indicator.refresh_from_db()
    assert indicator.direction == Indicator.Direction.HIGHER_IS_BETTER
    assert indicator.licence == "CC BY 4.0"  # the shipped one
    assert indicator.source_fi.startswith("Lähde: Tilastokeskus, väestö 31.12.")
    assert indicator.description_fi.startswith("Väestö 31. joulukuuta")  # Sotkanet sent none


def test_regions_without_a_place_in_the_service_are_counted_as_unmatched(sotkanet):
    sotkanet.rows[4] = [
        _row(4, COUNTY_IDS["91"], 2022, 1.0),  # Åland's county
        _row(4, AREA_IDS["6"], 2022, 1.0),  # Åland's cooperation area
        _row(4, UNLISTED_ID, 2022, 1.0),  # not in /regions
        _row(4, TAMPERE_ID, 2022, 1.0),  # a municipality: another level, not unmatched
        _row(4, COUNTY_IDS["1"], 2022, 1.0),
    ]
    out, _err = run("4", "--years", "2022")
    assert "1 added, 0 changed, 0 unchanged, 3 unmatched, 1 on other levels" in out


def test_a_missing_value_is_no_data_never_a_zero(sotkanet):
    sotkanet.rows[4] = [_row(4, COUNTY_IDS["8"], 2022, None), _row(4, COUNTY_IDS["8"], 2021, 2)]
    out, _err = run("4", "--years", "2021-2022")
    assert "1 added" in out
    assert list(IndicatorValue.objects.filter(indicator__sotkanet_id=4).values_list("year")) == [
        (2021,)
    ]


def test_an_unknown_indicator_is_a_clear_error(sotkanet):
    with pytest.raises(CommandError, match=r"^Sotkanetissa ei ole indikaattoria 999999\."):
        run("999999", "--years", "2022")
    assert not Indicator.objects.filter(sotkanet_id=999999).exists()


def test_an_unreachable_server_is_a_clear_error(sotkanet, settings):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.SOTKANET_API_URL = f"http://127.0.0.1:{port}/rest/1.1"
    with pytest.raises(CommandError, match=r"^Sotkanetiin ei saatu yhteyttä .* 3 yrityksellä"):
        run("127", "--years", "2022")


def test_a_403_is_a_clear_error(sotkanet):
    sotkanet.script.append(("/rest/1.1/regions", 403, b"Forbidden"))
    with pytest.raises(CommandError, match=r"HTTP 403.*User-Agent"):
        run("127", "--years", "2022")


def test_malformed_json_is_a_clear_error(sotkanet):
    sotkanet.script.append(("/rest/1.1/json", 200, b'[{"indicator": 127, "region": 9'))
    with pytest.raises(CommandError, match=r"ei ollut kelvollista JSONia"):
        run("127", "--years", "2022")


def test_an_answer_of_another_shape_is_a_clear_error(sotkanet):
    sotkanet.script.append(("/rest/1.1/json", 200, b'{"rows": []}'))
    with pytest.raises(CommandError, match=r"ei ollut Sotkanetin rajapinnan muotoinen"):
        run("127", "--years", "2022")


def test_one_503_is_tried_again_and_the_import_succeeds(sotkanet):
    forget_the_shipped_population()
    sotkanet.script.append(("/rest/1.1/json", 503, b"busy"))
    out, _err = run("127", "--years", "2022")
    assert "46 added" in out
    assert sotkanet.requested("/rest/1.1/json") == 2


def test_a_server_that_stays_busy_is_a_clear_error(sotkanet):
    sotkanet.script.extend([("/rest/1.1/regions", 503, b"busy")] * 3)
    with pytest.raises(CommandError, match=r"HTTP 503\) 3 yrityksellä"):
        run("127", "--years", "2022")
    assert sotkanet.requested("/rest/1.1/regions") == 3


def test_a_failure_midway_leaves_the_indicators_earlier_data_as_it_was(sotkanet):
    before = snapshot()
    sotkanet.indicators[127] = {**POPULATION_METADATA, "title": {"fi": "Väestö (muutettu)"}}
    rows = [row for row in sotkanet.rows[127] if row["year"] >= 2019]
    rows[0]["value"] += 1  # a change in the first batch, written before the failure
    rows[150]["value"] = "n/a"  # in the second batch of 100
    with pytest.raises(CommandError, match=r"arvo ei ole luku .*jätettiin ennalleen"):
        run("127", "--years", "2019-2022")
    assert snapshot() == before


def test_a_failing_indicator_does_not_stop_the_others(sotkanet):
    sotkanet.rows[4] = [_row(4, COUNTY_IDS["8"], 2022, 4.25)]
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"1 of 2 indicators were not imported: 999999"):
        call_command("import_sotkanet", "999999", "4", "--years", "2022", stdout=out, stderr=err)
    assert "[1/2] 999999: Sotkanetissa ei ole indikaattoria 999999." in err.getvalue()
    assert "[2/2] 4 Psykiatrian" in out.getvalue()
    assert IndicatorValue.objects.filter(indicator__sotkanet_id=4).count() == 1


def test_the_years_are_required_and_checked(sotkanet):
    with pytest.raises(CommandError, match="Give the years"):
        run("127")
    with pytest.raises(CommandError, match="muodossa 2019-2024"):
        run("127", "--years", "viime vuonna")
    with pytest.raises(CommandError, match="enintään 50 vuotta"):
        run("127", "--years", "1970-2100")


def test_years_are_read_as_ranges_and_lists():
    assert parse_years("2019-2024") == [2019, 2020, 2021, 2022, 2023, 2024]
    assert parse_years("2022") == [2022]
    assert parse_years("2015, 2019-2020") == [2015, 2019, 2020]
    with pytest.raises(SotkanetError):
        parse_years("2024-2019")


def test_a_csv_downloaded_from_sotkanet_is_imported(sotkanet, tmp_path):
    # The sample: indicator 127 in 2009 for every region of Sotkanet; of them this server
    # lists 658, the whole country, and the rest as municipalities.
    sample_ids = {int(line.split(";")[1]) for line in SAMPLE_CSV.read_text().splitlines()[1:]}
    sotkanet.regions = [
        {"id": WHOLE_COUNTRY_ID, "category": "MAA", "code": "SSS"},
        *({"id": i, "category": "KUNTA", "code": str(i)} for i in sample_ids - {658}),
    ]
    out, _err = run("--file", str(SAMPLE_CSV))
    assert "127 Väestö 31.12.: 1 added, 0 changed, 0 unchanged, 0 unmatched, 465 on other" in out
    assert population_value(WHOLE_COUNTRY, 2009) == 5_351_427
    assert sotkanet.requested("/rest/1.1/json") == 0  # the values came from the file


def test_a_csv_maps_counties_by_code_too(sotkanet, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "\ufeffindicator;region;year;gender;primary value;absolute value\r\n"
        "4;970;2023;total;4,2;\r\n"
        "4;970;2023;male;9,9;\r\n"
        "4;960;2023;total;3.1;12\r\n"
        "4;961;2021;total;2.0;\r\n",
        encoding="utf-8",
    )
    out, _err = run("--file", str(export), "--years", "2022-2023")
    assert "4 Psykiatrian" in out and "2 added" in out
    values = IndicatorValue.objects.filter(indicator__sotkanet_id=4)
    assert values.at(county("08")).get().value == Decimal("4.2")
    assert values.at(Region.objects.get(kind="city", code="90")).get().value == Decimal("3.1")


def test_a_csv_with_other_columns_is_refused(sotkanet, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("alue;vuosi;arvo\nPirkanmaa;2022;532671\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"^Tiedosto ei ole Sotkanetin CSV-vienti: "):
        run("--file", str(export))
    assert Indicator.objects.count() == 1


def test_one_indicator_for_23_regions_and_10_years_is_quick(sotkanet, capsys):
    sotkanet.rows[4] = [
        _row(4, region_id, year, round(1 + number / 10 + (year - 2015) / 100, 2))
        for number, region_id in enumerate(COUNTY_IDS.values())
        for year in range(2015, 2025)
    ]
    started = time.perf_counter()
    out, _err = run("4", "--years", "2015-2024")
    elapsed = time.perf_counter() - started
    assert "220 added" in out and "10 unmatched" in out  # Åland's county
    with capsys.disabled():
        print(f"\nimport of 1 indicator, 23 regions × 10 years: {elapsed * 1000:.0f} ms")


# --- The admin: ministry officials start an import of one indicator. ---


@pytest.fixture
def importing_official(db):
    user = make_user("tietopohja", group=MINISTRY_OFFICIAL, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="knowledge",
            codename__in=["import_indicator", "view_indicator", "view_indicatorvalue"],
        )
    )
    return user


IMPORT_URL = "admin:knowledge_indicator_import"


def test_a_ministry_official_imports_an_indicator_from_the_admin(
    client, sotkanet, importing_official
):
    sotkanet.rows[4] = [_row(4, COUNTY_IDS["8"], 2022, 4.25), _row(4, COUNTY_IDS["91"], 2022, 1)]
    client.force_login(importing_official)
    changelist = client.get(reverse("admin:knowledge_indicator_changelist"))
    assert reverse(IMPORT_URL) in changelist.text
    form = client.get(reverse(IMPORT_URL))
    assert form.status_code == 200
    assert "Tuo indikaattori Sotkanetista" in form.text
    response = client.post(
        reverse(IMPORT_URL), {"sotkanet_id": 4, "first_year": 2020, "last_year": 2022}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:knowledge_indicator_changelist")
    assert "tuotiin vuosilta 2020–2022: 1 arvoa lisättiin, 0 muuttui" in response.text
    assert "1 arvoa jäi pois" in response.text
    assert IndicatorValue.objects.filter(indicator__sotkanet_id=4).count() == 1


def test_an_import_error_is_shown_in_the_admin_with_the_input_kept(
    client, sotkanet, importing_official
):
    client.force_login(importing_official)
    response = client.post(
        reverse(IMPORT_URL), {"sotkanet_id": 999999, "first_year": 2020, "last_year": 2022}
    )
    assert response.status_code == 200
    assert "Sotkanetissa ei ole indikaattoria 999999." in response.text
    assert 'value="999999"' in response.text


def test_the_admin_form_checks_the_years(client, sotkanet, importing_official):
    client.force_login(importing_official)
    response = client.post(
        reverse(IMPORT_URL), {"sotkanet_id": 4, "first_year": 2022, "last_year": 2020}
    )
    assert response.status_code == 200
    assert "Viimeinen vuosi ei voi olla ennen ensimmäistä." in response.text
    assert sotkanet.requests == []


def test_staff_without_the_permission_cannot_import(client, sotkanet):
    preparer = make_preparer("valmistelija", county("08"))
    preparer.is_staff = True
    preparer.save()
    client.force_login(preparer)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    response = client.post(
        reverse(IMPORT_URL), {"sotkanet_id": 4, "first_year": 2020, "last_year": 2022}
    )
    assert response.status_code == 403
    assert sotkanet.requests == []


@pytest.mark.parametrize("who", ["pirkanmaa_preparer", None])
def test_a_preparer_and_an_anonymous_visitor_are_sent_to_the_admin_login(
    client, sotkanet, request, who
):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.post(
        reverse(IMPORT_URL), {"sotkanet_id": 4, "first_year": 2020, "last_year": 2022}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert sotkanet.requests == []
    assert not Indicator.objects.filter(sotkanet_id=4).exists()


def test_the_values_are_listed_in_the_admin_in_the_current_language(client, importing_official):
    client.force_login(importing_official)
    client.post(reverse("set_language"), {"language": "sv"})
    response = client.get(reverse("admin:knowledge_indicatorvalue_changelist"), {"q": "Birkaland"})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 16  # the county and the maakunta, 8 years
    assert "Befolkning 31.12." in response.text
    assert "Birkaland" in response.text
