"""A ministry official plans a round: facts, regions, themes, copying, status and e-mails."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from negotiations.models import Negotiation, Round, RoundTheme, Theme
from regions.models import Profile, Region
from tests.factories import county, make_preparer, make_round

pytestmark = pytest.mark.django_db


def round_data(**overrides) -> dict:
    data = {
        "name_fi": "Hyvinvointialueneuvottelut 2028",
        "name_sv": "Välfärdsområdesförhandlingarna 2028",
        "name_en": "",
        "kind": Round.Kind.COUNTY_NEGOTIATIONS,
        "period_start": "2028-02-01",
        "period_end": "2028-03-31",
        "report_deadline": "2028-01-15",
        "lead_ministry": "STM",
        "ministries": ["STM", "VM", "SM"],
        "region_set": "current",
    }
    data.update(overrides)
    return data


# The round the tests edit: names of its own in both languages.
NAMES = {"name": "Kierros 2028", "name_sv": "Omgång 2028"}


# --- creating and editing ------------------------------------------------------------


def test_official_creates_a_round_with_all_counties_helsinki_and_hus(client, ministry_user):
    client.force_login(ministry_user)
    response = client.post(reverse("negotiations:round-create"), round_data())
    round_ = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2028")
    assert response.status_code == 302
    assert response.url == reverse("negotiations:round-detail", args=[round_.pk])
    assert round_.ministries == ["STM", "VM", "SM"]
    assert round_.status == Round.Status.PLANNING
    assert round_.negotiations.count() == 23
    assert set(round_.negotiations.values_list("region__kind", flat=True)) == {
        "county",
        "city",
        "joint-authority",
    }


def test_official_can_pick_the_2018_maakunnat_or_any_regions(client, ministry_user):
    client.force_login(ministry_user)
    client.post(reverse("negotiations:round-create"), round_data(region_set="maakunnat"))
    assert Round.objects.get().negotiations.filter(region__kind="maakunta").count() == 18

    chosen = [county("08").pk, county("21").pk]
    client.post(
        reverse("negotiations:round-create"),
        round_data(name_fi="Valitut", region_set="chosen", regions=chosen),
    )
    picked = Round.objects.get(name_fi="Valitut").negotiations.values_list("region", flat=True)
    assert sorted(picked) == sorted(chosen)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name_fi": ""}, "name_fi", "Tämä kenttä vaaditaan."),
        ({"period_end": "2028-01-01"}, "period_end", "Neuvottelukausi ei voi päättyä ennen"),
        ({"report_deadline": "2028-04-01"}, "report_deadline", "viimeistään neuvottelukauden"),
        ({"period_start": "31.2.2028"}, "period_start", "Syötä oikea päivämäärä."),
        ({"region_set": "chosen"}, "regions", "Valitse vähintään yksi alue."),
        ({"kind": "tea-party"}, "kind", "Valitse oikea vaihtoehto."),
        ({"ministries": ["XYZ"]}, "ministries", "Valitse oikea vaihtoehto."),
    ],
)
def test_bad_input_is_refused_next_to_the_field_with_the_input_kept(
    client, ministry_user, overrides, field, message
):
    client.force_login(ministry_user)
    response = client.post(reverse("negotiations:round-create"), round_data(**overrides))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors[field])
    assert message in response.text
    assert "Tarkista seuraavat kohdat" in response.text
    assert 'value="Välfärdsområdesförhandlingarna 2028"' in response.text
    assert not Round.objects.exists()


def test_editing_a_round_updates_its_facts_and_regions(client, ministry_user):
    round_ = make_round(2028, **NAMES)
    Negotiation.objects.create(round=round_, region=county("08"))
    Negotiation.objects.create(round=round_, region=county("21"))
    client.force_login(ministry_user)
    url = reverse("negotiations:round-edit", args=[round_.pk])
    page = client.get(url)
    assert page.context["form"].initial["region_set"] == "chosen"

    response = client.post(
        url, round_data(name_fi="Uusi nimi", region_set="chosen", regions=[county("08").pk])
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.name_fi == "Uusi nimi"
    assert list(round_.negotiations.values_list("region", flat=True)) == [county("08").pk]


def test_a_region_with_a_scheduled_negotiation_cannot_be_dropped(client, ministry_user):
    round_ = make_round(2028, **NAMES)
    Negotiation.objects.create(round=round_, region=county("08"), date=datetime.date(2028, 2, 9))
    Negotiation.objects.create(round=round_, region=county("21"))
    client.force_login(ministry_user)
    response = client.post(
        reverse("negotiations:round-edit", args=[round_.pk]),
        round_data(name_fi="Ei tallennu", region_set="chosen", regions=[county("21").pk]),
    )
    assert response.status_code == 400
    assert "jo aikataulutettu, ei voi poistaa: Pirkanmaa" in response.text
    round_.refresh_from_db()
    assert round_.name_fi == "Kierros 2028"  # nothing saved
    assert round_.negotiations.count() == 2


# --- copying ----------------------------------------------------------------------------


def test_copying_an_earlier_round_prefills_everything_but_the_dates(
    client, ministry_user, demo_data
):
    source = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2023")
    client.force_login(ministry_user)
    url = reverse("negotiations:round-create") + f"?copy_from={source.pk}"
    page = client.get(url)
    initial = page.context["form"].initial
    assert initial["kind"] == source.kind
    assert initial["region_set"] == "chosen"  # 21 counties and Helsinki, not HUS
    assert len(initial["regions"]) == 22
    assert "period_start" not in initial
    assert 'name="period_start" value=' not in page.text

    round_themes = list(source.round_themes.order_by("position"))
    round_themes[0].guiding_questions_fi = "Oma kysymys 2023?"
    round_themes[0].save()
    data = round_data(region_set="chosen", regions=initial["regions"])
    response = client.post(url, data)
    assert response.status_code == 302
    copy = Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2028")
    assert [rt.theme_id for rt in copy.round_themes.all()] == [rt.theme_id for rt in round_themes]
    assert copy.round_themes.first().guiding_questions_fi == "Oma kysymys 2023?"
    assert copy.negotiations.count() == 22
    assert source.round_themes.count() == len(round_themes)  # the source is untouched


def test_copying_from_an_unknown_round_is_shown_as_an_error(client, ministry_user):
    client.force_login(ministry_user)
    response = client.get(reverse("negotiations:round-create"), {"copy_from": "999999"})
    assert response.status_code == 200
    assert "Valitse oikea vaihtoehto" in response.text


# --- themes -----------------------------------------------------------------------------


def themes_post(round_: Round, rows: list[dict]) -> dict:
    existing = list(round_.round_themes.all())
    data = {
        "round_themes-TOTAL_FORMS": str(len(rows)),
        "round_themes-INITIAL_FORMS": str(len(existing)),
        "round_themes-MIN_NUM_FORMS": "0",
        "round_themes-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"round_themes-{index}-{key}"] = value
    return data


def test_official_chooses_orders_and_edits_the_themes_of_a_round(client, ministry_user, demo_data):
    round_ = make_round(2028, **NAMES)
    personnel = Theme.objects.get(code="henkilosto")
    rescue = Theme.objects.get(code="pelastustoimi")
    client.force_login(ministry_user)
    url = reverse("negotiations:round-themes", args=[round_.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        themes_post(
            round_,
            [
                {"theme": rescue.pk, "position": "2"},
                {"theme": personnel.pk, "position": "1", "guiding_questions_fi": "Kuka hoitaa?"},
            ],
        ),
    )
    assert response.status_code == 302
    themes = list(round_.round_themes.select_related("theme"))
    assert [rt.theme for rt in themes] == [personnel, rescue]
    assert themes[0].guiding_questions == ["Kuka hoitaa?"]
    # A theme added without questions starts from the catalogue's.
    assert themes[1].guiding_questions_fi == rescue.guiding_questions_fi

    rows = [
        {"id": themes[0].pk, "theme": personnel.pk, "position": "1", "DELETE": "on"},
        {"id": themes[1].pk, "theme": rescue.pk, "position": "1", "guiding_questions_fi": "Uusi?"},
    ]
    client.post(url, themes_post(round_, rows))
    assert [(rt.theme, rt.guiding_questions_fi) for rt in round_.round_themes.all()] == [
        (rescue, "Uusi?")
    ]


def test_the_same_theme_twice_and_inactive_themes_are_refused(client, ministry_user, demo_data):
    round_ = make_round(2028, **NAMES)
    personnel = Theme.objects.get(code="henkilosto")
    retired = Theme.objects.get(code="simulaatio")
    retired.is_active = False
    retired.save()
    client.force_login(ministry_user)
    url = reverse("negotiations:round-themes", args=[round_.pk])
    twice = [{"theme": personnel.pk, "position": "1"}, {"theme": personnel.pk, "position": "2"}]
    response = client.post(url, themes_post(round_, twice))
    assert response.status_code == 400
    assert "Tarkista seuraavat kohdat" in response.text
    response = client.post(url, themes_post(round_, [{"theme": retired.pk, "position": "1"}]))
    assert response.status_code == 400
    assert "Valitse oikea vaihtoehto" in response.text
    assert not RoundTheme.objects.filter(round=round_).exists()


# --- status and e-mail ----------------------------------------------------------------------


def test_opening_a_round_for_reports_emails_each_preparer_in_their_language(
    client, ministry_user, django_capture_on_commit_callbacks
):
    round_ = make_round(2028, **NAMES, report_deadline=datetime.date(2028, 1, 15))
    for region in (county("08"), county("17")):
        Negotiation.objects.create(round=round_, region=region)
    finnish = make_preparer("pirkko", county("08"))
    swedish = make_preparer("stina", county("17"))
    make_preparer("lauri", county("21"))  # Lappi does not take part
    for user, address in ((finnish, "pirkko@example.fi"), (swedish, "stina@example.fi")):
        user.email = address
        user.save()
    Profile.objects.create(user=swedish, language="sv")

    client.force_login(ministry_user)
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails leave on commit
        response = client.post(
            reverse("negotiations:round-status", args=[round_.pk]), {"to": "open-for-reports"}
        )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN_FOR_REPORTS
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"pirkko@example.fi", "stina@example.fi"}
    finnish_mail, swedish_mail = by_recipient["pirkko@example.fi"], by_recipient["stina@example.fi"]
    assert "tilannekuvan valmistelu on alkanut" in finnish_mail.subject
    assert "Pirkanmaa" in finnish_mail.body and "15.1.2028" in finnish_mail.body
    assert "Österbotten" in swedish_mail.body
    assert "lägesbild" in swedish_mail.subject
    followed = client.get(response.url)
    assert "lähetettiin 2 sähköpostia" in followed.text


def test_status_moves_one_step_at_a_time(client, ministry_user):
    round_ = make_round(2028, **NAMES)
    client.force_login(ministry_user)
    url = reverse("negotiations:round-status", args=[round_.pk])
    response = client.post(url, {"to": "closed"}, follow=True)
    assert "Kierroksen tilaa ei voi muuttaa tilasta ”suunnittelussa” tilaan ”päättynyt”" in (
        response.text
    )
    round_.refresh_from_db()
    assert round_.status == Round.Status.PLANNING
    for step in ("open-for-reports", "negotiating", "closed"):
        client.post(url, {"to": step})
        round_.refresh_from_db()
        assert round_.status == step
    client.post(url, {"to": "planning"})
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED
    # A closed round has no next step: its check page leads back to the round.
    assert client.get(url).status_code == 302


def test_the_model_refuses_unknown_and_backward_transitions():
    round_ = make_round(2028, **NAMES, status=Round.Status.NEGOTIATING)
    for target in ("planning", "open-for-reports", "bogus"):
        with pytest.raises(ValidationError):
            round_.advance_status(target)
    round_.refresh_from_db()
    assert round_.status == Round.Status.NEGOTIATING


# --- who may do what --------------------------------------------------------------------------


def round_urls(round_: Round) -> list[tuple[str, str]]:
    return [
        ("get", reverse("negotiations:round-create")),
        ("post", reverse("negotiations:round-create")),
        ("get", reverse("negotiations:round-edit", args=[round_.pk])),
        ("post", reverse("negotiations:round-edit", args=[round_.pk])),
        ("get", reverse("negotiations:round-themes", args=[round_.pk])),
        ("post", reverse("negotiations:round-themes", args=[round_.pk])),
        ("post", reverse("negotiations:round-status", args=[round_.pk])),
    ]


def test_permission_walk_over_the_round_planning_urls(
    client, ministry_user, pirkanmaa_preparer, lappi_preparer
):
    round_ = make_round(2028, **NAMES)
    Negotiation.objects.create(round=round_, region=county("08"))
    for method, url in round_urls(round_):
        client.logout()
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login")), url

        for preparer in (pirkanmaa_preparer, lappi_preparer):
            client.force_login(preparer)
            assert getattr(client, method)(url).status_code == 403, (preparer, url)

        client.force_login(ministry_user)
        assert getattr(client, method)(url).status_code in (200, 302, 400), url
    round_.refresh_from_db()
    assert round_.name_fi == "Kierros 2028"
    assert Region.objects.count() == 41
