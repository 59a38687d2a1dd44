"""What the autosaving pages (situation report, record) share: one section's editor."""

from django.http import HttpRequest

from negotiations.forms.sections import SECTION_LOCKED, SectionForm
from negotiations.models.versioning import SaveOutcome, VersionedSection


class SectionEditor:
    """One section on an editing page: its form (the texts as typed, or as stored) and what
    became of a save attempt. The page, its autosave status and the conflict view read it."""

    def __init__(
        self,
        section: VersionedSection,
        *,
        labels: tuple,
        kind: str,
        data=None,
        rows: int = 5,
        autosave_url: str = "",
        describedby: str = "",
    ) -> None:
        self.section = section
        self.kind = kind
        self.save_url = autosave_url
        self.form = SectionForm(
            data,
            section=section,
            labels=labels,
            rows=rows,
            autosave_url=autosave_url,
            describedby=describedby,
        )
        self.outcome: SaveOutcome | None = None
        self.error = ""

    @property
    def saved(self) -> bool:
        return self.outcome in (SaveOutcome.SAVED, SaveOutcome.UNCHANGED)

    @property
    def conflict(self) -> bool:
        return self.outcome is SaveOutcome.CONFLICT

    @property
    def fields(self) -> list[dict]:
        """Each text: its label, its input (as typed) and the text stored now (shown beside a
        conflict)."""
        return [
            {
                "name": name,
                "label": self.form.fields[name].label,
                "input": self.form[name],
                "value": self.form.typed_value(name),
                "stored": getattr(self.section, name),
            }
            for name in self.form.text_names
        ]

    @property
    def merge_params(self) -> str:
        return self.form.merge_params()

    def save(self, request: HttpRequest) -> None:
        """Save what the request typed in this section; the outcome (or an error for bad
        input) is kept for the page, and the typed text stays in the form either way."""
        if not self.form.is_valid():
            self.error = self.form.error_text
            return
        self.outcome = self.section.save_texts(
            texts=self.form.typed_texts(),
            base_version=self.form.cleaned_data.get("version"),
            by=request.user,
        )
        if self.outcome is SaveOutcome.LOCKED:
            self.error = str(SECTION_LOCKED[self.kind])
