"""The accessibility statement (Act on the Provision of Digital Services 306/2019): for
everyone, linked from every page's footer, with the conformance status, the known gaps, the
feedback address of the setting and the supervising authority."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def statement_url() -> str:
    return reverse("accessibility-statement")


def main_of(response) -> str:
    return re.search(r"<main.*?</main>", response.text, re.S).group(0)


def footer_of(response) -> str:
    return re.search(r'<footer class="site-footer">.*?</footer>', response.text, re.S).group(0)


def test_anyone_can_read_the_statement_without_signing_in(client):
    response = client.get(statement_url())

    assert response.status_code == 200
    assert statement_url() == "/saavutettavuus/"
    assert "<h1>Saavutettavuusseloste</h1>" in response.text
    assert client.post(statement_url()).status_code == 405


def test_the_statement_says_how_far_the_service_conforms_and_what_is_missing(client):
    main = " ".join(main_of(client.get(statement_url())).split())

    for text in (
        "Palvelu täyttää saavutettavuusvaatimukset osittain",
        "WCAG 2.2",
        "PDF-tiedostot",
        "Liitetiedostot",
        "Django-ohjelmistokehyksen oma ylläpitokäyttöliittymä",
        "Istunnon päättyminen",
        "axe-core",
        "Nu HTML Checker",
        "Seloste on laadittu 1.12.2026.",
        "306/2019",
    ):
        assert text in main, text


def test_the_feedback_address_comes_from_the_setting(client, settings):
    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "saavutettavuus@example.fi"

    main = " ".join(main_of(client.get(statement_url())).split())

    assert '<a href="mailto:saavutettavuus@example.fi">saavutettavuus@example.fi</a>' in main
    assert "Vastaamme palautteeseen 14 päivän kuluessa." in main


def test_the_feedback_address_is_the_help_address_unless_set():
    def feedback_address(**env: str) -> str:
        environment = {
            key: value
            for key, value in os.environ.items()
            if key not in ("SUPPORT_EMAIL", "ACCESSIBILITY_FEEDBACK_EMAIL")
        }
        code = "from django.conf import settings; print(settings.ACCESSIBILITY_FEEDBACK_EMAIL)"
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-v", "0", "-c", code],
            cwd=ROOT,
            env=environment | env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert feedback_address(SUPPORT_EMAIL="tuki@example.fi") == "tuki@example.fi"
    assert (
        feedback_address(
            SUPPORT_EMAIL="tuki@example.fi", ACCESSIBILITY_FEEDBACK_EMAIL="palaute@example.fi"
        )
        == "palaute@example.fi"
    )
    assert feedback_address() == "ohjausneuvottelut@stm.fi"  # DEFAULT_FROM_EMAIL


def test_the_statement_names_the_supervising_authority_and_how_to_reach_it(client):
    main = main_of(client.get(statement_url()))

    assert "Liikenne- ja viestintävirasto Traficom" in main
    assert "Digitaalisen esteettömyyden ja saavutettavuuden valvontayksikkö" in main
    assert '<a href="https://www.saavutettavuusvaatimukset.fi/">' in main
    assert 'href="mailto:saavutettavuus@traficom.fi"' in main
    assert "029 534 5000" in main


def test_the_footer_links_to_the_statement_on_every_kind_of_page(client, ministry_user):
    link = f'<a href="{statement_url()}">Saavutettavuusseloste</a>'
    for url in (reverse("home"), reverse("negotiations:public-records"), reverse("login")):
        assert link in footer_of(client.get(url)), url

    client.force_login(ministry_user)
    for url in (reverse("home"), reverse("negotiations:action-tracker"), statement_url()):
        assert link in footer_of(client.get(url)), url


def test_the_statement_is_in_the_language_the_reader_chose(client):
    client.post(reverse("set_language"), {"language": "sv"})

    response = client.get(statement_url())

    assert response.status_code == 200
    assert '<html lang="sv">' in response.text
