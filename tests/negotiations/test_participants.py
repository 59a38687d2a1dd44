"""A negotiation's page: its schedule, participants by side, the chair and the region theme."""

import datetime

import pytest
from django.urls import reverse

from negotiations.models import Negotiation, Participant, Record
from negotiations.services import ensure_record
from regions.roles import MINISTRY_OFFICIAL
from tests.factories import county, make_round, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def pirkanmaa(db) -> Negotiation:
    round_ = make_round(allows_region_theme=True, regions=map(county, ("08", "20", "21")))
    return Negotiation.objects.get(round=round_, region=county("08"))


def detail_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:negotiation-detail", args=[negotiation.pk])


def add_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:participant-add", args=[negotiation.pk])


def delete_url(negotiation: Negotiation, participant: Participant) -> str:
    return reverse("negotiations:participant-delete", args=[negotiation.pk, participant.pk])


def theme_url(negotiation: Negotiation) -> str:
    return reverse("negotiations:region-theme", args=[negotiation.pk])


def participants_section(page: str) -> str:
    start = page.index('<section id="participants"')
    return page[start : page.index("</section>", start)]


def test_ministry_official_sees_the_page_with_the_management_forms(
    client, ministry_user, pirkanmaa
):
    client.force_login(ministry_user)
    response = client.get(detail_url(pirkanmaa))
    assert response.status_code == 200
    assert "<h1>Pirkanmaa – Hyvinvointialueneuvottelut 2027</h1>" in response.text
    assert "Neuvottelun aikaa ei ole vielä sovittu." in response.text
    assert f'action="{add_url(pirkanmaa)}"' in response.text
    assert f'action="{theme_url(pirkanmaa)}"' in response.text
    assert '<label for="participant-side">Osapuoli:</label>' in response.text


def test_ministry_official_adds_a_user_as_participant(client, ministry_user, pirkanmaa):
    colleague = make_user("kalle", group=MINISTRY_OFFICIAL, first_name="Kalle", last_name="Kollega")
    client.force_login(ministry_user)
    response = client.post(
        add_url(pirkanmaa),
        {"side": "ministry", "user": colleague.pk, "title": "neuvotteleva virkamies"},
    )
    assert response.status_code == 302
    assert response.url == detail_url(pirkanmaa)
    participant = pirkanmaa.participants.get()
    assert (participant.side, participant.user, participant.title) == (
        "ministry",
        colleague,
        "neuvotteleva virkamies",
    )
    page = client.get(response.url).text
    assert "Kalle Kollega lisättiin osallistujaksi." in participants_section(page)
    assert "Kalle Kollega</span>, neuvotteleva virkamies" in page


def test_ministry_official_adds_an_external_person(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = client.post(
        add_url(pirkanmaa),
        {
            "side": "region",
            "user": "",
            "name": " Aino Aluejohtaja ",
            "organisation": "Pirkanmaan hyvinvointialue",
            "title": "hyvinvointialuejohtaja",
        },
    )
    assert response.status_code == 302
    participant = pirkanmaa.participants.get()
    assert participant.user is None
    assert participant.name == "Aino Aluejohtaja"
    assert participant.organisation == "Pirkanmaan hyvinvointialue"
    page = client.get(detail_url(pirkanmaa)).text
    assert "<h3>Alue</h3>" in page
    assert "Aino Aluejohtaja</span>, hyvinvointialuejohtaja, Pirkanmaan hyvinvointialue" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"side": "thl"}, "user", "Valitse palvelun käyttäjä tai anna ulkopuolisen henkilön nimi."),
        ({"side": "thl", "name": "   "}, "user", "Valitse palvelun käyttäjä"),
        ({"side": "sivusta", "name": "Aino"}, "side", "Valitse oikea vaihtoehto."),
        ({"side": "thl", "user": "999999"}, "user", "Valitse oikea vaihtoehto."),
        ({"side": "thl", "user": "abc"}, "user", "Valitse oikea vaihtoehto."),
        ({"side": "thl", "name": "x" * 201}, "name", "enintään 200 merkkiä"),
    ],
)
def test_invalid_participants_are_refused_with_errors_next_to_the_field(
    client, ministry_user, pirkanmaa, data, field, message
):
    client.force_login(ministry_user)
    response = client.post(add_url(pirkanmaa), data)
    assert response.status_code == 400
    assert "Tarkista seuraavat kohdat" in response.text
    assert f'href="#participant-{field}"' in response.text
    assert f'id="participant-{field}_error"' in response.text
    assert message in response.text
    assert not pirkanmaa.participants.exists()


