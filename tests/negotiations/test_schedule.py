"""The schedule of a round: one row per region, each saved on its own, with or without htmx."""

import datetime

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from negotiations.models import Negotiation, Participant, Round
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import county, make_round, make_user, negotiation_of

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


REGIONS = ("08", "20", "21")  # Pirkanmaa, Kainuu and Lappi


@pytest.fixture
def round_2027(db) -> Round:
    return make_round(2027, regions=map(county, REGIONS))


def schedule_url(round_: Round) -> str:
    return reverse("negotiations:round-schedule", args=[round_.pk])


def row_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:negotiation-schedule", args=[negotiation.pk])


def row_data(**fields) -> dict:
    data = {
        "date": "2027-02-16",
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Tampere-talo",
        "video_link": "",
        "chair": "",
    }
    data.update(fields)
    return data


def test_ministry_official_sees_one_row_per_region_in_region_order(
    client, ministry_user, round_2027
):
    client.force_login(ministry_user)
    response = client.get(schedule_url(round_2027))
    assert response.status_code == 200
    text = response.text
    assert "<h1>Aikataulu: Hyvinvointialueneuvottelut 2027</h1>" in text
    assert text.index("Pirkanmaa") < text.index("Kainuu") < text.index("Lappi")
    pirkanmaa = negotiation_of(round_2027, "08")
    assert f'<form id="schedule-{pirkanmaa.pk}"' in text
    assert f'form="schedule-{pirkanmaa.pk}"' in text
    assert "Päivämäärä, Pirkanmaa" in text
    assert "Puheenjohtaja, Lappi" in text
    assert reverse("negotiations:negotiation-detail", args=[pirkanmaa.pk]) in text
    # The chair select offers the ministry officials and an empty choice.
    assert '<option value="" selected>—</option>' in text
    assert f'<option value="{ministry_user.pk}">Mirja</option>' in text


def test_every_row_input_has_a_label_with_the_region(client, ministry_user, round_2027):
    client.force_login(ministry_user)
    text = client.get(schedule_url(round_2027)).text
    for negotiation in round_2027.negotiations.all():
        for field in ("date", "start_time", "end_time", "place", "video_link", "chair"):
            assert f'for="schedule-{negotiation.pk}-{field}"' in text
            assert f'id="schedule-{negotiation.pk}-{field}"' in text


def test_row_is_saved_with_a_normal_post_and_redirects_back(client, ministry_user, round_2027):
    pirkanmaa = negotiation_of(round_2027, "08")
    client.force_login(ministry_user)
    response = client.post(
        row_url(pirkanmaa),
        row_data(video_link="https://meet.example.fi/pirkanmaa", chair=ministry_user.pk),
    )
    assert response.status_code == 302
    assert response.url == f"{schedule_url(round_2027)}#row-{pirkanmaa.pk}"
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.date == datetime.date(2027, 2, 16)
    assert pirkanmaa.start_time == datetime.time(9, 0)
    assert pirkanmaa.end_time == datetime.time(12, 0)
    assert pirkanmaa.place == "Tampere-talo"
    assert pirkanmaa.video_link == "https://meet.example.fi/pirkanmaa"
    assert pirkanmaa.chair == ministry_user

    page = client.get(response.url)
    assert "Alueen Pirkanmaa aikataulu: Tallennettu." in page.text
    assert 'value="2027-02-16"' in page.text
    assert reverse("negotiations:negotiation-calendar", args=[pirkanmaa.pk]) in page.text


def test_row_is_saved_with_htmx_and_only_the_row_comes_back(client, ministry_user, round_2027):
    pirkanmaa = negotiation_of(round_2027, "08")
    client.force_login(ministry_user)
    response = client.post(row_url(pirkanmaa), row_data(), **HTMX)
    assert response.status_code == 200
    text = response.text.strip()
    assert text.startswith(f'<tr id="row-{pirkanmaa.pk}"')
    assert text.endswith("</tr>")
    assert "<h1>" not in text
    assert 'role="status">Tallennettu.</p>' in text
    assert 'value="2027-02-16"' in text
    assert 'value="09:00"' in text
    assert reverse("negotiations:negotiation-calendar", args=[pirkanmaa.pk]) in text
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.place == "Tampere-talo"


