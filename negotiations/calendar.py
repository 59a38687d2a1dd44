"""Negotiations as iCalendar (RFC 5545), for calendar downloads and subscriptions."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from negotiations.models import Negotiation
from negotiations.models.schedule import HELSINKI

PRODID = "-//STM//Ohjausneuvottelut//FI"
# A meeting without an end time is shown this long in calendars.
DEFAULT_DURATION = datetime.timedelta(hours=2)


def build_calendar(negotiations: Iterable[Negotiation], *, name: str) -> Calendar:
    """A VCALENDAR with one VEVENT per scheduled negotiation; unscheduled ones are left out.

    Each event keeps its UID for good and carries the negotiation's SEQUENCE, so calendar
    programs replace the event when the meeting moves instead of adding a second one.
    """
    calendar = Calendar()
    calendar.prodid = PRODID
    calendar.version = "2.0"
    calendar.calscale = "GREGORIAN"
    calendar.method = "PUBLISH"
    calendar.calendar_name = name
    stamp = timezone.now()
    events = [_event(n, stamp) for n in negotiations if n.is_scheduled]
    years = [event.start.year for event in events] or [stamp.year]
    # Transitions only for the years in use; the default range ends in 2038.
    calendar.add_component(
        Timezone.from_tzid(
            HELSINKI.key,
            first_date=datetime.date(min(years), 1, 1),
            last_date=datetime.date(max(years) + 1, 1, 1),
        )
    )
    for event in events:
        calendar.add_component(event)
    return calendar


def _event(negotiation: Negotiation, stamp: datetime.datetime) -> Event:
    start, end = negotiation.starts_at, negotiation.ends_at
    if start is None:
        # No time yet: an all-day event, whose DTEND is the next day (exclusive).
        start, end = negotiation.date, negotiation.date + datetime.timedelta(days=1)
    elif end is None:
        end = start + DEFAULT_DURATION
    details = []
    if negotiation.video_link:
        details.append(_("Videoyhteys: %(link)s") % {"link": negotiation.video_link})
    if negotiation.chair:
        chair = negotiation.chair.get_full_name() or negotiation.chair.get_username()
        details.append(_("Puheenjohtaja: %(name)s") % {"name": chair})
    return Event.new(
        uid=f"negotiation-{negotiation.pk}@ohjausneuvottelut",
        sequence=negotiation.sequence,
        stamp=stamp,
        start=start,
        end=end,
        summary=_("Ohjausneuvottelu: %(region)s – %(round)s")
        % {"region": negotiation.region.name, "round": negotiation.round.name},
        location=negotiation.place or negotiation.video_link or None,
        url=settings.SITE_URL + reverse("negotiations:negotiation-detail", args=[negotiation.pk]),
        description="\n".join(details) or None,
        last_modified=negotiation.updated_at,
    )
