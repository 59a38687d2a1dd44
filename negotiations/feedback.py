"""Feedback where the focus lands: after a change and its redirect, the message is shown in
the section that changed (the participants, a report's attachments, a theme's actions), not
at the top of a long page, and takes the focus there.

A view says `give(request, place, text)` before it redirects; the section's template takes
the feedback for its place with `{% feedback_for place as feedback %}`
(negotiations/templatetags/feedback.py). The session carries it over the redirect, like
Django's messages, but only the section it names shows it.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest

SESSION_KEY = "section_feedback"


@dataclass(frozen=True)
class Feedback:
    text: str
    error: bool = False
    # A refused form after the redirect: {field name: [messages]}, shown at the field again.
    field_errors: dict[str, list[str]] = field(default_factory=dict)


def participants_place(negotiation_pk: int) -> str:
    return f"participants-{negotiation_pk}"


def region_theme_place(negotiation_pk: int) -> str:
    return f"region-theme-{negotiation_pk}"


def attachments_place(report_pk: int) -> str:
    return f"attachments-{report_pk}"


def actions_place(section_pk: int) -> str:
    return f"actions-{section_pk}"


def give(
    request: HttpRequest,
    place: str,
    text: str,
    *,
    error: bool = False,
    field_errors: dict[str, list[str]] | None = None,
) -> None:
    """Keep `text` for the next page that shows `place`; a newer feedback replaces it."""
    stored = request.session.get(SESSION_KEY, {})
    errors = {name: [str(m) for m in messages] for name, messages in (field_errors or {}).items()}
    stored[place] = {"text": str(text), "error": error, "field_errors": errors}
    request.session[SESSION_KEY] = stored


def take(request: HttpRequest, place: str) -> Feedback | None:
    """The feedback for `place`, once: shown, it is gone."""
    session = getattr(request, "session", None)
    if session is None or place not in session.get(SESSION_KEY, {}):
        return None
    stored = session[SESSION_KEY]
    item = stored.pop(place)
    session[SESSION_KEY] = stored
    return Feedback(
        text=item.get("text", ""),
        error=bool(item.get("error")),
        field_errors=item.get("field_errors") or {},
    )
