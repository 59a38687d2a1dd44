"""Asking before a deletion: one page that works without JavaScript (GET asks, POST deletes),
the same question in a <dialog> when htmx asks for it (static/js/confirm-dialog.js opens it).

The views that delete (a participant, an attachment, a follow-up action) describe what goes
with a `Confirmation`; negotiations/confirm_delete.html shows it either way."""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from negotiations.models import Negotiation

TEMPLATE = "negotiations/confirm_delete.html"


@dataclass
class Fact:
    label: str
    value: str
    lang: str = ""  # stored text keeps the language it was written in


@dataclass
class Confirmation:
    question: str  # "Poistetaanko osallistuja?"
    confirm_label: str  # the button that deletes
    delete_url: str
    back_url: str  # where "Peruuta" leads without JavaScript
    negotiation: Negotiation
    document: str = ""  # "report" or "record": the breadcrumbs go through it
    facts: list[Fact] = field(default_factory=list)
    consequence: str = ""
    # Instead of the question: why it cannot be deleted (locked), or that it is gone already.
    refused: str = ""
    gone: str = ""


def render_confirmation(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    context = {
        "confirmation": confirmation,
        "negotiation": confirmation.negotiation,
        "document": confirmation.document,
    }
    if request.htmx:
        # 200 whatever it says: htmx swaps only successful answers, and the dialog explains.
        return render(request, f"{TEMPLATE}#dialog", context)
    status = 404 if confirmation.gone else 409 if confirmation.refused else 200
    return render(request, TEMPLATE, context, status=status)
