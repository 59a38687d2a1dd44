"""Negotiation records: sections, autosave, conflicts, history, attendance, comments, workflow
and who may do what."""

import pytest
from django.core import mail
from django.urls import reverse

from negotiations.models import (
    Negotiation,
    Record,
    RecordEvent,
    RecordSection,
    Round,
)
from negotiations.services import ensure_record, ensure_report
from regions.roles import REGIONAL_PREPARER
from tests.factories import county, maakunta, make_round, make_user, theme_section

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
THEMES = [
    ("henkilosto", "Henkilöstötilanne"),
    ("pelastustoimi", "Pelastustoimi"),
    ("digi", "Digitaalisuus"),
    ("rahoitus", "Rahoitus"),
    ("integraatio", "Integraatio"),
    ("saatavuus", "Saatavuus"),
]


# The rounds here are negotiating, and a region may add a theme of its own.
NEGOTIATING = {"status": Round.Status.NEGOTIATING, "allows_region_theme": True}


@pytest.fixture
def negotiation(db) -> Negotiation:
    round_ = make_round(2027, themes=THEMES[:2], **NEGOTIATING)
    negotiation = Negotiation.objects.create(round=round_, region=county("08"))
    negotiation.set_region_theme(title="Saaristo", questions="Miten saaret palvellaan?")
    return negotiation


@pytest.fixture
def record(negotiation) -> Record:
    return ensure_record(negotiation)


def record_url(record: Record) -> str:
    return reverse("negotiations:record-detail", args=[record.negotiation_id])


def texts_url(section: RecordSection) -> str:
    return reverse("negotiations:record-section-texts", args=[section.record_id, section.pk])


def opened_url(section: RecordSection) -> str:
    """The record page with the theme section's texts open (as without JavaScript)."""
    return f"{record_url(section.record)}?open={section.pk}"


def save_url(section: RecordSection) -> str:
    return reverse("negotiations:record-section-save", args=[section.record_id, section.pk])


def history_url(section: RecordSection) -> str:
    return reverse("negotiations:record-section-history", args=[section.record_id, section.pk])


def comment_url(section: RecordSection) -> str:
    return reverse("negotiations:record-comment-add", args=[section.record_id, section.pk])


def transition_url(record: Record, action: str = "") -> str:
    """Approving and publishing have check pages of their own; the rest is one endpoint."""
    name = CHECKED_STEPS.get(action, "negotiations:record-transition")
    return reverse(name, args=[record.pk])


CHECKED_STEPS = {"approve": "negotiations:record-approve", "publish": "negotiations:record-publish"}


def attendance_url(record: Record) -> str:
    return reverse("negotiations:record-attendance", args=[record.pk])


def section_data(section: RecordSection, version, **texts) -> dict:
    data = {f"{name}-{section.pk}": text for name, text in texts.items()}
    data[f"version-{section.pk}"] = version
    return data


def autosave(client, section: RecordSection, version, **texts):
    return client.post(save_url(section), section_data(section, version, **texts), **HTMX)


def present_participants(record: Record) -> set[int]:
    return set(record.attendees.values_list("participant_id", flat=True))


def transition(client, record: Record, action: str, **data):
    return client.post(transition_url(record, action), {"action": action, **data}, follow=True)


# --- the page -------------------------------------------------------------------------------


def test_record_has_opening_a_section_per_theme_the_region_theme_and_closing(record):
    sections = list(record.sections.all())
    assert [(s.kind, s.title) for s in sections] == [
        ("opening", "Avaus"),
        ("theme", "Henkilöstötilanne"),
        ("theme", "Pelastustoimi"),
        ("region-theme", "Saaristo"),
        ("closing", "Päätös"),
    ]
    ensure_record(record.negotiation)  # again: nothing is duplicated
    assert record.sections.count() == 5


