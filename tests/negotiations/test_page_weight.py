"""The situation report and the record stay light with many carried-over actions (issue 12):
no progress-note form until one is asked for, one GET that loads it in place with htmx, and
the action's page as the way without JavaScript."""

import datetime

import pytest
from django.urls import reverse

from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    RecordSection,
    Round,
)
from negotiations.services import ensure_record
from tests.factories import county, make_round, negotiate

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
MAX_BYTES = 100 * 1024
CARRIED = 80
# About as long as the benchmark's texts: an action of 30 words, notes of 30 words.
WHAT = "Selvitetään päivystyksen henkilöstömitoitus ja laaditaan suunnitelma {n}, " * 3
NOTE = "Selvitys eteni: työryhmä kokoontui ja ensimmäiset tulokset valmistuvat syksyllä. " * 3


# The rounds' one theme, titled in three languages.
PERSONNEL = ("henkilosto", "Henkilöstö", "Personal", "Staff")


@pytest.fixture
def earlier(ministry_user) -> Negotiation:
    """Pirkanmaa's negotiation of 2026, whose record the region sees, with open actions."""
    negotiation = negotiate(
        make_round(2026, themes=[PERSONNEL], status=Round.Status.CLOSED), county("08")
    )
    record = ensure_record(negotiation)
    record.send_for_comments(by=ministry_user)
    return negotiation


@pytest.fixture
def carried(earlier, ministry_user) -> list[FollowUpAction]:
    section = ensure_record(earlier).sections.filter(kind=RecordSection.Kind.THEME).first()
    actions = FollowUpAction.objects.bulk_create(
        FollowUpAction(
            negotiation=earlier,
            section=section,
            what=WHAT.format(n=n),
            responsible=FollowUpAction.Responsible.REGION,
            owner="Hallintoylilääkäri",
            due_date=datetime.date(2026, 6, 30),
            status=FollowUpAction.Status.IN_PROGRESS,
        )
        for n in range(CARRIED)
    )
    ActionProgressNote.objects.bulk_create(
        ActionProgressNote(action=action, text=f"{NOTE} ({i})", author=ministry_user)
        for action in actions
        for i in range(3)
    )
    return actions


@pytest.fixture
def current(carried) -> Negotiation:
    round_ = make_round(2027, themes=[PERSONNEL], status=Round.Status.OPEN_FOR_REPORTS)
    return negotiate(round_, county("08"))  # Pirkanmaa


def form_url(action: FollowUpAction) -> str:
    return reverse("negotiations:action-note-form", args=[action.pk])


def page_url(action: FollowUpAction) -> str:
    return reverse("negotiations:action-edit", args=[action.pk])


# --- the pages ------------------------------------------------------------------------------


def carried_url(negotiation: Negotiation, name: str = "report-carried-actions") -> str:
    return reverse(f"negotiations:{name}", args=[negotiation.pk])


def test_the_report_with_80_carried_actions_is_under_100_kb_and_folds_them(
    client, log_in_as, current, carried
):
    log_in_as("own-preparer")
    response = client.get(reverse("negotiations:report-detail", args=[current.pk]))
    assert response.status_code == 200
    assert len(response.content) < MAX_BYTES, len(response.content)
    earlier_actions = response.text.split('id="earlier-actions-heading"')[1]
    assert f"{CARRIED} avointa toimenpidettä aiemmilta kierroksilta" in earlier_actions
    assert f'data-hx-get="{carried_url(current)}"' in earlier_actions
    assert f'<a href="{carried_url(current)}">' in earlier_actions  # without JavaScript
    assert 'class="carried-action"' not in earlier_actions