def test_a_user_and_a_name_together_are_refused(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = client.post(
        add_url(pirkanmaa), {"side": "ministry", "user": ministry_user.pk, "name": "Joku Muu"}
    )
    assert response.status_code == 400
    assert "Anna nimi vain ulkopuoliselle henkilölle" in response.text
    assert 'value="Joku Muu"' in response.text
    assert not pirkanmaa.participants.exists()


def test_an_inactive_user_cannot_be_chosen(client, ministry_user, pirkanmaa):
    former = make_user("entinen", is_active=False)
    client.force_login(ministry_user)
    response = client.post(add_url(pirkanmaa), {"side": "ministry", "user": former.pk})
    assert response.status_code == 400
    assert "Valitse oikea vaihtoehto." in response.text


def test_the_same_user_twice_is_refused(client, ministry_user, pirkanmaa):
    pirkanmaa.add_participant(side="ministry", user=ministry_user)
    client.force_login(ministry_user)
    response = client.post(add_url(pirkanmaa), {"side": "thl", "user": ministry_user.pk})
    assert response.status_code == 400
    assert "Henkilö on jo osallistujana." in response.text
    assert pirkanmaa.participants.count() == 1


def test_the_same_external_person_twice_is_refused(client, ministry_user, pirkanmaa):
    pirkanmaa.add_participant(side="thl", name="Terhi Tutkija", organisation="THL")
    client.force_login(ministry_user)
    response = client.post(
        add_url(pirkanmaa), {"side": "thl", "name": "terhi tutkija", "organisation": "thl"}
    )
    assert response.status_code == 400
    assert "Henkilö on jo osallistujana." in response.text
    assert pirkanmaa.participants.count() == 1

    # A namesake from another organisation is another person.
    response = client.post(
        add_url(pirkanmaa), {"side": "region", "name": "Terhi Tutkija", "organisation": "PIRHA"}
    )
    assert response.status_code == 302
    assert pirkanmaa.participants.count() == 2


def test_a_participant_is_deleted(client, ministry_user, pirkanmaa):
    participant = pirkanmaa.add_participant(side="thl", name="Terhi Tutkija")
    client.force_login(ministry_user)
    response = client.post(delete_url(pirkanmaa, participant))
    assert response.status_code == 302
    assert response.url == detail_url(pirkanmaa)
    assert not pirkanmaa.participants.exists()
    section = participants_section(client.get(response.url).text)
    assert "Terhi Tutkija poistettiin osallistujista." in section


def test_a_participant_of_another_negotiation_is_not_deleted_through_this_one(
    client, ministry_user, pirkanmaa
):
    lappi = Negotiation.objects.get(round=pirkanmaa.round, region=county("21"))
    participant = lappi.add_participant(side="thl", name="Terhi Tutkija")
    client.force_login(ministry_user)
    # As far as this negotiation knows, there is no such participant (any more).
    asked = client.get(delete_url(pirkanmaa, participant))
    assert asked.status_code == 404
    assert "Osallistuja on jo poistettu." in asked.text
    assert "Terhi Tutkija" not in asked.text
    assert client.post(delete_url(pirkanmaa, participant)).status_code == 302
    assert lappi.participants.exists()


def test_participants_are_grouped_by_side_and_the_chair_is_marked(client, ministry_user, pirkanmaa):
    chair = make_user("puhis", group=MINISTRY_OFFICIAL, first_name="Paula", last_name="Puhis")
    pirkanmaa.chair = chair
    pirkanmaa.save()
    pirkanmaa.add_participant(side="thl", name="Terhi Tutkija", organisation="THL")
    pirkanmaa.add_participant(side="ministry", user=ministry_user)
    pirkanmaa.add_participant(side="other", name="Kalle Kuntaliitto")
    client.force_login(ministry_user)
    text = client.get(detail_url(pirkanmaa)).text
    assert (
        text.index("<h3>Ministeriö</h3>") < text.index("<h3>THL</h3>") < text.index("<h3>Muu</h3>")
    )
    assert "<h3>Alue</h3>" not in text
    # The chair is listed with the ministry even when not added as a participant.
    ministry = text[text.index("<h3>Ministeriö</h3>") : text.index("<h3>THL</h3>")]
    assert "Paula Puhis" in ministry
    assert '<span class="tag">puheenjohtaja</span>' in ministry
    assert "Puheenjohtaja</dt>" not in text  # not scheduled yet: no schedule summary

    # When the chair is a participant, they are listed once.
    pirkanmaa.add_participant(side="ministry", user=chair)
    text = client.get(detail_url(pirkanmaa)).text
    assert text.count('<span class="participant-name">Paula Puhis</span>') == 1


def test_region_theme_is_saved_when_the_round_allows_one(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = client.post(
        theme_url(pirkanmaa),
        {
            "region_theme_title": "Saariston palvelut",
            "region_theme_questions": "Miten yhteysalus toimii?\r\n\r\n  Kuka päivystää?  \r\n",
        },
    )
    assert response.status_code == 302
    assert response.url == detail_url(pirkanmaa)
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.region_theme_title == "Saariston palvelut"
    assert pirkanmaa.region_theme_questions == "Miten yhteysalus toimii?\nKuka päivystää?"
    page = client.get(response.url).text
    assert "Aluekohtainen teema tallennettiin." in page
    assert "<li>Kuka päivystää?</li>" in page


def test_region_theme_questions_need_a_title(client, ministry_user, pirkanmaa):
    client.force_login(ministry_user)
    response = client.post(
        theme_url(pirkanmaa), {"region_theme_title": "", "region_theme_questions": "Miten?"}
    )
    assert response.status_code == 400
    assert "Anna aluekohtaiselle teemalle otsikko." in response.text
    assert 'href="#region-theme-region_theme_title"' in response.text
    assert "Miten?</textarea>" in response.text
    pirkanmaa.refresh_from_db()
    assert pirkanmaa.region_theme_questions == ""


def test_region_theme_is_refused_when_the_round_does_not_allow_one(client, ministry_user):
    round_ = make_round(allows_region_theme=False, regions=map(county, ("08", "20", "21")))
    negotiation = Negotiation.objects.get(round=round_, region=county("08"))
    client.force_login(ministry_user)
    page = client.get(detail_url(negotiation)).text
    assert theme_url(negotiation) not in page
    assert "Aluekohtainen teema" not in page

    response = client.post(
        theme_url(negotiation), {"region_theme_title": "Saaristo", "region_theme_questions": ""}
    )
    assert response.status_code == 400
    assert "Tällä kierroksella ei ole aluekohtaisia teemoja." in response.text
    negotiation.refresh_from_db()
    assert negotiation.region_theme_title == ""


def test_preparer_sees_the_own_negotiation_read_only(
    client, ministry_user, pirkanmaa_preparer, pirkanmaa
):
    pirkanmaa.date = datetime.date(2027, 2, 16)
    pirkanmaa.start_time = datetime.time(9)
    pirkanmaa.end_time = datetime.time(12)
    pirkanmaa.place = "Tampere-talo"
    pirkanmaa.video_link = "https://meet.example.fi/pirkanmaa"
    pirkanmaa.chair = ministry_user
    pirkanmaa.region_theme_title = "Saariston palvelut"
    pirkanmaa.region_theme_questions = "Miten yhteysalus toimii?"
    pirkanmaa.save()
    pirkanmaa.add_participant(side="thl", name="Terhi Tutkija", organisation="THL")

    client.force_login(pirkanmaa_preparer)
    response = client.get(detail_url(pirkanmaa))
    assert response.status_code == 200
    text = response.text
    assert "<h1>Pirkanmaa – Hyvinvointialueneuvottelut 2027</h1>" in text
    assert "Tiistai 16.2.2027" in text
    assert "9.00–12.00" in text
    assert "Tampere-talo" in text
    assert 'href="https://meet.example.fi/pirkanmaa"' in text
    assert "<dd>Mirja</dd>" in text
    assert "Terhi Tutkija" in text
    assert "Saariston palvelut" in text
    assert "<li>Miten yhteysalus toimii?</li>" in text
    assert reverse("negotiations:negotiation-calendar", args=[pirkanmaa.pk]) in text
    # Read-only: only the logout and language forms of the header.
    assert 'method="post" action="/negotiations/' not in text
    assert "Lisää osallistuja" not in text
    assert "Poista" not in text
    assert reverse("negotiations:round-schedule", args=[pirkanmaa.round_id]) not in text


def test_preparer_of_another_region_does_not_find_the_negotiation(
    client, lappi_preparer, pirkanmaa
):
    client.force_login(lappi_preparer)
    assert client.get(detail_url(pirkanmaa)).status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("own-preparer", [200, 403, 403, 403]),
        ("other-preparer", [404, 404, 404, 404]),
        ("ministry", [200, 302, 302, 302]),
        ("anonymous", [302, 302, 302, 302]),
    ],
)
def test_permission_walk_over_the_negotiation_urls(
    client, who, expected, log_in_as, ministry_user, pirkanmaa_preparer, lappi_preparer, pirkanmaa
):
    participant = pirkanmaa.add_participant(side="other", name="Ulla Ulkopuolinen")
    log_in_as(who)
    requests = [
        ("get", detail_url(pirkanmaa), {}),
        ("post", add_url(pirkanmaa), {"side": "thl", "name": "Terhi Tutkija"}),
        ("post", delete_url(pirkanmaa, participant), {}),
        ("post", theme_url(pirkanmaa), {"region_theme_title": "Saaristo"}),
    ]
    statuses = [getattr(client, method)(url, data).status_code for method, url, data in requests]
    assert statuses == expected

    changed = who == "ministry"
    assert pirkanmaa.participants.filter(name="Terhi Tutkija").exists() is changed
    assert pirkanmaa.participants.filter(pk=participant.pk).exists() is not changed
    pirkanmaa.refresh_from_db()
    assert (pirkanmaa.region_theme_title == "Saaristo") is changed


