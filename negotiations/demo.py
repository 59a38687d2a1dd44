"""Demo data: the rounds of the ministry's press releases 2018-2023, their themes and demo users.

Used by `manage.py seed_demo`. Every function is idempotent: running it again finds what it
created before and changes nothing.
"""

import datetime

from django.contrib.auth.models import Group, User
from django.db import transaction

from knowledge.models import Indicator, NationalObjective, ObjectivePeriod
from negotiations.models import (
    FollowUpAction,
    Ministry,
    Negotiation,
    Participant,
    Record,
    RecordSection,
    RecordSectionVersion,
    Round,
    RoundTheme,
    Theme,
)
from negotiations.models.schedule import HELSINKI
from negotiations.services import ensure_documents, ensure_record, ensure_report
from regions.models import Region, RegionMembership
from regions.roles import MINISTRY_OFFICIAL, REGIONAL_PREPARER

DEMO_PASSWORD = "demo"

THEMES = {
    # code: (title fi, sv, en, questions fi, sv, en)
    "simulaatio": (
        "Maakuntatalouden ja toiminnan simulointi",
        "Simulering av landskapens ekonomi och verksamhet",
        "Simulation of regional finances and operations",
        "Miten maakunnan talous ja toiminta toteutuisivat simuloidulla rahoituksella?",
        "Hur skulle landskapets ekonomi och verksamhet fungera med den simulerade finansieringen?",
        "How would the region's finances and operations work with the simulated funding?",
    ),
    "tilannekuva": (
        "Tilannekuva",
        "Lägesbild",
        "Situation overview",
        "Miten maakunta- ja sote-uudistuksen valmistelu etenee?\n"
        "Miten palvelujen järjestämisvastuu, yhteistyöalueen tehtävät ja yhdyspinnat hoidetaan?",
        "Hur framskrider beredningen av landskaps- och vårdreformen?\n"
        "Hur sköts organiseringsansvaret, samarbetsområdets uppgifter och gränsytorna?",
        "How is the preparation of the regional government and health and social services "
        "reform progressing?\n"
        "How are the organising responsibility, cooperation area tasks and interfaces handled?",
    ),
    "saatavuus": (
        "Palvelujen saatavuus",
        "Tillgången till tjänster",
        "Availability of services",
        "Miten palvelujen saatavuus toteutuu eri puolilla aluetta?\n"
        "Missä palveluissa jonot ovat pisimmät?",
        "Hur förverkligas tillgången till tjänster i olika delar av området?\n"
        "I vilka tjänster är köerna längst?",
        "How is access to services realised across the region?\n"
        "Which services have the longest queues?",
    ),
    "rahoitus": (
        "Palvelujen rahoitus, investoinnit ja tuottavuus",
        "Finansiering av tjänster, investeringar och produktivitet",
        "Funding of services, investments and productivity",
        "Riittääkö rahoitus palvelujen järjestämiseen?\n"
        "Mitkä investoinnit ovat suunnitteilla ja miten tuottavuutta parannetaan?",
        "Räcker finansieringen till för att ordna tjänsterna?\n"
        "Vilka investeringar planeras och hur förbättras produktiviteten?",
        "Is the funding sufficient for organising the services?\n"
        "Which investments are planned and how is productivity improved?",
    ),
    "digitaalisuus": (
        "Digitaalisuus, sähköiset palvelut ja tietopohja",
        "Digitalisering, elektroniska tjänster och kunskapsunderlag",
        "Digitalisation, electronic services and knowledge base",
        "Mitä sähköisiä palveluja alueella on käytössä ja suunnitteilla?\n"
        "Millainen tietopohja tukee johtamista?",
        "Vilka elektroniska tjänster används och planeras i området?\n"
        "Vilket kunskapsunderlag stöder ledningen?",
        "Which electronic services are in use or planned in the region?\n"
        "What knowledge base supports management?",
    ),
    "integraatio": (
        "Palvelujen integraatio",
        "Integration av tjänster",
        "Integration of services",
        "Miten sosiaali- ja terveyspalvelut sovitetaan yhteen asiakkaan kannalta?",
        "Hur samordnas social- och hälsovårdstjänsterna ur kundens synvinkel?",
        "How are social and health services coordinated from the client's point of view?",
    ),
    "kehittamistarpeet": (
        "Alueen sote-tilanne ja kehittämistarpeet",
        "Områdets social- och hälsovårdsläge och utvecklingsbehov",
        "The region's health and social services situation and development needs",
        "Mikä on alueen sosiaali- ja terveydenhuollon tilanne?\n"
        "Mitkä ovat tärkeimmät kehittämistarpeet?",
        "Hur är läget inom social- och hälsovården i området?\n"
        "Vilka är de viktigaste utvecklingsbehoven?",
        "What is the state of health and social services in the region?\n"
        "What are the most important development needs?",
    ),
    "tulevaisuuden-sote-keskus": (
        "Tulevaisuuden sosiaali- ja terveyskeskus -ohjelman alueelliset painopisteet",
        "Regionala prioriteringar i programmet Framtidens social- och hälsocentral",
        "Regional priorities of the Future Health and Social Services Centre programme",
        "Mitkä ovat alueen hankkeen painopisteet?",
        "Vilka är prioriteringarna i områdets projekt?",
        "What are the priorities of the region's project?",
    ),
    "turvallinen-siirtyma": (
        "Turvallinen siirtymä",
        "Tryggt överförande",
        "Safe transition",
        "Miten palvelujen siirtyminen hyvinvointialueelle on toteutunut?\n"
        "Mitä keskeneräisiä asioita siirtymästä on jäänyt?",
        "Hur har överföringen av tjänsterna till välfärdsområdet genomförts?\n"
        "Vilka frågor kvarstår efter överföringen?",
        "How has the transfer of services to the county succeeded?\n"
        "Which issues of the transition remain open?",
    ),
    "jarjestamisvastuu": (
        "Sote-järjestämisvastuun toteutuminen, mukaan lukien hoito- ja palveluvelka",
        "Organiseringsansvaret för social- och hälsovården, inklusive vård- och serviceskulden",
        "Realisation of the organising responsibility, including care and service debt",
        "Miten järjestämisvastuu toteutuu?\n"
        "Kuinka suuri hoito- ja palveluvelka on ja miten sitä puretaan?",
        "Hur förverkligas organiseringsansvaret?\n"
        "Hur stor är vård- och serviceskulden och hur avvecklas den?",
        "How is the organising responsibility realised?\n"
        "How large is the care and service debt and how is it reduced?",
    ),
    "henkilosto": (
        "Henkilöstötilanne",
        "Personalsituationen",
        "Personnel situation",
        "Missä tehtävissä on henkilöstöpulaa?\nMiten rekrytointia ja pysyvyyttä tuetaan?",
        "I vilka uppgifter råder personalbrist?\nHur stöds rekrytering och personalens stabilitet?",
        "Which tasks suffer from staff shortages?\nHow are recruitment and retention supported?",
    ),
    "pelastustoimi": (
        "Pelastustoimen järjestämistehtävien toteutuminen",
        "Räddningsväsendets organiseringsuppgifter",
        "Rescue services organising tasks",
        "Miten pelastustoimen palvelutaso toteutuu?",
        "Hur förverkligas räddningsväsendets servicenivå?",
        "How is the service level of the rescue services realised?",
    ),
}

