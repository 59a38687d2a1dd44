"""Calendar files: a negotiation as .ics, and the feed of a round for calendar programs."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from negotiations.models import Negotiation, Round
from negotiations.services import schedule_negotiation
from regions.models import Region
from tests.factories import county, maakunta, make_round

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
UTC = datetime.UTC


# The calendar's rounds are named in all three languages.
NAMES = {
    "name_sv": "Välfärdsområdesförhandlingar 2027",
    "name_en": "Wellbeing services county negotiations 2027",
}


@pytest.fixture
def round_2027() -> Round:
    return make_round(2027, **NAMES)


@pytest.fixture
def pirkanmaa(round_2027, ministry_user) -> Negotiation:
    return Negotiation.objects.create(
        round=round_2027,
        region=county("08"),
        date=datetime.date(2027, 2, 16),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(11, 30),
        place="STM, Meritullinkatu 8, Helsinki",
        video_link="https://teams.example.fi/neuvottelu-pirkanmaa",
        chair=ministry_user,
    )


def download(client, negotiation: Negotiation):
    return client.get(reverse("negotiations:negotiation-calendar", args=[negotiation.pk]))


def feed_url(round_: Round, token=None) -> str:
    return reverse("negotiations:round-calendar", args=[round_.pk, token or round_.calendar_token])


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def only_event(response):
    [event] = parse(response).events
    return event


def test_negotiation_calendar_is_a_valid_calendar_with_the_helsinki_time_zone(
    client, ministry_user, pirkanmaa
):
    client.force_login(ministry_user)
    calendar = parse(download(client, pirkanmaa))
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//STM//Ohjausneuvottelut//FI"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Helsinki"]
    assert calendar.get_missing_tzids() == set()
    assert len(calendar.events) == 1


def test_event_starts_at_the_helsinki_wall_clock_time(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    event = only_event(download(client, pirkanmaa))
    assert event["DTSTART"].params["TZID"] == "Europe/Helsinki"
    assert event.start == datetime.datetime(2027, 2, 16, 9, 0, tzinfo=HELSINKI)
    assert event.start.astimezone(UTC) == datetime.datetime(2027, 2, 16, 7, 0, tzinfo=UTC)
    assert event.end == datetime.datetime(2027, 2, 16, 11, 30, tzinfo=HELSINKI)
    assert b"DTSTART;TZID=Europe/Helsinki:20270216T090000" in download(client, pirkanmaa).content


def test_summer_meeting_is_three_hours_ahead_of_utc(client, ministry_user, pirkanmaa):
    pirkanmaa.date = datetime.date(2027, 6, 15)
    pirkanmaa.save()
    client.force_login(ministry_user)
    event = only_event(download(client, pirkanmaa))
    assert event.start.utcoffset() == datetime.timedelta(hours=3)
    assert event.start.astimezone(UTC) == datetime.datetime(2027, 6, 15, 6, 0, tzinfo=UTC)


def test_event_tells_what_where_and_who_chairs(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    event = only_event(download(client, pirkanmaa))
    assert event["SUMMARY"] == "Ohjausneuvottelu: Pirkanmaa – Hyvinvointialueneuvottelut 2027"
    assert event["LOCATION"] == "STM, Meritullinkatu 8, Helsinki"
    assert event["URL"] == settings.SITE_URL + f"/negotiations/{pirkanmaa.pk}/"
    assert "Videoyhteys: https://teams.example.fi/neuvottelu-pirkanmaa" in event["DESCRIPTION"]
    assert "Puheenjohtaja: Mirja" in event["DESCRIPTION"]
    assert event.last_modified == pirkanmaa.updated_at.replace(microsecond=0)
    assert event.DTSTAMP.tzinfo is not None and event.DTSTAMP.utcoffset() == datetime.timedelta(0)


def test_video_meeting_without_a_place_is_located_at_its_link(client, ministry_user, pirkanmaa):
    pirkanmaa.place = ""
    pirkanmaa.save()
    client.force_login(ministry_user)
    event = only_event(download(client, pirkanmaa))
    assert event["LOCATION"] == "https://teams.example.fi/neuvottelu-pirkanmaa"


def test_names_follow_the_chosen_language(client, ministry_user, pirkanmaa):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    client.force_login(ministry_user)
    summary = only_event(download(client, pirkanmaa))["SUMMARY"]
    assert "Birkaland" in summary
    assert "Välfärdsområdesförhandlingar 2027" in summary


def test_uid_stays_the_same_across_downloads(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    first = only_event(download(client, pirkanmaa))
    second = only_event(client.get(feed_url(pirkanmaa.round)))
    assert first["UID"] == second["UID"] == f"negotiation-{pirkanmaa.pk}@ohjausneuvottelut"


def test_sequence_grows_when_the_meeting_is_moved(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    before = only_event(download(client, pirkanmaa))
    schedule_negotiation(negotiation=pirkanmaa, date=datetime.date(2027, 2, 18))
    after = only_event(download(client, pirkanmaa))
    assert after["UID"] == before["UID"]
    assert after.sequence == before.sequence + 1 == 1
    assert after.start == datetime.datetime(2027, 2, 18, 9, 0, tzinfo=HELSINKI)


def test_meeting_without_times_is_an_all_day_event(client, ministry_user, pirkanmaa):
    pirkanmaa.start_time = pirkanmaa.end_time = None
    pirkanmaa.save()
    client.force_login(ministry_user)
    response = download(client, pirkanmaa)
    event = only_event(response)
    assert event.start == datetime.date(2027, 2, 16)
    assert event.end == datetime.date(2027, 2, 17)
    assert b"DTSTART;VALUE=DATE:20270216" in response.content


def test_meeting_without_end_time_lasts_two_hours(client, ministry_user, pirkanmaa):
    pirkanmaa.end_time = None
    pirkanmaa.save()
    client.force_login(ministry_user)
    event = only_event(download(client, pirkanmaa))
    assert event.end == datetime.datetime(2027, 2, 16, 11, 0, tzinfo=HELSINKI)


def test_unscheduled_negotiation_has_no_calendar_file(client, ministry_user, round_2027):
    negotiation = Negotiation.objects.create(round=round_2027, region=county("21"))
    client.force_login(ministry_user)
    assert download(client, negotiation).status_code == 404


def test_negotiation_file_is_an_attachment_named_by_year_and_region(
    client, ministry_user, pirkanmaa
):
    client.force_login(ministry_user)
    response = download(client, pirkanmaa)
    assert response["Content-Disposition"] == 'attachment; filename="neuvottelu-2027-pirkanmaa.ics"'
    vantaa = Negotiation.objects.create(
        round=pirkanmaa.round, region=county("04"), date=datetime.date(2027, 3, 2)
    )
    response = download(client, vantaa)
    assert 'filename="neuvottelu-2027-vantaa-kerava.ics"' in response["Content-Disposition"]


@pytest.mark.parametrize(
    ("user", "status"),
    [("pirkanmaa_preparer", 200), ("lappi_preparer", 404), ("ministry_user", 200)],
)
def test_negotiation_file_is_for_the_region_and_the_ministry(
    client, request, pirkanmaa, user, status
):
    client.force_login(request.getfixturevalue(user))
    assert download(client, pirkanmaa).status_code == status


def test_anonymous_user_is_sent_to_login_for_the_negotiation_file(client, pirkanmaa):
    response = download(client, pirkanmaa)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login") + "?next=")


def test_feed_works_without_login_and_is_served_inline(client, pirkanmaa):
    response = client.get(feed_url(pirkanmaa.round))
    calendar = parse(response)
    assert calendar.calendar_name == "Hyvinvointialueneuvottelut 2027"
    assert calendar["X-WR-CALNAME"] == "Hyvinvointialueneuvottelut 2027"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Helsinki"]
    assert (
        response["Content-Disposition"] == 'inline; filename="hyvinvointialueneuvottelut-2027.ics"'
    )


@pytest.mark.parametrize("user", ["pirkanmaa_preparer", "lappi_preparer", "ministry_user"])
def test_feed_answers_the_right_token_whoever_asks(client, request, pirkanmaa, user):
    client.force_login(request.getfixturevalue(user))
    assert len(parse(client.get(feed_url(pirkanmaa.round))).events) == 1


def test_feed_with_a_wrong_token_answers_404(client, ministry_user, pirkanmaa):
    other_round = make_round(2027, name="Toinen kierros", **NAMES)
    client.force_login(ministry_user)
    assert client.get(feed_url(pirkanmaa.round, uuid.uuid4())).status_code == 404
    assert client.get(feed_url(pirkanmaa.round, other_round.calendar_token)).status_code == 404


def test_feed_holds_only_the_scheduled_negotiations_of_the_round_by_date(client, pirkanmaa):
    round_2027 = pirkanmaa.round
    lappi = Negotiation.objects.create(
        round=round_2027, region=county("21"), date=datetime.date(2027, 2, 3)
    )
    Negotiation.objects.create(round=round_2027, region=county("19"))  # not scheduled yet
    earlier = make_round(
        2018,
        name="Syksyn 2018 sote-neuvottelut",
        **NAMES,
        period_start=datetime.date(2018, 10, 9),
        period_end=datetime.date(2018, 11, 23),
    )
    Negotiation.objects.create(
        round=earlier, region=maakunta("06"), date=datetime.date(2018, 10, 10)
    )
    calendar = parse(client.get(feed_url(round_2027)))
    assert [event["UID"] for event in calendar.events] == [
        f"negotiation-{lappi.pk}@ohjausneuvottelut",
        f"negotiation-{pirkanmaa.pk}@ohjausneuvottelut",
    ]


def test_feed_of_a_round_without_scheduled_negotiations_is_an_empty_calendar(client, round_2027):
    calendar = parse(client.get(feed_url(round_2027)))
    assert calendar.events == []
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Helsinki"]


def test_feed_query_count_does_not_grow_with_negotiations(
    client, round_2027, ministry_user, django_assert_max_num_queries, query_count
):
    regions = iter(Region.objects.current())

    def schedule(count: int) -> None:
        for _ in range(count):
            Negotiation.objects.create(
                round=round_2027,
                region=next(regions),
                date=datetime.date(2027, 2, 1),
                start_time=datetime.time(9, 0),
                chair=ministry_user,
            )

    schedule(2)
    few = query_count(client, feed_url(round_2027))
    schedule(18)
    with django_assert_max_num_queries(few):
        calendar = parse(client.get(feed_url(round_2027)))
    assert query_count(client, feed_url(round_2027)) == few
    assert len(calendar.events) == 20