def test_the_picker_offers_the_regions_own_people_and_ministry_officials_only(
    client, ministry_user, pirkanmaa_preparer, lappi_preparer, superuser, pirkanmaa
):
    negotiation = pirkanmaa
    client.force_login(ministry_user)
    page = client.get(reverse("negotiations:negotiation-detail", args=[negotiation.pk])).text
    picker = page[page.index('name="user"') : page.index("</select>", page.index('name="user"'))]
    assert f'value="{ministry_user.pk}"' in picker
    assert f'value="{pirkanmaa_preparer.pk}"' in picker
    assert f'value="{lappi_preparer.pk}"' not in picker  # another region's preparer
    assert f'value="{superuser.pk}"' not in picker  # the admin
    # Posting someone the picker does not offer is refused.
    url = reverse("negotiations:participant-add", args=[negotiation.pk])
    response = client.post(url, {"side": "region", "user": lappi_preparer.pk})
    assert response.status_code == 400
    assert not negotiation.participants.filter(user=lappi_preparer).exists()


# --- once the record is approved, the planning is history ------------------------------------


@pytest.fixture
def approved(pirkanmaa, ministry_user) -> Negotiation:
    """Pirkanmaa's negotiation, planned, met and its record approved."""
    pirkanmaa.date = datetime.date(2027, 2, 16)
    pirkanmaa.start_time = datetime.time(9)
    pirkanmaa.place = "Tampere-talo"
    pirkanmaa.region_theme_title = "Saariston palvelut"
    pirkanmaa.region_theme_questions = "Miten yhteysalus toimii?"
    pirkanmaa.save()
    ensure_record(pirkanmaa).approve(by=ministry_user, reason="Sovittu neuvottelussa.")
    return pirkanmaa


