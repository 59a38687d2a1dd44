"""One for_user() decides which regions, rounds and negotiations a user may see."""

import pytest
from django.contrib.auth.models import AnonymousUser

from negotiations.models import Negotiation, Round
from regions.models import Region
from tests.factories import county, maakunta, make_preparer, make_user

pytestmark = pytest.mark.django_db


def test_ministry_official_and_admin_see_every_region(ministry_user, superuser):
    assert Region.objects.for_user(ministry_user).count() == Region.objects.count() == 41
    assert Region.objects.for_user(superuser).count() == 41


def test_preparer_sees_own_region_and_its_predecessor_only(pirkanmaa_preparer):
    visible = set(Region.objects.for_user(pirkanmaa_preparer))
    assert visible == {county("08"), maakunta("06")}


def test_uusimaa_of_2018_is_visible_to_each_of_its_successors():
    helsinki = make_preparer("helsinki", Region.objects.get(code="90"))
    assert set(Region.objects.for_user(helsinki)) == {
        Region.objects.get(code="90"),
        maakunta("01"),
    }


def test_preparer_edits_only_the_regions_they_prepare_for(pirkanmaa_preparer):
    assert list(Region.objects.prepared_by(pirkanmaa_preparer)) == [county("08")]


def test_anonymous_and_users_without_a_role_see_nothing():
    assert not Region.objects.for_user(AnonymousUser()).exists()
    assert not Region.objects.for_user(make_user("uusi")).exists()
    assert not Round.objects.for_user(AnonymousUser()).exists()
    assert not Negotiation.objects.for_user(AnonymousUser()).exists()


def test_rounds_and_negotiations_follow_the_visible_regions(
    demo_data, pirkanmaa_preparer, lappi_preparer, ministry_user
):
    pirkanmaa_negotiations = Negotiation.objects.for_user(pirkanmaa_preparer)
    assert {n.region for n in pirkanmaa_negotiations} == {county("08"), maakunta("06")}
    assert pirkanmaa_negotiations.count() == 5
    assert county("21") not in {n.region for n in pirkanmaa_negotiations}
    assert Round.objects.for_user(pirkanmaa_preparer).count() == 5
    assert Negotiation.objects.for_user(ministry_user).count() == Negotiation.objects.count()
    assert not Negotiation.objects.for_user(lappi_preparer).filter(region=county("08")).exists()


def test_a_regions_label_tells_the_county_from_the_maakunta_of_the_same_name(db):
    from tests.factories import county, maakunta

    assert county("08").label == "Pirkanmaa (hyvinvointialue, 2023–)"
    assert maakunta("06").label == "Pirkanmaa (maakunta, 2018–2022)"
