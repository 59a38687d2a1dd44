"""`Cache-Control: private, no-store` on signed-in pages and on every download."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    values = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= values


def test_a_signed_in_users_pages_are_not_stored(client, ministry_user, documents):
    client.force_login(ministry_user)
    for url in (
        reverse("home"),
        reverse("negotiations:record-detail", args=[documents.pirkanmaa.pk]),
        reverse("negotiations:round-detail", args=[documents.round.pk]),
    ):
        assert no_store(client.get(url)), url


@pytest.mark.parametrize(
    ("name", "args", "content_type"),
    [
        ("record-pdf", lambda d: [d.pirkanmaa.pk], "application/pdf"),
        ("round-pdf", lambda d: [d.round.pk], "application/pdf"),
        ("action-export", lambda d: [], "text/csv"),
        ("negotiation-calendar", lambda d: [d.pirkanmaa.pk], "text/calendar"),
    ],
)
def test_pdfs_csv_and_calendar_files_are_not_stored(
    client, ministry_user, documents, name, args, content_type
):
    client.force_login(ministry_user)
    response = client.get(reverse(f"negotiations:{name}", args=args(documents)))
    assert response["Content-Type"].startswith(content_type)
    assert no_store(response)


def test_the_round_calendar_feed_is_not_stored_though_nobody_signs_in(client, documents):
    url = reverse(
        "negotiations:round-calendar", args=[documents.round.pk, documents.round.calendar_token]
    )
    assert no_store(client.get(url))


def test_public_pages_for_anonymous_visitors_may_be_cached(client):
    response = client.get(reverse("negotiations:public-records"))
    assert response.status_code == 200
    assert not response.has_header("Cache-Control")


def test_a_views_own_cache_control_is_kept(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(reverse("healthz"))
    assert "max-age=0" in response["Cache-Control"]
