"""`python -m tests.bench` (`make bench`): the parent builds nothing itself. It collects the
static files into a temporary directory, makes a new database for each data set (a SQLite
file in that directory, or, when DATABASE_URL points at a PostgreSQL server, a new database
there, as `python tests/pgserver.py -- python -m tests.bench` provides), and runs one child
process per data set with the production settings (DEBUG off) and DATABASE_URL pointing at
it. The child refuses any database that is not the fresh one its parent named, so the project's
var/db.sqlite3 is never touched. The parent prints the tables and removes what it made.

Options (and their environment variables): --seconds (BENCH_LOAD_SECONDS), --clients
(BENCH_CLIENTS), --think (BENCH_THINK_SECONDS, "0.5-1.5"; "0": no think time) and
--capacity-seconds (BENCH_CAPACITY_SECONDS, the closed-loop run after it; 0: none) of the load
run, --warm-up (BENCH_WARM_UP_SECONDS) before the load run and the served blocks, --requests
(BENCH_REQUESTS) per page in process, --served-seconds (BENCH_SERVED_SECONDS, one block),
--served-rounds (BENCH_SERVED_ROUNDS) and --served-clients (BENCH_SERVED_CLIENTS) of the served
measurement, --only pages|served|load (or several: served,load), --no-pdfs (BENCH_PDFS=0),
--sizes (small,large).
"""

import argparse
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests import gunicorn

ROOT = Path(__file__).resolve().parents[2]
PROJECT_DATABASE = ROOT / "var" / "db.sqlite3"
# Set by the parent for the child: the database the child must find fresh and use.
CHILD_DATABASE = "OHJAUS_BENCH_DATABASE"
PG_PREFIX = "ohjaus_bench_"
CHILD_TIMEOUT = 60 * 60  # a whole large run takes minutes; this only bounds a hung one


class Refused(SystemExit):
    pass


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    return float(value) if value else default


def parse_think(text: str) -> tuple[float, float]:
    """The think time of "0.5-1.5" is (0.5, 1.5), of "1" (1.0, 1.0), of "0" (0.0, 0.0): none."""
    low, _, high = text.strip().partition("-")
    bounds = (float(low), float(high or low))
    if not 0 <= bounds[0] <= bounds[1]:
        raise ValueError(f"think time {text!r}: LOW-HIGH seconds, 0 <= LOW <= HIGH")
    return bounds


PARTS = ("pages", "served", "load")


def _only(text: str) -> str:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or any(part not in PARTS for part in parts):
        raise argparse.ArgumentTypeError(f"{text!r}: one or more of {', '.join(PARTS)}")
    return ",".join(parts)


