"""One autosave as the browser sends it (static/js/autosave.js with htmx): all texts of a record
section and the version they are based on, as `<field>-<pk>` and `version-<pk>`; and what the
answer says: saved (with the new version in the out-of-band hidden input), a conflict, or an
error. The page measurement and the load run both post autosaves this way."""

import re
from dataclasses import dataclass, field

from django.urls import reverse

from negotiations.models import RecordSection

# What the writer types: a new sentence at the end of the discussion each time.
TYPED_FIELD = "discussion"
SAVED_MARK = "Tallennettu klo"  # "Saved at", the Finnish default language
CONFLICT_MARK = 'class="conflict"'


@dataclass
class Target:
    """A section to write in, with the texts and version as the writer last saw them."""

    record_pk: int
    negotiation_pk: int
    section_pk: int
    texts: dict[str, str]
    version: int
    url: str = field(init=False)  # where the autosave goes
    page_url: str = field(init=False)  # the record page the section is written in

    def __post_init__(self) -> None:
        self.url = reverse("negotiations:record-section-save", args=[self.record_pk, self.pk])
        self.page_url = reverse("negotiations:record-detail", args=[self.negotiation_pk])

    @property
    def pk(self) -> int:
        return self.section_pk

    @classmethod
    def of(cls, section: RecordSection) -> "Target":
        names = section.TEXT_FIELDS if section.is_theme else (TYPED_FIELD,)
        return cls(
            record_pk=section.record_id,
            negotiation_pk=section.record.negotiation_id,
            section_pk=section.pk,
            texts={name: getattr(section, name) for name in names},
            version=section.version,
        )

    def typed(self, sentence: str) -> dict[str, str]:
        """The section's texts with `sentence` typed at the end of the discussion."""
        return {**self.texts, TYPED_FIELD: f"{self.texts[TYPED_FIELD]} {sentence}".strip()}

    def form(self, texts: dict[str, str]) -> dict[str, str]:
        data = {f"{name}-{self.pk}": text for name, text in texts.items()}
        data[f"version-{self.pk}"] = str(self.version)
        return data


_VERSION_INPUT = re.compile(r'<input type="hidden" id="version-(\d+)"[^>]*\svalue="(\d*)"')


def outcome(status_code: int, html: str, target: Target) -> tuple[str, int | None]:
    """("saved", the new version), ("conflict", None) or ("error", None) for the answer to an
    autosave of `target` based on `target.version`."""
    if status_code != 200:
        return "error", None
    versions = {int(pk): value for pk, value in _VERSION_INPUT.findall(html)}
    new = versions.get(target.pk, "")
    if SAVED_MARK in html and new.isdigit() and int(new) == target.version + 1:
        return "saved", int(new)
    if CONFLICT_MARK in html:
        return "conflict", None
    return "error", None