ROUNDS = [
    {
        "name_fi": "Kevään 2018 harjoitusneuvottelut",
        "name_sv": "Övningsförhandlingarna våren 2018",
        "name_en": "Spring 2018 practice negotiations",
        "kind": Round.Kind.SIMULATION,
        "period_start": datetime.date(2018, 1, 15),
        "period_end": datetime.date(2018, 3, 29),
        "lead_ministry": Ministry.VM,
        "ministries": ["VM", "STM", "SM", "TEM"],
        "status": Round.Status.CLOSED,
        "themes": ["simulaatio"],
        "regions": "maakunnat",
    },
    {
        "name_fi": "Syksyn 2018 sote-neuvottelut",
        "name_sv": "Vårdförhandlingarna hösten 2018",
        "name_en": "Autumn 2018 health and social services negotiations",
        "kind": Round.Kind.SOTE_TALKS,
        "period_start": datetime.date(2018, 10, 9),
        "period_end": datetime.date(2018, 11, 23),
        "lead_ministry": Ministry.STM,
        "ministries": ["STM"],
        "status": Round.Status.CLOSED,
        "themes": ["tilannekuva", "saatavuus", "rahoitus", "digitaalisuus", "integraatio"],
        "regions": "maakunnat",
        "schedule": {"place": "Sosiaali- ja terveysministeriö, Meritullinkatu 8, Helsinki"},
    },
    {
        "name_fi": "Aluekeskustelut 2020",
        "name_sv": "Regionala diskussioner 2020",
        "name_en": "Regional discussions 2020",
        "kind": Round.Kind.REGIONAL_DISCUSSIONS,
        "period_start": datetime.date(2020, 1, 15),
        "period_end": datetime.date(2020, 2, 28),
        "lead_ministry": Ministry.STM,
        "ministries": ["STM"],
        "status": Round.Status.CLOSED,
        "themes": ["kehittamistarpeet", "tulevaisuuden-sote-keskus"],
        "regions": "maakunnat",
    },
    {
        "name_fi": "Hyvinvointialueneuvottelut 2023",
        "name_sv": "Välfärdsområdesförhandlingarna 2023",
        "name_en": "Wellbeing services county negotiations 2023",
        "kind": Round.Kind.COUNTY_NEGOTIATIONS,
        "period_start": datetime.date(2023, 2, 14),
        "period_end": datetime.date(2023, 3, 31),
        "lead_ministry": Ministry.STM,
        "ministries": ["STM", "VM", "SM"],
        "status": Round.Status.CLOSED,
        "allows_region_theme": True,
        "themes": ["turvallinen-siirtyma", "jarjestamisvastuu", "henkilosto", "pelastustoimi"],
        "regions": "counties-and-helsinki",
        "schedule": {"video_link": "https://video.example.fi/stm-ohjausneuvottelu"},
    },
    {
        "name_fi": "Hyvinvointialueneuvottelut 2027",
        "name_sv": "Välfärdsområdesförhandlingarna 2027",
        "name_en": "Wellbeing services county negotiations 2027",
        "kind": Round.Kind.COUNTY_NEGOTIATIONS,
        "period_start": datetime.date(2027, 2, 1),
        "period_end": datetime.date(2027, 3, 31),
        "report_deadline": datetime.date(2027, 1, 22),
        "lead_ministry": Ministry.STM,
        "ministries": ["STM", "VM", "SM"],
        "status": Round.Status.OPEN_FOR_REPORTS,
        "allows_region_theme": True,
        "themes": ["jarjestamisvastuu", "henkilosto", "pelastustoimi", "digitaalisuus"],
        "regions": "current",
        # Only Pirkanmaa is scheduled so far.
        "schedule": {
            "only": ("county", "08"),
            "date": datetime.date(2027, 2, 16),
            "place": "Sosiaali- ja terveysministeriö, Meritullinkatu 8, Helsinki",
            "video_link": "https://video.example.fi/stm-pirkanmaa-2027",
        },
    },
]

