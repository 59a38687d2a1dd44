"""Gunicorn's settings for Ohjausneuvottelut: `gunicorn -c gunicorn.conf.py`.

Each value can be changed from the environment (see README.md, "Running in production");
the names are gunicorn's own (https://docs.gunicorn.org/en/stable/settings.html).
"""

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _cpus() -> int:
    # The CPUs this process may run on (a container's or a cgroup's share), not the machine's.
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS
        return os.cpu_count() or 1


wsgi_app = "steering.wsgi:application"
proc_name = "ohjausneuvottelut"

# Loopback unless told otherwise: a load balancer or reverse proxy on the same host forwards to
# it. BIND takes any gunicorn address (0.0.0.0:8000, unix:/run/ohjausneuvottelut.sock).
bind = os.environ.get("BIND") or f"127.0.0.1:{_int('PORT', 8000)}"

# Processes for the CPU work (templates, WeasyPrint), threads to overlap the database waits.
# Every worker process has its own PostgreSQL pool (DATABASE_POOL_MAX_SIZE, default 10): keep
# threads at or below it.
workers = _int("WEB_CONCURRENCY", 2 * _cpus() + 1)
threads = _int("GUNICORN_THREADS", 4)
# A worker silent this long is killed and restarted; the round PDF takes some 8 s alone.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On SIGTERM or a reload, requests under way get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than the default 2 s: the connections come from a load balancer that reuses them.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# A worker is replaced after this many requests (spread out so that not all at once): the
# memory a large PDF layout took goes back to the system.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Both logs to the standard streams, for the service manager or the container to collect;
# the access log ends with the time taken in milliseconds.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'

# Gunicorn 25.1+ opens a control socket at one fixed path per user ($HOME/.gunicorn/), which
# two servers on one machine (the test runs side by side) would both claim. Nothing uses it.
control_socket_disable = True
