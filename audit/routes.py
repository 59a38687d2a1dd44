"""Which requests the usage log describes, as what, and about which object.

One table: each URL name of the app, the object its `pk` names and what a successful GET is
(a view of a report, a download of a PDF, ...). Every POST to a URL of the table is a change
(or a state transition), every 403/404 is refused access; GETs of list pages and forms are
not logged. The public pages (published records, for everyone without signing in) are not
logged at all: they are public documents, and their readers' addresses are nobody's business.

The admin is described generically: its POSTs are changes of the model its URL names, and the
usage log's own pages are logged as views (who read the log).
"""

from dataclasses import dataclass

from django.db.models import QuerySet, Subquery
from django.http import HttpRequest, HttpResponse

from audit.log import SECRET_KWARGS, acting_user
from audit.models import UsageEntry
from negotiations.forms.fields import CONTROL_CHARACTERS
from negotiations.models import FollowUpAction, Negotiation, Record, SituationReport
from regions.models import RegionMembership

Kind = UsageEntry.Kind
Type = UsageEntry.ObjectType

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Route:
    object_type: str = ""
    get: str | None = None  # the kind of a successful GET; None: GETs are not logged
    post: str = Kind.CHANGE
    logged: bool = True


PUBLIC = Route(logged=False)

ROUTES: dict[str, Route] = {
    "negotiations:round-create": Route(Type.ROUND),
    "negotiations:round-detail": Route(Type.ROUND),
    "negotiations:round-edit": Route(Type.ROUND),
    "negotiations:round-themes": Route(Type.ROUND),
    "negotiations:round-status": Route(Type.ROUND, post=Kind.TRANSITION),
    "negotiations:round-objectives": Route(Type.ROUND, get=Kind.VIEW),
    "negotiations:round-schedule": Route(Type.ROUND),
    "negotiations:round-calendar": Route(Type.ROUND, get=Kind.DOWNLOAD),
    "negotiations:round-theme-reports": Route(Type.ROUND, get=Kind.VIEW),
    "negotiations:round-pdf": Route(Type.ROUND, get=Kind.DOWNLOAD),
    "negotiations:negotiation-detail": Route(Type.NEGOTIATION, get=Kind.VIEW),
    "negotiations:negotiation-schedule": Route(Type.NEGOTIATION),
    "negotiations:participant-add": Route(Type.NEGOTIATION),
    "negotiations:participant-delete": Route(Type.NEGOTIATION),
    "negotiations:region-theme": Route(Type.NEGOTIATION),
    # A theme's full figures, loaded into its disclosure: public data, the page was the view.
    "negotiations:theme-figures": Route(Type.NEGOTIATION),
    "negotiations:negotiation-calendar": Route(Type.NEGOTIATION, get=Kind.DOWNLOAD),
    "negotiations:negotiation-language": Route(Type.NEGOTIATION),
    "negotiations:assessment-save": Route(Type.NEGOTIATION),
    "negotiations:assessment-file": Route(Type.NEGOTIATION, get=Kind.DOWNLOAD),
    # The report and record pages are addressed by their negotiation.
    "negotiations:report-detail": Route(Type.NEGOTIATION, get=Kind.VIEW),
    "negotiations:record-detail": Route(Type.NEGOTIATION, get=Kind.VIEW),
    "negotiations:record-pdf": Route(Type.NEGOTIATION, get=Kind.DOWNLOAD),
    "negotiations:report-section-save": Route(Type.REPORT),
    "negotiations:report-section-history": Route(Type.REPORT, get=Kind.VIEW),
    "negotiations:report-submit": Route(Type.REPORT, post=Kind.TRANSITION),
    # The region's response to a recommendation, written in its report.
    "negotiations:report-response": Route(Type.REPORT),
    "negotiations:report-return": Route(Type.REPORT, post=Kind.TRANSITION),
    "negotiations:report-attachment-upload": Route(Type.REPORT),
    "negotiations:report-attachment": Route(Type.REPORT, get=Kind.DOWNLOAD),
    "negotiations:report-attachment-delete": Route(Type.REPORT),
    "negotiations:record-section-save": Route(Type.RECORD),
    "negotiations:record-section-texts": Route(Type.RECORD),  # a part of the record page
    "negotiations:record-section-history": Route(Type.RECORD, get=Kind.VIEW),
    "negotiations:record-comment-add": Route(Type.RECORD),
    "negotiations:record-attendance": Route(Type.RECORD),
    "negotiations:record-transition": Route(Type.RECORD, post=Kind.TRANSITION),
    "negotiations:record-approve": Route(Type.RECORD, post=Kind.TRANSITION),
    "negotiations:record-publish": Route(Type.RECORD, post=Kind.TRANSITION),
    "negotiations:action-add": Route(Type.RECORD),
    "negotiations:action-delete": Route(Type.RECORD),
    # The tracker's POST is the bulk status change of the selected actions.
    "negotiations:action-tracker": Route(post=Kind.TRANSITION),
    "negotiations:action-export": Route(get=Kind.DOWNLOAD),
    "negotiations:action-edit": Route(Type.ACTION, get=Kind.VIEW),
    "negotiations:action-note-add": Route(Type.ACTION),
    "negotiations:action-note-form": Route(Type.ACTION),
    "negotiations:carried-actions": Route(Type.NEGOTIATION),
    "negotiations:report-carried-actions": Route(Type.NEGOTIATION),
    "negotiations:public-records": PUBLIC,
    "negotiations:public-record": PUBLIC,
    "negotiations:public-record-pdf": PUBLIC,
    # The user's own password, changed in the admin.
    "admin:password_change": Route(Type.USER),
}