USERS = [
    # username, first name, last name, superuser, group, region (kind, code)
    ("admin", "Ylläpitäjä", "Demo", True, None, None),
    ("ministry", "Mirja", "Ministeriö", False, MINISTRY_OFFICIAL, None),
    ("pirkanmaa", "Pirkko", "Valmistelija", False, REGIONAL_PREPARER, ("county", "08")),
    ("lappi", "Lassi", "Valmistelija", False, REGIONAL_PREPARER, ("county", "21")),
]

EXAMPLE = "[Esimerkkiteksti – demoaineistoa, ei todellinen tilannekuva.]"
EXAMPLE_ANSWERS = {
    "jarjestamisvastuu": (
        "Palvelujen järjestäminen on vakiintunut ensimmäisten vuosien jälkeen. Hoitoon pääsy "
        "perusterveydenhuollossa on parantunut, mutta suun terveydenhuollon jonot ovat yhä "
        "pitkiä.\n\nHoito- ja palveluvelkaa puretaan ostopalveluilla ja iltavastaanotoilla."
    ),
    "henkilosto": (
        "Sairaanhoitajista ja sosiaalityöntekijöistä on pulaa erityisesti alueen reunoilla. "
        "Rekrytointia tuetaan palkkaharmonisoinnilla ja oppisopimuskoulutuksella.\n\n"
        "Vuokratyövoiman käyttöä on vähennetty kolmanneksella edellisestä vuodesta."
    ),
    "pelastustoimi": (
        "Pelastustoimen palvelutaso on toteutunut taajamissa. Haja-asutusalueilla "
        "toimintavalmiusajat ylittyvät, ja sopimuspalokuntien toimintaedellytyksiä vahvistetaan."
    ),
    "digitaalisuus": (
        "Sähköinen asiointi on käytössä kaikissa sosiaali- ja terveyskeskuksissa. "
        "Asiakastietojärjestelmien yhtenäistäminen jatkuu."
    ),
}
# Regions whose 2027 report is already submitted in the demo, and Pirkanmaa's draft themes.
SUBMITTED_2027 = ["07", "16", "17", "21"]
PIRKANMAA_DRAFT_THEMES = ["jarjestamisvastuu", "henkilosto"]


