"""The served measurement: its blocks in turns with the bare view, ratios for every page that
stop by themselves and mark a missed target, autosaves on the version of the last save; and a
very short run with gunicorn, as `make bench` does it, on the tiny data set.

The first tests serve the clients from a fake server in this process (httpx's MockTransport:
a bare view that answers at once, pages that take a few milliseconds), so that the figures
are known beforehand; the last one runs `python -m tests.bench --only served`."""

import re
import subprocess
import sys
import threading
import time

import httpx

from tests.bench import report, served
from tests.bench.autosave import SAVED_MARK, Target
from tests.gunicorn import ROOT

SLOW_MS = 40  # a page that takes this long is well under 0.25 of a bare view that takes ~0


def fake_server():
    """Answers /bare/ at once, /fast/ at once, /slow/ after SLOW_MS; autosaves as the record
    section's view does (the new version in the hidden input), counting versions per section."""
    versions: dict[int, int] = {}
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        assert request.headers["X-Forwarded-Proto"] == "https"
        assert "sessionid=" in request.headers["Cookie"]
        if request.url.path == "/slow/":
            time.sleep(SLOW_MS / 1000)
        if request.method == "POST":
            form = dict(httpx.QueryParams(request.content.decode()))
            pk = int(next(name for name in form if name.startswith("version-"))[8:])
            with lock:
                if int(form[f"version-{pk}"]) != versions.get(pk, 0):
                    return httpx.Response(200, text='<p class="conflict"></p>')
                versions[pk] = versions.get(pk, 0) + 1
                version = versions[pk]
            return httpx.Response(
                200,
                text=f'{SAVED_MARK} 12.00 <input type="hidden" id="version-{pk}" '
                f'value="{version}">',
            )
        return httpx.Response(200, text="ok")

    return httpx.MockTransport(handle), versions


def items(clients: int) -> tuple[list[served.Item], served.Item]:
    keys = [f"key{n}" for n in range(clients)]
    targets = [
        Target(record_pk=1, negotiation_pk=1, section_pk=n + 1, texts={"discussion": ""}, version=0)
        for n in range(clients)
    ]
    for target in targets:
        target.url = "/save/"
    return [
        served.Item("Fast page", "/fast/", keys, 0.25),
        served.Item("Slow page", "/slow/", keys, 0.25),
        served.Item("Autosave", "/save/", keys, 0.10, targets),
    ], served.Item(served.BARE, "/bare/", keys)


def test_the_blocks_are_in_turns_with_the_bare_view_the_pages_reversed_every_other_round():
    assert served.schedule(2, 1) == [None, 0, None, 1, None]
    assert served.schedule(2, 2) == [None, 0, None, 1, None, 1, None, 0, None]
    assert len(served.schedule(13, 2)) == 2 * 13 * 2 + 1


def test_every_page_gets_a_ratio_the_run_stops_by_itself_and_a_missed_target_is_marked():
    transport, versions = fake_server()
    clients, seconds, rounds = 3, 0.2, 2
    pages, bare = items(clients)
    measurement = served.Served("http://testserver", clients=clients, transport=transport)
    started = time.monotonic()
    result = measurement.measure(pages, bare, seconds=seconds, rounds=rounds, warm_up=0.1)
    elapsed = time.monotonic() - started
    blocks = 2 * len(pages) * rounds + 1
    assert result["blocks"] == blocks
    # Each block stops at its deadline (plus the requests under way, here milliseconds).
    assert elapsed < blocks * seconds + 5, elapsed

    figures = result["pages"]
    assert list(figures) == [served.BARE, "Fast page", "Slow page", "Autosave"]
    for name, page in figures.items():
        assert page["errors"] == 0, (name, page["error_kinds"])
        assert page["requests"] > 0 and page["per_second"] > 0
        assert page["p95"] >= page["p50"] > 0
    for name in ("Fast page", "Slow page", "Autosave"):
        page = figures[name]
        assert page["ratio"] == page["per_second"] / page["bare_per_second"]
        assert len(page["round_ratios"]) == rounds
    # 3 clients, each at most one slow page per SLOW_MS.
    assert figures["Slow page"]["per_second"] <= clients * 1000 / SLOW_MS * 1.05
    assert figures["Slow page"]["p50"] >= SLOW_MS
    assert figures["Slow page"]["ratio"] < figures["Fast page"]["ratio"] / 2

    # Every autosave was based on the version of the client's last save: none conflicted.
    saves = [save for log in measurement.logs for save in log.saves]
    assert len(saves) == sum(versions.values()) > 0
    outcomes = sum((log.outcomes for log in measurement.logs), served.Counter())
    assert set(outcomes) == {"saved"}

    lines = []
    report.served_table(
        {
            **result,
            "workers": 4,
            "threads": 4,
            "worker_restarts": 0,
            "server_tracebacks": 0,
            "saved": len(saves),
            "problems": [],
        },
        lines.append,
    )
    assert lines[0].startswith("Served (gunicorn, 4 workers × 4 threads, the production settings")
    for name in ("Fast page", "Slow page", "Autosave"):
        line = next(line for line in lines if line.startswith(name + " "))
        assert re.search(r"\d+\.\d +\d+\.\d +\d+\.\d +\d\.\d\d +≥ 0\.\d\d +\d\.\d\d–\d\.\d\d", line)
    slow = next(line for line in lines if line.startswith("Slow page"))
    assert slow.endswith(report.BELOW)
    assert f"{len(saves)} saves" in lines[-1]