def test_the_reports_list_of_80_carried_actions_has_no_note_form(
    client, log_in_as, current, carried
):
    log_in_as("own-preparer")
    response = client.get(carried_url(current), **HTMX)
    assert response.status_code == 200
    earlier_actions = response.text
    assert "<html" not in earlier_actions  # the partial the disclosure loads
    assert len(response.content) < MAX_BYTES, len(response.content)
    assert "<textarea" not in earlier_actions
    assert 'name="text"' not in earlier_actions
    assert earlier_actions.count("Lisää edistymismerkintä") == CARRIED
    # Each link is named after its action, loads the form in place and works without htmx.
    action = carried[0]
    assert f'aria-labelledby="note-{action.pk}-add action-{action.pk}-title"' in earlier_actions
    assert f'data-hx-get="{form_url(action)}"' in earlier_actions
    assert f'<a href="{page_url(action)}?next=' in earlier_actions
    # The latest note is on the page; all of them come with the form.
    assert earlier_actions.count("Viimeisin 3 edistymismerkinnästä") == CARRIED
    assert earlier_actions.count(NOTE[:60]) == CARRIED
    # Without JavaScript the same list is a page of its own.
    page = client.get(carried_url(current))
    assert "<html" in page.text
    assert page.text.count('class="carried-action"') == CARRIED


def test_the_record_with_80_carried_actions_is_under_100_kb(client, log_in_as, current, carried):
    log_in_as("ministry")
    response = client.get(reverse("negotiations:record-detail", args=[current.pk]))
    assert response.status_code == 200
    assert len(response.content) < MAX_BYTES, len(response.content)
    table_url = carried_url(current, "carried-actions")
    assert f'data-hx-get="{table_url}"' in response.text
    assert f'<tr id="action-{carried[0].pk}">' not in response.text
    table = client.get(table_url, **HTMX).text
    assert table.count(f'<tr id="action-{carried[0].pk}">') == 1
    assert table.count("<tr id=") == CARRIED
    assert 'name="text" rows="3"' not in table


# --- the form on demand ---------------------------------------------------------------------


def test_htmx_gets_the_notes_the_form_and_its_live_region(client, log_in_as, carried):
    log_in_as("own-preparer")
    action = carried[0]
    response = client.get(form_url(action), **HTMX)
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text
    assert '<div class="action-notes">' in text
    assert (
        f'<form method="post" action="{reverse("negotiations:action-note-add", args=[action.pk])}"'
        in text
    )
    assert f'id="note-{action.pk}-text"' in text
    assert "autofocus" in text
    assert f'<p id="action-note-status-{action.pk}" class="section-status" role="status"' in text
    assert text.count('class="report-text"') == 3  # every note
    assert response["Vary"].count("HX-Request")


def test_without_htmx_the_form_endpoint_leads_to_the_action_page_with_the_form(
    client, log_in_as, carried, current
):
    log_in_as("own-preparer")
    action = carried[0]
    back = f"{reverse('negotiations:report-detail', args=[current.pk])}#action-{action.pk}"
    response = client.get(form_url(action), {"next": back})
    assert response.status_code == 302
    assert response.url.startswith(page_url(action) + "?next=")
    page = client.get(response.url)
    assert page.status_code == 200
    assert f'id="note-{action.pk}-text"' in page.text
    assert f'<input type="hidden" name="next" value="{back}">' in page.text


def test_the_action_page_never_returns_a_note_to_another_site(client, log_in_as, carried):
    log_in_as("own-preparer")
    action = carried[0]
    page = client.get(page_url(action), {"next": "https://evil.example/"})
    assert f'<input type="hidden" name="next" value="{page_url(action)}">' in page.text


def test_a_get_of_the_form_writes_nothing(client, log_in_as, carried):
    log_in_as("own-preparer")
    action = carried[0]
    notes = ActionProgressNote.objects.count()
    client.get(form_url(action), **HTMX)
    client.get(form_url(action))
    assert ActionProgressNote.objects.count() == notes
    action.refresh_from_db()
    assert (action.status, action.what) == (FollowUpAction.Status.IN_PROGRESS, WHAT.format(n=0))


@pytest.mark.parametrize(
    ("who", "status"), [("own-preparer", 200), ("ministry", 200), ("other-preparer", 404)]
)
def test_who_gets_the_form(client, log_in_as, carried, who, status):
    log_in_as(who)
    assert client.get(form_url(carried[0]), **HTMX).status_code == status


def test_anonymous_is_sent_to_sign_in(client, log_in_as, carried):
    log_in_as("anonymous")
    response = client.get(form_url(carried[0]), **HTMX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_form_endpoint_answers_only_safe_methods(client, log_in_as, carried):
    log_in_as("own-preparer")
    assert client.post(form_url(carried[0]), {"text": "x"}, **HTMX).status_code == 405
    assert ActionProgressNote.objects.filter(text="x").count() == 0
