"""E-mails to a region's preparers, each written in the language the preparer uses."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from regions.models import Region, preferred_language


def region_preparers(region: Region):
    return User.objects.filter(region_memberships__region=region, is_active=True).exclude(email="")


def send_to_region_preparers(region: Region, template: str, context: dict) -> int:
    """Render `negotiations/email/<template>_subject.txt` and `_body.txt` once per preparer
    and send them when the current transaction commits: a change that is rolled back tells
    nobody. Returns the number of messages queued.
    """
    messages = []
    for user in region_preparers(region):
        with translation.override(preferred_language(user)):
            full_context = {
                **context,
                "region": region,
                "user": user,
                "site_url": settings.SITE_URL,
            }
            subject = render_to_string(f"negotiations/email/{template}_subject.txt", full_context)
            body = render_to_string(f"negotiations/email/{template}_body.txt", full_context)
        messages.append(
            EmailMessage(
                subject=" ".join(subject.split()),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            )
        )
    transaction.on_commit(lambda: [message.send() for message in messages])
    return len(messages)
