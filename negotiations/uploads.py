"""Which uploaded files are accepted: the type is read from the content, never from the name.

A file is accepted when its first bytes and (for ZIP based formats) its members show one of
the allowed document types, and its name ends with that type's extension: a PDF renamed
.docx is refused as well as a program renamed .pdf. The stored file gets a generated name;
the original name is kept only as data.
"""

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# The part of a ZIP member read for a check: enough for any real "mimetype" or
# "[Content_Types].xml", small enough that a crafted archive cannot exhaust memory.
MEMBER_READ_LIMIT = 256 * 1024


@dataclass(frozen=True)
class FileKind:
    extension: str  # without the dot, lower case
    content_type: str

    @property
    def label(self) -> str:
        return self.extension.upper()


PDF = FileKind("pdf", "application/pdf")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = FileKind("odt", "application/vnd.oasis.opendocument.text")
ODS = FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet")

ATTACHMENT_KINDS = (PDF, DOCX, XLSX, ODT, ODS)

# Office Open XML: the main part that makes the package a document or a workbook, and the
# content type [Content_Types].xml declares for it. Macro-enabled files (.docm, .xlsm) declare
# another type and are refused even when renamed.
OOXML_MAIN_PARTS = {
    DOCX: (
        "word/document.xml",
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    XLSX: (
        "xl/workbook.xml",
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
}


def max_upload_bytes() -> int:
    return getattr(settings, "REPORT_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def size_label(limit: int) -> str:
    """20 MB as "20 Mt"; limits that are not whole megabytes in Django's own format."""
    megabytes, rest = divmod(limit, 1024 * 1024)
    if megabytes and not rest:
        return _("%(size)s Mt") % {"size": megabytes}
    return filesizeformat(limit)


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(MEMBER_READ_LIMIT)


def _sniff_zip(file: UploadedFile) -> FileKind | None:
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            names = {info.filename for info in members}
            # OpenDocument: the first member is an uncompressed "mimetype" naming the type.
            if members and members[0].filename == "mimetype":
                declared = _read_member(archive, "mimetype").strip()
                for kind in (ODT, ODS):
                    if declared == kind.content_type.encode():
                        return kind
                return None
            if "[Content_Types].xml" in names:
                content_types = _read_member(archive, "[Content_Types].xml")
                for kind, (main_part, main_type) in OOXML_MAIN_PARTS.items():
                    if main_part in names and main_type in content_types:
                        return kind
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError):
        # Damaged, truncated, encrypted (RuntimeError) or oddly compressed
        # (NotImplementedError) archives are not documents the other side could open.
        return None
    return None


def sniff(file: UploadedFile) -> FileKind | None:
    """The document type the content shows, or None. Leaves the file at its start."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    try:
        if head.startswith(b"%PDF-"):
            return PDF
        if head.startswith(b"PK\x03\x04"):
            return _sniff_zip(file)
        return None
    finally:
        file.seek(0)


def _allowed_types_message(allowed: tuple[FileKind, ...]) -> str:
    return _("Tiedoston sisältö ei vastaa sallittuja tyyppejä (%(types)s).") % {
        "types": ", ".join(kind.label for kind in allowed)
    }


def validate_upload(
    file: UploadedFile, *, allowed: tuple[FileKind, ...] = ATTACHMENT_KINDS
) -> FileKind:
    """The file's type when its size, content and name are acceptable; ValidationError if not."""
    limit = max_upload_bytes()
    if file.size > limit:
        raise ValidationError(
            _("Tiedosto on liian suuri: enintään %(limit)s.") % {"limit": size_label(limit)},
            code="too_large",
        )
    kind = sniff(file)
    if kind is None or kind not in allowed:
        raise ValidationError(_allowed_types_message(allowed), code="invalid_type")
    extension = PurePath(file.name or "").suffix.lower().removeprefix(".")
    if extension != kind.extension:
        raise ValidationError(
            _(
                "Tiedoston nimen pääte ei vastaa sen sisältöä: sisältö on %(kind)s, "
                "joten nimen pitää päättyä .%(extension)s."
            )
            % {"kind": kind.label, "extension": kind.extension},
            code="extension_mismatch",
        )
    return kind
