"""Finnish by default; Swedish and English complete and chosen with Django's set_language."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = sorted(ROOT.glob("locale/*/LC_MESSAGES/django.po"))


def test_swedish_and_english_catalogs_exist():
    assert {po.parts[-3] for po in CATALOGS} == {"sv", "en"}


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parts[-3])
def test_every_string_is_translated(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


@pytest.mark.django_db
def test_the_page_answers_in_swedish_after_choosing_svenska(client, ministry_user, demo_data):
    client.force_login(ministry_user)
    response = client.post(
        reverse("set_language"), {"language": "sv", "next": reverse("home")}, follow=True
    )
    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
    assert "<h1>Förhandlingsomgångar</h1>" in response.text
    assert "Välfärdsområdesförhandlingarna 2023" in response.text
    assert "Logga ut" in response.text


@pytest.mark.django_db
def test_english_is_available_too(client):
    client.post(reverse("set_language"), {"language": "en"})
    response = client.get(reverse("login"))
    assert '<html lang="en">' in response.text
    assert "Log in" in response.text


@pytest.mark.django_db
def test_swedish_preparer_sees_region_names_in_swedish(client, pirkanmaa_preparer, demo_data):
    client.force_login(pirkanmaa_preparer)
    client.post(reverse("set_language"), {"language": "sv"})
    response = client.get(reverse("home"))
    assert "<strong>Birkaland</strong>" in response.text
    assert "välfärdsområde" in response.text


@pytest.mark.django_db
def test_finnish_is_the_default_whatever_the_browser_asks(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9,sv;q=0.5"})
    assert '<html lang="fi">' in response.text
    assert response["Content-Language"] == "fi"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "name"),
    [
        ("fi", "Ohjausneuvottelut"),
        ("sv", "Styrningsförhandlingar"),
        ("en", "Steering negotiations"),
    ],
)
def test_the_service_is_named_in_the_readers_language(client, language, name):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert f"– {name}</title>" in page
    assert f'class="brand" href="/">{name}</a>' in page
    assert f"· {name}</p>" in page