def seed_themes() -> dict[str, Theme]:
    themes = {}
    for code, (fi, sv, en, q_fi, q_sv, q_en) in THEMES.items():
        themes[code], _ = Theme.objects.get_or_create(
            code=code,
            defaults={
                "title_fi": fi,
                "title_sv": sv,
                "title_en": en,
                "guiding_questions_fi": q_fi,
                "guiding_questions_sv": q_sv,
                "guiding_questions_en": q_en,
            },
        )
    return themes


def _participants(which: str):
    if which == "maakunnat":
        return Region.objects.filter(kind=Region.Kind.MAAKUNTA)
    if which == "current":
        return Region.objects.current()
    return Region.objects.filter(kind__in=[Region.Kind.COUNTY, Region.Kind.CITY])


def _weekdays(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days = (start + datetime.timedelta(days=n) for n in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5]


def schedule_round(round_: Round, schedule: dict, chair: User) -> None:
    """Spread the round's unscheduled negotiations evenly over the weekdays of its period,
    9-12 o'clock, without e-mails (this is history, or demo)."""
    negotiations = list(round_.negotiations.select_related("region").order_by("region__code"))
    if "only" in schedule:
        kind, code = schedule["only"]
        negotiations = [n for n in negotiations if (n.region.kind, n.region.code) == (kind, code)]
    weekdays = _weekdays(round_.period_start, round_.period_end)
    step = len(weekdays) / max(len(negotiations), 1)
    for index, negotiation in enumerate(negotiations):
        if negotiation.is_scheduled:
            continue
        negotiation.date = schedule.get("date") or weekdays[int(index * step)]
        negotiation.start_time = datetime.time(9, 0)
        negotiation.end_time = datetime.time(12, 0)
        negotiation.place = schedule.get("place", "")
        negotiation.video_link = schedule.get("video_link", "")
        negotiation.chair = chair
        negotiation.save()


def seed_rounds(themes: dict[str, Theme], chair: User) -> list[Round]:
    rounds = []
    for spec in ROUNDS:
        spec = dict(spec)
        theme_codes, which = spec.pop("themes"), spec.pop("regions")
        schedule = spec.pop("schedule", None)
        round_, _ = Round.objects.get_or_create(name_fi=spec.pop("name_fi"), defaults=spec)
        for position, code in enumerate(theme_codes, start=1):
            RoundTheme.objects.get_or_create(
                round=round_, theme=themes[code], defaults={"position": position}
            )
        for region in _participants(which):
            Negotiation.objects.get_or_create(round=round_, region=region)
        if schedule:
            schedule_round(round_, schedule, chair)
        rounds.append(round_)
    return rounds


def seed_users() -> list[User]:
    users = []
    for username, first, last, superuser, group, region in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_superuser": superuser,
                "is_staff": superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if group:
            user.groups.add(Group.objects.get(name=group))
        if region:
            kind, code = region
            RegionMembership.objects.get_or_create(
                user=user, region=Region.objects.get(kind=kind, code=code)
            )
        users.append(user)
    return users


def _write_example(report, theme_codes, by: User | None) -> None:
    for section in report.sections.select_related("round_theme__theme"):
        code = section.round_theme.theme.code if section.round_theme_id else None
        if code in theme_codes and section.version == 0:
            text = f"{EXAMPLE}\n\n{EXAMPLE_ANSWERS.get(code, '')}"
            section.save_texts(texts={"text": text}, base_version=0, by=by)


def seed_reports(users: dict[str, User]) -> None:
    """Pirkanmaa's 2027 report as a draft with two sections; a few regions have submitted."""
    current = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")
    negotiations = current.negotiations.select_related("region", "round")
    for negotiation in negotiations.filter(region__kind=Region.Kind.COUNTY):
        code = negotiation.region.code
        if code == "08":
            report = ensure_report(negotiation)
            _write_example(report, PIRKANMAA_DRAFT_THEMES, users["pirkanmaa"])
        elif code in SUBMITTED_2027:
            report = ensure_report(negotiation)
            by = users["lappi"] if code == "21" else None
            _write_example(report, set(EXAMPLE_ANSWERS), by)
            if report.status != report.Status.SUBMITTED:
                report.submit(by=by)


RECORD_EXAMPLE = "[Esimerkkisisältö]"
ROUND_2023 = "Hyvinvointialueneuvottelut 2023"
# Pirkanmaa's approved and published record of 2023: texts per section (the opening and
# closing notes by kind, the themes by code).
PIRKANMAA_RECORD = {
    RecordSection.Kind.OPENING: {
        "discussion": (
            "Demoaineistoa, ei todellinen neuvottelumuistio. Ministeriö avasi neuvottelun ja "
            "kävi läpi neuvottelun tavoitteet: yhteinen tilannekuva hyvinvointialueen "
            "ensimmäisistä kuukausista ja sovitut jatkotoimenpiteet."
        ),
    },
    "turvallinen-siirtyma": {
        "situation": (
            "Palvelut siirtyivät hyvinvointialueelle vuodenvaihteessa hallitusti. "
            "Asiakas- ja potilastietojärjestelmiä on käytössä edelleen useita."
        ),
        "discussion": (
            "Keskusteltiin tietojärjestelmien yhtenäistämisen aikataulusta ja siitä, miten "
            "asiakkaiden tiedot kulkevat palvelusta toiseen siirtymävaiheessa."
        ),
        "challenges": "Järjestelmien yhtenäistäminen vie useita vuosia ja sitoo henkilöstöä.",
        "measures": "Alue laatii tiekartan asiakastietojärjestelmien yhtenäistämisestä.",
    },
    "jarjestamisvastuu": {
        "situation": (
            "Hoitoon pääsy perusterveydenhuollossa on heikentynyt erityisesti suun "
            "terveydenhuollossa. Hoito- ja palveluvelkaa on kertynyt koronavuosina."
        ),
        "discussion": (
            "Ministeriö kysyi hoito- ja palveluvelan purkamisen keinoista ja aikataulusta. "
            "Alue kertoi lisäävänsä iltavastaanottoja ja ostopalveluja."
        ),
        "challenges": "Ostopalvelujen kustannukset ja henkilöstön saatavuus.",
        "measures": "Hoito- ja palveluvelan purkamissuunnitelma syksyyn 2023 mennessä.",
    },
    "henkilosto": {
        "situation": (
            "Sairaanhoitajista, lääkäreistä ja sosiaalityöntekijöistä on pulaa. "
            "Vuokratyövoiman käyttö on kasvanut."
        ),
        "discussion": (
            "Keskusteltiin palkkaharmonisoinnista, oppisopimuskoulutuksesta ja "
            "vuokratyövoiman käytön vähentämisestä."
        ),
        "challenges": "Kilpailu osaajista naapurialueiden ja yksityisen sektorin kanssa.",
        "measures": "Rekrytointiohjelma ja vuokratyövoiman käytön seuranta kuukausittain.",
    },
    "pelastustoimi": {
        "situation": "Pelastustoimen palvelutaso toteutuu taajamissa.",
        "discussion": (
            "Haja-asutusalueiden toimintavalmiusajoista ja sopimuspalokuntien "
            "toimintaedellytyksistä keskusteltiin."
        ),
    },
    RecordSection.Kind.CLOSING: {
        "discussion": (
            "Ministeriö kiitti aluetta. Muistio lähetetään alueen kommentoitavaksi ennen "
            "hyväksymistä, ja sovittuja jatkotoimenpiteitä seurataan seuraavalla kierroksella."
        ),
    },
}
# (theme, what, responsible, owner, due date, status, progress note)
PIRKANMAA_ACTIONS = [
    (
        "jarjestamisvastuu",
        "Alue laatii suunnitelman hoito- ja palveluvelan purkamiseksi ja toimittaa sen "
        "ministeriölle.",
        FollowUpAction.Responsible.REGION,
        "Pirkanmaan hyvinvointialue, palvelujohtaja",
        datetime.date(2023, 9, 30),
        FollowUpAction.Status.DONE,
        "",
    ),
    (
        "henkilosto",
        "Ministeriö selvittää vuokratyövoiman käytön rajoittamisen keinot yhdessä "
        "hyvinvointialueiden kanssa.",
        FollowUpAction.Responsible.MINISTRY,
        "STM, ohjausosasto",
        datetime.date(2023, 12, 31),
        FollowUpAction.Status.DONE,
        "",
    ),
    (
        "turvallinen-siirtyma",
        "Asiakas- ja potilastietojärjestelmät yhtenäistetään yhdeksi järjestelmäksi.",
        FollowUpAction.Responsible.JOINT,
        "Pirkanmaan hyvinvointialue, tietohallintojohtaja; THL",
        datetime.date(2026, 12, 31),
        FollowUpAction.Status.IN_PROGRESS,
        "Kaksi kolmesta potilastietojärjestelmästä on yhdistetty. Sosiaalihuollon "
        "asiakastietojärjestelmän kilpailutus on käynnissä.",
    ),
]
# Lappi's 2023 record is still a draft: the ministry has written its opening notes and a theme.
LAPPI_DRAFT = {
    RecordSection.Kind.OPENING: {
        "discussion": "Demoaineistoa, ei todellinen neuvottelumuistio. Muistio on kesken.",
    },
    "pelastustoimi": {
        "situation": "Pitkät etäisyydet pidentävät toimintavalmiusaikoja.",
        "challenges": "Sopimuspalokuntien henkilöstön saatavuus.",
    },
}


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HELSINKI)


