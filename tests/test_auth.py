"""Login, logout, throttling, the session inactivity timeout and its absolute maximum age."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.middleware import REFRESHED_AT, SESSION_REFRESH_SECONDS, SIGNED_IN_AT
from audit.models import UsageEntry

pytestmark = pytest.mark.django_db

PASSWORD = "salasana-123"


def login(client, username, password=PASSWORD, ip="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_login_page_speaks_finnish_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="fi">' in response.text
    for text in ("Käyttäjätunnus", "Salasana", "Kirjaudu sisään"):
        assert text in response.text


def test_ministry_official_logs_in_and_sees_the_rounds(client, ministry_user, demo_data):
    response = login(client, "virkamies")
    assert response.status_code == 302
    assert response.url == reverse("home")
    home = client.get(reverse("home"))
    assert "Hyvinvointialueneuvottelut 2023" in home.text


def test_wrong_password_is_refused_with_a_finnish_message_and_the_username_kept(
    client, ministry_user
):
    response = login(client, "virkamies", "väärä")
    assert response.status_code == 200
    assert "syötä kelvollinen käyttäjätunnus ja salasana" in response.text
    assert "Tarkista seuraavat kohdat" in response.text
    assert 'value="virkamies"' in response.text
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(client, ministry_user):
    client.force_login(ministry_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("negotiations:action-tracker")).status_code == 302


def test_repeated_failures_lock_the_username_from_that_address(client, ministry_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "virkamies", "väärä")
    locked = login(client, "virkamies")
    assert locked.status_code == 429
    assert "Kirjautuminen estetty tilapäisesti" in locked.text
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client, ministry_user, pirkanmaa_preparer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "virkamies", "väärä")
    assert login(client, "pirkanmaan-valmistelija").status_code == 302
    client.post(reverse("logout"))
    assert login(client, "virkamies", ip="198.51.100.7").status_code == 302


def test_password_spraying_locks_the_address(client, ministry_user):
    """A few guesses at many accounts: after AXES_ADDRESS_FAILURE_LIMIT failures from one
    address, nobody signs in from there, not even with the right password."""
    assert settings.AXES_ADDRESS_FAILURE_LIMIT == 20
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        login(client, f"tunnus-{n}", "väärä")
    login(client, "virkamies", "väärä")
    locked = login(client, "virkamies")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert login(client, "virkamies", ip="198.51.100.7").status_code == 302


def test_a_successful_sign_in_forgets_only_the_users_own_failures(
    client, ministry_user, pirkanmaa_preparer, settings
):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    # Four typos and then the right password: the next typo does not lock the user out.
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "virkamies", "väärä")
    assert login(client, "virkamies").status_code == 302
    client.post(reverse("logout"))
    login(client, "virkamies", "väärä")
    assert login(client, "virkamies").status_code == 302
    client.post(reverse("logout"))
    # Failures at other accounts from the address stay counted although someone signs in.
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT - 1):
        login(client, f"tunnus-{n}", "väärä")
    assert login(client, "pirkanmaan-valmistelija").status_code == 302
    client.post(reverse("logout"))
    login(client, "tunnus-x", "väärä")
    assert login(client, "virkamies").status_code == 429
    failed = UsageEntry.objects.filter(kind=UsageEntry.Kind.SIGN_IN_FAILED)
    assert failed.count() == 4 + 1 + 7 + 1 + 1
    assert failed.filter(detail="locked-out").count() == 2


def test_session_expires_after_an_hour_of_inactivity(client, ministry_user):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    login(client, "virkamies")
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=59) < remaining <= timedelta(minutes=60)

    # Activity moves the expiry forward (a minute after the last time it did) ...
    stored = client.session
    stored[REFRESHED_AT] -= SESSION_REFRESH_SECONDS
    stored.save()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get(reverse("home")).status_code == 200
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(minutes=59)

    # ... and an hour without any ends the session.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("negotiations:action-tracker"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_activity_saves_the_session_at_most_once_a_minute(client, ministry_user):
    """The idle timeout without a write on every page view: requests within a minute of the
    session's last save leave it as it is; the first one after that saves it again."""
    login(client, "virkamies")  # signing in saved the session
    session = Session.objects.get(session_key=client.session.session_key)
    for url in (reverse("home"), reverse("negotiations:action-tracker")):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        writes = [q["sql"] for q in queries if 'UPDATE "django_session"' in q["sql"]]
        assert writes == [], url
    assert Session.objects.get(pk=session.pk).expire_date == session.expire_date

    stored = client.session
    stored[REFRESHED_AT] -= SESSION_REFRESH_SECONDS
    stored.save()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert sum('UPDATE "django_session"' in q["sql"] for q in queries) == 1
    remaining = Session.objects.get(pk=session.pk).expire_date - timezone.now()
    assert remaining > timedelta(minutes=59)


def test_a_session_ends_twelve_hours_after_signing_in_however_active(client, ministry_user):
    assert settings.SESSION_ABSOLUTE_MAX_AGE == 12 * 60 * 60
    login(client, "virkamies")
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 12 * 60 * 60 + 60
    session.save()
    assert client.get(reverse("home")).status_code == 200

    session[SIGNED_IN_AT] = int(time.time()) - 12 * 60 * 60 - 1
    session.save()
    response = client.get(reverse("home"), REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/"
    page = client.get(response.url)
    assert "Istunto päättyi, koska kirjautumisesta on kulunut yli 12 tuntia." in page.text
    assert client.get(reverse("negotiations:action-tracker")).status_code == 302
    entry = UsageEntry.objects.get(kind=UsageEntry.Kind.SIGN_OUT)
    assert (entry.user, entry.ip_address, entry.detail) == (
        ministry_user,
        "192.0.2.10",
        "absolute-max-age",
    )


def test_an_htmx_request_after_the_maximum_age_reloads_the_login_page(
    client, ministry_user, settings
):
    settings.SESSION_ABSOLUTE_MAX_AGE = 60 * 60
    login(client, "virkamies")
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - 60 * 60 - 1
    session.save()
    response = client.post(reverse("logout"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_a_session_without_a_sign_in_time_is_not_exempt(client, ministry_user):
    login(client, "virkamies")
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_an_overlong_username_is_refused_before_it_reaches_authentication(client, db):
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "x" * 1_000_000, "password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


def test_a_wrong_password_is_said_once_and_the_help_address_is_on_the_page(client, db, settings):
    settings.SUPPORT_EMAIL = "tuki@example.fi"
    response = client.post(reverse("login"), {"username": "ei-ole", "password": "väärä"})
    text = response.content.decode()
    assert text.count("syötä kelvollinen käyttäjätunnus ja salasana") == 1
    assert 'href="mailto:tuki@example.fi"' in text


def test_without_a_help_address_the_login_page_names_none(client, db):
    assert "Ongelmia kirjautumisessa" not in client.get(reverse("login")).content.decode()