# A URL of the app that is not in the table yet still has its changes and refusals logged.
UNLISTED = Route()

# Where the region of an object is, for one subquery inside the INSERT (no extra query).
REGION_OF: dict[str, tuple[QuerySet, str]] = {
    Type.NEGOTIATION: (Negotiation.objects.all(), "region_id"),
    Type.REPORT: (SituationReport.objects.all(), "negotiation__region_id"),
    Type.RECORD: (Record.objects.all(), "negotiation__region_id"),
    Type.ACTION: (FollowUpAction.objects.all(), "negotiation__region_id"),
    Type.MEMBERSHIP: (RegionMembership.objects.all(), "region_id"),
    "negotiations.negotiation": (Negotiation.objects.all(), "region_id"),
}

# Form fields that say which change or transition was asked for (never any text typed).
DETAIL_FIELDS = ("action", "to", "status", "language")
DETAIL_LISTS = ("actions", "_selected_action")


def region_of(object_type: str, object_id):
    if object_type == Type.REGION:
        return _as_int(object_id)
    if object_type not in REGION_OF or _as_int(object_id) is None:
        return None
    objects, column = REGION_OF[object_type]
    return Subquery(objects.filter(pk=_as_int(object_id)).values(column)[:1])


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def route_for(request: HttpRequest) -> tuple[Route, str, str] | None:
    """(route, object type, object id) of the request's URL; None when it is not logged."""
    match = request.resolver_match
    if match is None:
        return None
    route = ROUTES.get(match.view_name)
    if route is None and match.namespace == "negotiations":
        route = UNLISTED
    if route is not None:
        return route, route.object_type, str(match.kwargs.get("pk", ""))
    model_admin = getattr(match.func, "model_admin", None)
    if match.namespace == "admin" and model_admin is not None:
        get = Kind.VIEW if getattr(model_admin, "usage_log_views", False) else None
        post = Kind.CHANGE
        action = _posted(request, "action")
        if action and action in getattr(model_admin, "usage_log_download_actions", ()):
            post = Kind.DOWNLOAD
        route = Route(model_admin.model._meta.label_lower, get=get, post=post)
        return route, route.object_type, str(match.kwargs.get("object_id", ""))
    return None


def describe(request: HttpRequest, response: HttpResponse) -> UsageEntry | None:
    """The entry for this request, or None when it is not worth logging."""
    found = route_for(request)
    if found is None or not found[0].logged:
        return None
    route, object_type, object_id = found
    status = response.status_code
    if status in (403, 404):
        kind = Kind.REFUSED
    elif request.method not in SAFE_METHODS:
        kind = route.post
    elif route.get and 200 <= status < 300:
        kind = route.get
    else:
        return None
    user = acting_user(request)
    return UsageEntry(
        kind=kind,
        user=user,
        username=user.get_username() if user else "",
        object_type=object_type,
        object_id=object_id[:64],
        region_id=region_of(object_type, object_id),
        detail=_detail(request)[:1000],
    )


def _posted(request: HttpRequest, name: str, *, many: bool = False):
    if request.method in SAFE_METHODS:
        return [] if many else ""
    try:
        return request.POST.getlist(name) if many else request.POST.get(name, "")
    except Exception:  # an unreadable body: the entry is still written, without the detail
        return [] if many else ""


def _detail(request: HttpRequest) -> str:
    match = request.resolver_match
    parts = [
        f"{name}={value}"
        for name, value in match.kwargs.items()
        if name not in ("pk", "object_id", *SECRET_KWARGS)
    ]
    parts += [f"{name}={value}" for name in DETAIL_FIELDS if (value := _posted(request, name))]
    parts += [
        f"{name}={','.join(values)}"
        for name in DETAIL_LISTS
        if (values := _posted(request, name, many=True))
    ]
    # What was posted is the client's to choose: no control characters (PostgreSQL cannot
    # store NUL) and no more than a line of it per field.
    return "; ".join(CONTROL_CHARACTERS.sub("?", part)[:200] for part in parts)