def test_end_before_start_is_shown_in_the_row_with_the_input_kept(
    client, ministry_user, round_2027
):
    lappi = negotiation_of(round_2027, "21")
    client.force_login(ministry_user)
    response = client.post(
        row_url(lappi), row_data(start_time="13:00", end_time="12:00", place="Rovaniemi"), **HTMX
    )
    assert response.status_code == 200
    text = response.text
    assert text.strip().startswith(f'<tr id="row-{lappi.pk}" class="row-invalid"')
    assert "Päättymisajan on oltava alkamisajan jälkeen." in text
    assert f'id="schedule-{lappi.pk}-end_time_error"' in text
    assert 'aria-invalid="true"' in text
    assert 'value="13:00"' in text
    assert 'value="12:00"' in text
    assert 'value="Rovaniemi"' in text
    assert "Ei tallennettu: korjaa rivin virheet." in text
    lappi.refresh_from_db()
    assert lappi.date is None
    assert lappi.place == ""


def test_without_javascript_an_error_renders_the_whole_schedule_with_the_row_errors(
    client, ministry_user, round_2027
):
    lappi = negotiation_of(round_2027, "21")
    client.force_login(ministry_user)
    response = client.post(row_url(lappi), row_data(start_time="13:00", end_time="12:00"))
    assert response.status_code == 400
    text = response.text
    assert "<h1>Aikataulu: Hyvinvointialueneuvottelut 2027</h1>" in text
    assert "Tarkista seuraavat kohdat" in text
    assert f'href="#schedule-{lappi.pk}-end_time"' in text
    assert text.count("Päättymisajan on oltava alkamisajan jälkeen.") == 2  # summary + field
    assert 'value="13:00"' in text
    assert "Ei tallennettu: korjaa rivin virheet." in text
    # The other rows are there, unchanged.
    assert "Päivämäärä, Pirkanmaa" in text


def test_time_without_date_and_end_without_start_are_refused(client, ministry_user, round_2027):
    kainuu = negotiation_of(round_2027, "20")
    client.force_login(ministry_user)
    response = client.post(row_url(kainuu), row_data(date="", start_time="09:00"), **HTMX)
    assert "Anna myös päivämäärä" in response.text

    response = client.post(row_url(kainuu), row_data(start_time="", end_time="12:00"), **HTMX)
    assert "Anna myös alkamisaika" in response.text
    kainuu.refresh_from_db()
    assert not kainuu.is_scheduled


def test_a_date_without_times_is_a_valid_schedule(client, ministry_user, round_2027):
    kainuu = negotiation_of(round_2027, "20")
    client.force_login(ministry_user)
    response = client.post(row_url(kainuu), row_data(start_time="", end_time=""))
    assert response.status_code == 302
    kainuu.refresh_from_db()
    assert kainuu.date == datetime.date(2027, 2, 16)
    assert kainuu.start_time is None


def test_a_date_outside_the_period_is_refused_until_confirmed(client, ministry_user, round_2027):
    pirkanmaa = negotiation_of(round_2027, "08")
    client.force_login(ministry_user)
    response = client.post(row_url(pirkanmaa), row_data(date="2027-04-15"), **HTMX)
    assert (
        "Päivä on kierroksen neuvottelukauden ulkopuolella. "
        "Vahvista valitsemalla ’Vahvistan poikkeavan päivän’."
    ) in response.text
    assert f'id="schedule-{pirkanmaa.pk}-confirm_outside_period"' in response.text
    assert "Vahvistan poikkeavan päivän" in response.text
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.date is None

    response = client.post(
        row_url(pirkanmaa), row_data(date="2027-04-15", confirm_outside_period="on"), **HTMX
    )
    assert "Tallennettu." in response.text
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.date == datetime.date(2027, 4, 15)