def test_a_page_with_errors_is_marked_and_a_lost_save_fails_the_report():
    page = {
        "requests": 10,
        "per_second": 5.0,
        "p50": 100.0,
        "p95": 150.0,
        "errors": 2,
        "error_kinds": {"page: HTTP 500": 2},
        "target": 0.10,
        "bare_per_second": 20.0,
        "ratio": 0.25,
        "round_ratios": [0.2, 0.3],
    }
    result = {
        "clients": 8,
        "seconds": 2.5,
        "rounds": 2,
        "warm_up": 5,
        "blocks": 5,
        "elapsed": 14.0,
        "pages": {"Home": page},
        "workers": 1,
        "threads": 4,
        "worker_restarts": 2,
        "server_tracebacks": 1,
        "saved": 3,
        "problems": ["section 7: the text of saved version 4 is gone"],
    }
    lines = []
    report.served_table(result, lines.append)
    home = next(line for line in lines if line.startswith("Home"))
    assert "0.20–0.30" in home and "2 errors" in home and report.BELOW not in home
    assert "2 worker restarts" in "\n".join(lines)
    assert "SAVES MISSING" in "\n".join(lines)

    timed = {
        "database": "SQLite 3",
        "python": "3",
        "django": "6",
        "cpus": 2,
        "counts": {},
        "build_seconds": 0.1,
        "constants": {"spec": {"rounds": 1, "regions": 1, "themes": 1, "actions": 1, "words": 1}},
        "served": result,
    }
    assert report.print_report({"tiny": timed}, ["tiny"], None, lambda line: None) == 1


# The pages, as in test_measure.py, and the bare view.
PAGES = (
    "Bare view",
    "Home",
    "Public record",
    "Round dashboard",
    "Negotiation page",
    "Schedule",
    "Public record list",
    "Action tracker",
    "Record page (draft)",
    "Situation report (draft)",
    "Autosave POST",
)


def test_a_short_served_run_with_gunicorn_gives_every_page_a_ratio_and_finds_every_save():
    started = time.monotonic()
    completed = subprocess.run(
        [
            sys.executable, "-m", "tests.bench", "--sizes", "tiny", "--only", "served",
            "--served-seconds", "0.2", "--served-rounds", "1", "--served-clients", "3",
            "--warm-up", "0.5",
            "--uncompressed-static",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )  # fmt: skip
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output
    assert time.monotonic() - started < 240
    assert re.search(r"^Served \(gunicorn, \d+ workers? × 4 threads", output, re.MULTILINE), output
    for name in PAGES:
        line = re.search(
            rf"^{re.escape(name)} +(\d+\.\d) +(\d+\.\d) +(\d+\.\d) +(.*)$", output, re.M
        )
        assert line and float(line[1]) > 0, (name, output)
        assert "errors" not in line[4], line[0]
        if name != "Bare view":
            assert re.match(r"\d\.\d\d +≥ 0\.(10|25)", line[4]), line[0]
    saved = re.search(
        r'Every autosave that answered "saved" is in the database: (\d+) saves', output
    )
    assert saved and int(saved[1]) > 0, output
