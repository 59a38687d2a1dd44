"""The usage log in the admin: searchable and exportable, never changed or deleted."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import UsageEntry
from tests.factories import ADDRESS, clear_log, county, log_of, the_entry

pytestmark = pytest.mark.django_db

Kind = UsageEntry.Kind
CHANGELIST = "admin:audit_usageentry_changelist"


@pytest.fixture
def entries(db) -> list[UsageEntry]:
    clear_log()
    now = timezone.now()
    return [
        UsageEntry.objects.create(
            at=now - datetime.timedelta(days=40),
            kind=Kind.VIEW,
            username="virkamies",
            ip_address=ADDRESS,
            object_type="negotiation",
            object_id="7",
            region=county("08"),
            path="/negotiations/7/record/",
        ),
        UsageEntry.objects.create(
            at=now,
            kind=Kind.SIGN_IN_FAILED,
            username='=HYPERLINK("http://example.com","x")',
            ip_address="203.0.113.9",
        ),
    ]


def results(response) -> list[UsageEntry]:
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_the_admin_reads_searches_and_filters_the_log(client, superuser, entries):
    client.force_login(superuser)
    url = reverse(CHANGELIST)
    viewed, failed = entries
    assert results(client.get(url, {"q": "virkamies"})) == [viewed]
    assert results(client.get(url, {"q": "203.0.113.9"})) == [failed]
    assert results(client.get(url, {"q": "7"})) == [viewed]
    assert results(client.get(url, {"kind__exact": "sign-in-failed"})) == [failed]
    assert results(client.get(url, {"region__id__exact": county("08").pk})) == [viewed]
    assert results(client.get(url, {"object_type__exact": "negotiation"})) == [viewed]
    today = timezone.localdate()
    in_month = {"at__year": today.year, "at__month": today.month}
    assert failed in results(client.get(url, in_month))
    page = client.get(reverse("admin:audit_usageentry_change", args=[viewed.pk]))
    assert page.status_code == 200
    assert "/negotiations/7/record/" in page.text


def test_the_admin_can_neither_add_change_nor_delete_entries(client, superuser, entries):
    client.force_login(superuser)
    entry = entries[0]
    change_url = reverse("admin:audit_usageentry_change", args=[entry.pk])
    assert client.get(reverse("admin:audit_usageentry_add")).status_code == 403
    page = client.get(change_url)
    assert 'name="_save"' not in page.text
    assert client.post(change_url, {"username": "joku muu"}).status_code == 403
    assert client.get(reverse("admin:audit_usageentry_delete", args=[entry.pk])).status_code == 403
    changelist = client.get(reverse(CHANGELIST))
    assert list(changelist.context["action_form"].fields["action"].choices)[1:] == [
        ("export_csv", "Vie valitut CSV-tiedostoon")
    ]
    client.post(reverse(CHANGELIST), {"action": "delete_selected", "_selected_action": [entry.pk]})
    entry.refresh_from_db()
    assert entry.username == "virkamies"
    assert UsageEntry.objects.filter(pk__in=[e.pk for e in entries]).count() == 2


def test_entries_refuse_changes_and_deletion_outside_the_admin_too(entries):
    entry = entries[0]
    entry.username = "joku muu"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    with pytest.raises(PermissionDenied):
        UsageEntry.objects.filter(pk=entry.pk).update(username="joku muu")
    with pytest.raises(PermissionDenied):
        UsageEntry.objects.all().delete()
    entry.refresh_from_db()
    assert entry.username == "virkamies"


def test_the_log_is_exported_as_csv_with_formulas_defused(client, superuser, entries):
    client.force_login(superuser)
    response = client.post(
        reverse(CHANGELIST),
        {"action": "export_csv", "_selected_action": [e.pk for e in entries]},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="kayttoloki.csv"'
    assert "no-store" in response["Cache-Control"]
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:4] == ["Aika", "Käyttäjätunnus", "IP-osoite", "Tapahtuma"]
    assert [row[1] for row in rows[1:]] == ["virkamies", '\'=HYPERLINK("http://example.com","x")']
    assert rows[1][3:7] == ["katselu", "negotiation", "7", "Pirkanmaa"]
    # Exporting the log is a download of the log, by whom and from where.
    export = the_entry(kind=Kind.DOWNLOAD)
    assert (export.kind, export.user, export.ip_address) == (Kind.DOWNLOAD, superuser, ADDRESS)
    assert export.object_type == "audit.usageentry"
    assert export.detail == "action=export_csv; _selected_action=" + ",".join(
        str(e.pk) for e in entries
    )


def test_reading_the_log_is_logged(client, superuser, entries):
    client.force_login(superuser)
    client.get(reverse(CHANGELIST), {"q": "virkamies"})
    entry = the_entry(kind=Kind.VIEW, user=superuser)
    assert (entry.kind, entry.user, entry.url_name) == (
        Kind.VIEW,
        superuser,
        "admin:audit_usageentry_changelist",
    )
    assert entry.path == reverse(CHANGELIST) + "?q=virkamies"


def test_only_admins_see_the_log(client, ministry_user, entries):
    client.force_login(ministry_user)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert log_of(kind=Kind.VIEW, user=ministry_user) == []
