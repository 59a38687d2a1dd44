"""Test data: plain functions that build model objects with sensible defaults.

Regions and their facts come from the migrations (county(), maakunta()); everything else a
test makes here. Fixtures live in the conftest files, which use these; no test module imports
from another test module."""

import datetime
import io
import zipfile

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import UsageEntry
from negotiations.forms.attachments import AttachmentForm
from negotiations.models import (
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    ReportAttachment,
    Round,
    RoundTheme,
    SituationReport,
    Theme,
)
from negotiations.services import ensure_documents, ensure_record, ensure_report
from regions.models import Region, RegionMembership
from regions.roles import REGIONAL_PREPARER

PASSWORD = "salasana-123"

# --- regions and users ----------------------------------------------------------------------


def county(code: str) -> Region:
    return Region.objects.get(kind=Region.Kind.COUNTY, code=code)


def maakunta(code: str) -> Region:
    return Region.objects.get(kind=Region.Kind.MAAKUNTA, code=code)


def make_user(username: str, *, group: str | None = None, regions=(), **fields) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for region in regions:
        RegionMembership.objects.create(user=user, region=region)
    return user


def make_preparer(username: str, *regions: Region, **fields) -> User:
    return make_user(username, group=REGIONAL_PREPARER, regions=regions, **fields)


# --- rounds and their themes ------------------------------------------------------------------

ROUND_NAME = "Hyvinvointialueneuvottelut"
ROUND_NAME_SV = "Välfärdsområdesförhandlingarna"
# A round's one theme where any theme does (its record then has a theme section for actions).
THEME = ("teema", "Teema", "Tema", "Theme")


def make_theme(
    code: str, title_fi: str | None = None, title_sv: str | None = None, title_en: str | None = None
) -> Theme:
    """The catalogue's theme `code`, made with these titles if it is not there yet."""
    title_fi = title_fi or code
    theme, _created = Theme.objects.get_or_create(
        code=code,
        defaults={
            "title_fi": title_fi,
            "title_sv": title_sv or title_fi,
            "title_en": title_en or title_fi,
        },
    )
    return theme


def add_theme(
    round_: Round,
    code: str,
    title_fi: str | None = None,
    position: int = 1,
    *,
    title_sv: str | None = None,
    title_en: str | None = None,
    **fields,
) -> RoundTheme:
    """The catalogue's theme `code` in the round; `fields` are the round theme's own (its
    guiding questions, say)."""
    theme = make_theme(code, title_fi, title_sv, title_en)
    return RoundTheme.objects.create(round=round_, theme=theme, position=position, **fields)


def make_round(
    year: int = 2027, *, name: str | None = None, themes=(), regions=(), **fields
) -> Round:
    """A county negotiation round of February and March of `year`, named in Finnish and
    Swedish, in the model's first status unless `status` says otherwise. `themes` are added
    in order: a theme code, or a tuple of make_theme()'s arguments. `regions` each get a
    negotiation (without a report or record: negotiate() makes those)."""
    name = name or f"{ROUND_NAME} {year}"
    round_ = Round.objects.create(
        **{
            "name_fi": name,
            "name_sv": name.replace(ROUND_NAME, ROUND_NAME_SV),
            "kind": Round.Kind.COUNTY_NEGOTIATIONS,
            "period_start": datetime.date(year, 2, 1),
            "period_end": datetime.date(year, 3, 31),
            **fields,
        }
    )
    for position, theme in enumerate(themes, start=1):
        code, *titles = (theme,) if isinstance(theme, str) else theme
        RoundTheme.objects.create(round=round_, theme=make_theme(code, *titles), position=position)
    for region in regions:
        Negotiation.objects.create(round=round_, region=region)
    return round_


# --- negotiations, reports and records -------------------------------------------------------


def negotiate(round_: Round, region: Region, day=None, start=None, end=None, **fields):
    """The region's negotiation in the round with its report and record, made the way the
    services make them; `day` is (month, day) of the round's year, `start` and `end` are
    (hour, minute). A negotiation that is there already is used as it is."""
    negotiation, _created = Negotiation.objects.get_or_create(
        round=round_,
        region=region,
        defaults={
            "date": datetime.date(round_.year, *day) if day else None,
            "start_time": datetime.time(*start) if start else None,
            "end_time": datetime.time(*end) if end else None,
            **fields,
        },
    )
    ensure_documents(negotiation)
    return negotiation


def negotiation_of(round_: Round, code: str) -> Negotiation:
    return Negotiation.objects.get(round=round_, region=county(code))


def report_of(round_: Round, region: Region, user, *, status: str) -> SituationReport:
    """The region's report moved to `status` the way the region and the ministry move it."""
    Status = SituationReport.Status
    report = ensure_report(round_.negotiations.get(region=region))
    if status != Status.NOT_STARTED:
        report.mark_started()
    if status in (Status.SUBMITTED, Status.RETURNED):
        report.submit(by=user)
    if status == Status.RETURNED:
        report.return_for_completion(by=user, comment="Täydennä.")
    return report


