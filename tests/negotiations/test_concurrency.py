"""Integrity under real use: many people pressing the same button at once, and writes racing
the step that locks a document.

Every request goes through its real URL from its own thread and database connection, all
released together (tests/concurrency.py). A step asked for N times at once happens once: one
event, one e-mail per recipient, one change of status; every other request is told why it was
refused and changes nothing. A write racing an approval or a submission lands before it or is
refused, never after it.
"""

import datetime
import functools
from collections import Counter
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    Record,
    RecordComment,
    RecordSection,
    RecordSectionVersion,
    ReportSectionVersion,
    Round,
    SituationReport,
)
from regions.models import Region
from regions.roles import MINISTRY_OFFICIAL, REGIONAL_PREPARER
from tests.concurrency import (
    Reply,
    at_once,
    logged_in,
    post,
    post_at_once,
    summary,
    until_refused,
)
from tests.factories import county, make_round, make_user

pytestmark = [
    # Real commits seen by other connections; the region facts of the migrations come back
    # for every test (a transactional test empties the database afterwards).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason=(
            "needs PostgreSQL (make test-postgres runs it): concurrent writers in separate "
            "connections with row locks; SQLite serialises writers, and its in-memory test "
            "database is not shared between threads the same way"
        ),
    ),
]

# Requests at once: each holds a connection, and the pool has 10 (one is the test's own).
N = 8
# How many times a racing writer writes at most; it stops at its first refusal.
WRITES = 25
# Each race of one step runs once on a fresh object in each of these counties.
RACE_REGIONS = ("08", "21", "13")


# --- factories ------------------------------------------------------------------------------


def numbered_themes(count: int) -> list[tuple[str, str]]:
    """Themes "Teema 1" to "Teema `count`" for make_round()."""
    return [(f"teema-{n}", f"Teema {n}") for n in range(1, count + 1)]


def in_a_month() -> datetime.date:
    """The report deadline of the rounds here: reports are not late yet."""
    return timezone.localdate() + datetime.timedelta(days=30)


def make_negotiation(region: Region, *, round_status: str, themes: int = 2) -> Negotiation:
    round_ = make_round(
        2027, status=round_status, themes=numbered_themes(themes), report_deadline=in_a_month()
    )
    return Negotiation.objects.create(round=round_, region=region)


def make_report(negotiation: Negotiation, status: str) -> SituationReport:
    report = SituationReport.objects.create(negotiation=negotiation, status=status)
    report.ensure_sections()
    return report


def make_record(negotiation: Negotiation) -> Record:
    record = Record.objects.create(negotiation=negotiation)
    record.ensure_sections()
    return record


def preparers(region: Region, count: int) -> list[User]:
    """The region's preparers, each with an e-mail address (so each gets the region's mail)."""
    return [
        make_user(
            f"valmistelija-{region.code}-{n}",
            group=REGIONAL_PREPARER,
            regions=[region],
            email=f"valmistelija-{region.code}-{n}@example.fi",
        )
        for n in range(count)
    ]


def officials(count: int) -> list[User]:
    return [make_user(f"virkamies-{n}", group=MINISTRY_OFFICIAL) for n in range(count)]


def race_regions() -> list[Region]:
    return [county(code) for code in RACE_REGIONS]


def the_one_that_succeeded(replies: list[Reply]) -> int:
    """The index of the only request that did the step; the others were told why not."""
    done = [index for index, reply in enumerate(replies) if reply.succeeded]
    assert len(done) == 1, f"{len(done)} of {len(replies)} requests did it: {summary(replies)}"
    return done[0]


def assert_refused_with_message(replies: list[Reply], winner: int) -> None:
    others = [reply for index, reply in enumerate(replies) if index != winner]
    assert all(reply.refused_with_message for reply in others), summary(others)


def recipients(mailoutbox) -> Counter:
    return Counter(address for message in mailoutbox for address in message.to)


def saved_after(moment: datetime.datetime, rows_by_kind: dict) -> list[str]:
    """The rows created after `moment`, earliest first, e.g. "comment 2.1 ms after"."""
    late = sorted(
        (row.created_at, kind)
        for kind, rows in rows_by_kind.items()
        for row in rows
        if row.created_at > moment
    )
    return [f"{kind} {(at - moment).total_seconds() * 1000:.1f} ms after" for at, kind in late]


# --- a step asked for N times at once happens once -----------------------------------------
#
# Without a lock, a repeat slips through only when it reads the status between another
# request's read and its commit; each test runs the same race on a fresh object in each of
# RACE_REGIONS, so that a missing lock shows almost every time.

