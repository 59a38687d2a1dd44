"""Uploads: the situation report's attachments and THL's assessment of a negotiation."""

from django import forms
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from negotiations.forms.fields import TypedTextField, TypedURLField
from negotiations.models import Assessment, Negotiation, ReportAttachment, SituationReport
from negotiations.uploads import (
    ATTACHMENT_KINDS,
    PDF,
    FileKind,
    max_upload_bytes,
    size_label,
    validate_upload,
)

# The browser's file chooser offers these first; the server decides from the content.
ATTACHMENT_ACCEPT = ",".join(f".{kind.extension}" for kind in ATTACHMENT_KINDS)
NO_FILE = _("Valitse lisättävä tiedosto.")


class AttachmentForm(forms.ModelForm):
    file = forms.FileField(
        label=_("Liitetiedosto"),
        max_length=255,
        error_messages={"required": NO_FILE, "invalid": NO_FILE},
        widget=forms.FileInput(attrs={"accept": ATTACHMENT_ACCEPT}),
    )

    class Meta:
        model = ReportAttachment
        fields = ["file"]

    def __init__(self, *args, report: SituationReport, uploaded_by: User, **kwargs) -> None:
        kwargs.setdefault("auto_id", "attachment-%s")
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, DOCX, XLSX, ODT tai ODS, enintään %(limit)s.") % {
            "limit": size_label(max_upload_bytes())
        }
        # Set before validation: the generated storage path needs the report.
        self.instance.report = report
        self.instance.uploaded_by = uploaded_by
        self.kind: FileKind | None = None

    @classmethod
    def refused(
        cls, errors: list[str], *, report: SituationReport, uploaded_by: User | None
    ) -> "AttachmentForm":
        """The form as it was refused, for the page after the redirect: its errors at the
        field. Nothing else comes back: a browser never fills a file field in again."""
        form = cls(data={}, files={}, report=report, uploaded_by=uploaded_by)
        form.full_clean()
        form.errors.clear()
        for error in errors:
            form.add_error("file", error)
        return form

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        self.kind = validate_upload(file)
        return file

    def save(self, commit: bool = True) -> ReportAttachment:
        file = self.cleaned_data["file"]
        self.instance.original_name = file.name
        self.instance.content_type = self.kind.content_type
        self.instance.size = file.size
        return super().save(commit=commit)


class AssessmentForm(forms.ModelForm):
    """THL's assessment: a link, a PDF, or both. A new PDF replaces the stored one."""

    file = forms.FileField(
        label=_("Arvio PDF-tiedostona"),
        max_length=255,
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf"}),
    )
    remove_file = forms.BooleanField(label=_("Poista nykyinen PDF-tiedosto"), required=False)

    class Meta:
        model = Assessment
        fields = ["title", "url", "file"]
        labels = {"title": _("Arvion otsikko"), "url": _("Linkki THL:n arvioon")}
        widgets = {"url": forms.URLInput(attrs={"placeholder": "https://"})}
        field_classes = {"title": TypedTextField, "url": TypedURLField}

    def __init__(self, *args, negotiation: Negotiation, added_by: User, **kwargs) -> None:
        kwargs.setdefault("auto_id", "assessment-%s")
        kwargs["instance"] = Assessment.objects.filter(
            negotiation=negotiation
        ).first() or Assessment(negotiation=negotiation)
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "PDF, enintään %(limit)s. Uusi tiedosto korvaa aiemman."
        ) % {"limit": size_label(max_upload_bytes())}
        self.instance.added_by = added_by
        self.stored_file_name = self.instance.file.name or ""
        if not self.stored_file_name:
            del self.fields["remove_file"]

    def clean_file(self):
        file = self.cleaned_data.get("file")
        # Without a new upload the field gives back the stored file (or None).
        if isinstance(file, UploadedFile):
            validate_upload(file, allowed=(PDF,))
        return file

    def clean(self) -> dict:
        data = super().clean()
        file = data.get("file")
        new_upload = isinstance(file, UploadedFile)
        if data.get("remove_file") and not new_upload:
            data["file"] = False  # a ModelForm clears a file field given False
            file = None
        if (
            not self.has_error("file")
            and not self.has_error("url")
            and not data.get("url")
            and not file
        ):
            # On the url field: the model's constraint then does not add a second message.
            self.add_error("url", _("Anna linkki THL:n arvioon tai lisää arvio PDF-tiedostona."))
        return data

    def save(self, commit: bool = True) -> Assessment:
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            self.instance.original_name = file.name
        elif not file:
            self.instance.original_name = ""
        assessment = super().save(commit=commit)
        if commit and self.stored_file_name and self.stored_file_name != assessment.file.name:
            # Replaced or removed: the old PDF must not stay behind in storage.
            assessment.file.storage.delete(self.stored_file_name)
        return assessment
