"""Whole pages kept in the cache until what they show changes.

`cached_page(*models)` keeps a view's 200 answer under a key of everything the answer can
depend on: the view, the user, the language, the host, the path with its query string, the
htmx headers, today's date and the version of each table it reads (pagecache.models: the
database counts every change). A change to any of those tables makes a new key; an entry
also expires after PAGE_CACHE_SECONDS. The tables of the sign-in and the regions (users,
groups, memberships, regions) are always in the key, so a user whose rights change is never
answered from before the change.

A page read while something waits to be shown once (messages, the sections' feedback), or
one whose view sets headers or cookies or changes the session, is neither answered from the
cache nor kept. Each response gets its own CSRF token and CSP nonce: the kept page has
marks in their place (pagecache.context_processors.marks).

With PAGE_CACHE_CHECK (the tests) the view is checked to read no table outside its key.
"""

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language

from pagecache.models import TableVersion
from pagecache.triggers import TEXTS, tracked

# Made from SECRET_KEY: no stored text can carry them, and every server that shares a cache
# makes the same.
CSRF_MARK = (
    "pagecache-csrf-" + salted_hmac("pagecache.pages", "csrf", algorithm="sha256").hexdigest()[:24]
)
NONCE_MARK = (
    "pagecache-nonce-"
    + salted_hmac("pagecache.pages", "nonce", algorithm="sha256").hexdigest()[:24]
)

ALWAYS_READ = ("auth", "regions")
# Read by the sign-in before the view runs; no page shows them.
UNTRACKED_READS = {"django_session"}


def _app_tables(label: str) -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


@dataclass(frozen=True)
class TextsOf:
    """A model and the texts it counts apart (TEXTS_COUNTED_APART, pagecache.triggers): for
    the pages that show them; the others name just the model."""

    model: type[models.Model]


def _tables(read: Iterable[type[models.Model] | TextsOf | str]) -> tuple[str, ...]:
    """The tables (and texts) of the models, with their many-to-many lists, and of the apps
    (by label) in `read`, and ALWAYS_READ's."""
    tables = set().union(*(_app_tables(label) for label in ALWAYS_READ))
    for item in read:
        if isinstance(item, str):
            tables |= _app_tables(item)
            continue
        if isinstance(item, TextsOf):
            item = item.model
            tables.add(item._meta.db_table + TEXTS)
        if not getattr(item, "COUNTED_BY_PAGE_CACHE", True):
            raise ImproperlyConfigured(
                f"{item.__name__} says COUNTED_BY_PAGE_CACHE = False: no cached page may read it"
            )
        tables.add(item._meta.db_table)
        # A model's many-to-many lists are read with it.
        tables |= {field.remote_field.through._meta.db_table for field in item._meta.many_to_many}
    return tuple(sorted(tables))


def versions(tables: tuple[str, ...]) -> tuple[int, ...]:
    found = dict(TableVersion.objects.filter(table__in=tables).values_list("table", "version"))
    return tuple(found.get(table, 0) for table in tables)


def page_key(request: HttpRequest, view: str, tables: tuple[str, ...]) -> str:
    htmx = sorted(
        (name, value) for name, value in request.META.items() if name.startswith("HTTP_HX_")
    )
    parts = (
        view,
        request.user.pk,
        get_language(),
        request.get_host(),
        request.is_secure(),
        request.get_full_path(),
        htmx,
        timezone.localdate().isoformat(),
        versions(tables),
    )
    return "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _waiting(request: HttpRequest) -> bool:
    """Whether something waits to be shown once by the next page: messages, or a value under
    one of PAGE_CACHE_SHOWN_ONCE's session keys (the sections' feedback)."""
    session = request.session
    return bool(len(get_messages(request))) or any(
        session.get(key) for key in settings.PAGE_CACHE_SHOWN_ONCE
    )


def _keepable(request: HttpRequest, response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and set(response.headers) <= {"Content-Type"}
        and not response.cookies
        and not request.session.modified
        and not _waiting(request)
    )


def _with_own_tokens(request: HttpRequest, content: bytes) -> bytes:
    if CSRF_MARK.encode() in content:
        content = content.replace(CSRF_MARK.encode(), get_token(request).encode())
    if NONCE_MARK.encode() in content:
        content = content.replace(NONCE_MARK.encode(), str(request._csp_nonce).encode())
    return content


class TableOutsideTheKey(AssertionError):
    pass


def _checked(tables: tuple[str, ...], view: Callable) -> Callable:
    """The view, refusing to read a table that is not in its key (PAGE_CACHE_CHECK)."""
    known = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    allowed = set(tables) | UNTRACKED_READS
    # The texts counted apart that the view does not name, as "table"."column" in SQL.
    texts = [
        re.compile(rf'"{table.name}"\."({"|".join(table.texts)})"')
        for table in tracked()
        if table.texts and table.name + TEXTS not in allowed
    ]

    def execute(execute_, sql, params, many, context):
        read = set(re.findall(r'"(\w+)"', sql)) & known
        read |= {match.group(0) for pattern in texts for match in pattern.finditer(sql)}
        if read - allowed:
            raise TableOutsideTheKey(
                f"{view.__module__}.{view.__name__} reads {sorted(read - allowed)}, "
                "which are not in its cached_page(…) tables (TextsOf for texts)"
            )
        return execute_(sql, params, many, context)

    @functools.wraps(view)
    def run(*args, **kwargs):
        with connection.execute_wrapper(execute):
            return view(*args, **kwargs)

    return run


def cached_page(*read: type[models.Model] | TextsOf | str) -> Callable:
    """Keep the view's answers until a table it reads changes: those of the models (and their
    texts, TextsOf) and the apps (by label) in `read`, and those of the sign-in and the
    regions."""
    tables = _tables(read)

    def decorator(view: Callable) -> Callable:
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            seconds = settings.PAGE_CACHE_SECONDS
            if not seconds or request.method not in ("GET", "HEAD") or _waiting(request):
                return view(request, *args, **kwargs)
            key = page_key(request, name, tables)
            kept = caches["pages"].get(key)
            if kept is not None:
                content_type, content = kept
                return HttpResponse(_with_own_tokens(request, content), content_type=content_type)
            run = _checked(tables, view) if settings.PAGE_CACHE_CHECK else view
            request._pagecache_marks = True
            try:
                response = run(request, *args, **kwargs)
            finally:
                request._pagecache_marks = False
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if _keepable(request, response):
                caches["pages"].set(key, (response["Content-Type"], response.content), seconds)
            if not response.streaming:
                response.content = _with_own_tokens(request, response.content)
            return response

        return wrapper

    return decorator
