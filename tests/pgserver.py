#!/usr/bin/env python3
"""Run a command against a throw-away PostgreSQL server.

Usage: python tests/pgserver.py -- COMMAND [ARGS...]

If DATABASE_URL already points at PostgreSQL, COMMAND simply runs with the
environment unchanged. Otherwise a temporary cluster is created with initdb,
started on a free port on 127.0.0.1, COMMAND runs with DATABASE_URL pointing at
it, and the server and its files are removed afterwards, also when COMMAND
fails or this script is interrupted. The exit code is COMMAND's exit code.

When run as root, the cluster is owned by and run as the ``postgres`` user
(or ``nobody``), because PostgreSQL refuses to run as root.

Standard library only; no Django import.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

PROG = "pgserver"


class Terminated(Exception):
    """Raised from the SIGTERM handler so that ``finally`` blocks run."""


def log(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


def exit_code(returncode: int) -> int:
    """Map a subprocess return code to a shell-style exit code."""
    return 128 - returncode if returncode < 0 else returncode


def _version_key(path: str) -> list[int]:
    return [int(part) for part in re.findall(r"\d+", path)]


def find_bindir() -> Path:
    """Directory holding initdb and pg_ctl (they must come from the same install)."""
    initdb = shutil.which("initdb")
    if initdb:
        bindir = Path(initdb).resolve().parent
        if (bindir / "pg_ctl").exists():
            return bindir
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    for candidate in reversed(candidates):
        bindir = Path(candidate).parent
        if (bindir / "pg_ctl").exists():
            return bindir
    log(
        "cannot find the PostgreSQL server binaries (initdb, pg_ctl) on PATH "
        "or in /usr/lib/postgresql/*/bin; install PostgreSQL or set DATABASE_URL"
    )
    sys.exit(2)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_command(command: list[str], env: dict[str, str] | None = None) -> int:
    """Run COMMAND, forwarding an interruption to it, and return its exit code."""
    try:
        process = subprocess.Popen(command, env=env)
    except OSError as exc:
        log(f"cannot run {command[0]!r}: {exc}")
        return 127
    try:
        return exit_code(process.wait())
    except BaseException:
        # Interrupted (Ctrl-C or SIGTERM): let the command shut down cleanly first.
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        raise


class TemporaryServer:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.run_as: dict[str, object] = {}
        owner = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                owner = pwd.getpwnam("nobody")
            self.run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
        # /tmp rather than $TMPDIR: the server user must be able to reach it.
        self.tmp = Path(tempfile.mkdtemp(prefix="pgserver-", dir="/tmp" if owner else None))
        if owner:
            os.chown(self.tmp, owner.pw_uid, owner.pw_gid)
        self.tmp.chmod(0o700)
        self.data = self.tmp / "data"
        self.logfile = self.tmp / "log"
        self.port = free_port()
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args,
            cwd=self.tmp,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            **self.run_as,  # type: ignore[arg-type]
        )

    def _fail(self, what: str, result: subprocess.CompletedProcess[str]) -> None:
        log(f"{what} failed (exit code {result.returncode})")
        sys.stderr.write(result.stdout + result.stderr)
        if self.logfile.exists():
            log(f"server log {self.logfile}:")
            sys.stderr.write(self.logfile.read_text(errors="replace"))
        sys.stderr.flush()
        raise SystemExit(1)

    def start(self) -> None:
        result = self._run(
            str(self.bindir / "initdb"),
            "-D", str(self.data),
            "-U", "postgres",
            "--auth=trust",
            "--no-locale",
            "-E", "UTF8",
            "--no-sync",
        )  # fmt: skip
        if result.returncode != 0:
            self._fail("initdb", result)
        options = (
            f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self.started = True  # from here on, always try to stop it
        result = self._run(
            str(self.bindir / "pg_ctl"),
            "-D", str(self.data),
            "-l", str(self.logfile),
            "-w", "-t", "60",
            "-o", options,
            "start",
        )  # fmt: skip
        if result.returncode != 0:
            self._fail("pg_ctl start", result)

    def stop(self) -> None:
        try:
            if self.started:
                pg_ctl = str(self.bindir / "pg_ctl")
                result = self._run(pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")
                if result.returncode != 0 and (self.data / "postmaster.pid").exists():
                    self._run(pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    command = argv[1:] if argv[:1] == ["--"] else argv
    if not command:
        print(f"usage: {sys.argv[0]} -- COMMAND [ARGS...]", file=sys.stderr)
        return 2

    def on_sigterm(signum: int, frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, on_sigterm)

    try:
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            log("using the existing PostgreSQL server from DATABASE_URL")
            return run_command(command)

        server = TemporaryServer(find_bindir())
        try:
            server.start()
            log(f"using a temporary PostgreSQL server: DATABASE_URL={server.url}")
            return run_command(command, env={**os.environ, "DATABASE_URL": server.url})
        finally:
            # Do not let a second Ctrl-C or SIGTERM cut the clean-up short.
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            server.stop()
    except KeyboardInterrupt:
        log("interrupted")
        return 128 + signal.SIGINT
    except Terminated:
        log("terminated")
        return 128 + signal.SIGTERM


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
