"""Published records, readable by everyone without logging in: nothing else ever shows."""

import datetime
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Participant,
    Record,
    RecordComment,
    Round,
    RoundTheme,
    Theme,
)
from negotiations.models.versioning import SaveOutcome
from negotiations.services import ensure_record
from regions.models import Region
from tests.factories import county, make_round

pytestmark = pytest.mark.django_db

LIST_URL = reverse("negotiations:public-records")


# The rounds of the published records: closed, with two themes titled in Finnish only.
THEMES = [
    ("henkilosto", "Henkilöstötilanne", "henkilosto", "henkilosto"),
    ("pelastustoimi", "Pelastustoimi", "pelastustoimi", "pelastustoimi"),
]
CLOSED = {"status": Round.Status.CLOSED, "themes": THEMES}


def make_record(
    round_: Round, region: Region, *, by, status: str = Record.Status.PUBLISHED, texts=None
) -> Record:
    """A record of the region's negotiation in the round, moved on to `status`."""
    negotiation = Negotiation.objects.create(
        round=round_,
        region=region,
        date=round_.period_start + datetime.timedelta(days=7),
        start_time=datetime.time(9),
        end_time=datetime.time(12),
        place="Meritullinkatu 8, Helsinki",
    )
    record = ensure_record(negotiation)
    theme_section = record.sections.filter(kind="theme").first()
    texts = texts or {"situation": f"Tilanne: {region.name_fi} {round_.year}"}
    assert theme_section.save_texts(texts=texts, base_version=0, by=by) is SaveOutcome.SAVED
    if status != Record.Status.DRAFT:
        record.send_for_comments(by=by)
    if status in (Record.Status.APPROVED, Record.Status.PUBLISHED):
        record.approve(by=by)
    if status == Record.Status.PUBLISHED:
        record.publish(by=by)
    return record


def add_action(record: Record, what: str, **fields) -> FollowUpAction:
    section = record.sections.filter(kind="theme").first()
    return FollowUpAction.objects.create(
        negotiation=record.negotiation,
        section=section,
        what=what,
        responsible=fields.pop("responsible", FollowUpAction.Responsible.REGION),
        created_at=fields.pop("created_at", record.published_at - datetime.timedelta(days=1)),
        **fields,
    )


def page(client, record: Record):
    return client.get(reverse("negotiations:public-record", args=[record.pk]))


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- The list ------------------------------------------------------------------------------


def test_anyone_sees_published_records_by_round_newest_first_then_by_region_name(
    client, ministry_user
):
    round_2023, round_2027 = make_round(2023, **CLOSED), make_round(2027, **CLOSED)
    for round_ in (round_2023, round_2027):
        for code in ("08", "11"):  # Pirkanmaa, Etelä-Karjala
            make_record(round_, county(code), by=ministry_user)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    html = text_of(response)
    headings = re.findall(r"<h2 id=\"round-\d+\">([^<]+)</h2>", html)
    assert headings == ["Hyvinvointialueneuvottelut 2027", "Hyvinvointialueneuvottelut 2023"]
    regions = re.findall(r"<th scope=\"row\"><a href=\"/julkiset/\d+/\">([^<]+)</a>", html)
    assert regions == ["Etelä-Karjala", "Pirkanmaa", "Etelä-Karjala", "Pirkanmaa"]
    for record in Record.objects.all():
        assert reverse("negotiations:public-record", args=[record.pk]) in html


