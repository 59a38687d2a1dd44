"""The feedback of a section after a redirect (negotiations/feedback.py): the partials of the
participants, the attachments and a theme's actions are included by pages whose views only
know that they show the section."""

from django import template

from negotiations import feedback
from negotiations.forms.attachments import AttachmentForm

register = template.Library()


@register.simple_tag(takes_context=True)
def feedback_for(context, kind: str, pk: int) -> feedback.Feedback | None:
    """`{% feedback_for "attachments" report.pk as feedback %}`: taken once, in a full page
    only (an htmx fragment of the same section leaves it for the page)."""
    request = context.get("request")
    if request is None:
        return None
    places = {
        "participants": feedback.participants_place,
        "region-theme": feedback.region_theme_place,
        "attachments": feedback.attachments_place,
        "actions": feedback.actions_place,
    }
    return feedback.take(request, places[kind](pk))


@register.simple_tag(takes_context=True)
def refused_attachment_form(context, report, field_errors: dict) -> AttachmentForm:
    """The upload form with the errors of the upload just refused, at the file field."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return AttachmentForm.refused(
        [error for errors in field_errors.values() for error in errors],
        report=report,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