def test_ministry_writes_theme_sections_in_four_labelled_fields(client, ministry_user, record):
    client.force_login(ministry_user)
    response = client.get(record_url(record))
    assert response.status_code == 200
    assert "<h1>Neuvottelumuistio: Pirkanmaa – Hyvinvointialueneuvottelut 2027</h1>" in (
        response.text
    )
    section = theme_section(record, "henkilosto")
    texts = client.get(texts_url(section), **HTMX).text
    for name, label in [
        ("situation", "Tilanne"),
        ("discussion", "Keskustelu"),
        ("challenges", "Haasteet"),
        ("measures", "Kehittämistoimet"),
    ]:
        label_html = (
            f'<label for="{name}-{section.pk}">{label}'
            f'<span class="visually-hidden">: Henkilöstötilanne</span></label>'
        )
        assert label_html in texts
        assert label_html not in response.text  # folded until opened
    assert 'role="status" aria-live="polite"' in texts
    opening = record.sections.get(kind="opening")
    assert f'<label for="discussion-{opening.pk}">Avaus</label>' in response.text
    assert f'id="situation-{opening.pk}"' not in response.text
    assert 'role="status" aria-live="polite"' in response.text
    assert "Tila: <strong>luonnos</strong>" in response.text


def test_the_regions_submitted_report_is_shown_beside_its_theme(
    client, ministry_user, pirkanmaa_preparer, record
):
    client.force_login(ministry_user)
    themes = [s for s in record.sections.all() if s.is_theme]
    assert len(themes) == 3

    def texts() -> str:
        return "".join(client.get(texts_url(section), **HTMX).text for section in themes)

    assert texts().count("Alue ei ole lähettänyt tilannekuvaa.") == 3

    report = ensure_report(record.negotiation)
    for report_section in report.sections.all():
        report_section.save_texts(
            texts={"text": f"Alueen teksti: {report_section.title}"},
            base_version=0,
            by=pirkanmaa_preparer,
        )
    assert "Alueen teksti: Henkilöstötilanne" not in texts()  # a draft is the region's own

    report.submit(by=pirkanmaa_preparer)
    assert "<p>Alueen teksti: Henkilöstötilanne</p>" in texts()
    assert "<p>Alueen teksti: Saaristo</p>" in texts()
    assert "Alue ei ole lähettänyt tilannekuvaa." not in texts()
    # The folded section says it has one; its texts open beside its own theme: after its
    # heading, before the next.
    assert client.get(record_url(record)).text.count("· alueen tilannekuva</span>") == 3
    page = client.get(opened_url(theme_section(record))).text
    henkilosto = page.index(">Henkilöstötilanne<")
    assert (
        henkilosto < page.index("Alueen teksti: Henkilöstötilanne") < page.index(">Pelastustoimi")
    )


def test_the_negotiation_page_links_the_record_for_the_ministry_and_for_the_region_once_sent(
    client, ministry_user, pirkanmaa_preparer, negotiation
):
    url = reverse("negotiations:negotiation-detail", args=[negotiation.pk])
    record_link = reverse("negotiations:record-detail", args=[negotiation.pk])
    record = ensure_record(negotiation)  # as the service that creates a negotiation does
    client.force_login(ministry_user)
    assert record_link in client.get(url).text
    client.force_login(pirkanmaa_preparer)
    assert record_link not in client.get(url).text
    record.send_for_comments(by=ministry_user)
    assert record_link in client.get(url).text


# --- autosave -----------------------------------------------------------------------------------


