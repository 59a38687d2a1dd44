"""Pages about the service itself, the same for everyone whether signed in or not.

The accessibility statement lives here rather than in `regions`: it is about the whole
service, not about who the counterparties are, and `negotiations/views/` already holds the
service-wide home page.
"""

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

# The day the statement was last reviewed against the service; change it with the text.
STATEMENT_DATE = datetime.date(2026, 12, 1)


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement required by the Act on the Provision of Digital Services
    (306/2019): conformance, the known gaps, the feedback address and the supervisor."""
    return render(
        request,
        "negotiations/accessibility_statement.html",
        {
            "feedback_email": settings.ACCESSIBILITY_FEEDBACK_EMAIL,
            "statement_date": STATEMENT_DATE,
        },
    )