def _write_record(record: Record, contents: dict, by: User) -> None:
    """Write the example texts into the sections nobody has written in yet."""
    for section in record.sections.select_related("round_theme__theme"):
        key = section.round_theme.theme.code if section.round_theme_id else section.kind
        if key in contents and section.version == 0:
            texts = {f: f"{RECORD_EXAMPLE} {text}" for f, text in contents[key].items()}
            section.save_texts(texts=texts, base_version=0, by=by)


def _invite(negotiation: Negotiation, users: dict[str, User]) -> None:
    if negotiation.participants.exists():
        return
    side = Participant.Side
    negotiation.add_participant(
        side=side.MINISTRY,
        user=users["ministry"],
        organisation="STM",
        title="neuvotteleva virkamies",
    )
    negotiation.add_participant(
        side=side.REGION,
        user=users["pirkanmaa"],
        organisation="Pirkanmaan hyvinvointialue",
        title="valmistelija",
    )
    negotiation.add_participant(
        side=side.REGION,
        name="Antti Aluejohtaja",
        organisation="Pirkanmaan hyvinvointialue",
        title="hyvinvointialuejohtaja",
    )
    negotiation.add_participant(
        side=side.THL,
        name="Terhi Tutkija",
        organisation="Terveyden ja hyvinvoinnin laitos (THL)",
        title="erikoistutkija",
    )


