"""The one form of a versioned section: a report's answer or a record section's texts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from negotiations.forms.fields import TypedTextField
from negotiations.models.versioning import VersionedSection

MAX_SECTION_LENGTH = 50_000
MAX_VERSION = 2**31 - 1


class SectionForm(forms.Form):
    """The texts of one section and the version they are based on.

    Inputs are named `<field>-<section pk>` ("text-12", "situation-12", "version-12"), so that
    every section of a page can also be posted at once (the report's "save all" without
    JavaScript). Only the texts actually posted are saved: an autosave sends one section.
    """

    def __init__(
        self,
        data=None,
        *,
        section: VersionedSection,
        labels: tuple,
        rows: int = 5,
        autosave_url: str = "",
        describedby: str = "",
    ) -> None:
        self.section = section
        super().__init__(data, auto_id="%s", initial=section.texts())
        for name, label in labels:
            attrs = {"rows": rows}
            if describedby:
                attrs["aria-describedby"] = describedby
            if autosave_url:
                attrs.update(
                    {
                        "data-hx-post": autosave_url,
                        "data-hx-trigger": "input changed delay:1500ms, change",
                        "data-hx-params": self.save_params(labels),
                        "data-hx-target": f"#section-status-{section.pk}",
                    }
                )
            self.fields[name] = TypedTextField(
                label=label,
                max_length=MAX_SECTION_LENGTH,
                required=False,
                strip=False,
                widget=forms.Textarea(attrs=attrs),
            )
        # Read leniently: a missing or garbled version is no error for the writer to fix,
        # it only means the save has no base and is refused as a conflict (text kept).
        self.fields["version"] = forms.CharField(
            required=False, max_length=20, widget=forms.HiddenInput
        )

    def add_prefix(self, field_name: str) -> str:
        return f"{field_name}-{self.section.pk}"

    def save_params(self, labels: tuple) -> str:
        """data-hx-params of an autosave: the whole section and its version, one unit."""
        return ",".join(self.add_prefix(name) for name, _label in labels) + (
            f",{self.add_prefix('version')}"
        )

    def merge_params(self) -> str:
        names = [self.add_prefix(name) for name in self.section.TEXT_FIELDS if name in self.fields]
        return ",".join([*names, "merged_version"])

    def is_posted(self) -> bool:
        return any(self.add_prefix(name) in self.data for name in self.text_names)

    @property
    def text_names(self) -> list[str]:
        return [name for name in self.fields if name != "version"]

    def clean_version(self) -> int | None:
        """The version the texts are based on, None when there is none. After a conflict the
        form carries no version until the writer confirms their merge with `merged_version`,
        so later autosaves cannot overwrite the newer text either."""
        raw = self.data.get("merged_version") or self.cleaned_data.get("version")
        try:
            version = int(raw)
        except (TypeError, ValueError):
            return None
        return version if 0 <= version <= MAX_VERSION else None

    def typed_texts(self) -> dict[str, str]:
        """The posted texts, cleaned (only those that were sent)."""
        return {
            name: self.cleaned_data[name]
            for name in self.text_names
            if self.add_prefix(name) in self.data
        }

    def typed_value(self, name: str) -> str:
        """The text as typed (kept whatever happens), else as stored."""
        key = self.add_prefix(name)
        if self.is_bound and key in self.data:
            return self.fields[name].bound_data(self.data[key], None)
        return getattr(self.section, name)

    @property
    def error_text(self) -> str:
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


SECTION_LOCKED = {
    "report": _(
        "Tekstiä ei tallennettu, koska tilannekuva on jo lähetetty tai kierros ei enää ota "
        "vastaan tilannekuvia. Tekstisi on yhä kentässä: kopioi se talteen."
    ),
    "record": _(
        "Tekstiä ei tallennettu, koska muistio on hyväksytty ja lukittu. Tekstisi on yhä "
        "kentässä: kopioi se talteen."
    ),
}
