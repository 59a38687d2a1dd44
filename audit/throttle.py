"""A limit on the expensive requests one user may make: drawing PDFs of drafts (a published
record's PDF is drawn once and then served from storage, see negotiations/views/pdf.py).

The count and the new row are one transaction on the user's locked row, so requests sent at
once are counted one after the other: the limit holds also for a burst.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from audit.models import PdfRender

WINDOW = datetime.timedelta(minutes=1)


def allow_pdf_render(user) -> bool:
    """True, and counted, if `user` has drawn fewer than PDF_RENDERS_PER_MINUTE PDFs in the
    last minute; False otherwise (nothing is counted)."""
    now = timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().only("pk").get(pk=user.pk)
        renders = PdfRender.objects.filter(user=user)
        renders.filter(at__lt=now - WINDOW).delete()
        if renders.count() >= settings.PDF_RENDERS_PER_MINUTE:
            return False
        PdfRender.objects.create(user=user, at=now)
    return True