def _agree_actions(record: Record, by: User, written_at: datetime.datetime) -> None:
    negotiation = record.negotiation
    if negotiation.actions.exists():
        return
    sections = {
        section.round_theme.theme.code: section
        for section in record.sections.filter(kind=RecordSection.Kind.THEME).select_related(
            "round_theme__theme"
        )
    }
    for code, what, responsible, owner, due, status, note in PIRKANMAA_ACTIONS:
        action = FollowUpAction.objects.create(
            negotiation=negotiation,
            section=sections[code],
            what=f"{RECORD_EXAMPLE} {what}",
            responsible=responsible,
            owner=owner,
            due_date=due,
            created_by=by,
            created_at=written_at,
        )
        action.change_status(status, by=by)
        # The status note is dated when the work was reported, not when the demo was loaded.
        action.notes.update(created_at=_at(min(due, datetime.date(2025, 11, 14))))
        if note:
            action.notes.create(
                text=f"{RECORD_EXAMPLE} {note}",
                author=by,
                created_at=_at(datetime.date(2025, 11, 14)),
            )


def seed_records(users: dict[str, User]) -> None:
    """Pirkanmaa's 2023 record approved and published with three follow-up actions, one still
    open (it comes back in Pirkanmaa's 2027 round); Lappi's 2023 record as a draft."""
    negotiations = Negotiation.objects.filter(
        round__name_fi=ROUND_2023, region__kind=Region.Kind.COUNTY
    ).select_related("round", "region")
    ministry = users["ministry"]

    pirkanmaa = negotiations.get(region__code="08")
    record = ensure_record(pirkanmaa)
    if record.status != Record.Status.PUBLISHED:
        # The record is written a week after the meeting, approved and published after the
        # region's comments; the dates are those of 2023, not of the day the demo was loaded.
        written, approved = (
            pirkanmaa.date + datetime.timedelta(7),
            pirkanmaa.date + datetime.timedelta(21),
        )
        _invite(pirkanmaa, users)
        record.set_attendance(pirkanmaa.participants.all())
        _write_record(record, PIRKANMAA_RECORD, ministry)
        _agree_actions(record, ministry, _at(written))
        if record.status == Record.Status.DRAFT:
            record.send_for_comments(by=ministry)
        if record.status == Record.Status.COMMENTS:
            record.approve(by=ministry)
        record.publish(by=ministry)
        Record.objects.filter(pk=record.pk).update(
            approved_at=_at(approved), published_at=_at(approved, 15)
        )
        for event in record.events.all():
            day = written if event.action == event.Action.SENT else approved
            event.at = _at(day, 15 if event.action == event.Action.PUBLISHED else 12)
            event.save(update_fields=["at"])
        record.sections.update(updated_at=_at(written))
        RecordSectionVersion.objects.filter(section__record=record).update(created_at=_at(written))

    lappi = ensure_record(negotiations.get(region__code="21"))
    _write_record(lappi, LAPPI_DRAFT, ministry)


