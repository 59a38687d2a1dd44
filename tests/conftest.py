"""Shared factories. Users are made per test; the region facts come from the migrations."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import translation

from negotiations.demo import seed_demo
from regions.models import Region, RegionMembership
from regions.roles import MINISTRY_OFFICIAL, REGIONAL_PREPARER


def county(code: str) -> Region:
    return Region.objects.get(kind=Region.Kind.COUNTY, code=code)


def maakunta(code: str) -> Region:
    return Region.objects.get(kind=Region.Kind.MAAKUNTA, code=code)


def make_user(username: str, *, group: str | None = None, regions=(), **fields) -> User:
    user = User.objects.create_user(username=username, password="salasana-123", **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for region in regions:
        RegionMembership.objects.create(user=user, region=region)
    return user


def make_preparer(username: str, *regions: Region) -> User:
    return make_user(username, group=REGIONAL_PREPARER, regions=regions)


@pytest.fixture
def ministry_user(db) -> User:
    return make_user("virkamies", group=MINISTRY_OFFICIAL, first_name="Mirja")


@pytest.fixture
def pirkanmaa_preparer(db) -> User:
    return make_preparer("pirkanmaan-valmistelija", county("08"))


@pytest.fixture
def lappi_preparer(db) -> User:
    return make_preparer("lapin-valmistelija", county("21"))


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("paakayttaja", "admin@example.fi", "salasana-123")


@pytest.fixture
def demo_data(db) -> None:
    seed_demo()


@pytest.fixture(autouse=True)
def finnish_first():
    """Each test starts in Finnish, as the service does: a request activates the reader's
    language in the thread and leaves it so, and a test after a Swedish one would otherwise
    read its lazy labels in Swedish."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    # The production hasher is slow on purpose; tests create and log in many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def log_in_as(client, ministry_user, pirkanmaa_preparer, lappi_preparer):
    """The four visitors of a permission walk: Pirkanmaa's own preparer, another region's
    preparer, a ministry official and an anonymous user."""
    users = {
        "own-preparer": pirkanmaa_preparer,
        "other-preparer": lappi_preparer,
        "ministry": ministry_user,
        "anonymous": None,
    }

    def log_in(who: str) -> None:
        client.logout()
        if users[who] is not None:
            client.force_login(users[who])

    return log_in