def test_a_confirmed_exceptional_date_needs_no_new_confirmation_when_the_place_changes(
    client, ministry_user, round_2027
):
    pirkanmaa = negotiation_of(round_2027, "08")
    pirkanmaa.date = datetime.date(2027, 4, 15)
    pirkanmaa.save()
    client.force_login(ministry_user)
    page = client.get(schedule_url(round_2027)).text
    assert f'id="schedule-{pirkanmaa.pk}-confirm_outside_period" checked' in page

    response = client.post(row_url(pirkanmaa), row_data(date="2027-04-15", place="Tampere"))
    assert response.status_code == 302
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.place == "Tampere"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "31.2.2027", "Syötä oikea päivämäärä."),
        ("date", "huomenna", "Syötä oikea päivämäärä."),
        ("start_time", "25:99", "Syötä oikea kellonaika."),
        ("end_time", "12:00:00:00", "Syötä oikea kellonaika."),
        ("video_link", "not a url", "Syötä oikea URL-osoite."),
        ("chair", "abc", "Valitse oikea vaihtoehto."),
        ("place", "x" * 201, "Teksti on liian pitkä: enintään 200 merkkiä."),
    ],
)
def test_garbage_input_gives_errors_not_a_server_error(
    client, ministry_user, round_2027, field, value, message
):
    pirkanmaa = negotiation_of(round_2027, "08")
    client.force_login(ministry_user)
    for headers in ({}, HTMX):
        response = client.post(row_url(pirkanmaa), row_data(**{field: value}), **headers)
        assert response.status_code == (200 if headers else 400)
        assert message in response.text
        assert f'id="schedule-{pirkanmaa.pk}-{field}_error"' in response.text
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.date is None


def test_the_chair_must_be_a_ministry_official(
    client, ministry_user, pirkanmaa_preparer, round_2027
):
    pirkanmaa = negotiation_of(round_2027, "08")
    client.force_login(ministry_user)
    response = client.post(row_url(pirkanmaa), row_data(chair=pirkanmaa_preparer.pk), **HTMX)
    assert "Valitse oikea vaihtoehto." in response.text
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.chair is None


def test_moving_a_scheduled_negotiation_bumps_the_sequence_and_emails_the_preparers(
    client, ministry_user, round_2027, django_capture_on_commit_callbacks
):
    make_user(
        "pirkko",
        group="regional-preparer",
        regions=[county("08")],
        email="pirkko@pirha.fi",
    )
    pirkanmaa = negotiation_of(round_2027, "08")
    client.force_login(ministry_user)

    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave on commit
        client.post(row_url(pirkanmaa), row_data())
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.sequence == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pirkko@pirha.fi"]

    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave on commit
        response = client.post(row_url(pirkanmaa), row_data(start_time="10:00"), **HTMX)
    assert "Alueen valmistelijoille lähti ilmoitus sähköpostilla." in response.text
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.sequence == 1
    assert len(mail.outbox) == 2
    assert "neuvottelun aika muuttui (16.2.2027)" in mail.outbox[1].subject

    # Only the place changes: no new time, no e-mail, the same SEQUENCE.
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave on commit
        client.post(row_url(pirkanmaa), row_data(start_time="10:00", place="Tampere"))
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.sequence == 1
    assert len(mail.outbox) == 2


def test_a_region_has_at_most_one_negotiation_per_round(round_2027):
    with pytest.raises(IntegrityError), transaction.atomic():
        Negotiation.objects.create(round=round_2027, region=county("08"))


def _schedule(negotiation: Negotiation, date, start, end, chair=None) -> None:
    negotiation.date = date
    negotiation.start_time = start
    negotiation.end_time = end
    negotiation.chair = chair
    negotiation.save()


def _flags(client, round_: Round, negotiation: Negotiation) -> str:
    text = client.get(schedule_url(round_)).text
    row = text[text.index(f'<tr id="row-{negotiation.pk}"') :]
    return row[: row.index("</tr>")]


