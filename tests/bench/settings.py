"""The production settings with the benchmark's URL conf (tests/bench/urls.py: the application's
plus the bare view), for the gunicorn of the served measurement only: it starts with
DJANGO_SETTINGS_MODULE=tests.bench.settings. The application itself has no benchmark URL."""

from steering.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