def test_an_approved_negotiation_shows_its_planning_read_only(client, ministry_user, approved):
    guest = approved.add_participant(side="thl", name="Terhi Tutkija", organisation="THL")
    client.force_login(ministry_user)
    text = client.get(detail_url(approved)).text
    assert "Neuvottelun muistio on hyväksytty." in text
    # What was planned, as text and lists.
    assert "Tampere-talo" in text
    assert "Terhi Tutkija</span>, THL" in text
    assert "<li>Miten yhteysalus toimii?</li>" in text
    assert "<dt>Muistion kieli</dt>" in text
    # No inputs: neither the planning forms nor a way to remove anyone.
    main = text[text.index('<main id="main"') : text.index("</main>")]
    planning = main[: main.index('id="assessment')] if 'id="assessment' in main else main
    assert "<input" not in planning
    assert "<select" not in planning
    assert "<textarea" not in planning
    assert add_url(approved) not in text
    assert theme_url(approved) not in text
    assert delete_url(approved, guest) not in text
    assert reverse("negotiations:negotiation-language", args=[approved.pk]) not in text
    assert reverse("negotiations:round-schedule", args=[approved.round_id]) not in text
    assert reverse("negotiations:assessment-save", args=[approved.pk]) not in text


def test_the_round_schedule_shows_an_approved_negotiations_row_as_text(
    client, ministry_user, approved
):
    client.force_login(ministry_user)
    text = client.get(reverse("negotiations:round-schedule", args=[approved.round_id])).text
    row = text[text.index(f'id="row-{approved.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Tampere-talo" in row
    assert "Muistio on hyväksytty: aikaa ei voi enää muuttaa." in row
    assert "<input" not in row and "<select" not in row
    assert reverse("negotiations:negotiation-schedule", args=[approved.pk]) not in row
    # The other rows stay editable.
    assert text.count('class="row-form"') == approved.round.negotiations.count() - 1


def test_the_planning_writes_of_an_approved_negotiation_are_refused(
    client, ministry_user, approved
):
    guest = approved.add_participant(side="thl", name="Terhi Tutkija")
    client.force_login(ministry_user)
    refusal = "Neuvottelun muistio on hyväksytty, joten neuvottelun aikaa, osallistujia ja"

    added = client.post(add_url(approved), {"side": "thl", "name": "Uusi Ihminen"}, follow=True)
    assert refusal in added.text
    removed = client.post(delete_url(approved, guest), follow=True)
    assert refusal in removed.text
    asked = client.get(delete_url(approved, guest))
    assert asked.status_code == 409
    assert refusal in asked.text
    themed = client.post(
        theme_url(approved),
        {"region_theme_title": "Muu teema", "region_theme_questions": ""},
        follow=True,
    )
    assert refusal in themed.text
    row = reverse("negotiations:negotiation-schedule", args=[approved.pk])
    moved = client.post(
        row,
        {"date": "2027-02-17", "start_time": "10:00", "end_time": "", "place": "", "chair": ""},
        headers={"HX-Request": "true"},
    )
    assert refusal in moved.text
    language = reverse("negotiations:negotiation-language", args=[approved.pk])
    relanguaged = client.post(language, {"language": "sv"}, follow=True)
    assert "Muistio on hyväksytty, joten sen kieltä ei voi enää vaihtaa." in relanguaged.text

    assert list(approved.participants.values_list("name", flat=True)) == ["Terhi Tutkija"]
    approved.refresh_from_db()
    assert approved.date == datetime.date(2027, 2, 16)
    assert approved.region_theme_title == "Saariston palvelut"
    assert approved.language == "fi"


def test_a_reopened_record_opens_the_planning_again(client, ministry_user, approved):
    Record.objects.get(negotiation=approved).reopen(by=ministry_user, reason="Korjataan.")
    client.force_login(ministry_user)
    assert f'action="{add_url(approved)}"' in client.get(detail_url(approved)).text
    response = client.post(add_url(approved), {"side": "thl", "name": "Uusi Ihminen"})
    assert response.status_code == 302
    assert approved.participants.filter(name="Uusi Ihminen").exists()