def test_a_double_booked_chair_is_flagged_in_both_rows(client, round_2027):
    official = make_user(
        "mirja", group=MINISTRY_OFFICIAL, first_name="Mirja", last_name="Ministeriö"
    )
    pirkanmaa, lappi = negotiation_of(round_2027, "08"), negotiation_of(round_2027, "21")
    day = datetime.date(2027, 2, 16)
    _schedule(pirkanmaa, day, datetime.time(10), datetime.time(13), chair=official)
    _schedule(lappi, day, datetime.time(9), datetime.time(12), chair=official)
    client.force_login(official)
    assert "Päällekkäinen varaus: Mirja Ministeriö (Lappi 16.2.2027 9.00–12.00)" in _flags(
        client, round_2027, pirkanmaa
    )
    assert "Päällekkäinen varaus: Mirja Ministeriö (Pirkanmaa 16.2.2027 10.00–13.00)" in _flags(
        client, round_2027, lappi
    )
    assert "Päällekkäinen varaus" not in _flags(
        client, round_2027, negotiation_of(round_2027, "20")
    )


def test_a_ministry_participant_is_flagged_also_across_rounds(client, ministry_user, round_2027):
    other_round = make_round(2027, name="Erillinen kierros", regions=[county("20")])
    official = make_user("mirja", group=MINISTRY_OFFICIAL, first_name="Mirja")
    pirkanmaa, kainuu = negotiation_of(round_2027, "08"), negotiation_of(other_round, "20")
    day = datetime.date(2027, 2, 16)
    _schedule(pirkanmaa, day, datetime.time(9), datetime.time(12))
    _schedule(kainuu, day, datetime.time(11), datetime.time(14))
    for negotiation in (pirkanmaa, kainuu):
        negotiation.add_participant(side=Participant.Side.MINISTRY, user=official)
    client.force_login(ministry_user)
    assert "Päällekkäinen varaus: Mirja (Kainuu 16.2.2027 11.00–14.00)" in _flags(
        client, round_2027, pirkanmaa
    )
    assert "Päällekkäinen varaus: Mirja (Pirkanmaa 16.2.2027 9.00–12.00)" in _flags(
        client, other_round, kainuu
    )


def test_no_flag_when_the_times_do_not_overlap_or_the_person_is_not_from_the_ministry(
    client, ministry_user, round_2027
):
    official = make_user("mirja", group=MINISTRY_OFFICIAL, first_name="Mirja")
    preparer = make_user("reija", first_name="Reija")
    pirkanmaa, lappi = negotiation_of(round_2027, "08"), negotiation_of(round_2027, "21")
    day = datetime.date(2027, 2, 16)
    # Back to back: one ends when the other starts.
    _schedule(pirkanmaa, day, datetime.time(9), datetime.time(12), chair=official)
    _schedule(lappi, day, datetime.time(12), datetime.time(15), chair=official)
    for negotiation in (pirkanmaa, lappi):
        negotiation.add_participant(side=Participant.Side.REGION, user=preparer)
    client.force_login(ministry_user)
    assert "Päällekkäinen varaus" not in client.get(schedule_url(round_2027)).text

    # The same times on different days.
    _schedule(
        lappi, day + datetime.timedelta(days=1), datetime.time(9), datetime.time(12), official
    )
    assert "Päällekkäinen varaus" not in client.get(schedule_url(round_2027)).text


def test_a_saved_row_shows_its_own_overlap_flag(client, round_2027):
    official = make_user("mirja", group=MINISTRY_OFFICIAL, first_name="Mirja")
    lappi = negotiation_of(round_2027, "21")
    _schedule(lappi, datetime.date(2027, 2, 16), datetime.time(9), datetime.time(12), official)
    client.force_login(official)
    response = client.post(
        row_url(negotiation_of(round_2027, "08")), row_data(chair=official.pk), **HTMX
    )
    assert "Päällekkäinen varaus: Mirja (Lappi 16.2.2027 9.00–12.00)" in response.text