def test_autosave_stores_the_four_texts_of_a_section_as_one_version(client, ministry_user, record):
    section = theme_section(record, "henkilosto")
    client.force_login(ministry_user)
    response = autosave(
        client,
        section,
        0,
        situation="Tilanne\r\non hyvä.",
        discussion="Keskusteltiin.",
        challenges="Rekrytointi.",
        measures="Oppisopimus.",
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert "Tallennettu klo" in response.text
    assert f'id="version-{section.pk}"' in response.text and 'value="1"' in response.text
    section.refresh_from_db()
    assert section.texts() == {
        "situation": "Tilanne\non hyvä.",
        "discussion": "Keskusteltiin.",
        "challenges": "Rekrytointi.",
        "measures": "Oppisopimus.",
    }
    assert (section.version, section.updated_by) == (1, ministry_user)
    assert section.versions.count() == 1


def test_opening_notes_save_only_the_discussion(client, ministry_user, record):
    opening = record.sections.get(kind="opening")
    client.force_login(ministry_user)
    autosave(client, opening, 0, discussion="Puheenjohtaja avasi neuvottelun.", situation="x")
    opening.refresh_from_db()
    assert (opening.discussion, opening.situation) == ("Puheenjohtaja avasi neuvottelun.", "")


def test_the_save_button_works_without_javascript(client, ministry_user, record):
    section = theme_section(record, "henkilosto")
    client.force_login(ministry_user)
    response = client.post(
        save_url(section), section_data(section, 0, situation="Ilman skriptiä", measures="Toimi")
    )
    assert response.status_code == 302
    assert response.url == f"{opened_url(section)}#section-{section.pk}"
    page = client.get(response.url).text
    assert "Osio ”Henkilöstötilanne” tallennettiin." in page
    assert ">\nIlman skriptiä</textarea>" in page
    section.refresh_from_db()
    assert (section.situation, section.measures, section.version) == ("Ilman skriptiä", "Toimi", 1)


def test_an_unchanged_save_adds_no_version(client, ministry_user, record):
    section = theme_section(record, "henkilosto")
    client.force_login(ministry_user)
    autosave(client, section, 0, situation="Sama", discussion="")
    response = autosave(client, section, 1, situation="Sama", discussion="")
    assert "Tallennettu klo" in response.text
    assert section.versions.count() == 1


def test_an_overlong_text_is_refused_and_kept(client, ministry_user, record):
    section = theme_section(record, "henkilosto")
    client.force_login(ministry_user)
    response = client.post(save_url(section), section_data(section, 0, challenges="x" * 50_001))
    assert response.status_code == 409
    assert "Teksti on liian pitkä" in response.text
    assert "x" * 50_001 in response.text
    section.refresh_from_db()
    assert section.version == 0


def test_markup_is_stored_as_text_and_escaped_on_output(
    client, ministry_user, pirkanmaa_preparer, record
):
    section = theme_section(record, "henkilosto")
    client.force_login(ministry_user)
    autosave(client, section, 0, situation="<script>alert(1)</script>")
    record.send_for_comments(by=ministry_user)
    client.force_login(pirkanmaa_preparer)
    page = client.get(opened_url(section)).text + client.get(texts_url(section), **HTMX).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- folded theme texts -------------------------------------------------------------------------

# About a benchmark record's text: some 300 words.
LONG_TEXT = "Päivystyksen henkilöstömitoitus tarkistetaan ja suunnitelma laaditaan keväällä. " * 40


def test_theme_texts_are_folded_and_load_when_opened(client, ministry_user, record):
    themes = [section for section in record.sections.all() if section.is_theme]
    for section in themes:
        section.save_texts(texts={"situation": LONG_TEXT}, base_version=0, by=ministry_user)
    client.force_login(ministry_user)
    page = client.get(record_url(record)).text
    assert LONG_TEXT[:80] not in page
    for section in themes:
        assert f'name="situation-{section.pk}"' not in page
        assert (
            f'<details class="disclosure record-texts" data-hx-get="{texts_url(section)}" '
            'data-hx-trigger="toggle once"'
        ) in page
        # Without JavaScript the link opens the page again with the section's texts in place.
        assert f'<a href="?open={section.pk}#section-{section.pk}">' in page
    assert page.count("1/4 kirjattu") == len(themes)
    opening = record.sections.get(kind="opening")
    assert f'name="discussion-{opening.pk}"' in page  # short sections stay in the page

    section = themes[0]
    texts = client.get(texts_url(section), **HTMX)
    assert texts.status_code == 200 and "<html" not in texts.text
    assert f'<textarea name="situation-{section.pk}"' in texts.text
    assert f">\n{LONG_TEXT}</textarea>" in texts.text
    assert 'class="record-report"' in texts.text

    plain = client.get(texts_url(section))
    assert plain.status_code == 302
    assert plain.url == f"{opened_url(section)}#section-{section.pk}"
    opened = client.get(opened_url(section)).text
    assert '<details class="disclosure record-texts" open>' in opened
    assert f">\n{LONG_TEXT}</textarea>" in opened
    assert opened.count(LONG_TEXT) == 1  # only the opened section's
    for other in themes[1:]:
        assert f'data-hx-get="{texts_url(other)}"' in opened


@pytest.mark.parametrize("value", ["abc", "99999999", "٣", "-1", "1e3", ""])
def test_an_odd_open_parameter_opens_nothing(client, ministry_user, record, value):
    client.force_login(ministry_user)
    response = client.get(f"{record_url(record)}?open={value}")
    assert response.status_code == 200
    assert '<details class="disclosure record-texts" open>' not in response.text


def test_who_gets_a_sections_texts(log_in_as, client, ministry_user, record):
    section = theme_section(record)
    section.save_texts(texts={"situation": "Ministeriön kirjaus"}, base_version=0, by=ministry_user)
    url = texts_url(section)
    log_in_as("own-preparer")
    assert client.get(url, **HTMX).status_code == 404  # a region never sees a draft
    record.send_for_comments(by=ministry_user)
    for who, status in [("own-preparer", 200), ("other-preparer", 404), ("ministry", 200)]:
        log_in_as(who)
        response = client.get(url, **HTMX)
        assert response.status_code == status, who
        if status == 200:
            assert "<p>Ministeriön kirjaus</p>" in response.text or (
                ">\nMinisteriön kirjaus</textarea>" in response.text
            )
            # Only the ministry edits; the region reads.
            editable = f'<textarea name="situation-{section.pk}"' in response.text
            assert editable == (who == "ministry"), who
        assert client.post(url, **HTMX).status_code in (403, 404, 405), who
    log_in_as("anonymous")
    response = client.get(url, **HTMX)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_record_with_a_benchmarks_texts_is_under_100_kb(
    client, ministry_user, pirkanmaa_preparer
):
    """Six themes of four texts of ~300 words each and the region's text beside each theme:
    the page shows their sections folded, and each section's texts come on opening."""
    negotiation = Negotiation.objects.create(
        round=make_round(2027, name="Suuri kierros", themes=THEMES, **NEGOTIATING),
        region=county("08"),
    )
    report = ensure_report(negotiation)
    for report_section in report.sections.all():
        report_section.save_texts(texts={"text": LONG_TEXT}, base_version=0, by=pirkanmaa_preparer)
    report.submit(by=pirkanmaa_preparer)
    record = ensure_record(negotiation)
    themes = [section for section in record.sections.all() if section.is_theme]
    assert len(themes) == 6
    names = ("situation", "discussion", "challenges", "measures")
    for section in themes:
        section.save_texts(
            texts={name: f"{name} {LONG_TEXT}" for name in names}, base_version=0, by=ministry_user
        )
    client.force_login(ministry_user)
    page = client.get(record_url(record))
    assert page.status_code == 200
    assert len(page.content) < 100 * 1024, len(page.content)
    assert len(LONG_TEXT.encode()) * 5 * 6 > 100 * 1024  # the texts alone would not fit
    for section in themes:
        texts = client.get(texts_url(section), **HTMX).text
        assert all(f">\n{name} {LONG_TEXT}</textarea>" in texts for name in names)
        assert f"<p>{LONG_TEXT}</p>" in texts


# --- no lost updates ---------------------------------------------------------------------------


def test_the_second_of_two_editors_is_refused_and_keeps_their_text(client, ministry_user, record):
    section = theme_section(record, "henkilosto")
    colleague = make_user("kollega", group="ministry-official", first_name="Kalle")
    client.force_login(colleague)
    autosave(client, section, 0, situation="Kollegan tilanne", discussion="Kollegan keskustelu")

    client.force_login(ministry_user)
    response = autosave(client, section, 0, situation="Oma tilanne", discussion="Oma keskustelu")
    assert "Tekstiäsi ei tallennettu, koska osiota on muutettu sillä välin." in response.text
    assert "Viimeisin tallennus: Kalle" in response.text
    assert "<p>Kollegan tilanne</p>" in response.text
    assert "<p>Kollegan keskustelu</p>" in response.text
    assert "Tallenna yhdistetty tekstini" in response.text
    assert 'name="merged_version" value="1"' in response.text
    # The form no longer carries a version: further autosaves cannot overwrite either.
    assert f'id="version-{section.pk}" name="version-{section.pk}" value=""' in response.text
    assert "Tekstiäsi ei tallennettu" in autosave(client, section, "", situation="Oma").text
    section.refresh_from_db()
    assert (section.situation, section.version) == ("Kollegan tilanne", 1)

    # Without JavaScript the page comes back with the user's own texts in the fields.
    page = client.post(save_url(section), section_data(section, 0, situation="Oma tilanne"))
    assert page.status_code == 409
    assert f'name="situation-{section.pk}"' in page.text
    assert ">\nOma tilanne</textarea>" in page.text
    assert "<p>Kollegan tilanne</p>" in page.text

    merged = client.post(
        save_url(section),
        {
            f"situation-{section.pk}": "Yhdistetty tilanne",
            f"discussion-{section.pk}": "Kollegan keskustelu",
            "merged_version": "1",
        },
        **HTMX,
    )
    assert "Tallennettu klo" in merged.text
    section.refresh_from_db()
    assert (section.situation, section.discussion, section.version) == (
        "Yhdistetty tilanne",
        "Kollegan keskustelu",
        2,
    )


# --- history ------------------------------------------------------------------------------------


def test_every_version_of_a_section_is_kept_with_author_and_time(
    client, ministry_user, pirkanmaa_preparer, record
):
    section = theme_section(record, "henkilosto")
    colleague = make_user("kollega", group="ministry-official")
    section.save_texts(texts={"situation": "Ensimmäinen"}, base_version=0, by=ministry_user)
    section.save_texts(texts={"measures": "Toimenpide"}, base_version=1, by=colleague)
    assert [(v.version, v.situation, v.measures, v.author) for v in section.versions.all()] == [
        (2, "Ensimmäinen", "Toimenpide", colleague),
        (1, "Ensimmäinen", "", ministry_user),
    ]
    client.force_login(ministry_user)
    response = client.get(history_url(section))
    assert response.status_code == 200
    assert "Versio 2" in response.text and "kollega" in response.text
    assert "<h3>Kehittämistoimet</h3>" in response.text and "<p>Toimenpide</p>" in response.text
    version = section.versions.get(version=1)
    assert version.created_at.astimezone().strftime("%-d.%-m.%Y") in response.text


# --- attendance ---------------------------------------------------------------------------------


def test_ministry_ticks_who_attended_and_the_region_reads_the_list(
    client, ministry_user, pirkanmaa_preparer, record
):
    negotiation = record.negotiation
    official = negotiation.add_participant(side="ministry", user=ministry_user)
    director = negotiation.add_participant(
        side="region", name="Maija Meikäläinen", organisation="Pirkanmaan hyvinvointialue"
    )
    absent = negotiation.add_participant(side="thl", name="Tero Tutkija")
    client.force_login(ministry_user)
    page = client.get(record_url(record)).text
    assert f'id="present-{director.pk}"' in page and "<legend>Alue</legend>" in page

    response = client.post(attendance_url(record), {"present": [official.pk, director.pk]})
    assert response.status_code == 302 and response.url.endswith("#attendance")
    assert present_participants(record) == {official.pk, director.pk}
    page = client.get(record_url(record)).text
    assert f'id="present-{director.pk}" name="present" value="{director.pk}" checked' in page
    assert f'value="{absent.pk}">' in page

    # A participant of another negotiation is refused and nothing changes.
    other = Negotiation.objects.create(round=negotiation.round, region=county("21"))
    stranger = other.add_participant(side="region", name="Lapin edustaja")
    refused = client.post(attendance_url(record), {"present": [stranger.pk]}, follow=True)
    assert "Valitse läsnäolijat neuvottelun osallistujista." in refused.text
    assert client.post(attendance_url(record), {"present": ["abc"]}).status_code == 302
    assert present_participants(record) == {official.pk, director.pk}

    record.send_for_comments(by=ministry_user)
    client.force_login(pirkanmaa_preparer)
    page = client.get(record_url(record)).text
    assert "Maija Meikäläinen" in page and "Tero Tutkija" not in page
    assert 'name="present"' not in page
    assert client.post(attendance_url(record), {"present": [absent.pk]}).status_code == 403


# --- workflow -----------------------------------------------------------------------------------


def test_the_whole_workflow_records_who_and_when_and_emails_the_region(
    client, ministry_user, record, django_capture_on_commit_callbacks
):
    make_user(
        "posti", group=REGIONAL_PREPARER, regions=[county("08")], email="valmistelija@example.fi"
    )
    client.force_login(ministry_user)

    with django_capture_on_commit_callbacks(execute=True):
        sent = transition(client, record, "send")
    assert "Muistio lähetettiin alueelle kommentoitavaksi." in sent.text
    assert "ilmoitus sähköpostilla" in sent.text
    assert [m.to for m in mail.outbox] == [["valmistelija@example.fi"]]
    assert "neuvottelumuistion luonnos kommentoitavaksi" in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        approved = transition(client, record, "approve")
    assert "Muistio hyväksyttiin ja lukittiin." in approved.text
    assert len(mail.outbox) == 2 and "on hyväksytty" in mail.outbox[1].subject
    record.refresh_from_db()
    assert (record.status, record.approved_by) == (Record.Status.APPROVED, ministry_user)

    reopened = transition(client, record, "reopen", reason="Päätöskohta oli kirjattu väärin.")
    assert "Muistio avattiin uudelleen muokattavaksi." in reopened.text
    record.refresh_from_db()
    assert record.status == Record.Status.DRAFT and record.approved_by is None
    assert "Perustelu: Päätöskohta oli kirjattu väärin." in reopened.text

    transition(client, record, "approve")
    published = transition(client, record, "publish")
    assert "Muistio julkaistiin." in published.text
    record.refresh_from_db()
    assert record.status == Record.Status.PUBLISHED and record.published_at
    assert [(e.action, e.by, e.reason) for e in record.events.all()] == [
        (RecordEvent.Action.SENT, ministry_user, ""),
        (RecordEvent.Action.APPROVED, ministry_user, ""),
        (RecordEvent.Action.REOPENED, ministry_user, "Päätöskohta oli kirjattu väärin."),
        (RecordEvent.Action.APPROVED, ministry_user, ""),
        (RecordEvent.Action.PUBLISHED, ministry_user, ""),
    ]
    page = client.get(record_url(record)).text
    assert page.count("Mirja") >= 5  # who, for every step
    assert "Avattu uudelleen" in page and "Julkaistu" in page


@pytest.mark.parametrize(
    ("status", "action", "data", "code", "message"),
    [
        ("draft", "publish", {}, 200, "Vain hyväksytyn muistion voi julkaista."),
        ("draft", "reopen", {"reason": "Syy"}, 200, "Muistio on jo avattu muokattavaksi."),
        ("comments", "send", {}, 200, "Muistio on jo lähetetty alueelle kommentoitavaksi."),
        # The reason's form comes back with its error (and what was typed).
        ("approved", "reopen", {"reason": "  "}, 400, "Kerro, miksi hyväksytty muistio avataan."),
        ("approved", "send", {}, 200, "Vain luonnoksen voi lähettää"),
        ("approved", "approve", {}, 200, "Muistio on jo hyväksytty."),
        ("published", "reopen", {"reason": "Syy"}, 200, "Vain hyväksytyn, julkaisemattoman"),
        ("published", "publish", {}, 200, "Muistio on jo julkaistu."),
        ("draft", "delete", {}, 200, "Tuntematon toiminto."),
    ],
)
def test_refused_transitions_say_why_and_change_nothing(
    client, ministry_user, record, status, action, data, code, message
):
    Record.objects.filter(pk=record.pk).update(status=status)
    client.force_login(ministry_user)
    response = transition(client, record, action, **data)
    assert response.status_code == code
    assert message in response.text
    record.refresh_from_db()
    assert record.status == status
    assert not record.events.exists()
    assert not mail.outbox


def test_an_approved_record_is_locked(client, ministry_user, record):
    section = theme_section(record, "henkilosto")
    record.approve(by=ministry_user)
    client.force_login(ministry_user)
    page = client.get(record_url(record)).text
    assert '<textarea id="situation-' not in page
    assert "Julkaise muistio" in page and 'name="reason"' in page
    # A save from a page opened before the approval is told why; the text stays typed.
    late = autosave(client, section, 0, situation="Myöhäinen muutos")
    assert late.status_code == 200 and "muistio on hyväksytty ja lukittu" in late.text
    no_js = client.post(save_url(section), section_data(section, 0, situation="Ilman skriptiä"))
    assert no_js.status_code == 409 and "readonly>\nIlman skriptiä</textarea>" in no_js.text
    refused = client.post(attendance_url(record), {}, follow=True)
    assert "Muistio on hyväksytty ja lukittu" in refused.text
    section.refresh_from_db()
    assert section.situation == ""
    record.publish(by=ministry_user)
    assert "lukittu" in autosave(client, section, 0, situation="Myöhäinen muutos").text
    section.refresh_from_db()
    assert section.version == 0


# --- the region ---------------------------------------------------------------------------------


def test_the_region_never_sees_a_draft(client, pirkanmaa_preparer, record):
    section = theme_section(record, "henkilosto")
    client.force_login(pirkanmaa_preparer)
    assert client.get(record_url(record)).status_code == 404
    assert client.get(history_url(section)).status_code == 404
    assert client.post(comment_url(section), {"text": "Hei"}).status_code == 404


def test_a_region_without_a_record_gets_404(client, pirkanmaa_preparer, negotiation):
    client.force_login(pirkanmaa_preparer)
    response = client.get(reverse("negotiations:record-detail", args=[negotiation.pk]))
    assert response.status_code == 404
    assert not Record.objects.exists()


def test_the_region_comments_while_the_record_is_sent_for_comments(
    client, ministry_user, pirkanmaa_preparer, record
):
    section = theme_section(record, "henkilosto")
    section.save_texts(texts={"situation": "Ministeriön kirjaus"}, base_version=0, by=ministry_user)
    record.send_for_comments(by=ministry_user)
    client.force_login(pirkanmaa_preparer)
    page = client.get(record_url(record))
    assert page.status_code == 200
    texts = client.get(texts_url(section), **HTMX).text
    assert "<p>Ministeriön kirjaus</p>" in texts
    assert f'id="situation-{section.pk}"' not in texts
    assert f'<label for="comment-{section.pk}-text">Kommentti' in page.text

    empty = client.post(comment_url(section), {"text": "   "})
    assert empty.status_code == 400
    assert "Kirjoita kommentti." in empty.text and 'aria-invalid="true"' in empty.text
    assert f'href="#comment-{section.pk}-text"' in empty.text  # the error summary links to it

    response = client.post(comment_url(section), {"text": "Luvut ovat vuodelta 2026."})
    assert response.status_code == 302
    comment = section.comments.get()
    assert (comment.author, comment.text) == (pirkanmaa_preparer, "Luvut ovat vuodelta 2026.")

    client.force_login(ministry_user)
    page = client.get(record_url(record)).text
    assert "<p>Luvut ovat vuodelta 2026.</p>" in page
    assert "pirkanmaan-valmistelija, " in page
    assert client.post(comment_url(section), {"text": "Ministeriö"}).status_code == 403


def test_the_region_never_edits_and_comments_only_while_sent_for_comments(
    client, ministry_user, pirkanmaa_preparer, record
):
    section = theme_section(record, "henkilosto")
    record.send_for_comments(by=ministry_user)
    client.force_login(pirkanmaa_preparer)
    assert autosave(client, section, 0, situation="Alueen muutos").status_code == 403
    for action in ("approve", "publish", "send"):
        assert client.post(transition_url(record, action), {"action": action}).status_code == 403

    record.approve(by=ministry_user)
    page = client.get(record_url(record)).text
    assert "Tila: <strong>hyväksytty</strong>" in page
    assert 'name="text"' not in page
    assert client.post(comment_url(section), {"text": "Myöhässä"}).status_code == 403
    record.publish(by=ministry_user)
    assert client.get(record_url(record)).status_code == 200
    assert not section.comments.exists()
    section.refresh_from_db()
    assert section.situation == ""


def test_a_successor_county_reads_but_does_not_comment_on_a_predecessors_record(
    client, ministry_user, pirkanmaa_preparer
):
    old_round = make_round(
        2027, name="Syksyn 2018 sote-neuvottelut", themes=THEMES[:2], **NEGOTIATING
    )
    record = ensure_record(Negotiation.objects.create(round=old_round, region=maakunta("06")))
    record.send_for_comments(by=ministry_user)
    client.force_login(pirkanmaa_preparer)
    assert client.get(record_url(record)).status_code == 200
    section = record.sections.first()
    assert client.post(comment_url(section), {"text": "Hei"}).status_code == 403


# --- who may do what ------------------------------------------------------------------------------


def test_permission_walk_over_the_record_urls(log_in_as, client, ministry_user, record):
    section = theme_section(record, "henkilosto")
    record.send_for_comments(by=ministry_user)
    data = {
        **section_data(section, 0, situation=""),
        "text": "Kommentti",
        "action": "none",
        "present": [],
    }
    expected = {
        # (method, url): own preparer, other preparer, ministry
        ("get", record_url(record)): (200, 404, 200),
        ("get", texts_url(section)): (302, 404, 302),  # without htmx: to the page, opened
        ("post", save_url(section)): (403, 404, 302),
        ("get", history_url(section)): (200, 404, 200),
        ("post", comment_url(section)): (302, 404, 403),
        ("post", attendance_url(record)): (403, 404, 302),
        ("post", transition_url(record)): (403, 404, 302),
    }
    for (method, url), statuses in expected.items():
        log_in_as("anonymous")
        anonymous = getattr(client, method)(url)
        assert anonymous.status_code == 302 and anonymous.url.startswith(reverse("login")), url
        for who, status in zip(
            ("own-preparer", "other-preparer", "ministry"), statuses, strict=True
        ):
            log_in_as(who)
            response = client.post(url, data) if method == "post" else client.get(url)
            assert response.status_code == status, (who, method, url, response.status_code)
    record.refresh_from_db()
    assert record.status == Record.Status.COMMENTS


# --- speed --------------------------------------------------------------------------------------


def _record_with_content(name: str, theme_count: int, ministry_user, preparer) -> Record:
    round_ = make_round(2027, name=name, themes=THEMES[:theme_count], **NEGOTIATING)
    negotiation = Negotiation.objects.create(round=round_, region=county("08"))
    negotiation.set_region_theme(title="Saaristo", questions="")
    for index in range(theme_count):
        negotiation.add_participant(side="region", name=f"Osallistuja {index}")
    record = ensure_record(negotiation)
    record.set_attendance(negotiation.participants.all()[:2])
    report = ensure_report(negotiation)
    for report_section in report.sections.all():
        report_section.save_texts(texts={"text": "Alueen teksti"}, base_version=0, by=preparer)
    report.submit(by=preparer)
    for section in record.sections.all():
        section.save_texts(texts={"situation": "Teksti"}, base_version=0, by=ministry_user)
    record.send_for_comments(by=ministry_user)
    for section in record.sections.all():
        section.comments.create(author=preparer, text="Kommentti")
    return record


def test_the_record_page_makes_as_many_queries_for_six_themes_as_for_two(
    client, ministry_user, pirkanmaa_preparer, django_assert_max_num_queries, query_count
):
    small = _record_with_content("Pieni kierros", 2, ministry_user, pirkanmaa_preparer)
    large = _record_with_content("Suuri kierros", 6, ministry_user, pirkanmaa_preparer)
    for user in (ministry_user, pirkanmaa_preparer):
        client.force_login(user)
        few = query_count(client, record_url(small))
        with django_assert_max_num_queries(few):
            assert client.get(record_url(large)).status_code == 200
        assert query_count(client, record_url(large)) == few
