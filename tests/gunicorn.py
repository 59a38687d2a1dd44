"""Starting and stopping the application as production runs it: `manage.py` commands with the
production environment, collectstatic, and gunicorn with gunicorn.conf.py in its own process
group. Used by tests/test_production.py and by the benchmark's load run (tests/bench/load.py).

Every wait is bounded and gunicorn's whole process group is stopped whatever happens.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 20  # seconds until gunicorn answers /healthz
STOP_TIMEOUT = 15  # seconds for a graceful stop before the process group is killed
COMMAND_TIMEOUT = 180  # collectstatic compresses every file with gzip and brotli

# collectstatic without the gzip and brotli copies (seconds instead of half a minute): the same
# hashed names and manifest, which is all that `{% static %}` and WhiteNoise need. For runs
# that request no static files, such as the tests of the benchmark's load run.
_COLLECT_UNCOMPRESSED = (
    "import django; django.setup(); "
    "from django.core.management import call_command; "
    "from django.test.utils import override_settings; "
    "from django.conf import settings; "
    "storages = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
    "'django.contrib.staticfiles.storage.ManifestStaticFilesStorage'}}; "
    "override_settings(STORAGES=storages).enable(); "
    "call_command('collectstatic', interactive=False, verbosity=0)"
)


class CommandFailed(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_environment(
    *, database_url: str, static_root: Path, media_root: Path, port: int, secret_key: str
) -> dict[str, str]:
    """The environment of a production start on loopback: the caller's environment without its
    DJANGO_* settings, DEBUG off, the given database, static and media folders and port."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_MEDIA_ROOT=str(media_root),
        PORT=str(port),
    )
    environment.pop("BIND", None)
    return environment


def start_manage(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def start_collectstatic(env: dict[str, str], *, compress: bool = True) -> subprocess.Popen:
    if compress:
        return start_manage(env, "collectstatic", "--noinput", "-v", "0")
    return subprocess.Popen(
        [sys.executable, "-c", _COLLECT_UNCOMPRESSED],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "steering.settings"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(command: subprocess.Popen) -> None:
    """Wait (bounded) for a command started above; its output in the error if it failed."""
    try:
        output, _ = command.communicate(timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        command.kill()
        output, _ = command.communicate()
    if command.returncode != 0:
        raise CommandFailed(f"{' '.join(command.args[1:3])}:\n{output}")


def manage(env: dict[str, str], *args: str) -> None:
    finish(start_manage(env, *args))


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to gunicorn's process group (master and workers), SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=STOP_TIMEOUT)
    # A worker the master left behind.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


@contextlib.contextmanager
def gunicorn(
    env: dict[str, str], *, log: Path, start_timeout: float = START_TIMEOUT
) -> Iterator[str]:
    """gunicorn -c gunicorn.conf.py with `env` (PORT in it), its output in `log`; yields its
    base URL once /healthz answers, and stops its process group on the way out."""
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so that the workers stop too
        )
    base_url = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                raise CommandFailed(f"gunicorn exited ({process.returncode}):\n{log.read_text()}")
            try:
                if httpx.get(f"{base_url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise CommandFailed(
                    f"gunicorn did not answer in {start_timeout} s:\n{log.read_text()}"
                )
            time.sleep(0.2)
        yield base_url
    finally:
        stop(process)