def _busy_round(name: str, regions, officials) -> Round:
    round_ = make_round(2027, name=name)
    for index, region in enumerate(regions):
        negotiation = Negotiation.objects.create(
            round=round_,
            region=region,
            date=datetime.date(2027, 2, 1 + index % 3),
            start_time=datetime.time(9 + index % 4),
            end_time=datetime.time(11 + index % 4),
            chair=officials[index % len(officials)],
        )
        negotiation.add_participant(side=Participant.Side.MINISTRY, user=officials[0])
        negotiation.add_participant(side=Participant.Side.THL, name="Terhi THL", organisation="THL")
    return round_


def test_schedule_query_count_does_not_grow_with_negotiations(
    client, ministry_user, django_assert_max_num_queries, query_count
):
    officials = [ministry_user] + [
        make_user(f"virkamies-{n}", group=MINISTRY_OFFICIAL, first_name=f"Virkamies {n}")
        for n in range(3)
    ]
    current = list(Region.objects.current())
    assert len(current) == 23
    small = _busy_round("Pieni kierros", current[:5], officials)
    large = _busy_round("Suuri kierros", current, officials)
    client.force_login(ministry_user)
    few = query_count(client, schedule_url(small))
    with django_assert_max_num_queries(few):
        assert "Päällekkäinen varaus" in client.get(schedule_url(large)).text
    assert query_count(client, schedule_url(large)) == few


# Permission walk: every URL of the schedule with the region's own preparer, another region's
# preparer, a ministry official and an anonymous user.


def _schedule_urls(round_: Round, negotiation: Negotiation, participant: Participant):
    return [
        ("get", schedule_url(round_), {}),
        ("get", reverse("negotiations:negotiation-detail", args=[negotiation.pk]), {}),
        ("post", row_url(negotiation), row_data()),
        (
            "post",
            reverse("negotiations:participant-add", args=[negotiation.pk]),
            {"side": "thl", "name": "Terhi THL", "organisation": "THL"},
        ),
        (
            "post",
            reverse("negotiations:participant-delete", args=[negotiation.pk, participant.pk]),
            {},
        ),
        (
            "post",
            reverse("negotiations:region-theme", args=[negotiation.pk]),
            {"region_theme_title": "Saaristo", "region_theme_questions": "Miten?"},
        ),
    ]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own-preparer", [403, 200, 403, 403, 403, 403]),
        ("other-preparer", [403, 404, 404, 404, 404, 404]),
        ("ministry", [200, 200, 302, 302, 302, 302]),
        ("anonymous", [302, 302, 302, 302, 302, 302]),
    ],
)
def test_permission_walk_over_the_schedule_urls(
    client, who, expected, log_in_as, ministry_user, pirkanmaa_preparer, lappi_preparer
):
    round_ = make_round(2027, regions=map(county, REGIONS), allows_region_theme=True)
    pirkanmaa = negotiation_of(round_, "08")
    participant = pirkanmaa.add_participant(side=Participant.Side.OTHER, name="Ulla Ulkopuolinen")
    log_in_as(who)
    statuses = []
    for method, url, data in _schedule_urls(round_, pirkanmaa, participant):
        response = getattr(client, method)(url, data)
        statuses.append(response.status_code)
        if who == "anonymous":
            assert response.url.startswith(reverse("login"))
    assert statuses == expected

    pirkanmaa.refresh_from_db()
    changed = who == "ministry"
    assert pirkanmaa.is_scheduled is changed
    assert (pirkanmaa.region_theme_title == "Saaristo") is changed
    assert Participant.objects.filter(pk=participant.pk).exists() is not changed
    assert pirkanmaa.participants.filter(name="Terhi THL").exists() is changed


def test_the_post_only_urls_refuse_get(client, ministry_user, round_2027):
    pirkanmaa = negotiation_of(round_2027, "08")
    client.force_login(ministry_user)
    assert client.get(row_url(pirkanmaa)).status_code == 405
    assert (
        client.get(reverse("negotiations:participant-add", args=[pirkanmaa.pk])).status_code == 405
    )