ROUND_STEPS = [
    pytest.param(Round.Status.PLANNING, Round.Status.OPEN_FOR_REPORTS, id="open-for-reports"),
    pytest.param(Round.Status.OPEN_FOR_REPORTS, Round.Status.NEGOTIATING, id="negotiating"),
    pytest.param(Round.Status.NEGOTIATING, Round.Status.CLOSED, id="closed"),
]


@pytest.mark.parametrize(("before", "after"), ROUND_STEPS)
def test_a_round_step_asked_for_at_once_is_taken_once(mailoutbox, before, after):
    regions = [county("08"), county("21")]
    region_preparers = [user for region in regions for user in preparers(region, 1)]
    clients = [logged_in(user) for user in officials(N)]
    for _race in RACE_REGIONS:
        round_ = make_round(
            2027,
            status=before,
            themes=numbered_themes(2),
            report_deadline=in_a_month(),
            regions=regions,
        )
        url = reverse("negotiations:round-status", args=[round_.pk])
        mailoutbox.clear()

        replies = post_at_once(clients, url, {"to": after})

        round_.refresh_from_db()
        assert round_.status == after
        # Opening the round tells every participating region once; the other steps nobody.
        opening = after == Round.Status.OPEN_FOR_REPORTS
        assert recipients(mailoutbox) == ({u.email: 1 for u in region_preparers} if opening else {})
        winner = the_one_that_succeeded(replies)
        assert_refused_with_message(replies, winner)


def test_a_report_submitted_at_once_by_everyone_is_submitted_once():
    for region in race_regions():
        negotiation = make_negotiation(region, round_status=Round.Status.OPEN_FOR_REPORTS)
        report = make_report(negotiation, SituationReport.Status.DRAFT)
        users = preparers(region, N)
        url = reverse("negotiations:report-submit", args=[report.pk])
        clients = [logged_in(user) for user in users]

        replies = post_at_once(clients, url)

        report.refresh_from_db()
        assert report.status == SituationReport.Status.SUBMITTED
        winner = the_one_that_succeeded(replies)
        assert report.submitted_by == users[winner]  # not overwritten by a later "submit"
        # A request that reads the report after the submission is refused by the permission
        # helper (403, as a second submit always was); one that waited for the lock is told why.
        others = [reply for index, reply in enumerate(replies) if index != winner]
        assert all(r.refused_with_message or r.status_code == 403 for r in others), summary(others)


def test_a_report_returned_at_once_by_several_officials_is_returned_once():
    users = officials(N)
    clients = [logged_in(user) for user in users]
    comments = [f"Täydentäkää kohta {n}." for n in range(N)]
    for region in race_regions():
        negotiation = make_negotiation(region, round_status=Round.Status.OPEN_FOR_REPORTS)
        report = make_report(negotiation, SituationReport.Status.SUBMITTED)
        url = reverse("negotiations:report-return", args=[report.pk])

        replies = post_at_once(clients, url, [{"comment": text} for text in comments])

        report.refresh_from_db()
        assert report.status == SituationReport.Status.RETURNED
        winner = the_one_that_succeeded(replies)
        assert_refused_with_message(replies, winner)
        assert (report.returned_by, report.return_comment) == (users[winner], comments[winner])


RECORD_STEPS = [
    # action, status before, status after, the event it logs, whether the region is e-mailed
    pytest.param("send", Record.Status.DRAFT, Record.Status.COMMENTS, "sent", True, id="send"),
    pytest.param(
        "approve", Record.Status.COMMENTS, Record.Status.APPROVED, "approved", True, id="approve"
    ),
    pytest.param(
        "reopen", Record.Status.APPROVED, Record.Status.DRAFT, "reopened", False, id="reopen"
    ),
    pytest.param(
        "publish", Record.Status.APPROVED, Record.Status.PUBLISHED, "published", False, id="publish"
    ),
]


def bring_record_to(record: Record, status: str, by: User) -> None:
    if status in (Record.Status.COMMENTS, Record.Status.APPROVED):
        record.send_for_comments(by=by)
    if status == Record.Status.APPROVED:
        record.approve(by=by)


