"""Double bookings: a ministry person booked in two negotiations whose times overlap.

A ministry person is the chair of a negotiation or a ministry-side participant who is a user
of the service. Bookings are compared across all rounds, since one official may sit in the
negotiations of two rounds on the same day.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.utils.dateformat import format as date_format
from django.utils.dateformat import time_format

from negotiations.models import Negotiation, Participant


@dataclass(frozen=True)
class Overlap:
    """`person` is also booked in `other`, whose time overlaps this negotiation."""

    person: User
    other: Negotiation

    @property
    def person_name(self) -> str:
        return self.person.get_full_name() or self.person.get_username()

    @property
    def booking(self) -> str:
        """The other negotiation as 'Lappi 16.2.2027 9.00–12.00'."""
        other = self.other
        parts = [other.region.name, date_format(other.date, "j.n.Y")]
        if other.start_time:
            times = time_format(other.start_time, "G.i")
            if other.end_time:
                times += "–" + time_format(other.end_time, "G.i")
            parts.append(times)
        return " ".join(parts)


def _ministry_people(negotiation: Negotiation) -> dict[int, User]:
    people = {}
    if negotiation.chair_id:
        people[negotiation.chair_id] = negotiation.chair
    for participant in negotiation.ministry_participants:
        people[participant.user_id] = participant.user
    return people


def find_overlaps(negotiations: Iterable[Negotiation]) -> dict[int, list[Overlap]]:
    """The double bookings of the given negotiations, by negotiation pk.

    Two queries however many negotiations are given: the negotiations on the same dates
    (with their chairs and regions), and their ministry participants.
    """
    wanted = {negotiation.pk for negotiation in negotiations if negotiation.date}
    dates = {negotiation.date for negotiation in negotiations if negotiation.date}
    if not dates:
        return {}
    ministry_participants = Participant.objects.filter(
        side=Participant.Side.MINISTRY, user__isnull=False
    ).select_related("user")
    same_day = (
        Negotiation.objects.filter(date__in=dates)
        .select_related("region", "chair")
        .prefetch_related(
            Prefetch(
                "participants", queryset=ministry_participants, to_attr="ministry_participants"
            )
        )
        .order_by("date", "start_time", "region__kind", "region__code")
    )
    bookings: dict[int, list[tuple[User, Negotiation]]] = defaultdict(list)
    for negotiation in same_day:
        for user_id, user in _ministry_people(negotiation).items():
            bookings[user_id].append((user, negotiation))

    overlaps: dict[int, list[Overlap]] = defaultdict(list)
    for booked in bookings.values():
        for (person, first), (_, second) in combinations(booked, 2):
            if not first.overlaps(second):
                continue
            if first.pk in wanted:
                overlaps[first.pk].append(Overlap(person=person, other=second))
            if second.pk in wanted:
                overlaps[second.pk].append(Overlap(person=person, other=first))
    return dict(overlaps)
