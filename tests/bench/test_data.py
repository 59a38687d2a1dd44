"""`manage.py bench`: its data builder and its refusal to touch a database it did not create.
The timings themselves are not tested (they belong to `make bench`, not to the suite)."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from negotiations.management.commands.bench import build_data, measure, pages
from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    RecordSectionVersion,
    ReportSection,
    Round,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return build_data(rounds=2, regions=3, themes=2, actions=4, words=20)


def test_the_builder_makes_rounds_of_negotiations_with_records_reports_and_actions(data):
    assert Round.objects.filter(name_fi__startswith="Vertailukierros").count() == 2
    assert Negotiation.objects.count() == 2 * 3
    assert Record.objects.count() == 6
    # Opening, two themes and closing; two versions of each.
    assert RecordSection.objects.count() == 6 * 4
    assert RecordSectionVersion.objects.count() == 6 * 4 * 2
    assert ReportSection.objects.count() == 6 * 2
    assert FollowUpAction.objects.count() == 6 * 4
    assert ActionProgressNote.objects.count() >= 6 * 4
    section = RecordSection.objects.filter(kind="theme").first()
    assert 15 <= len(section.situation.split()) <= 25


def test_the_newest_round_has_a_draft_to_write_and_a_published_record(data):
    draft = data.record_negotiation.record
    assert data.record_negotiation.round == data.newest_round
    assert draft.status == Record.Status.DRAFT
    assert data.published_record.status == Record.Status.PUBLISHED
    older = Record.objects.exclude(negotiation__round=data.newest_round)
    assert set(older.values_list("status", flat=True)) == {Record.Status.PUBLISHED}
    assert FollowUpAction.objects.carried_over_to(data.record_negotiation).exists()


def test_every_benchmarked_page_answers_on_the_built_data(data):
    client = Client()
    client.force_login(data.ministry)
    for name, url in pages(data):
        result = measure(client, url, timed=False)
        assert "error" not in result, (name, result)
        assert result["queries"] > 0


def test_the_command_refuses_to_build_in_a_database_it_did_not_create(tmp_path):
    with pytest.raises(CommandError, match="only in a database it creates itself"):
        call_command("bench", child="small", results=str(tmp_path / "out.json"))
    assert not Round.objects.filter(name_fi__startswith="Vertailukierros").exists()
