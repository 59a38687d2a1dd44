"""Sign-in throttling: django-axes, with a limit of its own for an address alone.

AXES_LOCKOUT_PARAMETERS counts failures per username + address (someone guessing one
account's password) and per address alone (password spraying: a few guesses at many
accounts). Axes compares every count with the one AXES_FAILURE_LIMIT; an address shared by a
whole office needs a higher limit, AXES_ADDRESS_FAILURE_LIMIT.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressLimitHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures on the scale of AXES_FAILURE_LIMIT: a count that reaches its own
        limit reaches AXES_FAILURE_LIMIT, one below it stays below."""
        limit = get_failure_limit(request, credentials)
        parameters = get_lockout_parameters(request, credentials)
        attempts_list = self.get_user_attempts(request, credentials)
        failures = 0
        for parameter, attempts in zip(parameters, attempts_list, strict=True):
            count = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            own_limit = settings.AXES_ADDRESS_FAILURE_LIMIT if parameter == "ip_address" else limit
            failures = max(failures, count * limit // own_limit)
        return failures

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        """Who signs in forgets their own failures from this address, nobody else's.

        Axes' AXES_RESET_ON_SUCCESS would delete every attempt matching any lockout
        parameter, with the address alone every failure from the address: one valid account
        would then wipe out a password spraying's count. The failures themselves stay in the
        usage log (audit.UsageEntry) for its retention period.
        """
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(
            username=user.get_username(),
            ip_address=request.axes_ip_address,
        ).delete()
