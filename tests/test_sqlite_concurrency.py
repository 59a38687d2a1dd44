"""The demo's SQLite database takes writes from several processes at once: each waits for the
write lock (IMMEDIATE transactions, a busy timeout, WAL) instead of failing with "database is
locked", and the file stays sound.

The writers are separate processes with the project's settings and a file database in
tmp_path; the suite's own SQLite test database lives in memory and could not show this. The
test needs no test database, so it runs the same in the SQLite and the PostgreSQL run.
"""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = 4
WRITES = 50
READY_TIMEOUT = 60  # seconds for every writer to start Django
FINISH_TIMEOUT = 120  # seconds for all the writes

# One writer: Django with the project's settings, waiting for the start signal so that all
# write at the same moment. Each write reads first, in the same transaction: with SQLite's
# default DEFERRED transactions that read lock cannot become a write lock while another
# process writes, and SQLite answers "database is locked" at once, whatever the timeout.
WRITER = """
import json, os, sys, time
import django
django.setup()
from django.contrib.auth.models import Group
from django.db import OperationalError, transaction

name, start = sys.argv[1], sys.argv[2]
open(f"{start}.{name}", "w").close()
deadline = time.monotonic() + 30
while not os.path.exists(start):
    if time.monotonic() > deadline:
        sys.exit("no start signal")
    time.sleep(0.01)
written, errors = 0, []
for i in range(int(sys.argv[3])):
    try:
        with transaction.atomic():
            Group.objects.filter(name__startswith=name).count()
            Group.objects.create(name=f"{name}-{i}")
        written += 1
    except OperationalError as error:
        errors.append(str(error))
print(json.dumps({"written": written, "errors": errors}))
"""


def environment(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="steering.settings", DATABASE_URL=f"sqlite:///{database}")
    return env


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_writers_in_several_processes_wait_for_each_other_and_every_write_lands(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = environment(database)
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=FINISH_TIMEOUT,
    )
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr

    start = tmp_path / "start"
    names = [f"writer{n}" for n in range(PROCESSES)]
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name, str(start), str(WRITES)],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in names
    ]
    try:
        wait_for(
            lambda: (
                all(Path(f"{start}.{name}").exists() for name in names)
                or any(w.poll() is not None for w in writers)
            ),
            READY_TIMEOUT,
            "the writers to start",
        )
        start.touch()
        deadline = time.monotonic() + FINISH_TIMEOUT
        results = [w.communicate(timeout=max(deadline - time.monotonic(), 1)) for w in writers]
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
                writer.communicate()

    for writer, (stdout, stderr) in zip(writers, results, strict=True):
        assert writer.returncode == 0, stderr
        assert "database is locked" not in stdout + stderr
        assert stdout.strip().endswith(f'{{"written": {WRITES}, "errors": []}}'), stdout + stderr

    with sqlite3.connect(database) as db:
        written = db.execute(
            "SELECT count(*) FROM auth_group WHERE name LIKE 'writer%'"
        ).fetchone()[0]
        assert written == PROCESSES * WRITES
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