@pytest.mark.parametrize(("action", "before", "after", "event", "emails"), RECORD_STEPS)
def test_a_record_step_asked_for_at_once_is_taken_once(
    mailoutbox, action, before, after, event, emails
):
    users = officials(N)
    clients = [logged_in(user) for user in users]
    data = [{"action": action, "reason": f"Korjataan kohta {n}."} for n in range(N)]
    for region in race_regions():
        record = make_record(make_negotiation(region, round_status=Round.Status.NEGOTIATING))
        bring_record_to(record, before, users[0])
        approved_before = record.approved_at
        region_preparers = preparers(region, 2)
        name = {"approve": "record-approve", "publish": "record-publish"}.get(
            action, "record-transition"
        )
        url = reverse(f"negotiations:{name}", args=[record.pk])
        mailoutbox.clear()

        replies = post_at_once(clients, url, data)

        record.refresh_from_db()
        assert record.status == after
        events = list(record.events.filter(action=event))
        assert len(events) == 1, f"{len(events)} {event} events, by {[e.by for e in events]}"
        sent = recipients(mailoutbox)
        if emails:
            assert sent == {user.email: 1 for user in region_preparers}
        else:
            assert all(count == 1 for count in sent.values()), sent
        winner = the_one_that_succeeded(replies)
        assert_refused_with_message(replies, winner)
        assert events[0].by == users[winner]
        if action == "approve":
            # Set once, by the approval that was logged, not overwritten by a later one.
            assert record.approved_by == users[winner]
            assert record.approved_at <= events[0].at
        if action == "publish":
            assert record.approved_at == approved_before
        if action == "reopen":
            assert events[0].reason == data[winner]["reason"]


def test_a_bulk_status_change_sent_at_once_leaves_one_note_per_action():
    users = officials(N)
    clients = [logged_in(user) for user in users]
    for region in race_regions():
        negotiation = make_negotiation(region, round_status=Round.Status.NEGOTIATING)
        section = make_record(negotiation).sections.filter(kind=RecordSection.Kind.THEME).first()
        actions = [
            FollowUpAction.objects.create(
                negotiation=negotiation,
                section=section,
                what=f"Toimenpide {n}",
                responsible=FollowUpAction.Responsible.REGION,
                created_by=users[0],
            )
            for n in range(3)
        ]
        url = reverse("negotiations:action-tracker")
        data = {"status": FollowUpAction.Status.IN_PROGRESS, "actions": [a.pk for a in actions]}

        replies = post_at_once(clients, url, data)

        assert all(r.status_code == 302 and not r.errors for r in replies), summary(replies)
        for action in actions:
            action.refresh_from_db()
            assert action.status == FollowUpAction.Status.IN_PROGRESS
        notes = Counter(
            ActionProgressNote.objects.filter(action__in=actions).values_list("action", flat=True)
        )
        assert notes == {action.pk: 1 for action in actions}


# --- a write racing the lock lands before it or is refused ---------------------------------
#
# Each writer writes again and again (until refused, at most WRITES times) while one request
# approves the record or submits the report. Every writer's request is first made once before
# the race and must be saved: so a refusal in the race is the lock, not a malformed request.


def accepted_or_refused(replies: list[Reply]) -> bool:
    """A racing write is saved (a redirect with a success message), or refused because the
    document is locked: a redirect with an error message, 403, or the form again with the
    error and the text as typed (400, 409). Never a 500 or a silent redirect."""
    return all(
        reply.succeeded or reply.refused_with_message or reply.status_code in (400, 403, 409)
        for reply in replies
    )


def racing(write: Callable[[int], Reply]) -> Callable[[], list[Reply]]:
    return functools.partial(until_refused, write, attempts=WRITES)


def section_saver(client: Client, url: str, field: str, section) -> Callable[[int], Reply]:
    """Saves of one section by one writer, each based on the version the last one made."""
    version = section.version

    def save(number: int) -> Reply:
        nonlocal version
        data = {f"{field}-{section.pk}": f"Versio {number}", f"version-{section.pk}": version}
        reply = post(client, url, data)
        version += reply.succeeded
        return reply

    return save


def action_adder(client: Client, record: Record, section: RecordSection):
    url = reverse("negotiations:action-add", args=[record.pk, section.pk])
    return lambda n: post(client, url, {"what": f"Toimenpide {n}", "responsible": "region"})


def record_section_saver(client: Client, record: Record, section: RecordSection):
    url = reverse("negotiations:record-section-save", args=[record.pk, section.pk])
    return section_saver(client, url, "discussion", section)


def commenter(client: Client, record: Record, section: RecordSection):
    url = reverse("negotiations:record-comment-add", args=[record.pk, section.pk])
    return lambda n: post(client, url, {"text": f"Kommentti {n}"})


