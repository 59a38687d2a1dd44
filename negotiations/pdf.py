"""PDF documents with WeasyPrint: the negotiation record and the round summary.

The HTML comes from Django templates (templates/negotiations/pdf/), rendered in the
negotiation's language whatever the user's language is. WeasyPrint gets a URL fetcher that
serves only the project's own static files under the `static:` scheme (the fonts); every other
URL (file://, http(s)://, data:) is refused, so nothing in a record can read a file or reach the
network. Record text is autoescaped by the templates, so markup typed into a record is text.
"""

import datetime
import mimetypes
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from negotiations.documents import record_document
from negotiations.forms.dashboard import DashboardFilterForm
from negotiations.models import FollowUpAction, Record, Round
from negotiations.templatetags.objectives import prefetch_theme_objectives
from negotiations.views.dashboard import (
    OpenActions,
    Progress,
    objectives_overview,
    progress_counts,
    sort_negotiations,
)
from regions.models import CooperationArea

STATIC_SCHEME = "static:"
PDF_VARIANT = "pdf/ua-1"  # weasyprint/pdf/pdfua.py: tagged PDF 1.7 with PDF/UA metadata
# Only these kinds of files are ever handed to WeasyPrint.
ALLOWED_SUFFIXES = {".ttf", ".otf", ".woff", ".woff2", ".css", ".png", ".svg", ".jpg"}
SAFE_PATH = re.compile(r"^[A-Za-z0-9_\-./]+$")


class FetchRefused(ValueError):
    """WeasyPrint catches it, logs a warning and skips the resource."""


class StaticOnlyFetcher(URLFetcher):
    """Serves `static:<path>` from the project's static files; refuses every other URL."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("static",))

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )


def static_path(url: str) -> Path:
    """The file of a `static:` URL among the project's static files; FetchRefused otherwise."""
    if not url.startswith(STATIC_SCHEME):
        raise FetchRefused(f"Only the project's static files are fetched, not {url[:80]!r}")
    relative = url.removeprefix(STATIC_SCHEME).lstrip("/")
    if not SAFE_PATH.match(relative) or ".." in relative.split("/"):
        raise FetchRefused(f"Not a static file path: {relative[:80]!r}")
    if Path(relative).suffix.lower() not in ALLOWED_SUFFIXES:
        raise FetchRefused(f"Not a font, stylesheet or image: {relative[:80]!r}")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation as error:
        raise FetchRefused(str(error)) from None
    if not found:
        raise FetchRefused(f"No such static file: {relative[:80]!r}")
    return Path(found)


def render_pdf(html: str, *, fetcher: URLFetcher | None = None) -> bytes:
    """Tagged PDF/UA from the HTML; title and language come from <title> and <html lang>."""
    return HTML(string=html, url_fetcher=fetcher or StaticOnlyFetcher()).write_pdf(
        pdf_variant=PDF_VARIANT
    )


def _slug(text: str) -> str:
    return slugify(text.replace("–", "-").replace("—", "-"))


# --- the record ------------------------------------------------------------------------------


def record_filename(record: Record) -> str:
    negotiation = record.negotiation
    region = _slug(negotiation.region.localized("name", "fi"))
    return f"neuvottelumuistio-{negotiation.round.year}-{region}.pdf"


def record_html(record: Record) -> str:
    """The record as HTML for WeasyPrint, in the negotiation's language."""
    with translation.override(record.negotiation.language):
        document = record_document(record)
        prefetch_theme_objectives(
            section.round_theme for section in document.sections if section.round_theme_id
        )
        for section in document.themes:
            # The ministries' recommendations in a table of their own, apart from what was
            # agreed together.
            actions = list(section.actions.all())
            section.agreed_actions = [a for a in actions if not a.is_recommendation]
            section.recommendations = [a for a in actions if a.is_recommendation]
        context = {
            "document": document,
            "language": record.negotiation.language,
            # "LUONNOS" / "UTKAST" on every page until the record is approved.
            "draft_mark": gettext("luonnos").upper() if document.is_draft else "",
        }
        return render_to_string("negotiations/pdf/record.html", context)


