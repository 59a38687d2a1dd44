"""The home page: rounds for the ministry, the region's own negotiations for a preparer."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from negotiations.models import Negotiation, Round
from regions.models import Region
from tests.conftest import make_preparer

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/"


def test_ministry_official_sees_every_round(client, ministry_user, demo_data):
    client.force_login(ministry_user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    for name in Round.objects.values_list("name_fi", flat=True):
        assert name in response.text
    assert "<h1>Neuvottelukierrokset</h1>" in response.text


def test_preparer_sees_own_region_negotiations_only(
    client, pirkanmaa_preparer, lappi_preparer, demo_data
):
    client.force_login(pirkanmaa_preparer)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "<strong>Pirkanmaa</strong>" in response.text
    assert "Hyvinvointialueneuvottelut 2023" in response.text
    assert "Syksyn 2018 sote-neuvottelut" in response.text  # as the Pirkanmaa maakunta
    assert "Lappi" not in response.text

    client.force_login(lappi_preparer)
    response = client.get(reverse("home"))
    assert "Lappi" in response.text
    assert "Pirkanmaa" not in response.text


def test_user_without_a_region_is_told_so(client, db):
    client.force_login(make_preparer("ilman-aluetta"))
    response = client.get(reverse("home"))
    assert "Sinua ei ole vielä liitetty yhteenkään alueeseen" in response.text


def _queries_for_home(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    return len(queries)


def _add_rounds(years: range) -> None:
    regions = list(Region.objects.current())
    for year in years:
        round_ = Round.objects.create(
            name_fi=f"Kierros {year}",
            name_sv=f"Omgång {year}",
            kind=Round.Kind.COUNTY_NEGOTIATIONS,
            period_start=datetime.date(year, 2, 1),
            period_end=datetime.date(year, 3, 31),
        )
        Negotiation.objects.bulk_create(Negotiation(round=round_, region=r) for r in regions)


def test_home_query_count_does_not_grow_with_rounds(client, ministry_user, pirkanmaa_preparer):
    users = (ministry_user, pirkanmaa_preparer)
    _add_rounds(range(2030, 2031))
    few = {}
    for user in users:
        client.force_login(user)
        few[user] = _queries_for_home(client)
    _add_rounds(range(2031, 2041))
    for user in users:
        client.force_login(user)
        assert _queries_for_home(client) == few[user]
