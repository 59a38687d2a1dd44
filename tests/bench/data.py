"""The benchmark's data set: rounds of county negotiations built with bulk_create.

Sizes: `large` is the data set of issue 12 (10 rounds × 23 regions × 6 themes, 20 follow-up
actions per negotiation, so 4,600 actions), `small` shows that the query counts do not grow
with the data, `tiny` is for the tests of the benchmark itself.
"""

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction

from knowledge.models import Indicator
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
    Round,
    RoundTheme,
    SituationReport,
    Theme,
)
from negotiations.models.schedule import HELSINKI
from regions.models import Region, RegionMembership
from regions.roles import MINISTRY_OFFICIAL, REGIONAL_PREPARER

SIZES = {
    # rounds × regions × themes, follow-up actions per negotiation, words per text
    "large": {"rounds": 10, "regions": 23, "themes": 6, "actions": 20, "words": 300},
    "small": {"rounds": 1, "regions": 3, "themes": 6, "actions": 2, "words": 300},
    "tiny": {"rounds": 2, "regions": 3, "themes": 2, "actions": 2, "words": 20},
}
# The indicator shown on the newest round's themes: the population that
# knowledge/migrations/0002_population.py ships with its real values 2015–2022.
POPULATION_SOTKANET_ID = 127
# The record PDF's record has this many follow-up actions (the data set's 20 plus extra ones).
PDF_RECORD_ACTIONS = 30

VOCABULARY = (
    "hyvinvointialue palvelut hoitoon pääsy henkilöstö rekrytointi sairaanhoitaja lääkäri "
    "sosiaalityö pelastustoimi toimintavalmius talous investoinnit tuottavuus digitaalisuus "
    "asiakastieto järjestelmä integraatio yhteistyö kunta järjestö ministeriö ohjaus "
    "neuvottelu tilannekuva kehittäminen haaste toimenpide seuranta arviointi vaikuttavuus "
    "saatavuus jono vastaanotto kotihoito ikääntyneet lapset nuoret perheet mielenterveys "
    "päihdepalvelut ensihoito päivystys sairaala terveyskeskus suun terveydenhuolto "
    "rahoitus talousarvio alijäämä tasapaino suunnitelma aikataulu vastuu osaaminen "
    "koulutus pysyvyys vuokratyövoima ostopalvelu palveluseteli etäpalvelu "
    "tietojohtaminen mittari tavoite tulos kustannus tehokkuus laatu turvallisuus"
)
WORDS = VOCABULARY.split()


@dataclass
class BenchData:
    ministry: User
    preparer: User  # prepares the region of report_negotiation
    newest_round: Round
    record_negotiation: Negotiation  # its record is a draft being written in the newest round
    report_negotiation: Negotiation  # its situation report is a draft being written
    published_record: Record


def _texts(rng: random.Random, words: int, count: int = 48) -> list[str]:
    """A pool of Finnish-looking texts of about `words` words, in paragraphs."""
    pool = []
    for _ in range(count):
        chosen = rng.choices(WORDS, k=words)
        paragraphs = [chosen[i : i + 60] for i in range(0, words, 60)]
        pool.append(
            "\n\n".join(" ".join(p).capitalize() + "." for p in paragraphs if p),
        )
    return pool


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