def record_pdf(record: Record) -> bytes:
    return render_pdf(record_html(record))


# --- the round -------------------------------------------------------------------------------


def round_filename(round_: Round, area: CooperationArea | None = None) -> str:
    name = f"kierros-{round_.year}-{_slug(round_.localized('name', 'fi'))}"
    return f"{name}-{_slug(area.code)}.pdf" if area else f"{name}.pdf"


def round_summary(round_: Round, negotiations: QuerySet, today: datetime.date) -> Progress:
    """The figures of the round dashboard's summary for these negotiations: the same
    aggregates and open-action counts, so the cover and the dashboard say the same."""
    region_ids = list(negotiations.values_list("region_id", flat=True))
    actions = OpenActions(region_ids, rounds=[round_], today=today)
    return Progress.from_counts(
        round_,
        negotiations.aggregate(**progress_counts(today)),
        actions.of(round_, region_ids),
    )


def round_document(round_: Round, area: CooperationArea | None = None) -> dict:
    """Cover (with the dashboard's summary), schedule and, per theme, every region's
    follow-up actions; a fixed number of queries whatever the number of regions and actions.

    Only the actions of approved or published records are listed: a draft or a record with
    the region for comments may still change, and the minister is briefed on what was agreed.
    The schedule is in the dashboard's date order, the unscheduled regions last.
    """
    today = timezone.localdate()
    shown = round_.negotiations.all()
    if area is not None:
        shown = shown.filter(region__cooperation_area=area)
    negotiations = list(
        sort_negotiations(
            shown.select_related("region", "chair", "record"), DashboardFilterForm.DATE
        )
    )
    agreed_statuses = (Record.Status.APPROVED, Record.Status.PUBLISHED)
    actions = list(
        FollowUpAction.objects.filter(
            negotiation__in=[n.pk for n in negotiations],
            section__record__status__in=agreed_statuses,
        )
        .select_related("negotiation__region", "section__round_theme")
        .order_by("negotiation__region__kind", "negotiation__region__code", "pk")
    )
    round_themes = list(round_.round_themes.select_related("theme").order_by("position", "pk"))
    by_theme: dict[int | None, dict[int, dict]] = {rt.pk: {} for rt in round_themes}
    by_theme[None] = {}  # the regions' own themes
    for action in actions:
        regions = by_theme.setdefault(action.section.round_theme_id, {})
        negotiation = action.negotiation
        entry = regions.setdefault(
            negotiation.region_id,
            {
                "region": negotiation.region,
                "region_theme": negotiation.region_theme_title,
                "actions": [],
            },
        )
        entry["actions"].append(action)
    themes = [
        {"title": rt.theme.title, "regions": list(by_theme[rt.pk].values())} for rt in round_themes
    ]
    return {
        "round": round_,
        "area": area,
        "negotiations": negotiations,
        "summary": round_summary(round_, shown, today),
        "themes": themes,
        "region_themes": list(by_theme[None].values()),
        "objective_period": round_.objective_period,
        "overview": objectives_overview(
            round_, sorted(negotiations, key=lambda n: n.region.name.casefold())
        ),
        "unapproved": sum(
            1
            for n in negotiations
            if getattr(n, "record", None) is None or n.record.status not in agreed_statuses
        ),
    }


def round_html(round_: Round, area: CooperationArea | None = None) -> str:
    """The round summary is for the ministry: in the downloading official's language."""
    return render_to_string(
        "negotiations/pdf/round.html",
        {**round_document(round_, area), "language": translation.get_language() or "fi"},
    )


def round_pdf(round_: Round, area: CooperationArea | None = None) -> bytes:
    return render_pdf(round_html(round_, area))