# The national objectives of 2024–2027 in general words of the seeds' themes: examples, not
# the Government's wording (is_example shows it on every page), each with the round 2027
# themes that cover it and, where the project has one, an indicator (population, the base of
# per-capita funding: the only indicator that ships with the project).
EXAMPLE_OBJECTIVES = [
    # (order, title fi, sv, en, text fi, themes of 2027, Sotkanet indicator ids)
    (
        1,
        "Palvelujen yhdenvertainen saatavuus ja riittävä rahoitus",
        "Jämlik tillgång till tjänster och tillräcklig finansiering",
        "Equal access to services and adequate funding",
        "Esimerkki: palvelut ovat yhdenvertaisesti saatavilla koko maassa, hoito- ja "
        "palveluvelka puretaan ja rahoitus riittää järjestämisvastuun hoitamiseen.",
        ["jarjestamisvastuu"],
        [127],
    ),
    (
        2,
        "Riittävä ja osaava henkilöstö",
        "Tillräcklig och kunnig personal",
        "Sufficient and skilled personnel",
        "Esimerkki: alueella on palvelujen järjestämiseen riittävä henkilöstö.",
        ["henkilosto"],
        [],
    ),
    (
        3,
        "Pelastustoimen palvelutaso koko alueella",
        "Räddningsväsendets servicenivå i hela området",
        "The level of rescue services in the whole county",
        "Esimerkki: pelastustoimen palvelutaso toteutuu myös haja-asutusalueilla.",
        ["pelastustoimi"],
        [],
    ),
    (
        4,
        "Tietoperusteinen ohjaus ja digitaaliset palvelut",
        "Kunskapsbaserad styrning och digitala tjänster",
        "Knowledge-based steering and digital services",
        "Esimerkki: yhteinen tietopohja ja yhteentoimivat tietojärjestelmät tukevat ohjausta.",
        ["digitaalisuus"],
        [],
    ),
]
RECOMMENDATION = (
    "henkilosto",
    Ministry.STM,
    "Ministeriö suosittaa, että hyvinvointialue laatii suunnitelman henkilöstön saatavuuden "
    "parantamiseksi ja vuokratyövoiman käytön vähentämiseksi.",
    "Pirkanmaan hyvinvointialue, henkilöstöjohtaja",
    datetime.date(2026, 6, 30),
)


