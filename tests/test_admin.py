"""Django admin: every model manageable by the superuser, nobody else gets in."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from negotiations.models import Negotiation, Round
from regions.models import Region
from tests.factories import county

pytestmark = pytest.mark.django_db

REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name) for model in admin.site._registry
)


@pytest.mark.parametrize(("app", "model"), REGISTERED)
def test_changelist_and_add_page_load_for_the_superuser(client, superuser, demo_data, app, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 200
    # Login attempt logs of django-axes are read-only: they have no add page.
    expected_add = 403 if app in ("axes", "audit") else 200  # logs are not written by hand
    assert client.get(reverse(f"admin:{app}_{model}_add")).status_code == expected_add


def test_the_managed_models_are_registered():
    assert {
        ("regions", "region"),
        ("regions", "cooperationarea"),
        ("regions", "regionmembership"),
        ("negotiations", "theme"),
        ("negotiations", "round"),
        ("negotiations", "negotiation"),
    } <= set(REGISTERED)


def test_change_pages_load(client, superuser, demo_data):
    client.force_login(superuser)
    round_ = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2023")
    for url in (
        reverse("admin:regions_region_change", args=[county("08").pk]),
        reverse("admin:negotiations_round_change", args=[round_.pk]),
        reverse("admin:auth_user_change", args=[superuser.pk]),
    ):
        assert client.get(url).status_code == 200


def test_region_list_is_searchable_and_filterable(client, superuser):
    client.force_login(superuser)
    url = reverse("admin:regions_region_changelist")
    found = client.get(url, {"q": "Birkaland"})
    assert found.context["cl"].result_count == 2  # the county and the maakunta
    counties = client.get(url, {"kind__exact": "county"})
    assert counties.context["cl"].result_count == 21
    area = county("08").cooperation_area
    in_area = client.get(url, {"kind__exact": "county", "cooperation_area__id__exact": area.pk})
    assert {r.name_fi for r in in_area.context["cl"].result_list} == {
        "Pirkanmaa",
        "Kanta-Häme",
        "Etelä-Pohjanmaa",
    }


def test_region_list_shows_names_in_the_current_language(client, superuser):
    client.force_login(superuser)
    client.post(reverse("set_language"), {"language": "sv"})
    response = client.get(reverse("admin:regions_region_changelist"))
    assert "Birkaland" in response.text
    assert "Inre Finland" in response.text


def test_deleting_a_region_with_negotiations_is_refused(client, superuser, demo_data):
    client.force_login(superuser)
    pirkanmaa = county("08")
    assert Negotiation.objects.filter(region=pirkanmaa).exists()
    url = reverse("admin:regions_region_delete", args=[pirkanmaa.pk])
    for response in (client.get(url, follow=True), client.post(url, {"post": "yes"}, follow=True)):
        assert "Aluetta Pirkanmaa ei voi poistaa, koska sillä on 2 neuvottelua." in response.text
    assert Region.objects.filter(pk=pirkanmaa.pk).exists()


def test_bulk_deleting_regions_with_negotiations_is_refused(client, superuser, demo_data):
    client.force_login(superuser)
    lappi, pirkanmaa = county("21"), county("08")
    response = client.post(
        reverse("admin:regions_region_changelist"),
        {"action": "delete_selected", "_selected_action": [lappi.pk, pirkanmaa.pk], "post": "yes"},
        follow=True,
    )
    assert "Aluetta Lappi ei voi poistaa" in response.text
    assert Region.objects.filter(pk__in=[lappi.pk, pirkanmaa.pk]).count() == 2


def test_a_region_without_negotiations_can_be_deleted(client, superuser):
    client.force_login(superuser)
    region = Region.objects.create(kind=Region.Kind.CITY, code="99", name_fi="Koekaupunki")
    client.post(reverse("admin:regions_region_delete", args=[region.pk]), {"post": "yes"})
    assert not Region.objects.filter(pk=region.pk).exists()
    other = Region.objects.create(kind=Region.Kind.CITY, code="98", name_fi="Toinen")
    client.post(
        reverse("admin:regions_region_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert not Region.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("user_fixture", ["pirkanmaa_preparer", "ministry_user"])
def test_preparers_and_officials_cannot_reach_the_admin(client, request, user_fixture):
    client.force_login(request.getfixturevalue(user_fixture))
    for url in (reverse("admin:index"), reverse("admin:regions_region_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


# --- no English in the Finnish and Swedish admin ------------------------------------------------

# English still shown by the admin in Finnish (and partly in Swedish), found by walking it as
# the demo admin: Django 6.1's own strings without a Finnish translation yet, and django-axes,
# which has no Finnish or Swedish catalogue at all. They are translated in locale_extra/, which
# takes precedence over the apps' own catalogues.
UNTRANSLATED_DJANGO = ["Filter by", "Pagination", "Change or view list link", "Run", "Search"]
UNTRANSLATED_AXES = [
    "Access attempts",
    "Access failures",
    "Access logs",
    "access attempt",
    "access failure",
    "access log",
    "Attempt Time",
    "IP Address",
    "User Agent",
    "Username",
    "Path",
    "HTTP Accept",
    "GET Data",
    "POST Data",
    "Failed Logins",
    "Logout Time",
    "Access lock out",
    "Locked Out",
    "Expires At",
    "Form Data",
    "Meta Data",
    "Clean up expired attempts",
]
ENGLISH_IN_THE_ADMIN = re.compile(
    r"\b(" + "|".join(map(re.escape, UNTRANSLATED_DJANGO + UNTRANSLATED_AXES)) + r")\b"
)
# What a person reads: text between tags and the labels of controls (not values or URLs).
LABELS = re.compile(r'\s(?:alt|title|placeholder|aria-label)="([^"]*)"')
# A permission's name ("Can add region") is stored in English when it is created; only the
# "app | model" before it comes from the catalogues.
STORED_PERMISSION_NAME = re.compile(r"(<option[^>]*>[^<|]*\|[^<|]*)\|[^<]*(</option>)")


def readable_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = STORED_PERMISSION_NAME.sub(r"\1\2", html)
    labels = " ".join(LABELS.findall(html))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split()) + " " + labels


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_admin_shows_no_english_in_finnish_or_swedish(client, superuser, demo_data, language):
    client.force_login(superuser)
    client.post(reverse("set_language"), {"language": language})
    found = {}
    for app, model in REGISTERED:
        for page in ("changelist", "add"):
            response = client.get(reverse(f"admin:{app}_{model}_{page}"))
            if response.status_code == 403:  # the logs have no add page
                continue
            assert f'<html lang="{language}"' in response.text
            for phrase in ENGLISH_IN_THE_ADMIN.findall(readable_text(response.text)):
                found.setdefault(phrase, f"{app}.{model} {page}")
    assert not found, found
