"""The retention period: `manage.py purge_usage_log` removes what is older, nothing else."""

import datetime
import io

import pytest
from axes.models import AccessLog
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import UsageEntry
from tests.factories import clear_log

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def entry_aged(age: datetime.timedelta) -> UsageEntry:
    return UsageEntry.objects.create(
        at=timezone.now() - age, kind=UsageEntry.Kind.SIGN_IN, username=f"{age.days} days"
    )


def purge(*args: str) -> str:
    out = io.StringIO()
    call_command("purge_usage_log", *args, stdout=out)
    return out.getvalue()


def test_the_default_retention_period_is_five_years(settings):
    assert settings.USAGE_LOG_RETENTION_DAYS == 5 * 365


def test_purging_removes_only_entries_older_than_the_retention_period():
    clear_log()
    old = entry_aged(5 * 365 * DAY + DAY)
    kept = [entry_aged(5 * 365 * DAY - DAY), entry_aged(DAY), entry_aged(datetime.timedelta())]
    output = purge()
    assert "Removed 1 usage log entries older than 1825 days" in output
    assert not UsageEntry.objects.filter(pk=old.pk).exists()
    assert list(UsageEntry.objects.order_by("at")) == sorted(kept, key=lambda e: e.at)


def test_the_retention_period_is_a_setting_and_an_option(settings):
    clear_log()
    entries = [entry_aged(40 * DAY), entry_aged(20 * DAY), entry_aged(DAY)]
    settings.USAGE_LOG_RETENTION_DAYS = 30
    assert "Removed 1 usage log entries" in purge()
    assert "Removed 1 usage log entries" in purge("--days", "10")
    assert list(UsageEntry.objects.all()) == [entries[2]]


def test_a_retention_period_under_a_day_is_refused():
    entry = entry_aged(DAY)
    with pytest.raises(CommandError, match="at least one day"):
        purge("--days", "0")
    assert UsageEntry.objects.filter(pk=entry.pk).exists()


def test_axes_sign_in_logs_go_after_the_same_period():
    old = AccessLog.objects.create(
        username="virkamies", ip_address="192.0.2.1", user_agent="", http_accept="", path_info=""
    )
    AccessLog.objects.filter(pk=old.pk).update(attempt_time=timezone.now() - 6 * 365 * DAY)
    new = AccessLog.objects.create(
        username="virkamies", ip_address="192.0.2.1", user_agent="", http_accept="", path_info=""
    )
    assert "1 sign-in logs" in purge()
    assert list(AccessLog.objects.all()) == [new]
