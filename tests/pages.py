"""The service's addresses and the parts of its pages that tests read."""

import re

from django.urls import reverse

from negotiations.models import FollowUpAction, Participant, ReportAttachment


def participant_delete_url(participant: Participant) -> str:
    return reverse(
        "negotiations:participant-delete", args=[participant.negotiation_id, participant.pk]
    )


def attachment_delete_url(attachment: ReportAttachment) -> str:
    return reverse(
        "negotiations:report-attachment-delete", args=[attachment.report_id, attachment.pk]
    )


def action_delete_url(action: FollowUpAction) -> str:
    record = action.section.record
    return reverse("negotiations:action-delete", args=[record.pk, action.section_id, action.pk])


def progress_summary(response) -> dict[str, str]:
    """The summary list of a round's progress (the dashboard, the home page): {term: text}."""
    block = re.search(r'<dl class="summary-list progress-summary">(.*?)</dl>', response.text, re.S)
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block.group(1), re.S)
    return {dt: " ".join(re.sub(r"<[^>]+>", " ", dd).split()) for dt, dd in pairs}
