"""The benchmark's data builder, and its refusal to build in a database it did not create
(above all the project's var/db.sqlite3). The timings themselves are not tested: they belong
to `make bench`, not to the suite."""

import pytest

from knowledge.models import Indicator
from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    RecordSectionVersion,
    ReportSection,
    Round,
    RoundTheme,
    SituationReport,
)
from tests.bench import run
from tests.bench.data import build_data, editable_record_sections

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


def test_every_theme_of_the_newest_round_shows_the_shipped_population_indicator(data):
    newest = RoundTheme.objects.filter(round=data.newest_round).prefetch_related("indicators")
    assert [[i.sotkanet_id for i in t.indicators.all()] for t in newest] == [[127], [127]]
    population = Indicator.objects.get(sotkanet_id=127)
    assert population.values.exists()  # the migration's real figures, none made up here
    older = RoundTheme.objects.exclude(round=data.newest_round)
    assert not older.filter(indicators__isnull=False).exists()


def test_the_newest_round_has_a_draft_to_write_and_a_published_record(data):
    draft = data.record_negotiation.record
    assert data.record_negotiation.round == data.newest_round
    assert draft.status == Record.Status.DRAFT
    assert data.published_record.status == Record.Status.PUBLISHED
    older = Record.objects.exclude(negotiation__round=data.newest_round)
    assert set(older.values_list("status", flat=True)) == {Record.Status.PUBLISHED}
    assert FollowUpAction.objects.carried_over_to(data.record_negotiation).exists()


def test_one_situation_report_of_the_newest_round_is_a_draft_its_preparer_can_edit(data):
    report = SituationReport.objects.get(negotiation=data.report_negotiation)
    assert data.report_negotiation.round == data.newest_round
    assert report.status == SituationReport.Status.DRAFT
    assert report.can_edit(data.preparer)
    others = SituationReport.objects.exclude(pk=report.pk)
    assert set(others.values_list("status", flat=True)) == {SituationReport.Status.SUBMITTED}


def test_the_sections_to_write_in_are_those_of_records_not_yet_approved(data):
    sections = editable_record_sections(data)
    assert sections
    assert {section.record.status for section in sections} <= {
        Record.Status.DRAFT,
        Record.Status.COMMENTS,
    }
    assert all(section.record.is_editable for section in sections)


def test_the_child_refuses_the_projects_database():
    project = {"ENGINE": "django.db.backends.sqlite3", "NAME": run.PROJECT_DATABASE}
    with pytest.raises(run.Refused, match="project's database"):
        run.refuse_unless_throwaway(project, str(run.PROJECT_DATABASE))


def test_the_child_refuses_a_database_its_parent_did_not_name(tmp_path):
    configured = {"ENGINE": "django.db.backends.sqlite3", "NAME": tmp_path / "other.sqlite3"}
    with pytest.raises(run.Refused, match="only in a database it creates itself"):
        run.refuse_unless_throwaway(configured, "")
    with pytest.raises(run.Refused, match="only in a database it creates itself"):
        run.refuse_unless_throwaway(configured, str(tmp_path / "named.sqlite3"))
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "steering"}
    with pytest.raises(run.Refused):
        run.refuse_unless_throwaway(postgres, "steering")


def test_the_child_started_by_hand_refuses_and_builds_nothing(tmp_path):
    with pytest.raises(run.Refused, match="only in a database it creates itself"):
        run.main(["--child", "small", "--results", str(tmp_path / "out.json")])
    assert not Round.objects.filter(name_fi__startswith="Vertailukierros").exists()
    assert not (tmp_path / "out.json").exists()
