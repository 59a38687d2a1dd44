"""Settings for Ohjausneuvottelut, read from the environment with django-environ.

Local use needs no environment at all. Production sets DJANGO_DEBUG=false and must then
give DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; everything else has a safe default.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=True)


def _required_in_production(name: str, local_default):
    value = env(name, default=None)
    if value:
        return value
    if DEBUG:
        return local_default
    raise ImproperlyConfigured(
        f"{name} must be set when DJANGO_DEBUG=false. "
        "See README.md, section 'Running in production'."
    )


SECRET_KEY = _required_in_production(
    "DJANGO_SECRET_KEY", "local-development-key-never-used-in-production"
)
ALLOWED_HOSTS = [
    host.strip()
    for host in _required_in_production("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # discovered in negotiations/apps.py
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "regions",
    "negotiations",
    "audit",
    "knowledge",
    "pagecache",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions and the usage log see the request.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "regions.language.ChosenLanguageMiddleware",
    "negotiations.middleware.QueryStringLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "audit.middleware.SessionRefreshMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The usage log sees what the middleware below it does (the absolute session age signs
    # users out) and writes the request's entries in one INSERT after the response.
    "audit.middleware.UsageLogMiddleware",
    "audit.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "audit.middleware.SessionMaxAgeMiddleware",
    # Axes must come last so that it sees the outcome of every login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "steering.urls"
WSGI_APPLICATION = "steering.wsgi.application"
ASGI_APPLICATION = "steering.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "regions.context_processors.roles",
                "regions.context_processors.support",
                # Last: while a page is drawn for the page cache it overrides the CSRF token
                # and the CSP nonce with marks (pagecache.pages).
                "pagecache.context_processors.marks",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database: SQLite under var/ unless DATABASE_URL points elsewhere. ---
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # psycopg's pool replaces persistent connections; Django requires CONN_MAX_AGE = 0 with it.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
        "timeout": env.int("DATABASE_POOL_TIMEOUT", default=10),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # The demo's database, for one process (a development server, a test run; production uses
    # PostgreSQL). WAL lets pages be read while a write goes on. IMMEDIATE takes the write lock
    # when a transaction begins, so a second writer waits for it (up to `timeout` seconds)
    # instead of failing with "database is locked" when its read lock cannot be upgraded.
    # synchronous=NORMAL is safe with WAL: a power cut may lose the last commits, not the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: lock a username from one IP address after repeated failures, and an
# address alone after many more (password spraying: a few guesses at many accounts). Axes has
# one limit for both; audit.lockout gives the address its own.
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "audit.lockout.AddressLimitHandler"
# Axes' own reset would forget every failure from the address; audit.lockout forgets only the
# failures of the user who signed in. Every failure stays in the usage log.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_IPWARE_PROXY_COUNT", default=0)

# Session inactivity timeout: activity saves the session again, at most once a minute
# (audit.middleware.SessionRefreshMiddleware), and the expiry restarts from each save.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_TIMEOUT_MINUTES", default=60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However active: a sign-in lasts at most this long (audit.middleware.SessionMaxAgeMiddleware).
SESSION_ABSOLUTE_MAX_AGE = env.int("SESSION_ABSOLUTE_MAX_AGE_HOURS", default=12) * 60 * 60

# The usage log (audit): `manage.py purge_usage_log` removes entries older than this.
USAGE_LOG_RETENTION_DAYS = env.int("USAGE_LOG_RETENTION_DAYS", default=5 * 365)
# PDFs of drafts one user may have drawn per minute (WeasyPrint takes seconds a PDF); more
# answer 429. Published records' PDFs are drawn once and then served from storage.
PDF_RENDERS_PER_MINUTE = env.int("PDF_RENDERS_PER_MINUTE", default=10)
# Pages kept in each process's memory until a table they read changes (pagecache.pages), at
# most this long; 0 turns the page cache off. PAGE_CACHE_CHECK (the tests) makes a cached
# view fail when it reads a table that is not in its key.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
PAGE_CACHE_CHECK = env.bool("PAGE_CACHE_CHECK", default=False)
# Session keys of what the next page shows once (negotiations.feedback), like messages: while
# one holds something, pages are drawn, not answered from the cache.
PAGE_CACHE_SHOWN_ONCE = ("section_feedback",)
# Each process its own memory: what is kept is keyed by the data's state in the database, so
# processes and servers never disagree; the pages have a cache of their own, so that many
# pages do not push out the figures (knowledge.figures).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "data"},
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
}

# --- Languages: Finnish first; msgids in the code are Finnish. ---
LANGUAGE_CODE = "fi"
LANGUAGES = [
    ("fi", "suomi"),
    ("sv", "svenska"),
    ("en", "English"),
]
# locale/: our strings (makemessages). locale_extra/: Django admin and django-axes strings their
# own catalogues lack in Finnish and Swedish, kept by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_extra"]
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "static")
# WhiteNoise (the middleware) serves STATIC_ROOT. In production `collectstatic` stores each file
# under a name with its content hash as well, compressed with gzip and brotli, and WhiteNoise
# sends the hashed names with "max-age=315360000, public, immutable".
# Local use and the tests keep the plain storage: a manifest storage refuses `{% static %}` for
# any file its manifest lacks, and only collectstatic writes the manifest. pytest-django turns
# DEBUG off only after this file is read (without DJANGO_DEBUG it is on here), so the tests get
# the plain storage; tests/test_production.py runs collectstatic, then gunicorn with
# DJANGO_DEBUG=false.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if DEBUG:
    # WhiteNoise warns about a missing STATIC_ROOT; locally the files come from the finders.
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "media/"

# --- E-mail ---
# EMAIL_URL, e.g. smtp+tls://user:password@smtp.example.fi:587. Locally mail is printed on the
# console; in production it goes to the host's own mail server unless EMAIL_URL says otherwise.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_SMTP_OPTIONS = {
    "host": "EMAIL_HOST",
    "port": "EMAIL_PORT",
    "username": "EMAIL_HOST_USER",
    "password": "EMAIL_HOST_PASSWORD",
    "use_tls": "EMAIL_USE_TLS",
    "use_ssl": "EMAIL_USE_SSL",
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            option: _email[key]
            for option, key in _SMTP_OPTIONS.items()
            if key in _email and _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        },
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ohjausneuvottelut@stm.fi")
# The help address shown on the login page (no line when unset): e.g. the ministry's IT support.
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="")
# Where accessibility feedback goes (the statement at /saavutettavuus/, Act 306/2019 requires a
# channel): the help address, or the service's own address when there is none.
ACCESSIBILITY_FEEDBACK_EMAIL = env(
    "ACCESSIBILITY_FEEDBACK_EMAIL", default=SUPPORT_EMAIL or DEFAULT_FROM_EMAIL
)
# The address of the service, for links in e-mails and calendar entries.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- THL's Sotkanet (knowledge/sotkanet.py, manage.py import_sotkanet) ---
SOTKANET_API_URL = env("SOTKANET_API_URL", default="https://sotkanet.fi/rest/1.1").rstrip("/")
# Who to contact about our requests, in the User-Agent Sotkanet asks every client to send.
SOTKANET_CONTACT = env("SOTKANET_CONTACT", default=SUPPORT_EMAIL or SITE_URL)
SOTKANET_TIMEOUT_SECONDS = env.float("SOTKANET_TIMEOUT_SECONDS", default=30.0)
# A failed request (no connection, a timeout, 429 or 5xx) is tried again this many times,
# waiting SOTKANET_BACKOFF_SECONDS, then twice, four times as long.
SOTKANET_RETRIES = env.int("SOTKANET_RETRIES", default=3)
SOTKANET_BACKOFF_SECONDS = env.float("SOTKANET_BACKOFF_SECONDS", default=1.0)

# --- Security ---
# Content Security Policy: nothing from other origins; scripts only with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe the health check over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
        # The proxy terminates TLS and says so in X-Forwarded-Proto.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
