"""The page cache (pagecache): the database counts every change of a tracked table, and a
cached page is answered from the cache only while none of the tables it reads has changed,
for the same user, language, address and day; each answer with its own CSRF token and nonce."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import LazyNonce

from audit.models import UsageEntry
from negotiations import feedback
from negotiations.models import Negotiation, ReportSection, ReportSectionVersion, Round
from pagecache import pages
from pagecache.models import TableVersion
from pagecache.pages import TableOutsideTheKey, TextsOf, cached_page
from regions.models import RegionMembership
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import county, make_round, negotiate

pytestmark = pytest.mark.django_db


def version(table: str) -> int:
    found = TableVersion.objects.filter(table=table).values_list("version", flat=True)
    return found.first() or 0


def changes(table: str, write) -> int:
    before = version(table)
    write()
    return version(table) - before


def test_every_kind_of_write_counts_in_its_tables_version():
    round_ = make_round(2030)
    rounds = Round._meta.db_table
    assert changes(rounds, lambda: Round.objects.filter(pk=round_.pk).update(name_fi="Uusi"))
    assert changes(rounds, lambda: round_.save())
    assert changes(rounds, lambda: make_round(2031))
    negotiations = Negotiation._meta.db_table
    regions = [county("08"), county("19")]
    assert changes(
        negotiations,
        lambda: Negotiation.objects.bulk_create(
            Negotiation(round=round_, region=r) for r in regions
        ),
    )

    def raw_sql():
        with connection.cursor() as cursor:
            cursor.execute(f'UPDATE "{rounds}" SET name_sv = %s', ["Ny"])

    assert changes(rounds, raw_sql)
    assert changes(negotiations, lambda: Negotiation.objects.filter(round=round_).delete())
    # A many-to-many list counts in its own table (a page reading the model reads it too).
    user = Group.objects.get(name=MINISTRY_OFFICIAL).user_set.model.objects.create(username="u")
    assert changes("auth_user_groups", lambda: user.groups.add(Group.objects.first()))
    # What no page shows is not counted: the usage log is written by every request.
    UsageEntry.objects.create(kind=UsageEntry.Kind.VIEW, path="/")
    assert not TableVersion.objects.filter(table=UsageEntry._meta.db_table).exists()


def test_a_page_comes_from_the_cache_until_a_table_it_shows_changes(client, ministry_user):
    round_ = make_round(2030, name="Kierros A")
    client.force_login(ministry_user)
    assert "Kierros A" in client.get(reverse("home")).text
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("home"))
    assert "Kierros A" in again.text
    read = " ".join(query["sql"] for query in queries)
    assert 'FROM "pagecache_tableversion"' in read and '"negotiations_round"' not in read
    # An update() sends no signal; the database counts it all the same.
    Round.objects.filter(pk=round_.pk).update(name_fi="Kierros B")
    text = client.get(reverse("home")).text
    assert "Kierros B" in text and "Kierros A" not in text


def _nonce(response) -> str:
    return re.search(r'<script src="[^"]+" defer nonce="([^"]+)">', response.text).group(1)


def _token(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def test_each_answer_has_its_own_nonce_and_a_csrf_token_that_works(ministry_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ministry_user)
    drawn, kept = client.get(reverse("home")), client.get(reverse("home"))
    for response in (drawn, kept):
        assert _nonce(response) in response.headers["Content-Security-Policy"]
        assert "pagecache-" not in response.text
    assert _nonce(drawn) != _nonce(kept)
    # The kept page's token is this session's: the language switcher in it posts.
    switched = client.post(
        reverse("set_language"),
        {"language": "sv", "next": "/", "csrfmiddlewaretoken": _token(kept)},
    )
    assert switched.status_code == 302
    assert 'lang="sv"' in client.get(reverse("home")).text


def test_a_message_waiting_is_shown_even_when_the_data_has_not_changed(client, pirkanmaa_preparer):
    round_ = make_round(2030, themes=["henkilosto"], status=Round.Status.OPEN_FOR_REPORTS)
    negotiation = negotiate(round_, county("08"))
    section = ReportSection.objects.get(report__negotiation=negotiation)
    page = reverse("negotiations:report-detail", args=[negotiation.pk])
    client.force_login(pirkanmaa_preparer)
    client.get(page)
    # The same text again: nothing is written, and the page says it is saved.
    unchanged = {f"text-{section.pk}": section.text, f"version-{section.pk}": section.version}
    save = reverse("negotiations:report-section-save", args=[section.report_id, section.pk])
    before = version(ReportSection._meta.db_table)
    assert client.post(save, unchanged, follow=False).status_code == 302
    assert version(ReportSection._meta.db_table) == before
    assert "tallennettiin" in client.get(page).text
    assert "tallennettiin" not in client.get(page).text


def test_the_sections_feedback_is_shown_on_a_page_that_was_kept(client, pirkanmaa_preparer):
    assert feedback.SESSION_KEY in settings.PAGE_CACHE_SHOWN_ONCE
    round_ = make_round(2030, themes=["henkilosto"], status=Round.Status.OPEN_FOR_REPORTS)
    negotiation = negotiate(round_, county("08"))
    report = negotiation.report
    page = reverse("negotiations:report-detail", args=[negotiation.pk])
    client.force_login(pirkanmaa_preparer)
    client.get(page)
    # An upload without a file writes nothing and leaves its feedback in the session.
    upload = reverse("negotiations:report-attachment-upload", args=[report.pk])
    assert client.post(upload, {}).status_code == 302
    assert "Liitettä ei lisätty." in client.get(page).text
    assert "Liitettä ei lisätty." not in client.get(page).text


def test_a_preparer_who_loses_the_region_is_refused_at_once(client, pirkanmaa_preparer):
    round_ = make_round(2030, themes=["henkilosto"], status=Round.Status.OPEN_FOR_REPORTS)
    negotiation = negotiate(round_, county("08"))
    page = reverse("negotiations:report-detail", args=[negotiation.pk])
    client.force_login(pirkanmaa_preparer)
    assert client.get(page).status_code == 200
    assert client.get(page).status_code == 200
    RegionMembership.objects.filter(user=pirkanmaa_preparer).delete()
    assert client.get(page).status_code == 404


def test_each_user_and_each_query_string_has_its_own_page(client, ministry_user, lappi_preparer):
    round_ = make_round(2030, status=Round.Status.NEGOTIATING)
    pirkanmaa, lappi = county("08"), county("19")
    negotiate(round_, pirkanmaa)
    negotiate(round_, lappi)
    url = reverse("negotiations:round-schedule", args=[round_.pk])
    client.force_login(ministry_user)
    assert lappi.name in client.get(url).text and pirkanmaa.name in client.get(url).text
    client.force_login(lappi_preparer)
    assert client.get(url).status_code in (403, 404)
    client.force_login(ministry_user)
    dashboard = reverse("negotiations:round-detail", args=[round_.pk])
    everyone = client.get(dashboard).text
    lapland = client.get(f"{dashboard}?region={lappi.pk}").text
    assert everyone != lapland


def _request(user) -> object:
    request = RequestFactory().get("/")
    request.user, request.session, request._csp_nonce = user, SessionStore(), LazyNonce()
    request._messages = FallbackStorage(request)
    return request


def test_a_view_that_reads_a_table_outside_its_key_fails(ministry_user, settings):
    def lists_negotiations(request):
        return HttpResponse(str(list(Negotiation.objects.all())))

    with pytest.raises(TableOutsideTheKey, match="negotiations_negotiation"):
        cached_page(Round)(lists_negotiations)(_request(ministry_user))
    assert cached_page(Round, Negotiation)(lists_negotiations)(_request(ministry_user))


def test_tomorrow_is_another_key(ministry_user, monkeypatch):
    request = _request(ministry_user)
    today = pages.page_key(request, "view", ("negotiations_round",))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(pages.timezone, "localdate", lambda: tomorrow)
    assert pages.page_key(request, "view", ("negotiations_round",)) != today


def test_a_sections_texts_count_apart_from_the_section(pirkanmaa_preparer):
    round_ = make_round(2030, themes=["henkilosto"], status=Round.Status.OPEN_FOR_REPORTS)
    negotiation = negotiate(round_, county("08"))
    section = ReportSection.objects.get(report__negotiation=negotiation)
    table = ReportSection._meta.db_table

    def autosave():
        section.save_texts(texts={"text": "Uusi"}, base_version=section.version, by=None)

    before = version(table)
    assert changes(f"{table}.texts", autosave)
    # The home page, the tracker and the report's carried actions show a section's title,
    # not its texts: an autosave leaves their key as it was.
    assert version(table) == before
    assert changes(
        table, lambda: ReportSection.objects.filter(pk=section.pk).update(round_theme=None)
    )


def test_a_view_that_shows_texts_must_say_so(ministry_user):
    def lists_texts(request):
        return HttpResponse(
            str(list(ReportSection.objects.order_by().values_list("text", flat=True)))
        )

    def lists_titles(request):
        return HttpResponse(
            str(list(ReportSection.objects.order_by().values_list("pk", flat=True)))
        )

    with pytest.raises(TableOutsideTheKey, match=r'"negotiations_reportsection"\."text"'):
        cached_page(ReportSection)(lists_texts)(_request(ministry_user))
    assert cached_page(TextsOf(ReportSection))(lists_texts)(_request(ministry_user))
    assert cached_page(ReportSection)(lists_titles)(_request(ministry_user))


def test_the_saved_versions_of_sections_are_not_counted_and_no_cached_page_reads_them():
    round_ = make_round(2030, themes=["henkilosto"], status=Round.Status.OPEN_FOR_REPORTS)
    section = ReportSection.objects.get(report__negotiation=negotiate(round_, county("08")))
    section.save_texts(texts={"text": "Versio"}, base_version=section.version, by=None)
    assert section.versions.exists()
    assert not TableVersion.objects.filter(table=ReportSectionVersion._meta.db_table).exists()
    with pytest.raises(ImproperlyConfigured, match="ReportSectionVersion"):
        cached_page(ReportSectionVersion)
