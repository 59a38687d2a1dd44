"""`manage.py purge_usage_log`: remove usage log entries older than the retention period.

Run it daily (cron, a systemd timer). Axes' sign-in logs (AccessLog, AccessFailureLog) are
personal data of the same kind and go after the same period.
"""

import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.models import UsageEntry


class Command(BaseCommand):
    help = "Removes usage log entries older than USAGE_LOG_RETENTION_DAYS (default 5 years)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of USAGE_LOG_RETENTION_DAYS.",
        )

    def handle(self, *args, days: int | None = None, **options) -> None:
        days = settings.USAGE_LOG_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError("The retention period must be at least one day.")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        removed = UsageEntry.objects.purge_before(cutoff)
        sign_ins = AxesProxyHandler.reset_logs(age_days=days)
        failures = AxesProxyHandler.reset_failure_logs(age_days=days)
        self.stdout.write(
            f"Removed {removed} usage log entries older than {days} days "
            f"(before {timezone.localtime(cutoff):%d.%m.%Y %H:%M}), "
            f"{sign_ins} sign-in logs and {failures} failed sign-in logs of django-axes."
        )