def test_writes_racing_an_approval_land_before_it_or_are_refused():
    negotiation = make_negotiation(county("08"), round_status=Round.Status.NEGOTIATING, themes=3)
    record = make_record(negotiation)
    ministry = officials(6)
    approver, *editors = (logged_in(user) for user in ministry)
    commenters = [logged_in(user) for user in preparers(negotiation.region, 2)]
    # With the region for comments: the region comments, the ministry still edits.
    record.send_for_comments(by=ministry[0])
    sections = {section.kind: section for section in record.sections.exclude(kind="theme")}
    themes = list(record.sections.filter(kind=RecordSection.Kind.THEME))
    writers = [
        *(action_adder(c, record, s) for c, s in zip(editors[:3], themes, strict=True)),
        record_section_saver(editors[3], record, sections[RecordSection.Kind.OPENING]),
        record_section_saver(editors[4], record, sections[RecordSection.Kind.CLOSING]),
        commenter(commenters[0], record, themes[0]),
        commenter(commenters[1], record, themes[1]),
    ]
    before = [write(-1) for write in writers]
    assert all(reply.succeeded for reply in before), summary(before)
    approve = functools.partial(
        post, approver, reverse("negotiations:record-approve", args=[record.pk])
    )

    approval, *writes = at_once(lambda: approve({}), *(racing(write) for write in writers))

    assert approval.succeeded, approval
    assert all(accepted_or_refused(replies) for replies in writes), [summary(r) for r in writes]
    record.refresh_from_db()
    late = saved_after(
        record.approved_at,
        {
            "follow-up action": FollowUpAction.objects.filter(section__record=record),
            "section version": RecordSectionVersion.objects.filter(section__record=record),
            "comment": RecordComment.objects.filter(section__record=record),
        },
    )
    assert not late, f"{len(late)} saved after the record was approved and locked: {late[:5]}"
    assert record.status == Record.Status.APPROVED


def test_section_saves_racing_a_report_submission_land_before_it_or_are_refused():
    negotiation = make_negotiation(
        county("08"), round_status=Round.Status.OPEN_FOR_REPORTS, themes=N - 1
    )
    report = make_report(negotiation, SituationReport.Status.DRAFT)
    submitter, *savers = (logged_in(user) for user in preparers(negotiation.region, N))
    writers = [
        section_saver(
            client,
            reverse("negotiations:report-section-save", args=[report.pk, section.pk]),
            "text",
            section,
        )
        for client, section in zip(savers, report.sections.all(), strict=True)
    ]
    before = [write(-1) for write in writers]
    assert all(reply.succeeded for reply in before), summary(before)
    # Not started again: the race's first save marks the report started, and that must not
    # undo a submission made in between.
    SituationReport.objects.filter(pk=report.pk).update(status=SituationReport.Status.NOT_STARTED)
    submit_url = reverse("negotiations:report-submit", args=[report.pk])

    submission, *writes = at_once(
        lambda: post(submitter, submit_url), *(racing(write) for write in writers)
    )

    assert submission.succeeded, submission
    assert all(accepted_or_refused(replies) for replies in writes), [summary(r) for r in writes]
    report.refresh_from_db()
    late = saved_after(
        report.submitted_at,
        {"section version": ReportSectionVersion.objects.filter(section__report=report)},
    )
    assert (report.status, late) == (SituationReport.Status.SUBMITTED, []), (
        f"report {report.status}; {len(late)} saved after the submission: {late[:5]}"
    )


def test_saves_of_one_section_from_one_version_at_once_make_one_version():
    """Writers save different texts on the same version at the same moment: one is saved,
    the others are told of the conflict, and the section and its history hold that one."""
    negotiation = make_negotiation(
        county("08"), round_status=Round.Status.OPEN_FOR_REPORTS, themes=1
    )
    report = make_report(negotiation, SituationReport.Status.DRAFT)
    section = report.sections.get()
    url = reverse("negotiations:report-section-save", args=[report.pk, section.pk])
    clients = [logged_in(user) for user in preparers(negotiation.region, N)]

    def save(number: int, client: Client) -> Reply:
        data = {f"text-{section.pk}": f"Teksti {number}", f"version-{section.pk}": section.version}
        return post(client, url, data)

    replies = at_once(*(functools.partial(save, n, client) for n, client in enumerate(clients)))

    saved = [n for n, reply in enumerate(replies) if reply.succeeded]
    refused = [reply.status_code for n, reply in enumerate(replies) if n not in saved]
    assert (len(saved), refused) == (1, [409] * (N - 1)), summary(replies)
    section.refresh_from_db()
    text = f"Teksti {saved[0]}"
    assert (section.version, section.text) == (1, text)
    assert list(section.versions.values_list("version", "text")) == [(1, text)]
