"""axe-core on the pages the journeys do not pass through: theme pages, histories, the action
tracker and an action's page, for the ministry and for a region's preparer."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from negotiations.models import FollowUpAction, Record, Round, SituationReport

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def ministry_pages() -> list[str]:
    current = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")
    round_theme = current.round_themes.first()
    record = Record.objects.get(
        negotiation__round__name_fi="Hyvinvointialueneuvottelut 2023",
        negotiation__region__name_fi="Pirkanmaa",
    )
    report = SituationReport.objects.get(
        negotiation__round=current, negotiation__region__name_fi="Pirkanmaa"
    )
    action = FollowUpAction.objects.filter(negotiation=record.negotiation).first()
    return [
        reverse("negotiations:round-themes", args=[current.pk]),
        reverse("negotiations:round-theme-reports", args=[current.pk, round_theme.pk]),
        reverse(
            "negotiations:report-section-history", args=[report.pk, report.sections.first().pk]
        ),
        reverse(
            "negotiations:record-section-history", args=[record.pk, record.sections.first().pk]
        ),
        reverse("negotiations:action-tracker"),
        reverse("negotiations:action-edit", args=[action.pk]),
    ]


def preparer_pages() -> list[str]:
    action = FollowUpAction.objects.filter(negotiation__region__name_fi="Pirkanmaa").first()
    return [
        reverse("negotiations:action-tracker"),
        reverse("negotiations:action-edit", args=[action.pk]),
    ]


@pytest.mark.parametrize(
    ("username", "pages"), [("ministry", ministry_pages), ("pirkanmaa", preparer_pages)]
)
def test_every_other_page_has_no_axe_violations(
    page: Page, demo_data, assert_accessible, username, pages, log_in
):
    page.goto("/login/")
    log_in(page, username)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for url in pages():
        response = page.goto(url)
        assert response.status == 200, url
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_the_add_action_disclosure_shows_that_it_opens(
    page: Page, demo_data, assert_accessible, log_in
):
    """Its summary is a flex box, which loses the browser's triangle: ours is drawn and turns."""
    record = Record.objects.get(
        negotiation__round__name_fi="Hyvinvointialueneuvottelut 2027",
        negotiation__region__name_fi="Lappi",
    )
    page.goto(reverse("login"))
    log_in(page, "ministry")
    page.goto(reverse("negotiations:record-detail", args=[record.negotiation_id]))
    summary = page.locator(".action-add summary").first
    marker = "el => getComputedStyle(el, '::before').content"
    assert summary.evaluate(marker) == '"▸"'
    summary.click()
    expect(page.locator(".action-add").first).to_have_attribute("open", "")
    transform = "el => getComputedStyle(el, '::before').transform"
    assert summary.evaluate(transform) != "none"
    assert_accessible(page)


def test_the_too_many_pdfs_page_says_why_and_passes_axe(
    page: Page, demo_data, assert_accessible, settings, log_in
):
    """The 429 answer of a PDF download over the limit is a page of ours, in the reader's
    language, at both widths."""
    settings.PDF_RENDERS_PER_MINUTE = 0
    current = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")
    page.goto(reverse("login"))
    log_in(page, "ministry")
    for width in (1263, 390):
        page.set_viewport_size({"width": width, "height": 800})
        response = page.goto(reverse("negotiations:round-pdf", args=[current.pk]))
        assert response.status == 429
        expect(page.get_by_role("heading", level=1)).to_have_text("Liian monta latausta")
        expect(page.get_by_text("Odota minuutti")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(page)