@transaction.atomic
def build_data(
    *, rounds: int, regions: int, themes: int, actions: int, words: int, seed: int = 2027
) -> BenchData:
    """Rounds of county negotiations with reports, records, follow-up actions and history.

    The newest round is under way: its first region's record is a draft, the second one's is
    published, the rest are at the other steps; every record of earlier rounds is published
    and about 40 % of their actions are still open, so they come back in later rounds.
    """
    rng = random.Random(seed)
    pool = _texts(rng, words)
    short = _texts(rng, 30)

    def text() -> str:
        return rng.choice(pool)

    ministry, _ = User.objects.get_or_create(
        username="bench-ministry", defaults={"first_name": "Mirja", "last_name": "Mittaaja"}
    )
    ministry.groups.add(Group.objects.get(name=MINISTRY_OFFICIAL))
    preparer, _ = User.objects.get_or_create(
        username="bench-preparer", defaults={"first_name": "Pirkko", "last_name": "Mittaaja"}
    )
    preparer.groups.add(Group.objects.get(name=REGIONAL_PREPARER))
    theme_objects = []
    for n in range(1, themes + 1):
        theme, _ = Theme.objects.get_or_create(
            code=f"bench-{n}",
            defaults={
                "title_fi": f"Vertailuteema {n}",
                "title_sv": f"Jämförelsetema {n}",
                "title_en": f"Benchmark theme {n}",
                "guiding_questions_fi": "Miten teema etenee?\nMitä on tehtävä?",
            },
        )
        theme_objects.append(theme)
    region_list = list(Region.objects.current().order_by("kind", "code")[:regions])

    newest_year = 2027
    years = list(range(newest_year - rounds + 1, newest_year + 1))
    round_objects = Round.objects.bulk_create(
        Round(
            name_fi=f"Vertailukierros {year}",
            name_sv=f"Jämförelseomgång {year}",
            name_en=f"Benchmark round {year}",
            kind=Round.Kind.COUNTY_NEGOTIATIONS,
            status=Round.Status.NEGOTIATING if year == newest_year else Round.Status.CLOSED,
            period_start=datetime.date(year, 2, 1),
            period_end=datetime.date(year, 3, 31),
            report_deadline=datetime.date(year, 1, 20),
            ministries=["STM", "VM", "SM"],
            allows_region_theme=True,
        )
        for year in years
    )
    round_themes = RoundTheme.objects.bulk_create(
        RoundTheme(round=round_, theme=theme, position=position)
        for round_ in round_objects
        for position, theme in enumerate(theme_objects, start=1)
    )
    themes_of: dict[int, list[RoundTheme]] = {}
    for round_theme in round_themes:
        themes_of.setdefault(round_theme.round_id, []).append(round_theme)

    negotiations = Negotiation.objects.bulk_create(
        Negotiation(
            round=round_,
            region=region,
            date=round_.period_start + datetime.timedelta(days=2 * index),
            start_time=datetime.time(9),
            end_time=datetime.time(12),
            place="Sosiaali- ja terveysministeriö, Meritullinkatu 8, Helsinki",
            chair=ministry,
        )
        for round_ in round_objects
        for index, region in enumerate(region_list)
    )
    round_of = {round_.pk: round_ for round_ in round_objects}
    newest = round_objects[-1]
    attach_theme_indicators(themes_of[newest.pk])

    sides = ["ministry", "ministry", "region", "region", "region", "thl"]
    participants = Participant.objects.bulk_create(
        Participant(
            negotiation=negotiation,
            side=side,
            name=f"Osallistuja {n + 1}",
            organisation="Organisaatio",
            title="asiantuntija",
        )
        for negotiation in negotiations
        for n, side in enumerate(sides)
    )

    # Situation reports, submitted, one section per theme.
    reports = SituationReport.objects.bulk_create(
        SituationReport(
            negotiation=negotiation,
            status=SituationReport.Status.SUBMITTED,
            submitted_at=_at(round_of[negotiation.round_id].period_start),
            submitted_by=preparer,
        )
        for negotiation in negotiations
    )
    ReportSection.objects.bulk_create(
        (
            ReportSection(
                report=report,
                round_theme=round_theme,
                text=text(),
                version=1,
                updated_at=_at(negotiation.round.period_start),
                updated_by=preparer,
            )
            for report, negotiation in zip(reports, negotiations, strict=True)
            for round_theme in themes_of[negotiation.round_id]
        ),
        batch_size=500,
    )

    # Records: newest round at every step, earlier rounds published.
    steps = [
        Record.Status.DRAFT,
        Record.Status.PUBLISHED,
        Record.Status.COMMENTS,
        Record.Status.APPROVED,
    ]
    records = []
    for index, negotiation in enumerate(negotiations):
        if negotiation.round_id == newest.pk:
            status = steps[index % len(region_list) % len(steps)]
        else:
            status = Record.Status.PUBLISHED
        day = negotiation.date + datetime.timedelta(days=21)
        done = status in (Record.Status.APPROVED, Record.Status.PUBLISHED)
        records.append(
            Record(
                negotiation=negotiation,
                status=status,
                approved_at=_at(day) if done else None,
                approved_by=ministry if done else None,
                published_at=_at(day, 15) if status == Record.Status.PUBLISHED else None,
            )
        )
    records = Record.objects.bulk_create(records)
    participants_of: dict[int, list[Participant]] = {}
    for participant in participants:
        participants_of.setdefault(participant.negotiation_id, []).append(participant)
    RecordAttendee.objects.bulk_create(
        (
            RecordAttendee(
                record_id=record.pk,
                participant_id=participant.pk,
                side=participant.side,
                name=participant.name,
                title=participant.title,
                organisation=participant.organisation,
            )
            for record in records
            for participant in participants_of[record.negotiation_id][:-1]
        ),
        batch_size=1000,
    )
    events = []
    for record in records:
        day = record.negotiation.date
        if record.status != Record.Status.DRAFT:
            events.append(RecordEvent(record=record, action="sent", by=ministry, at=_at(day)))
        if record.approved_at:
            events.append(
                RecordEvent(record=record, action="approved", by=ministry, at=record.approved_at)
            )
        if record.published_at:
            events.append(
                RecordEvent(record=record, action="published", by=ministry, at=record.published_at)
            )
    RecordEvent.objects.bulk_create(events, batch_size=1000)

    kind = RecordSection.Kind
    sections = []
    for record in records:
        written = _at(record.negotiation.date + datetime.timedelta(days=7))
        common = {"record": record, "version": 2, "updated_at": written, "updated_by": ministry}
        sections.append(RecordSection(kind=kind.OPENING, order=0, discussion=text(), **common))
        for round_theme in themes_of[record.negotiation.round_id]:
            sections.append(
                RecordSection(
                    kind=kind.THEME,
                    round_theme=round_theme,
                    order=100 + round_theme.position,
                    situation=text(),
                    discussion=text(),
                    challenges=text(),
                    measures=text(),
                    **common,
                )
            )
        sections.append(RecordSection(kind=kind.CLOSING, order=1000, discussion=text(), **common))
    sections = RecordSection.objects.bulk_create(sections, batch_size=500)
    RecordSectionVersion.objects.bulk_create(
        (
            RecordSectionVersion(
                section=section,
                version=version,
                author=ministry,
                created_at=section.updated_at - datetime.timedelta(days=2 - version),
                **(section.texts() if version == 2 else {"discussion": rng.choice(short)}),
            )
            for section in sections
            for version in (1, 2)
        ),
        batch_size=500,
    )
    theme_sections: dict[int, list[RecordSection]] = {}
    for section in sections:
        if section.kind == kind.THEME:
            theme_sections.setdefault(section.record_id, []).append(section)
    RecordComment.objects.bulk_create(
        (
            RecordComment(
                section=theme_sections[record.pk][n],
                author=preparer,
                text=rng.choice(short),
                created_at=_at(record.negotiation.date + datetime.timedelta(days=10)),
            )
            for record in records
            if record.status != Record.Status.DRAFT
            for n in range(2)
        ),
        batch_size=1000,
    )

    status = FollowUpAction.Status
    old_statuses = [status.DONE] * 5 + [status.IN_PROGRESS] * 3 + [status.AGREED, status.CANCELLED]
    responsible = FollowUpAction.Responsible.values
    new_actions = []
    for record in records:
        negotiation = record.negotiation
        is_newest = negotiation.round_id == newest.pk
        for n in range(actions):
            new_actions.append(
                FollowUpAction(
                    negotiation=negotiation,
                    section=theme_sections[record.pk][n % themes],
                    what=rng.choice(short),
                    responsible=responsible[n % len(responsible)],
                    owner=f"Vastuuyksikkö {n + 1}",
                    due_date=negotiation.date + datetime.timedelta(days=90 + 30 * (n % 12)),
                    status=status.AGREED if is_newest else rng.choice(old_statuses),
                    created_by=ministry,
                    created_at=_at(negotiation.date + datetime.timedelta(days=7)),
                )
            )
    new_actions = FollowUpAction.objects.bulk_create(new_actions, batch_size=1000)
    ActionProgressNote.objects.bulk_create(
        (
            ActionProgressNote(
                action=action,
                text=rng.choice(short),
                author=preparer if n else ministry,
                created_at=action.created_at + datetime.timedelta(days=60 * (n + 1)),
            )
            for action in new_actions
            for n in range(2 if action.is_open else 1)
        ),
        batch_size=1000,
    )

    newest_records = [r for r in records if r.negotiation.round_id == newest.pk]
    # The newest round's last region is still writing its situation report (the round takes
    # reports while negotiations are under way): a draft, edited by its preparer.
    report_negotiation = newest_records[-1].negotiation
    SituationReport.objects.filter(negotiation=report_negotiation).update(
        status=SituationReport.Status.DRAFT, submitted_at=None, submitted_by=None
    )
    RegionMembership.objects.get_or_create(user=preparer, region=report_negotiation.region)
    return BenchData(
        ministry=ministry,
        preparer=preparer,
        newest_round=newest,
        record_negotiation=newest_records[0].negotiation,
        report_negotiation=report_negotiation,
        published_record=newest_records[1 % len(newest_records)],
    )


