"""Double bookings: a ministry person booked in two negotiations whose times overlap.

A ministry person is the chair of a negotiation or a ministry-side participant who is a user
of the service. Bookings are compared across all rounds, since one official may sit in the
negotiations of two rounds on the same day.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from negotiations.display import clock, day, full_name, localized_value
from negotiations.models import Negotiation, Participant
from negotiations.models.schedule import meetings_overlap
from regions.localized import LANGUAGE_CODES


@dataclass(frozen=True)
class Booking:
    """A negotiation on one of the days looked at, as the check and its message need it."""

    pk: int
    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    region_name: str


@dataclass(frozen=True)
class Overlap:
    """`person_name` is also booked in `other`, whose time overlaps this negotiation."""

    person_name: str
    other: Booking

    @property
    def booking(self) -> str:
        """The other negotiation as 'Lappi 16.2.2027 9.00–12.00'."""
        other = self.other
        parts = [other.region_name, day(other.date)]
        if other.start_time:
            times = clock(other.start_time)
            if other.end_time:
                times += "–" + clock(other.end_time)
            parts.append(times)
        return " ".join(parts)


def _name(row: dict, prefix: str) -> str:
    return full_name(
        row[f"{prefix}first_name"], row[f"{prefix}last_name"], row[f"{prefix}username"]
    )


def find_overlaps(negotiations: Iterable[Negotiation]) -> dict[int, list[Overlap]]:
    """The double bookings of the given negotiations, by negotiation pk.

    Two queries however many negotiations are given, both read as values: the negotiations
    on the same dates (with their chairs and regions), and their ministry participants.
    """
    wanted = {negotiation.pk for negotiation in negotiations if negotiation.date}
    dates = {negotiation.date for negotiation in negotiations if negotiation.date}
    if not dates:
        return {}
    same_day = list(
        Negotiation.objects.filter(date__in=dates)
        .order_by("date", "start_time", "region__kind", "region__code")
        .values(
            "pk",
            "date",
            "start_time",
            "end_time",
            "chair_id",
            "chair__first_name",
            "chair__last_name",
            "chair__username",
            *(f"region__name_{language}" for language in LANGUAGE_CODES),
        )
    )
    # Each negotiation's ministry people: its chair first, then its ministry participants.
    people: dict[int, dict[int, str]] = defaultdict(dict)
    for row in same_day:
        if row["chair_id"]:
            people[row["pk"]][row["chair_id"]] = _name(row, "chair__")
    for row in (
        Participant.objects.filter(
            negotiation__date__in=dates, side=Participant.Side.MINISTRY, user__isnull=False
        )
        .order_by("negotiation", "side", "name", "pk")
        .values(
            "negotiation_id", "user_id", "user__first_name", "user__last_name", "user__username"
        )
    ):
        people[row["negotiation_id"]][row["user_id"]] = _name(row, "user__")

    bookings: dict[int, list[tuple[str, Booking]]] = defaultdict(list)
    for row in same_day:
        booking = Booking(
            pk=row["pk"],
            date=row["date"],
            start_time=row["start_time"],
            end_time=row["end_time"],
            region_name=localized_value(row, "region__name"),
        )
        for user_id, name in people[row["pk"]].items():
            bookings[user_id].append((name, booking))

    overlaps: dict[int, list[Overlap]] = defaultdict(list)
    for booked in bookings.values():
        for (person, first), (_, second) in combinations(booked, 2):
            if not meetings_overlap(first, second):
                continue
            if first.pk in wanted:
                overlaps[first.pk].append(Overlap(person_name=person, other=second))
            if second.pk in wanted:
                overlaps[second.pk].append(Overlap(person_name=person, other=first))
    return dict(overlaps)
