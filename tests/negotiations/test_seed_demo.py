"""`manage.py seed_demo` loads the rounds of the source documents and the demo users."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from knowledge.models import Indicator, NationalObjective, ObjectivePeriod
from negotiations.models import (
    ActionProgressNote,
    FollowUpAction,
    Negotiation,
    Participant,
    Record,
    RecordAttendee,
    RecordComment,
    RecordEvent,
    RecordSection,
    RecordSectionVersion,
    ReportSection,
    ReportSectionVersion,
    Round,
    RoundTheme,
    SituationReport,
    Theme,
)
from regions.models import RegionMembership
from regions.roles import is_ministry_official, is_regional_preparer
from tests.factories import county

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {
        model.__name__: sorted(map(repr, model.objects.values()))
        for model in (
            Round,
            Theme,
            RoundTheme,
            Negotiation,
            User,
            RegionMembership,
            SituationReport,
            ReportSection,
            ReportSectionVersion,
            Participant,
            Record,
            RecordAttendee,
            ObjectivePeriod,
            NationalObjective,
            NationalObjective.indicators.through,
            RoundTheme.objectives.through,
            RoundTheme.indicators.through,
            RecordSection,
            RecordSectionVersion,
            RecordEvent,
            RecordComment,
            FollowUpAction,
            ActionProgressNote,
        )
    }


@override_settings(DEBUG=True)
def test_seed_demo_creates_the_rounds_of_the_source_documents_and_a_current_one():
    call_command("seed_demo", stdout=StringIO())
    rounds = {r.name_fi: r for r in Round.objects.all()}
    assert set(rounds) == {
        "Kevään 2018 harjoitusneuvottelut",
        "Syksyn 2018 sote-neuvottelut",
        "Aluekeskustelut 2020",
        "Hyvinvointialueneuvottelut 2023",
        "Hyvinvointialueneuvottelut 2027",
    }
    autumn_2018 = rounds["Syksyn 2018 sote-neuvottelut"]
    assert [rt.theme.title_fi for rt in autumn_2018.round_themes.select_related("theme")] == [
        "Tilannekuva",
        "Palvelujen saatavuus",
        "Palvelujen rahoitus, investoinnit ja tuottavuus",
        "Digitaalisuus, sähköiset palvelut ja tietopohja",
        "Palvelujen integraatio",
    ]
    assert autumn_2018.negotiations.count() == 18
    counties_2023 = rounds["Hyvinvointialueneuvottelut 2023"]
    assert counties_2023.negotiations.count() == 22  # 21 counties and Helsinki
    assert str(counties_2023.period_start) == "2023-02-14"
    assert rounds["Kevään 2018 harjoitusneuvottelut"].lead_ministry == "VM"


@override_settings(DEBUG=True)
def test_seed_demo_schedules_the_2018_and_2023_rounds_inside_their_periods():
    call_command("seed_demo", stdout=StringIO())
    for name, first, last in (
        ("Syksyn 2018 sote-neuvottelut", "2018-10-09", "2018-11-23"),
        ("Hyvinvointialueneuvottelut 2023", "2023-02-14", "2023-03-31"),
    ):
        negotiations = Negotiation.objects.filter(round__name_fi=name)
        dates = {str(n.date) for n in negotiations}
        assert None not in {n.date for n in negotiations}
        assert min(dates) >= first and max(dates) <= last, name
        assert all(n.start_time and n.end_time and n.chair for n in negotiations)


@override_settings(DEBUG=True)
def test_seed_demo_adds_the_current_2027_round_open_for_reports_with_pirkanmaa_scheduled():
    call_command("seed_demo", stdout=StringIO())
    current = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")
    assert current.status == Round.Status.OPEN_FOR_REPORTS
    assert (current.period_start.isoformat(), current.period_end.isoformat()) == (
        "2027-02-01",
        "2027-03-31",
    )
    assert current.negotiations.count() == 23
    scheduled = current.negotiations.filter(date__isnull=False)
    assert [n.region for n in scheduled] == [county("08")]
    assert scheduled.get().date.isoformat() == "2027-02-16"


@override_settings(DEBUG=True)
def test_seed_demo_creates_the_demo_users_with_their_roles():
    call_command("seed_demo", stdout=StringIO())
    admin = User.objects.get(username="admin")
    ministry = User.objects.get(username="ministry")
    pirkanmaa = User.objects.get(username="pirkanmaa")
    assert admin.is_superuser and admin.check_password("demo")
    assert is_ministry_official(ministry) and ministry.check_password("demo")
    assert is_regional_preparer(pirkanmaa) and not is_ministry_official(pirkanmaa)
    assert [m.region for m in pirkanmaa.region_memberships.all()] == [county("08")]


@override_settings(DEBUG=True)
def test_running_seed_demo_twice_changes_nothing():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    assert first["Record"] and first["FollowUpAction"] and first["Participant"]
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first


@override_settings(DEBUG=False)
def test_seed_demo_refuses_to_run_when_debug_is_off():
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("seed_demo")
    assert not User.objects.filter(username="admin").exists()


@override_settings(DEBUG=True)
def test_seed_demo_leaves_a_pirkanmaa_draft_and_some_submitted_2027_reports():
    call_command("seed_demo", stdout=StringIO())
    reports = SituationReport.objects.filter(
        negotiation__round__name_fi="Hyvinvointialueneuvottelut 2027"
    ).select_related("negotiation__region")
    by_region = {report.negotiation.region.name_fi: report for report in reports}
    pirkanmaa = by_region["Pirkanmaa"]
    assert pirkanmaa.status == SituationReport.Status.DRAFT
    written = [s for s in pirkanmaa.sections.all() if s.text]
    assert len(written) == 2
    assert all(s.text.startswith("[Esimerkkiteksti") for s in written)
    submitted = {name for name, r in by_region.items() if r.status == "submitted"}
    assert submitted == {"Kanta-Häme", "Etelä-Pohjanmaa", "Pohjanmaa", "Lappi"}


def record_2023(code: str) -> Record:
    return Record.objects.select_related("negotiation__region").get(
        negotiation__round__name_fi="Hyvinvointialueneuvottelut 2023",
        negotiation__region=county(code),
    )


@override_settings(DEBUG=True)
def test_seed_demo_publishes_pirkanmaas_2023_record_marked_as_example_content():
    call_command("seed_demo", stdout=StringIO())
    record = record_2023("08")
    assert record.status == Record.Status.PUBLISHED
    assert record.approved_by.username == "ministry"
    negotiation_date = record.negotiation.date
    assert negotiation_date < record.approved_at.date() <= record.published_at.date()
    assert record.published_at.year == 2023
    assert [e.action for e in record.events.all()] == ["sent", "approved", "published"]
    texts = [text for section in record.sections.all() for text in section.texts().values()]
    written = [text for text in texts if text]
    assert len(written) >= 10
    assert all(text.startswith("[Esimerkkisisältö]") for text in written)
    present = {p.name for p in record.attendees.all()}
    assert present == {
        "Mirja Ministeriö",
        "Pirkko Valmistelija",
        "Antti Aluejohtaja",
        "Terhi Tutkija",
    }
    assert {p.side for p in record.attendees.all()} == {"ministry", "region", "thl"}


@override_settings(DEBUG=True)
def test_seed_demo_agrees_three_follow_up_actions_in_theme_sections_one_still_open():
    call_command("seed_demo", stdout=StringIO())
    record = record_2023("08")
    actions = list(record.negotiation.actions.agreed().select_related("section"))
    assert len(actions) == 3
    assert all(action.section.record_id == record.pk for action in actions)
    assert all(action.section.kind == RecordSection.Kind.THEME for action in actions)
    assert all(action.what.startswith("[Esimerkkisisältö]") for action in actions)
    assert sorted(action.status for action in actions) == ["done", "done", "in-progress"]
    open_action = next(action for action in actions if action.is_open)
    assert open_action.due_date.year == 2026
    notes = [note.text for note in open_action.notes.all()]
    assert any("Kaksi kolmesta" in text for text in notes)


@override_settings(DEBUG=True)
def test_the_open_example_action_comes_back_in_pirkanmaas_2027_round():
    call_command("seed_demo", stdout=StringIO())
    negotiation_2027 = Negotiation.objects.get(
        round__name_fi="Hyvinvointialueneuvottelut 2027", region=county("08")
    )
    carried = list(FollowUpAction.objects.carried_over_to(negotiation_2027).order_by("kind"))
    assert [(action.kind, action.status) for action in carried] == [
        ("agreed", "in-progress"),
        ("recommendation", "agreed"),
    ]
    assert {action.negotiation.round.name_fi for action in carried} == {
        "Hyvinvointialueneuvottelut 2023"
    }


@override_settings(DEBUG=True)
def test_seed_demo_gives_pirkanmaa_an_open_recommendation_of_stm_in_its_2023_record():
    call_command("seed_demo", stdout=StringIO())
    record = record_2023("08")
    [recommendation] = record.negotiation.actions.recommendations()
    assert recommendation.ministry == "STM"
    assert recommendation.is_open
    assert recommendation.what.startswith("[Esimerkkisisältö]")
    # In the published record: recorded before it was published.
    assert recommendation.created_at <= record.published_at


@override_settings(DEBUG=True)
def test_seed_demo_marks_its_national_objectives_as_examples_and_links_them_to_2027():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    period = ObjectivePeriod.objects.get()
    assert (period.start_year, period.end_year) == (2024, 2027)
    objectives = list(period.objectives.all())
    assert len(objectives) == 4
    assert all(objective.is_example for objective in objectives)
    assert all(objective.text_fi.startswith("Esimerkki") for objective in objectives)
    round_2027 = Negotiation.objects.filter(round__name_fi="Hyvinvointialueneuvottelut 2027")[
        0
    ].round
    assert round_2027.objective_period == period
    covered = {
        rt.theme.code: [o.pk for o in rt.objectives.all()] for rt in round_2027.round_themes.all()
    }
    assert all(len(pks) == 1 for pks in covered.values())
    assert objectives[0].indicators.filter(sotkanet_id=127).exists()


@override_settings(DEBUG=True)
def test_seed_demo_shows_the_shipped_population_beside_two_2027_themes():
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    round_2027 = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")
    chosen = {
        rt.theme.code: [i.sotkanet_id for i in rt.indicators.all()]
        for rt in round_2027.round_themes.select_related("theme")
    }
    assert {code: ids for code, ids in chosen.items() if ids} == {
        "jarjestamisvastuu": [127],
        "pelastustoimi": [127],
    }
    # No value is made up: the population's values are the shipped ones only.
    assert not Indicator.objects.exclude(sotkanet_id=127).exists()


@override_settings(DEBUG=True)
def test_seed_demo_leaves_lappis_2023_record_as_a_draft_with_some_text():
    call_command("seed_demo", stdout=StringIO())
    lappi = record_2023("21")
    assert lappi.status == Record.Status.DRAFT
    texts = [text for s in lappi.sections.all() for text in s.texts().values() if text]
    assert len(texts) >= 2
    assert all(text.startswith("[Esimerkkisisältö]") for text in texts)
    assert not lappi.negotiation.actions.exists()
    assert list(Record.objects.published()) == [record_2023("08")]
