"""Login, logout, throttling and the session inactivity timeout."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

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
    assert client.get(reverse("home")).status_code == 302


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


def test_session_expires_after_an_hour_of_inactivity(client, ministry_user):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    login(client, "virkamies")
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=59) < remaining <= timedelta(minutes=60)

    # Activity moves the expiry forward ...
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + timedelta(minutes=5))
    assert client.get(reverse("home")).status_code == 200
    session.refresh_from_db()
    assert session.expire_date - timezone.now() > timedelta(minutes=59)

    # ... and an hour without any ends the session.
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
