"""The editing pages print each text's textarea without the form renderer's templates
(negotiations.views.sections.textarea, issue 12): it must be what the widget renders."""

import datetime

import pytest

from negotiations.documents import field_labels
from negotiations.models import Negotiation, Round, RoundTheme, Theme
from negotiations.services import ensure_documents, ensure_record
from negotiations.views.sections import SectionEditor, textarea
from tests.factories import county

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed",
    [
        None,  # as stored
        'Ristiriita <b>"&amp;</b>\n\nja rivinvaihdot',  # as typed, escaped
        "x" * 60_000,  # too long: the error's aria-invalid
    ],
)
def test_the_textarea_is_what_the_widget_renders(typed):
    round_ = Round.objects.create(
        name_fi="Hyvinvointialueneuvottelut 2027",
        kind=Round.Kind.COUNTY_NEGOTIATIONS,
        period_start=datetime.date(2027, 2, 1),
        period_end=datetime.date(2027, 3, 31),
    )
    theme = Theme.objects.create(code="henkilosto", title_fi="Henkilöstö")
    RoundTheme.objects.create(round=round_, theme=theme, position=1)
    negotiation = Negotiation.objects.create(round=round_, region=county("08"))
    ensure_documents(negotiation)
    sections = list(ensure_record(negotiation).sections.all())
    assert any(section.is_theme for section in sections)
    for section in sections:
        section.situation = "Tallennettu <teksti> & muuta"
        data = None
        if typed is not None:
            data = {f"situation-{section.pk}": typed, f"version-{section.pk}": "1"}
        editor = SectionEditor(
            section, labels=field_labels(section), kind="record", data=data, autosave_url="/x/"
        )
        if data:
            editor.form.is_valid()
        for name in editor.form.text_names:
            assert str(textarea(editor.form[name])) == str(editor.form[name])