def seed_objectives() -> ObjectivePeriod:
    period, _ = ObjectivePeriod.objects.get_or_create(
        start_year=2024,
        end_year=2027,
        defaults={
            "name_fi": "Valtakunnalliset tavoitteet 2024–2027 (esimerkki)",
            "name_sv": "Riksomfattande mål 2024–2027 (exempel)",
            "name_en": "National objectives 2024–2027 (example)",
        },
    )
    round_2027 = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")
    if round_2027.objective_period_id is None:
        round_2027.objective_period = period
        round_2027.save(update_fields=["objective_period"])
    round_themes = {rt.theme.code: rt for rt in round_2027.round_themes.select_related("theme")}
    for order, fi, sv, en, text, theme_codes, indicator_ids in EXAMPLE_OBJECTIVES:
        objective, _ = NationalObjective.objects.get_or_create(
            period=period,
            title_fi=fi,
            defaults={
                "title_sv": sv,
                "title_en": en,
                "text_fi": text,
                "order": order,
                "is_example": True,
            },
        )
        objective.indicators.add(*Indicator.objects.filter(sotkanet_id__in=indicator_ids))
        for code in theme_codes:
            if code in round_themes:
                round_themes[code].objectives.add(objective)
    return period


# The round 2027 themes beside which the regions' figures show, by Sotkanet indicator id: the
# population (the base of per-capita funding and of the rescue services' coverage), the
# only indicator that ships with the project; its values are the real ones, never invented.
THEME_INDICATORS = {"jarjestamisvastuu": [127], "pelastustoimi": [127]}


def seed_theme_indicators() -> None:
    round_2027 = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")
    for round_theme in round_2027.round_themes.select_related("theme"):
        ids = THEME_INDICATORS.get(round_theme.theme.code)
        if ids:
            round_theme.indicators.add(*Indicator.objects.filter(sotkanet_id__in=ids))


def seed_recommendation(users: dict[str, User]) -> None:
    """A ministry's recommendation in Pirkanmaa's published 2023 record, still open: it comes
    back in Pirkanmaa's 2027 report, where the region writes its response."""
    record = Record.objects.select_related("negotiation").get(
        negotiation__round__name_fi=ROUND_2023,
        negotiation__region__kind=Region.Kind.COUNTY,
        negotiation__region__code="08",
    )
    if record.negotiation.actions.recommendations().exists():
        return
    code, ministry, what, owner, due = RECOMMENDATION
    section = record.sections.get(round_theme__theme__code=code)
    written = record.published_at - datetime.timedelta(days=14) if record.published_at else None
    FollowUpAction.objects.create(
        negotiation=record.negotiation,
        section=section,
        kind=FollowUpAction.Kind.RECOMMENDATION,
        ministry=ministry,
        what=f"{RECORD_EXAMPLE} {what}",
        responsible=FollowUpAction.Responsible.REGION,
        owner=owner,
        due_date=due,
        created_by=users["ministry"],
        **({"created_at": written} if written else {}),
    )


@transaction.atomic
def seed_demo() -> None:
    users = {user.username: user for user in seed_users()}
    seed_rounds(seed_themes(), chair=users["ministry"])
    for negotiation in Negotiation.objects.select_related("round"):
        ensure_documents(negotiation)
    seed_reports(users)
    seed_records(users)
    seed_objectives()
    seed_theme_indicators()
    seed_recommendation(users)
    seed_languages()


def seed_languages() -> None:
    """Pohjanmaa (Österbotten) negotiates in Swedish: its records are written in Swedish."""
    Negotiation.objects.filter(region__kind=Region.Kind.COUNTY, region__code="17").update(
        language="sv"
    )
