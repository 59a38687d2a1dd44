"""The usage log (Information Management Act 906/2019 § 17): who did what, when, from which
address, for every kind of event; one INSERT per request."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import UsageEntry
from audit.routes import ROUTES
from negotiations.urls import urlpatterns as negotiation_urls
from regions.models import RegionMembership
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import ADDRESS, clear_log, county, log_of, make_user, the_entry

pytestmark = pytest.mark.django_db

Kind = UsageEntry.Kind


def assert_recent(entry: UsageEntry) -> None:
    assert timezone.now() - datetime.timedelta(minutes=1) < entry.at <= timezone.now()


def usage_inserts(queries) -> int:
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith('INSERT INTO "audit_usageentry"')
    )


# --- signing in and out ---------------------------------------------------------------------


def test_signing_in_is_logged_once_with_the_user_and_address(client, ministry_user):
    clear_log()
    response = client.post(
        reverse("login"),
        {"username": "virkamies", "password": "salasana-123"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    entry = the_entry()
    assert entry.kind == Kind.SIGN_IN
    assert (entry.user, entry.username, entry.ip_address) == (ministry_user, "virkamies", ADDRESS)
    assert (entry.object_type, entry.object_id) == ("auth.user", str(ministry_user.pk))
    assert (entry.method, entry.path, entry.status_code) == ("POST", reverse("login"), 302)
    assert_recent(entry)


def test_a_failed_sign_in_is_logged_with_the_username_that_was_typed(client, ministry_user):
    clear_log()
    client.post(
        reverse("login"), {"username": "virkamies", "password": "väärä"}, REMOTE_ADDR=ADDRESS
    )
    entry = the_entry()
    assert entry.kind == Kind.SIGN_IN_FAILED
    assert (entry.user, entry.username, entry.ip_address) == (None, "virkamies", ADDRESS)
    assert entry.status_code == 200
    assert "väärä" not in entry.detail and "väärä" not in entry.path
    assert_recent(entry)


def test_failed_sign_ins_stay_in_the_log_after_a_successful_one(client, ministry_user):
    clear_log()
    for _ in range(2):
        client.post(reverse("login"), {"username": "virkamies", "password": "väärä"})
    client.post(reverse("login"), {"username": "virkamies", "password": "salasana-123"})
    assert [entry.kind for entry in log_of()] == [
        Kind.SIGN_IN_FAILED,
        Kind.SIGN_IN_FAILED,
        Kind.SIGN_IN,
    ]


def test_signing_out_is_logged(client, ministry_user):
    client.force_login(ministry_user)
    clear_log()
    client.post(reverse("logout"), REMOTE_ADDR=ADDRESS)
    entry = the_entry()
    assert entry.kind == Kind.SIGN_OUT
    assert (entry.user, entry.ip_address, entry.object_id) == (
        ministry_user,
        ADDRESS,
        str(ministry_user.pk),
    )
    assert_recent(entry)


# --- views and downloads --------------------------------------------------------------------

READS = [
    # (URL name, its arguments, kind, object type, object, region code)
    ("report-detail", lambda d: [d.pirkanmaa.pk], Kind.VIEW, "negotiation", "pirkanmaa", "08"),
    ("record-detail", lambda d: [d.pirkanmaa.pk], Kind.VIEW, "negotiation", "pirkanmaa", "08"),
    ("negotiation-detail", lambda d: [d.lappi.pk], Kind.VIEW, "negotiation", "lappi", "21"),
    ("record-pdf", lambda d: [d.pirkanmaa.pk], Kind.DOWNLOAD, "negotiation", "pirkanmaa", "08"),
    (
        "report-attachment",
        lambda d: [d.report.pk, d.attachment.pk],
        Kind.DOWNLOAD,
        "report",
        "report",
        "08",
    ),
    (
        "assessment-file",
        lambda d: [d.pirkanmaa.pk],
        Kind.DOWNLOAD,
        "negotiation",
        "pirkanmaa",
        "08",
    ),
    (
        "negotiation-calendar",
        lambda d: [d.pirkanmaa.pk],
        Kind.DOWNLOAD,
        "negotiation",
        "pirkanmaa",
        "08",
    ),
    ("round-pdf", lambda d: [d.round.pk], Kind.DOWNLOAD, "round", "round", None),
    ("action-export", lambda d: [], Kind.DOWNLOAD, "", None, None),
]


@pytest.mark.parametrize(
    ("name", "args", "kind", "object_type", "target", "region_code"),
    READS,
    ids=[read[0] for read in READS],
)
def test_reading_a_document_is_logged_with_user_address_object_and_region(
    client, ministry_user, documents, name, args, kind, object_type, target, region_code
):
    client.force_login(ministry_user)
    clear_log()
    url = reverse(f"negotiations:{name}", args=args(documents))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 200
    entry = the_entry()
    assert (entry.kind, entry.url_name, entry.method, entry.status_code) == (
        kind,
        f"negotiations:{name}",
        "GET",
        200,
    )
    assert (entry.user, entry.username, entry.ip_address) == (ministry_user, "virkamies", ADDRESS)
    assert entry.object_type == object_type
    assert entry.object_id == (str(getattr(documents, target).pk) if target else "")
    assert entry.region == (county(region_code) if region_code else None)
    assert_recent(entry)
    assert usage_inserts(queries) == 1


def test_an_attachment_download_names_the_attachment(client, ministry_user, documents):
    client.force_login(ministry_user)
    clear_log()
    client.get(
        reverse(
            "negotiations:report-attachment", args=[documents.report.pk, documents.attachment.pk]
        )
    )
    assert the_entry().detail == f"attachment_pk={documents.attachment.pk}"


def test_the_round_calendar_feed_is_logged_without_its_secret_token(client, documents):
    token = documents.round.calendar_token
    clear_log()
    response = client.get(
        reverse("negotiations:round-calendar", args=[documents.round.pk, token]),
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200
    entry = the_entry()
    assert (entry.kind, entry.user, entry.ip_address) == (Kind.DOWNLOAD, None, ADDRESS)
    assert (entry.object_type, entry.object_id) == ("round", str(documents.round.pk))
    assert str(token) not in entry.path + entry.detail
    assert entry.path.endswith("/[token].ics")


def test_list_pages_public_pages_and_the_health_check_are_not_logged(
    client, ministry_user, documents
):
    client.force_login(ministry_user)
    clear_log()
    for url in (
        reverse("home"),
        reverse("negotiations:round-detail", args=[documents.round.pk]),
        reverse("negotiations:action-tracker"),
        reverse("negotiations:public-records"),
        reverse("healthz"),
        reverse("login"),
    ):
        client.get(url)
    assert log_of() == []


# --- changes, transitions, refusals -----------------------------------------------------------


def test_a_change_is_logged_with_what_was_chosen(client, ministry_user, documents):
    client.force_login(ministry_user)
    clear_log()
    url = reverse("negotiations:negotiation-language", args=[documents.pirkanmaa.pk])
    response = client.post(url, {"language": "sv"}, REMOTE_ADDR=ADDRESS)
    assert response.status_code == 302
    entry = the_entry()
    assert (entry.kind, entry.method, entry.status_code) == (Kind.CHANGE, "POST", 302)
    assert (entry.user, entry.ip_address, entry.region) == (ministry_user, ADDRESS, county("08"))
    assert (entry.object_type, entry.object_id) == ("negotiation", str(documents.pirkanmaa.pk))
    assert entry.detail == "language=sv"
    assert_recent(entry)


def test_a_state_transition_is_logged(client, ministry_user, documents):
    client.force_login(ministry_user)
    clear_log()
    url = reverse("negotiations:record-transition", args=[documents.record.pk])
    client.post(url, {"action": "send"}, REMOTE_ADDR=ADDRESS)
    entry = the_entry()
    assert (entry.kind, entry.user, entry.ip_address) == (Kind.TRANSITION, ministry_user, ADDRESS)
    assert (entry.object_type, entry.object_id) == ("record", str(documents.record.pk))
    assert (entry.region, entry.detail) == (county("08"), "action=send")


def test_a_preparers_attempt_at_another_regions_record_is_logged_as_refused(
    client, pirkanmaa_preparer, documents
):
    client.force_login(pirkanmaa_preparer)
    clear_log()
    response = client.get(
        reverse("negotiations:record-detail", args=[documents.lappi.pk]), REMOTE_ADDR=ADDRESS
    )
    assert response.status_code == 404
    entry = the_entry()
    assert (entry.kind, entry.status_code) == (Kind.REFUSED, 404)
    assert (entry.user, entry.ip_address) == (pirkanmaa_preparer, ADDRESS)
    assert (entry.object_type, entry.object_id) == ("negotiation", str(documents.lappi.pk))
    # The region of the record that was asked for, not the preparer's own.
    assert entry.region == county("21")
    assert_recent(entry)


def test_a_preparers_attempt_at_managing_a_round_is_logged_as_refused(
    client, pirkanmaa_preparer, documents
):
    client.force_login(pirkanmaa_preparer)
    clear_log()
    url = reverse("negotiations:round-status", args=[documents.round.pk])
    assert client.post(url, {"to": "closed"}).status_code == 403
    entry = the_entry()
    assert (entry.kind, entry.status_code, entry.user) == (Kind.REFUSED, 403, pirkanmaa_preparer)
    assert (entry.object_type, entry.object_id, entry.detail) == (
        "round",
        str(documents.round.pk),
        "to=closed",
    )


# --- permissions and memberships -------------------------------------------------------------


def test_an_admin_adding_a_membership_is_logged_with_the_admin_in_one_insert(
    client, superuser, lappi_preparer
):
    client.force_login(superuser)
    clear_log()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("admin:regions_regionmembership_add"),
            {"user": lappi_preparer.pk, "region": county("08").pk},
            REMOTE_ADDR=ADDRESS,
        )
    assert response.status_code == 302
    assert usage_inserts(queries) == 1
    change = the_entry(kind=Kind.PERMISSION_CHANGE)
    assert (change.user, change.username, change.ip_address) == (superuser, "paakayttaja", ADDRESS)
    assert (change.object_type, change.object_id) == ("auth.user", str(lappi_preparer.pk))
    assert change.region == county("08")
    assert change.detail == ("region membership added: lapin-valmistelija → county 08 Pirkanmaa")
    assert_recent(change)
    request = the_entry(kind=Kind.CHANGE)
    assert (request.object_type, request.url_name) == (
        "regions.regionmembership",
        "admin:regions_regionmembership_add",
    )


def test_an_admin_removing_a_membership_is_logged(client, superuser, lappi_preparer):
    membership = RegionMembership.objects.get(user=lappi_preparer)
    client.force_login(superuser)
    clear_log()
    url = reverse("admin:regions_regionmembership_delete", args=[membership.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    change = the_entry(kind=Kind.PERMISSION_CHANGE)
    assert change.user == superuser
    assert change.region == county("21")
    assert change.detail == "region membership removed: lapin-valmistelija → county 21 Lappi"


def test_group_and_permission_changes_are_logged_from_either_side(lappi_preparer):
    ministry = Group.objects.get(name=MINISTRY_OFFICIAL)
    clear_log()
    lappi_preparer.groups.add(ministry)
    ministry.user_set.remove(lappi_preparer)
    lappi_preparer.groups.clear()
    details = [(e.object_id, e.detail) for e in log_of(kind=Kind.PERMISSION_CHANGE)]
    user = str(lappi_preparer.pk)
    assert details == [
        (user, "lapin-valmistelija: groups +ministry-official"),
        (user, "lapin-valmistelija: groups -ministry-official"),
        (user, "lapin-valmistelija: groups -regional-preparer"),
    ]
    # Outside a request there is nobody to name but the change is still there.
    assert {e.user for e in log_of()} == {None}


def test_superuser_and_staff_flags_are_logged_and_a_sign_in_does_not_query_them(lappi_preparer):
    clear_log()
    lappi_preparer.is_superuser = True
    lappi_preparer.save()
    lappi_preparer.last_login = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        lappi_preparer.save(update_fields=["last_login"])
    assert len(queries) == 1
    assert the_entry().detail == "lapin-valmistelija: is_superuser: False → True"


def test_a_new_user_is_logged(db):
    clear_log()
    user = make_user("uusi-paakayttaja", is_staff=True)
    assert the_entry().detail == "user created: uusi-paakayttaja, is_staff"
    assert the_entry().object_id == str(user.pk)


# --- what is logged, in one place --------------------------------------------------------------


def test_every_url_of_the_app_is_in_the_usage_log_table():
    """A new URL must be classified: is a GET of it a view or a download, or not logged?"""
    names = {f"negotiations:{pattern.name}" for pattern in negotiation_urls}
    assert names - set(ROUTES) == set()


def test_deleting_a_user_leaves_their_entries_as_they_were(client, lappi_preparer, documents):
    client.force_login(lappi_preparer)
    client.get(reverse("negotiations:record-detail", args=[documents.lappi.pk]))
    viewed = the_entry(kind=Kind.VIEW)
    user_pk = lappi_preparer.pk
    lappi_preparer.delete()
    viewed.refresh_from_db()
    assert (viewed.user_id, viewed.username) == (user_pk, "lapin-valmistelija")
    assert the_entry(kind=Kind.PERMISSION_CHANGE, detail__startswith="user deleted").object_id == (
        str(user_pk)
    )