def attach_theme_indicators(round_themes: list[RoundTheme]) -> None:
    """The shipped population indicator on each of these themes (RoundTheme.indicators)."""
    population = Indicator.objects.get(sotkanet_id=POPULATION_SOTKANET_ID)
    RoundTheme.indicators.through.objects.bulk_create(
        RoundTheme.indicators.through(roundtheme_id=round_theme.pk, indicator_id=population.pk)
        for round_theme in round_themes
    )


def theme_indicator_rows(round_: Round):
    """The rows of RoundTheme.indicators of a round's themes (a QuerySet of the M2M table)."""
    return RoundTheme.indicators.through.objects.filter(roundtheme__round=round_)


def data_counts() -> dict[str, int]:
    return {
        "rounds": Round.objects.count(),
        "negotiations": Negotiation.objects.count(),
        "record sections": RecordSection.objects.count(),
        "section versions": RecordSectionVersion.objects.count(),
        "follow-up actions": FollowUpAction.objects.count(),
        "progress notes": ActionProgressNote.objects.count(),
        "report sections": ReportSection.objects.count(),
        "theme indicators": RoundTheme.indicators.through.objects.count(),
    }


def add_record_actions(data: BenchData, total: int) -> None:
    """Bring the measured record up to `total` follow-up actions (after the page timings)."""
    record = Record.objects.get(negotiation=data.record_negotiation)
    sections = list(record.sections.filter(kind=RecordSection.Kind.THEME))
    have = FollowUpAction.objects.filter(negotiation=data.record_negotiation).count()
    FollowUpAction.objects.bulk_create(
        FollowUpAction(
            negotiation=data.record_negotiation,
            section=sections[n % len(sections)],
            what=f"Lisätoimenpide {n + 1}: alue ja ministeriö seuraavat toimenpiteen etenemistä.",
            responsible=FollowUpAction.Responsible.JOINT,
            owner=f"Vastuuyksikkö {n + 1}",
            due_date=data.record_negotiation.date + datetime.timedelta(days=180),
            created_by=data.ministry,
        )
        for n in range(have, total)
    )


def editable_record_sections(data: BenchData) -> list[RecordSection]:
    """The sections the ministry can still write in: those of the newest round's records
    that are not approved yet (a draft, or out for comments)."""
    return list(
        RecordSection.objects.filter(
            record__negotiation__round=data.newest_round,
            record__status__in=(Record.Status.DRAFT, Record.Status.COMMENTS),
        )
        .select_related("record")
        .order_by("record_id", "order", "pk")
    )


def ministry_officials(count: int) -> list[User]:
    """`count` more ministry officials, for the load run's sessions."""
    group = Group.objects.get(name=MINISTRY_OFFICIAL)
    users = User.objects.bulk_create(
        User(username=f"bench-load-{n}", first_name="Kuormitus", last_name=str(n))
        for n in range(1, count + 1)
    )
    group.user_set.add(*users)
    return users
