"""Writing the usage log: at most one INSERT per request.

While a request runs, `UsageLogMiddleware` keeps a list of the entries that its signals note
(sign-in, sign-out, permission changes) in a context variable and writes them, with the entry
that describes the request itself, in one `bulk_create` after the response. Outside a request
(a management command, the shell) an entry is written at once.
"""

from contextvars import ContextVar
from dataclasses import dataclass, field

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse

from audit.models import UsageEntry

Kind = UsageEntry.Kind


@dataclass
class RequestLog:
    request: HttpRequest
    entries: list[UsageEntry] = field(default_factory=list)


_current: ContextVar[RequestLog | None] = ContextVar("usage_log", default=None)


def begin(request: HttpRequest):
    return _current.set(RequestLog(request))


def end(token) -> RequestLog:
    log = _current.get()
    _current.reset(token)
    return log


def current_request() -> HttpRequest | None:
    log = _current.get()
    return log.request if log else None


def acting_user(request: HttpRequest | None):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def note(
    kind: str,
    *,
    user=None,
    username: str = "",
    object_type: str = "",
    object_id: object = "",
    region_id=None,
    detail: str = "",
) -> None:
    """Log an event: with the current request's entries, or at once outside a request."""
    entry = UsageEntry(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        region_id=region_id,
        detail=detail[:1000],
    )
    log = _current.get()
    if log is None:
        entry.save()
    else:
        log.entries.append(entry)


def client_address(request: HttpRequest) -> str | None:
    # The same address that the sign-in throttling counts (AXES_IPWARE_PROXY_COUNT).
    return get_client_ip_address(request) or None


# URL parts that are secrets themselves (the round's calendar feed): never in the log.
SECRET_KWARGS = ("token",)


def safe_path(request: HttpRequest) -> str:
    path = request.get_full_path()
    match = request.resolver_match
    for name in SECRET_KWARGS:
        if match and name in match.kwargs:
            path = path.replace(str(match.kwargs[name]), "[token]")
    return path[:1000]


def write(log: RequestLog, response: HttpResponse, request_entry: UsageEntry | None) -> None:
    entries = log.entries + ([request_entry] if request_entry else [])
    if not entries:
        return
    request = log.request
    address = client_address(request)
    for entry in entries:
        entry.ip_address = address
        entry.method = request.method or ""
        entry.status_code = response.status_code
        if not entry.path:
            entry.path = safe_path(request)
        if not entry.url_name and request.resolver_match:
            entry.url_name = request.resolver_match.view_name[:100]
    UsageEntry.objects.bulk_create(entries)
