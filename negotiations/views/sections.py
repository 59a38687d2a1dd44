"""What the autosaving pages (situation report, record) share: one section's editor."""

from functools import cached_property

from django.forms import BoundField
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from negotiations.forms.sections import SECTION_LOCKED, SectionForm
from negotiations.models.versioning import SaveOutcome, VersionedSection


def textarea(bound: BoundField) -> SafeString:
    """The field's textarea as its widget renders it (the same attributes, the value after a
    newline), without a pass through the form renderer's templates: an editing page has
    dozens of texts, and the templates cost more than everything else of a text."""
    widget = bound.field.widget
    extra = bound.build_widget_attrs({}, widget)
    if bound.auto_id and "id" not in widget.attrs:
        extra.setdefault("id", bound.auto_id)
    attrs = widget.build_attrs(widget.attrs, extra)
    value = widget.format_value(bound.value()) or ""
    # As django/forms/widgets/attrs.html: in order, True as a bare name, False left out.
    shown = format_html_join(
        "",
        "{}{}",
        (
            (f" {name}", "" if given is True else format_html('="{}"', given))
            for name, given in attrs.items()
            if given is not False
        ),
    )
    return format_html('<textarea name="{}"{}>\n{}</textarea>', bound.html_name, shown, value)


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
        self._form_arguments = {
            "labels": labels,
            "rows": rows,
            "autosave_url": autosave_url,
            "describedby": describedby,
        }
        self._data = data
        self.outcome: SaveOutcome | None = None
        self.error = ""

    @cached_property
    def form(self) -> SectionForm:
        """Made when first asked for: a page may fold a section without showing its form."""
        return SectionForm(self._data, section=self.section, **self._form_arguments)

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
                "textarea": textarea(self.form[name]),
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