def record_of(round_: Round, region: Region, user, *, status: str) -> Record:
    """The region's record moved to `status` step by step, as the ministry moves it."""
    record = ensure_record(round_.negotiations.get(region=region))
    steps = [
        (Record.Status.COMMENTS, record.send_for_comments),
        (Record.Status.APPROVED, record.approve),
        (Record.Status.PUBLISHED, record.publish),
    ]
    order = [s for s, _step in steps]
    for step_status, step in steps:
        if status in order[order.index(step_status) :]:
            step(by=user)
    return record


def approve(negotiation: Negotiation, by) -> Record:
    record = ensure_record(negotiation)
    record.approve(by=by)
    return record


def theme_section(record: Record, code: str | None = None, *, title: str | None = None):
    """A theme section of the record: the first, the one of theme `code`, or the section (of
    any kind) with this title."""
    if title is not None:
        return next(section for section in record.sections.all() if section.title == title)
    sections = record.sections.filter(kind=RecordSection.Kind.THEME)
    if code:
        sections = sections.filter(round_theme__theme__code=code)
    return sections.first()


# --- follow-up actions -------------------------------------------------------------------------


def make_action(negotiation: Negotiation, what: str, *, theme: str | None = None, **fields):
    """An action agreed in a theme section of the negotiation's record, the region's to do."""
    return FollowUpAction.objects.create(
        negotiation=negotiation,
        section=theme_section(ensure_record(negotiation), theme),
        what=what,
        **{"responsible": FollowUpAction.Responsible.REGION, **fields},
    )


def add_actions(negotiation: Negotiation, *statuses: str, due: datetime.date | None = None):
    """One action in each status, in the record's first theme section."""
    section = theme_section(ensure_record(negotiation))
    for i, status in enumerate(statuses):
        FollowUpAction.objects.create(
            negotiation=negotiation,
            section=section,
            what=f"Toimenpide {i}",
            responsible=FollowUpAction.Responsible.REGION,
            status=status,
            due_date=due,
        )


def add_action_with_note(section: RecordSection, by) -> FollowUpAction:
    """The personnel action of a theme section with an owner, a due date and a note."""
    action = FollowUpAction.objects.create(
        negotiation=section.record.negotiation,
        section=section,
        what="Selvitetään päivystyksen henkilöstömitoitus",
        responsible=FollowUpAction.Responsible.REGION,
        owner="Hallintoylilääkäri",
        due_date=datetime.date(2027, 6, 30),
        created_by=by,
    )
    action.notes.create(text="Selvitys aloitettu", author=by)
    return action


# --- files ------------------------------------------------------------------------------------

# A one-page PDF, and the smallest file the attachment check takes for a PDF.
PDF_BYTES = (
    b"%PDF-1.4\n"
    b"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
    b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
    b"trailer <</Root 1 0 R>>\n"
    b"%%EOF\n"
)
SMALL_PDF_BYTES = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
EXE_BYTES = b"MZ" + bytes(510)  # a Windows program's magic, whatever its name says

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def zip_bytes(*members: tuple[str, bytes | str], stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(members):
            method = zipfile.ZIP_STORED if stored_first and index == 0 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def content_types(part: str, main_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/>'
        "</Types>"
    )


def docx_bytes() -> bytes:
    return zip_bytes(
        ("[Content_Types].xml", content_types("word/document.xml", DOCX_MAIN)),
        ("word/document.xml", "<w:document/>"),
    )


def xlsx_bytes(main_type: str = XLSX_MAIN) -> bytes:
    return zip_bytes(
        ("[Content_Types].xml", content_types("xl/workbook.xml", main_type)),
        ("xl/workbook.xml", "<workbook/>"),
    )


def odf_bytes(mimetype: str) -> bytes:
    return zip_bytes(
        ("mimetype", mimetype),
        ("content.xml", "<office:document-content/>"),
        ("META-INF/manifest.xml", "<manifest:manifest/>"),
        stored_first=True,
    )


def odt_bytes() -> bytes:
    return odf_bytes("application/vnd.oasis.opendocument.text")


def ods_bytes() -> bytes:
    return odf_bytes("application/vnd.oasis.opendocument.spreadsheet")


def add_attachment(report: SituationReport, by) -> ReportAttachment:
    """A PDF attached to the report through the upload form and its checks."""
    form = AttachmentForm(
        files={"file": SimpleUploadedFile("henkilöstö.pdf", SMALL_PDF_BYTES)},
        report=report,
        uploaded_by=by,
    )
    assert form.is_valid(), form.errors
    return form.save()


# --- the usage log ------------------------------------------------------------------------------

ADDRESS = "198.51.100.23"  # the client's address in the usage log tests


def clear_log() -> None:
    """Forget what setting up the test logged (users, groups and memberships made)."""
    UsageEntry.objects.purge_before(timezone.now() + datetime.timedelta(seconds=1))


def log_of(**filters) -> list[UsageEntry]:
    return list(UsageEntry.objects.filter(**filters).order_by("pk"))


def the_entry(**filters) -> UsageEntry:
    entries = log_of(**filters)
    assert len(entries) == 1, [(e.kind, e.path, e.detail) for e in log_of()]
    return entries[0]