def test_regions_are_ordered_by_their_name_in_the_chosen_language(client, ministry_user):
    round_ = make_round(2023, **CLOSED)
    for code in ("08", "11"):  # Birkaland, Södra Karelen in Swedish
        make_record(round_, county(code), by=ministry_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"

    html = text_of(client.get(LIST_URL))

    assert re.findall(r"<a href=\"/julkiset/\d+/\">([^<]+)</a>", html) == [
        "Birkaland",
        "Södra Karelen",
    ]


@pytest.mark.parametrize("status", ["draft", "comments", "approved"])
def test_records_not_yet_published_are_not_listed(client, ministry_user, status):
    round_ = make_round(2023, **CLOSED)
    make_record(round_, county("08"), by=ministry_user)
    hidden = make_record(round_, county("21"), by=ministry_user, status=status)

    html = text_of(client.get(LIST_URL))

    assert "Pirkanmaa" in html
    assert "Lappi" not in html
    assert reverse("negotiations:public-record", args=[hidden.pk]) not in html


def test_a_round_without_published_records_is_not_offered_in_the_filter(client, ministry_user):
    make_record(make_round(2023, **CLOSED), county("08"), by=ministry_user)
    make_record(make_round(2027, **CLOSED), county("08"), by=ministry_user, status="approved")

    html = text_of(client.get(LIST_URL))

    assert "Hyvinvointialueneuvottelut 2023" in html
    assert "Hyvinvointialueneuvottelut 2027" not in html


def test_an_empty_list_says_there_are_no_published_records_yet(client):
    response = client.get(LIST_URL)
    assert response.status_code == 200
    assert "Julkaistuja neuvottelumuistioita ei ole vielä." in text_of(response)


def test_the_list_can_be_filtered_by_round_with_a_plain_get_form(client, ministry_user):
    round_2023, round_2027 = make_round(2023, **CLOSED), make_round(2027, **CLOSED)
    make_record(round_2023, county("08"), by=ministry_user)
    make_record(round_2027, county("21"), by=ministry_user)

    html = text_of(client.get(LIST_URL, {"round": round_2023.pk}))

    assert re.search(r'<form class="filter-form" method="get" action="/julkiset/">', html)
    assert '<label for="id_round">Neuvottelukierros:</label>' in html
    assert f'<option value="{round_2023.pk}" selected>' in html
    assert "Pirkanmaa" in html
    assert "Lappi" not in html
    assert '<h2 id="round-' in html and "Hyvinvointialueneuvottelut 2027</h2>" not in html


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_an_unknown_round_in_the_query_string_shows_every_published_record(
    client, ministry_user, value
):
    make_record(make_round(2023, **CLOSED), county("08"), by=ministry_user)
    make_record(make_round(2027, **CLOSED), county("21"), by=ministry_user)

    response = client.get(LIST_URL, {"round": value})

    assert response.status_code == 200
    html = text_of(response)
    assert "Pirkanmaa" in html and "Lappi" in html


def test_the_list_costs_the_same_number_of_queries_for_2_and_20_records(
    client, ministry_user, django_assert_max_num_queries, query_count
):
    rounds = [make_round(year, **CLOSED) for year in (2023, 2024, 2025, 2026)]
    regions = list(Region.objects.current().order_by("code")[:5])
    make_record(rounds[0], regions[0], by=ministry_user)
    make_record(rounds[1], regions[1], by=ministry_user)
    few = query_count(client, LIST_URL)
    for round_ in rounds:
        for region in regions:
            if not Negotiation.objects.filter(round=round_, region=region).exists():
                make_record(round_, region, by=ministry_user)
    assert Record.objects.published().count() == 20

    with django_assert_max_num_queries(few) as large:
        response = client.get(LIST_URL)

    assert text_of(response).count('href="/julkiset/') == 20 + 1  # and the footer link
    assert len(large) == few


def test_the_list_from_the_cache_shows_a_record_published_since_and_the_chosen_language(
    client, ministry_user
):
    round_ = make_round(2023, **CLOSED)
    make_record(round_, county("08"), by=ministry_user)
    assert "Pirkanmaa" in text_of(client.get(LIST_URL))
    assert "Pirkanmaa" in text_of(client.get(LIST_URL))  # the table from the cache
    make_record(round_, county("11"), by=ministry_user)
    html = text_of(client.get(LIST_URL))
    assert re.findall(r"<a href=\"/julkiset/\d+/\">([^<]+)</a>", html) == [
        "Etelä-Karjala",
        "Pirkanmaa",
    ]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    html = text_of(client.get(LIST_URL))
    assert re.findall(r"<a href=\"/julkiset/\d+/\">([^<]+)</a>", html) == [
        "Birkaland",
        "Södra Karelen",
    ]
    assert "Välfärdsområdesförhandlingarna 2023" in html
    round_.negotiations.update(date=datetime.date(2023, 2, 20))
    assert html.count("20.2.2023") == 0
    assert text_of(client.get(LIST_URL)).count("20.2.2023") == 2


# --- The record --------------------------------------------------------------------------


@pytest.fixture
def published(ministry_user) -> Record:
    round_ = make_round(2023, **CLOSED)
    record = make_record(
        round_,
        county("08"),
        by=ministry_user,
        status="draft",
        texts={
            "situation": "Hoitoon pääsy on parantunut.\nJonot lyhenevät.",
            "discussion": "Keskusteltiin vuokratyövoimasta.",
            "challenges": "Sairaanhoitajapula.",
            "measures": "Rekrytointiohjelma.",
        },
    )
    negotiation = record.negotiation
    present = [
        negotiation.add_participant(side=Participant.Side.MINISTRY, user=ministry_user),
        negotiation.add_participant(
            side=Participant.Side.REGION,
            name="Antti Aluejohtaja",
            organisation="Pirkanmaan hyvinvointialue",
            title="hyvinvointialuejohtaja",
        ),
    ]
    negotiation.add_participant(side=Participant.Side.THL, name="Poissa Oleva")
    record.set_attendance(present)
    closing = record.sections.get(kind="closing")
    closing.save_texts(
        texts={"discussion": "Neuvottelu päättyi."}, base_version=0, by=ministry_user
    )
    record.approve(by=ministry_user)
    record.publish(by=ministry_user)
    add_action(
        record,
        "Alue laatii rekrytointisuunnitelman.",
        owner="Henkilöstöjohtaja",
        due_date=datetime.date(2023, 9, 30),
        status=FollowUpAction.Status.IN_PROGRESS,
    )
    return record


def test_anyone_reads_the_published_record_with_its_sections_actions_and_approval(
    client, published
):
    response = page(client, published)

    assert response.status_code == 200
    html = text_of(response)
    assert "<h1>Neuvottelumuistio: Pirkanmaa</h1>" in html
    assert "Hyvinvointialueneuvottelut 2023" in html
    assert "8.2.2023" in html and "9.00–12.00" in html
    assert "Meritullinkatu 8, Helsinki" in html
    # Who was present, not who was only invited.
    assert "Mirja" in html
    assert "Antti Aluejohtaja</span>, hyvinvointialuejohtaja, Pirkanmaan hyvinvointialue" in html
    assert "Poissa Oleva" not in html
    # The theme section's four texts with their headings, line breaks kept.
    for heading in ("Tilanne", "Keskustelu", "Haasteet", "Kehittämistoimet"):
        assert f"<h3>{heading}</h3>" in html
    assert "<p>Hoitoon pääsy on parantunut.<br>Jonot lyhenevät.</p>" in html
    assert "Neuvottelu päättyi." in html
    assert '<h2 id="section-' in html and "Henkilöstötilanne</h2>" in html
    # The follow-up action with its responsible party, owner, due date and status.
    row = re.search(r"<th scope=\"row\">Alue laatii rekrytointisuunnitelman.</th>(.*?)</tr>", html)
    assert row
    assert re.findall(r"<td>(.*?)</td>", row.group(1)) == [
        "Alue",
        "Henkilöstöjohtaja",
        '<time datetime="2023-09-30">30.9.2023</time>',
        "Käynnissä",
    ]
    approved = timezone.localtime(published.approved_at).strftime("%-d.%-m.%Y")
    assert re.search(rf"<dt>Hyväksytty</dt> <dd><time [^>]+>{approved}</time> \(Mirja\)</dd>", html)


def test_the_record_from_the_cache_is_in_the_readers_language(client, published):
    finnish = text_of(page(client, published))
    assert '<h2 id="present-heading">Läsnä</h2>' in finnish
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
    swedish = text_of(page(client, published))
    assert '<html lang="sv">' in swedish
    assert '<h2 id="present-heading">Närvarande</h2>' in swedish
    assert "Läsnä</h2>" not in swedish
    assert "<td>Pågår</td>" in swedish and "Käynnissä" not in swedish
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fi"
    assert main_of(text_of(page(client, published))) == main_of(finnish)


def main_of(html: str) -> str:
    return re.search(r"<main .*</main>", html)[0]


def test_the_record_from_the_cache_shows_what_changed_after_publication_at_once(
    client, published, ministry_user
):
    assert "Käynnissä" in text_of(page(client, published))
    action = FollowUpAction.objects.get(section__record=published)
    action.change_status(FollowUpAction.Status.DONE, by=ministry_user)
    html = text_of(page(client, published))
    assert "<td>Valmis</td>" in html and "Käynnissä" not in html
    negotiation = published.negotiation
    negotiation.place = "Kirkkokatu 14, Helsinki"
    negotiation.save()
    assert "Kirkkokatu 14, Helsinki" in text_of(page(client, published))
    # An action recorded later is still not part of the published record.
    add_action(published, "Myöhemmin kirjattu.", created_at=timezone.now())
    assert "Myöhemmin kirjattu." not in text_of(page(client, published))


def test_the_public_record_never_shows_comments_older_versions_or_the_event_log(
    client, ministry_user, pirkanmaa_preparer
):
    record = make_record(
        make_round(2023, **CLOSED),
        county("08"),
        by=ministry_user,
        status="draft",
        texts={"situation": "Vanha luonnosteksti, jota ei julkaistu."},
    )
    section = record.sections.filter(kind="theme").first()
    section.save_texts(
        texts={"situation": "Julkaistu teksti."}, base_version=section.version, by=ministry_user
    )
    record.send_for_comments(by=ministry_user)
    RecordComment.objects.create(
        section=section, author=pirkanmaa_preparer, text="Alueen kommentti luonnokseen."
    )
    record.approve(by=ministry_user)
    record.reopen(by=ministry_user, reason="Avaamisen syy: korjataan tilannekuvaus.")
    record.approve(by=ministry_user)
    record.publish(by=ministry_user)

    html = text_of(page(client, record))

    assert "Julkaistu teksti." in html
    assert "Vanha luonnosteksti" not in html
    assert "Alueen kommentti" not in html
    assert "Avaamisen syy" not in html
    assert "pirkanmaan-valmistelija" not in html
    assert "versio" not in html.lower()
    assert "/history/" not in html and "/comments/" not in html


def test_texts_are_escaped(client, ministry_user):
    record = make_record(
        make_round(2023, **CLOSED),
        county("08"),
        by=ministry_user,
        texts={"discussion": '<script>alert("x")</script> & <b>lihavoitu</b>'},
    )
    html = page(client, record).content.decode()
    assert "<script>alert" not in html and "<b>lihavoitu</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in html


def test_actions_recorded_after_publication_are_not_part_of_the_published_record(client, published):
    add_action(published, "Myöhemmin lisätty toimenpide.", created_at=timezone.now())
    html = text_of(page(client, published))
    assert "Alue laatii rekrytointisuunnitelman." in html
    assert "Myöhemmin lisätty toimenpide." not in html
    # The public PDF comes from the same record_document(): it agrees with the page.
    response = client.get(reverse("negotiations:public-record-pdf", args=[published.pk]))
    everything = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Alue laatii rekrytointisuunnitelman." in everything
    assert "Myöhemmin lisätty toimenpide." not in everything


@pytest.mark.parametrize("status", ["draft", "comments", "approved"])
def test_a_record_not_yet_published_answers_404_to_everyone(client, ministry_user, status):
    record = make_record(make_round(2023, **CLOSED), county("08"), by=ministry_user, status=status)
    assert page(client, record).status_code == 404
    client.force_login(ministry_user)
    assert page(client, record).status_code == 404


def test_an_unknown_record_answers_404(client):
    assert client.get(reverse("negotiations:public-record", args=[999999])).status_code == 404


@pytest.mark.parametrize("who", ["own-preparer", "other-preparer", "ministry", "anonymous"])
def test_every_visitor_reads_the_public_pages_without_being_sent_to_log_in(
    client, log_in_as, published, who
):
    log_in_as(who)
    for url in (LIST_URL, reverse("negotiations:public-record", args=[published.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Pirkanmaa" in text_of(response)


def test_the_public_pages_only_answer_reads(client, published):
    assert client.post(LIST_URL).status_code == 405
    assert page(client, published).status_code == 200
    url = reverse("negotiations:public-record", args=[published.pk])
    assert client.post(url).status_code == 405


def test_the_record_page_costs_the_same_number_of_queries_however_much_it_holds(
    client, ministry_user, django_assert_max_num_queries, query_count
):
    small = make_record(make_round(2023, **CLOSED), county("08"), by=ministry_user)
    add_action(small, "Yksi toimenpide.")
    big_round = make_round(2027, **CLOSED)
    for position, code in enumerate(["a", "b", "c", "d"], start=3):
        theme = Theme.objects.create(code=f"teema-{code}", title_fi=code, title_sv=code)
        RoundTheme.objects.create(round=big_round, theme=theme, position=position)
    big = make_record(big_round, county("21"), by=ministry_user, status=Record.Status.DRAFT)
    negotiation = big.negotiation
    people = [
        negotiation.add_participant(side=side, name=f"Henkilö {n}")
        for n, side in enumerate(Participant.Side.values * 3)
    ]
    big.set_attendance(people)  # recorded before the approval, as the ministry does
    big.approve(by=ministry_user)
    big.publish(by=ministry_user)
    for section in big.sections.filter(kind="theme"):
        for n in range(5):
            FollowUpAction.objects.create(
                negotiation=negotiation,
                section=section,
                what=f"Toimenpide {section.pk}-{n}",
                responsible="thl",
                created_at=big.published_at,
            )

    few = query_count(client, reverse("negotiations:public-record", args=[small.pk]))
    with django_assert_max_num_queries(few) as many:
        response = page(client, big)

    assert text_of(response).count('<th scope="row">Toimenpide ') == 30
    assert len(many) == few


# --- Ways in -----------------------------------------------------------------------------


def test_the_footer_and_the_login_page_lead_to_the_published_records(client):
    html = text_of(client.get(reverse("login")))
    assert (
        '<a href="/julkiset/">Julkaistut neuvottelumuistiot ovat luettavissa ilman '
        "kirjautumista.</a>" in html
    )
    assert '<a href="/julkiset/">Julkaistut neuvottelumuistiot</a>' in html


def test_the_demo_record_of_pirkanmaa_is_public_and_lappis_draft_is_not(client, demo_data):
    html = text_of(client.get(LIST_URL))
    assert "Hyvinvointialueneuvottelut 2023" in html
    assert re.findall(r"<a href=\"/julkiset/\d+/\">([^<]+)</a>", html) == ["Pirkanmaa"]
    record = Record.objects.published().get()
    html = text_of(page(client, record))
    assert "[Esimerkkisisältö]" in html
    # Three agreed actions and the ministry's recommendation.
    assert html.count('<th scope="row">[Esimerkkisisältö]') == 4
    assert "Terhi Tutkija" in html


def test_stored_text_carries_its_language_and_the_page_says_it_has_only_one(client, ministry_user):
    record = make_record(make_round(2023, **CLOSED), county("08"), by=ministry_user)
    client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    text = page(client, record).content.decode()
    assert '<html lang="sv">' in text
    assert '<div class="report-text" lang="fi"><p>Tilanne: Pirkanmaa 2023</p>' in text
    assert "Promemorian är skriven på bara ett språk: finska." in text
    client.post(reverse("set_language"), {"language": "fi", "next": "/"})
    assert "vain yhdellä kielellä" not in page(client, record).content.decode()