def _think(text: str) -> str:
    try:
        parse_think(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--sizes", default="small,large", help="data sets, the last one timed")
    parser.add_argument(
        "--only",
        type=_only,
        help="only the pages in process (and the PDFs), the served pages or the load run; "
        "several with commas (served,load)",
    )
    parser.add_argument("--requests", type=int, default=_env_int("BENCH_REQUESTS", 50))
    parser.add_argument("--seconds", type=float, default=_env_float("BENCH_LOAD_SECONDS", 60))
    parser.add_argument("--clients", type=int, default=_env_int("BENCH_CLIENTS", 50))
    parser.add_argument(
        "--think",
        type=_think,
        default=os.environ.get("BENCH_THINK_SECONDS", "").strip() or "0.5-1.5",
        help="the load run's pause after each answer, LOW-HIGH seconds (uniform); 0: none",
    )
    parser.add_argument(
        "--capacity-seconds",
        type=float,
        default=_env_float("BENCH_CAPACITY_SECONDS", 20),
        help="seconds of the closed-loop run (no think time) after the load run; 0: none",
    )
    parser.add_argument(
        "--served-seconds",
        type=float,
        default=_env_float("BENCH_SERVED_SECONDS", 2.0),
        help="seconds of one block of the served measurement",
    )
    parser.add_argument(
        "--served-rounds",
        type=int,
        default=_env_int("BENCH_SERVED_ROUNDS", 2),
        help="blocks per page in the served measurement",
    )
    parser.add_argument("--served-clients", type=int, default=_env_int("BENCH_SERVED_CLIENTS", 8))
    parser.add_argument(
        "--warm-up", type=float, default=_env_float("BENCH_WARM_UP_SECONDS", 5),
        help="seconds of load before the measured ones",
    )  # fmt: skip
    parser.add_argument(
        "--no-pdfs", action="store_true", default=os.environ.get("BENCH_PDFS") == "0"
    )
    parser.add_argument(
        "--uncompressed-static",
        action="store_true",
        help="collectstatic without gzip and brotli (seconds instead of half a minute)",
    )
    # Internal: the child process that owns one throw-away database.
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--timed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


# --- parent ------------------------------------------------------------------------------------


def _server_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://", "pgsql://")) else None


class Databases:
    """New databases for the children: SQLite files in `tmp`, or databases made on the
    PostgreSQL server of DATABASE_URL (and dropped afterwards)."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.server = _server_url()
        self.made: list[str] = []
        self.run_id = secrets.token_hex(4)

    @property
    def engine(self) -> str:
        return "PostgreSQL" if self.server else "SQLite"

    def new(self, size: str) -> tuple[str, str]:
        """(DATABASE_URL, the name the child must find) of a new, empty database."""
        if not self.server:
            path = self.tmp / f"{size}.sqlite3"
            return f"sqlite:///{path}", str(path)
        import psycopg

        name = f"{PG_PREFIX}{size}_{self.run_id}"
        with psycopg.connect(self.server, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # fails if it exists: always a new one
        self.made.append(name)
        parts = urlsplit(self.server)
        return urlunsplit(parts._replace(path=f"/{name}")), name

    def drop_all(self) -> None:
        if not self.made:
            return
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()


def run_child(command: list[str], env: dict[str, str]) -> int:
    """The child, stopped with SIGTERM (so that it stops its gunicorn) if we are interrupted."""
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        return process.wait(timeout=CHILD_TIMEOUT)
    except BaseException:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=gunicorn.STOP_TIMEOUT + 15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        raise


def parent(args: argparse.Namespace) -> int:
    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    outcome: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="ohjaus-bench-") as tmp_name:
        tmp = Path(tmp_name)
        databases = Databases(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env.update(
            DJANGO_SETTINGS_MODULE="steering.settings",
            DJANGO_DEBUG="false",
            DJANGO_SECRET_KEY="bench-" + secrets.token_urlsafe(40),
            # testserver: the test client of the page measurement; 127.0.0.1: gunicorn.
            DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
            DJANGO_STATIC_ROOT=str(tmp / "static"),
            DJANGO_MEDIA_ROOT=str(tmp / "media"),
            # Never the project's database, not even for collectstatic (which opens none).
            DATABASE_URL=f"sqlite:///{tmp / 'unused.sqlite3'}",
        )
        print(f"Collecting the static files into {tmp / 'static'} ...", flush=True)
        started = time.perf_counter()
        gunicorn.finish(gunicorn.start_collectstatic(env, compress=not args.uncompressed_static))
        print(f"... in {time.perf_counter() - started:.0f} s", flush=True)
        try:
            for n, size in enumerate(sizes):
                url, name = databases.new(size)
                result_file = tmp / f"{size}.json"
                timed = n == len(sizes) - 1
                print(
                    f"The {size} data set in a new {databases.engine} database {name} ...",
                    flush=True,
                )
                command = [
                    sys.executable, "-m", "tests.bench", "--child", size,
                    "--results", str(result_file),
                    "--requests", str(args.requests),
                    "--seconds", str(args.seconds),
                    "--clients", str(args.clients),
                    "--warm-up", str(args.warm_up),
                    "--think", args.think,
                    "--capacity-seconds", str(args.capacity_seconds),
                    "--served-seconds", str(args.served_seconds),
                    "--served-rounds", str(args.served_rounds),
                    "--served-clients", str(args.served_clients),
                ]  # fmt: skip
                command += ["--timed"] if timed else []
                command += ["--only", args.only] if args.only else []
                command += ["--no-pdfs"] if args.no_pdfs else []
                code = run_child(command, {**env, "DATABASE_URL": url, CHILD_DATABASE: name})
                if code != 0:
                    print(f"The {size} run failed (exit code {code}).", file=sys.stderr)
                    return 1
                outcome[size] = json.loads(result_file.read_text())
        finally:
            databases.drop_all()
    from tests.bench.report import print_report

    return print_report(outcome, sizes, args)


# --- child -------------------------------------------------------------------------------------


def refuse_unless_throwaway(configured: dict, expected: str) -> None:
    """Stop unless the configured database is the one the parent made for this child: named
    by it, not the project's var/db.sqlite3, and (checked by the caller) still empty."""
    name = str(configured.get("NAME", ""))
    engine = configured.get("ENGINE", "")
    message = (
        "The benchmark builds its data only in a database it creates itself: run "
        "`make bench` (python -m tests.bench) without --child."
    )
    if not expected or name != expected:
        raise Refused(message)
    if engine == "django.db.backends.sqlite3":
        if Path(name).resolve() == PROJECT_DATABASE.resolve():
            raise Refused(f"{message} ({PROJECT_DATABASE} is the project's database.)")
    elif engine == "django.db.backends.postgresql":
        if not name.startswith(PG_PREFIX):
            raise Refused(message)
    else:
        raise Refused(f"{message} (Unknown engine {engine}.)")


def child(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    refuse_unless_throwaway(settings.DATABASES["default"], os.environ.get(CHILD_DATABASE, ""))
    if connection.introspection.table_names():
        raise Refused("The benchmark's database is not empty: it builds only in a new one.")

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)  # through the `finally` that stops gunicorn

    signal.signal(signal.SIGTERM, on_sigterm)

    from tests.bench import data as bench_data
    from tests.bench import load, measure, served

    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    data = bench_data.build_data(**bench_data.SIZES[args.child])
    build_seconds = time.perf_counter() - started
    counts = bench_data.data_counts()

    # The bare view is in the benchmark's own URL conf, only in this process.
    override_settings(ROOT_URLCONF="tests.bench.urls").enable()
    results: dict = {"size": args.child, "counts": counts, "build_seconds": build_seconds}
    wanted = set(args.only.split(",")) if args.only else set(PARTS)
    if "pages" in wanted:
        results["pages"] = measure.measure_pages(data, timed=args.timed, requests=args.requests)
        if args.timed:
            results["usage_log"] = measure.measure_usage_log(data)
    # Before the PDFs' extra actions, so that the served pages are the pages measured above.
    if args.timed and "served" in wanted:
        with tempfile.TemporaryDirectory(prefix="ohjaus-bench-served-") as tmp:
            results["served"] = served.served_run(
                data,
                database_url=os.environ["DATABASE_URL"],
                tmp=Path(tmp),
                seconds=args.served_seconds,
                rounds=args.served_rounds,
                clients=args.served_clients,
                warm_up=args.warm_up,
            )
    if "pages" in wanted and not args.no_pdfs:
        bench_data.add_record_actions(data, bench_data.PDF_RECORD_ACTIONS)
        results["pdfs"] = measure.measure_pdfs(data, timed=args.timed)
    if args.timed and "load" in wanted:
        workers = 1 if connection.vendor == "sqlite" else None
        with tempfile.TemporaryDirectory(prefix="ohjaus-bench-load-") as tmp:
            results["load"] = load.load_run(
                data,
                database_url=os.environ["DATABASE_URL"],
                tmp=Path(tmp),
                seconds=args.seconds,
                clients=args.clients,
                workers=workers,
                warm_up=args.warm_up,
                think=parse_think(args.think),
                capacity_seconds=args.capacity_seconds,
            )
    results["database"] = database_version(connection)
    results["python"] = platform.python_version()
    results["django"] = django.get_version()
    results["cpus"] = os.cpu_count()
    results["requests"] = args.requests
    results["constants"] = {
        "warm_up": measure.WARM_UP,
        "pdf_requests": measure.PDF_REQUESTS,
        "pdf_warm_up": measure.PDF_WARM_UP,
        "round_pdf_requests": measure.ROUND_PDF_REQUESTS,
        "spec": bench_data.SIZES[args.child],
    }
    Path(args.results).write_text(json.dumps(results))
    return 0


def database_version(connection) -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steering.settings")
    args = arguments(sys.argv[1:] if argv is None else argv)
    if args.child:
        return child(args)
    return parent(args)
