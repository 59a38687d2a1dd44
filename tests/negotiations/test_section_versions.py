"""The version history of a section: saves by the same person within ten minutes are one
version; another person's save, or a later one, starts a new one. The conflict rule still
counts every save."""

import datetime

import pytest

from negotiations import services
from negotiations.models import Record, RecordSectionVersion, Round
from negotiations.models.versioning import COALESCE_WITHIN, SaveOutcome
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import add_theme, county, make_round, make_user, theme_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(db) -> Record:
    round_ = make_round(2027, status=Round.Status.OPEN_FOR_REPORTS)
    add_theme(round_, "henkilosto", "Henkilöstötilanne")
    services.set_participating_regions(round_=round_, regions=[county("08")])
    return round_.negotiations.get().record


def save(section, by, **texts) -> SaveOutcome:
    return section.save_texts(texts=texts, base_version=section.version, by=by)


def test_saves_by_one_person_within_ten_minutes_are_one_version(ministry_user, record):
    section = theme_section(record)
    assert save(section, ministry_user, situation="Alku") is SaveOutcome.SAVED
    assert save(section, ministry_user, situation="Alku ja jatko") is SaveOutcome.SAVED
    assert section.version == 2  # every save counts for the conflict rule
    versions = list(section.versions.all())
    assert [(v.version, v.situation) for v in versions] == [(2, "Alku ja jatko")]


def test_a_colleagues_save_or_a_later_one_starts_a_new_version(ministry_user, record):
    colleague = make_user("kollega", group=MINISTRY_OFFICIAL)
    section = theme_section(record)
    save(section, ministry_user, situation="Minun")
    save(section, colleague, situation="Kollegan")
    # Eleven minutes later the same person again: a version of its own.
    RecordSectionVersion.objects.filter(section=section).update(
        created_at=section.versions.first().created_at - COALESCE_WITHIN - datetime.timedelta(1)
    )
    save(section, colleague, situation="Kollegan, myöhemmin")
    assert [(v.version, v.situation, v.author) for v in section.versions.all()] == [
        (3, "Kollegan, myöhemmin", colleague),
        (2, "Kollegan", colleague),
        (1, "Minun", ministry_user),
    ]


def test_an_old_base_is_still_a_conflict_within_the_ten_minutes(ministry_user, record):
    section = theme_section(record)
    save(section, ministry_user, situation="Ensin")
    stale = section.save_texts(texts={"situation": "Vanha"}, base_version=0, by=ministry_user)
    assert stale is SaveOutcome.CONFLICT
    section.refresh_from_db()
    assert section.situation == "Ensin"
