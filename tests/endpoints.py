"""Every URL name of the project with the demo objects it is opened with, who may write there
and the fields its view reads: the table of tests/test_bad_input.py, which a new URL name must
join, also walked by tests/test_get_is_safe.py and tests/test_html_validity.py.

`ENDPOINTS` names, per URL name, the demo objects of the URL, who posts, the fields the view
reads and the typed texts that must come back in the form when they are refused.
"""

import dataclasses
import inspect
from collections.abc import Callable
from functools import cached_property

from django.contrib import admin
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, resolve, reverse

from knowledge.forms import IndicatorTableForm
from knowledge.models import Indicator
from negotiations.documents import field_labels
from negotiations.forms.actions import ActionFilterForm
from negotiations.forms.dashboard import AreaFilterForm, DashboardFilterForm
from negotiations.forms.public import PublicRoundFilterForm
from negotiations.models import (
    Assessment,
    FollowUpAction,
    Negotiation,
    Record,
    RecordSection,
    ReportAttachment,
    Round,
    SituationReport,
)
from regions.models import Region
from steering import urls as project_urls
from tests.demo_rows import seed_demo_rows
from tests.factories import PDF_BYTES

HTMX = {"HX-Request": "true"}
# --- the demo objects the URLs are built with ---------------------------------------------------


class Demo:
    """`seed_demo()` and the objects of it that the URLs need, plus the few things the demo
    does not have (an attachment, an assessment PDF, an action on an editable record)."""

    def __init__(self, *, seed: bool = True) -> None:
        if seed:
            seed_demo_rows()

    def user(self, username: str | None) -> User | None:
        return User.objects.get(username=username) if username else None

    @staticmethod
    def negotiation(round_name: str, code: str) -> Negotiation:
        return Negotiation.objects.get(
            round__name_fi=round_name, region__kind=Region.Kind.COUNTY, region__code=code
        )

    @cached_property
    def round_2027(self) -> Round:
        return Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2027")

    @cached_property
    def round_2023(self) -> Round:
        return Round.objects.get(name_fi="Hyvinvointialueneuvottelut 2023")

    @cached_property
    def pirkanmaa_2027(self) -> Negotiation:
        return self.negotiation("Hyvinvointialueneuvottelut 2027", "08")

    @cached_property
    def lappi_2027(self) -> Negotiation:
        return self.negotiation("Hyvinvointialueneuvottelut 2027", "21")

    @cached_property
    def pirkanmaa_2023(self) -> Negotiation:
        return self.negotiation("Hyvinvointialueneuvottelut 2023", "08")

    @cached_property
    def lappi_2023(self) -> Negotiation:
        return self.negotiation("Hyvinvointialueneuvottelut 2023", "21")

    @cached_property
    def unreported_2027(self) -> Negotiation | None:
        """A negotiation of the open round without a report or record, if there is one: its
        page must not create them."""
        return (
            self.round_2027.negotiations.filter(report__isnull=True, record__isnull=True)
            .order_by("region__kind", "region__code")
            .first()
        )

    def report(self, negotiation: Negotiation) -> SituationReport:
        return SituationReport.objects.get(negotiation=negotiation)

    def record(self, negotiation: Negotiation) -> Record:
        return Record.objects.get(negotiation=negotiation)

    @property
    def pirkanmaa_report(self) -> SituationReport:
        return self.report(self.pirkanmaa_2027)

    @property
    def lappi_report(self) -> SituationReport:
        return self.report(self.lappi_2027)

    @property
    def lappi_record(self) -> Record:
        return self.record(self.lappi_2023)

    @property
    def published_record(self) -> Record:
        return self.record(self.pirkanmaa_2023)

    def report_section(self, report: SituationReport):
        return report.sections.order_by("pk").first()

    def record_theme_section(self, record: Record) -> RecordSection:
        return record.sections.filter(kind=RecordSection.Kind.THEME).order_by("pk").first()

    def attachment(self) -> ReportAttachment:
        report = self.pirkanmaa_report
        attachment = report.attachments.first()
        if attachment is None:
            attachment = ReportAttachment(
                report=report,
                original_name="liite.pdf",
                content_type="application/pdf",
                size=len(PDF_BYTES),
            )
            attachment.file.save("liite.pdf", SimpleUploadedFile("liite.pdf", PDF_BYTES))
        return attachment

    def assessment(self) -> Assessment:
        negotiation = self.pirkanmaa_2027
        assessment = Assessment.objects.filter(negotiation=negotiation).first()
        if assessment is None:
            assessment = Assessment(
                negotiation=negotiation, title="THL:n arvio", original_name="arvio.pdf"
            )
            assessment.file.save("arvio.pdf", SimpleUploadedFile("arvio.pdf", PDF_BYTES))
        return assessment

    def editable_action(self) -> FollowUpAction:
        """An action on Lappi's draft record, which the ministry may still edit."""
        record = self.lappi_record
        action = FollowUpAction.objects.filter(negotiation=record.negotiation).first()
        if action is None:
            action = FollowUpAction.objects.create(
                negotiation=record.negotiation,
                section=self.record_theme_section(record),
                what="Alue selvittää pelastustoimen valmiusajat.",
                responsible=FollowUpAction.Responsible.REGION,
                created_by=self.user("ministry"),
            )
        return action

    def published_action(self) -> FollowUpAction:
        return FollowUpAction.objects.filter(negotiation=self.pirkanmaa_2023).order_by("pk")[0]

    def participant(self):
        return self.pirkanmaa_2023.participants.order_by("pk")[0]

    def extras(self) -> None:
        """Everything the URL map needs beyond the demo; the GET test creates it up front."""
        self.attachment()
        self.assessment()
        self.editable_action()

    # States some endpoints need; each is reached again before every post.

    def lappi_record_in(self, status: str) -> Record:
        record, ministry = self.lappi_record, self.user("ministry")
        if record.status == Record.Status.DRAFT:
            record.send_for_comments(by=ministry)
        if record.status == status:
            return record
        if record.status == Record.Status.COMMENTS:
            record.approve(by=ministry)
        return record

    def submitted_lappi_report(self) -> SituationReport:
        report = self.lappi_report
        if report.status != SituationReport.Status.SUBMITTED:
            report.submit(by=self.user("lappi"))
        return report


# --- the table ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Endpoint:
    """How to reach one URL name with bad input.

    `data` gives valid input (read afresh before every post: versions move on); every field
    in it gets each bad value in turn, and so do the fields of `extra` (read by the view but
    not sent in a normal save); `only` narrows that to some fields (one form of a formset).
    `texts` are the typed texts: refused, they come back in the form page (a plain POST;
    htmx keeps the text in the browser). `query` are the GET parameters the page reads.
    Views whose module answers htmx get every request also with HX-Request."""

    kwargs: Callable[[Demo], dict] = lambda demo: {}
    user: str | None = "ministry"
    data: Callable[[Demo], dict] | None = None
    extra: Callable[[Demo], tuple] | tuple = ()
    only: tuple[str, ...] = ()
    texts: Callable[[Demo], tuple] | tuple = ()
    files: tuple[str, ...] = ()
    query: tuple[str, ...] = ()
    setup: Callable[[Demo], object] | None = None
    # Demo objects to GET the page with in the GET test, besides `kwargs`.
    more_gets: Callable[[Demo], list[dict]] = lambda demo: []


def resolve_value(value, demo: Demo):
    return value(demo) if callable(value) else value


def round_data(demo: Demo) -> dict:
    return {
        "name_fi": "Uusi kierros",
        "name_sv": "Ny omgång",
        "name_en": "New round",
        "kind": Round.Kind.COUNTY_NEGOTIATIONS,
        "period_start": "2028-02-01",
        "period_end": "2028-03-31",
        "report_deadline": "2028-01-20",
        "lead_ministry": "STM",
        "ministries": ["STM", "VM"],
        "allows_region_theme": "on",
        "objective_period": str(demo.round_2027.objective_period_id or ""),
        "region_set": "chosen",
        "regions": [str(demo.pirkanmaa_2027.region_id)],
    }


ROUND_TEXTS = ("name_fi", "name_sv", "name_en")


def themes_formset_data(round_: Round) -> dict:
    """The round's themes form as it comes back unchanged from the browser."""
    prefix = "round_themes"
    themes = list(round_.round_themes.order_by("position", "pk"))
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(themes)),
        f"{prefix}-INITIAL_FORMS": str(len(themes)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, round_theme in enumerate(themes):
        data |= {
            f"{prefix}-{index}-id": str(round_theme.pk),
            f"{prefix}-{index}-round": str(round_.pk),
            f"{prefix}-{index}-theme": str(round_theme.theme_id),
            f"{prefix}-{index}-position": str(round_theme.position),
            f"{prefix}-{index}-guiding_questions_fi": round_theme.guiding_questions_fi or "?",
            f"{prefix}-{index}-guiding_questions_sv": round_theme.guiding_questions_sv or "?",
        }
    return data


def round_themes_data(demo: Demo) -> dict:
    return themes_formset_data(demo.round_2027)


def report_data(demo: Demo) -> dict:
    data = {}
    for section in demo.pirkanmaa_report.sections.order_by("pk"):
        data[f"text-{section.pk}"] = section.text or "Vastaus"
        data[f"version-{section.pk}"] = str(section.version)
    return data


def report_section_data(demo: Demo) -> dict:
    section = demo.report_section(demo.pirkanmaa_report)
    return {f"text-{section.pk}": "Vastaus", f"version-{section.pk}": str(section.version)}


def record_section_data(demo: Demo) -> dict:
    section = demo.record_theme_section(demo.lappi_record)
    data = {f"version-{section.pk}": str(section.version)}
    for name, _label in field_labels(section):
        data[f"{name}-{section.pk}"] = getattr(section, name) or "Kirjattu"
    return data


def text_names(data: Callable[[Demo], dict]) -> Callable[[Demo], tuple]:
    """The fields of `data` that are typed text: all but versions."""
    return lambda demo: tuple(name for name in data(demo) if not name.startswith("version-"))


def schedule_data(demo: Demo) -> dict:
    return {
        "date": "2027-02-16",
        "start_time": "09:00",
        "end_time": "12:00",
        "place": "Meritullinkatu 8",
        "video_link": "https://video.example.fi/x",
        "chair": str(demo.user("ministry").pk),
    }


def action_data(demo: Demo) -> dict:
    return {
        "kind": FollowUpAction.Kind.AGREED,
        "ministry": "",
        "what": "Selvitetään",
        "responsible": FollowUpAction.Responsible.REGION,
        "owner": "Palvelujohtaja",
        "due_date": "2027-12-31",
        "status": FollowUpAction.Status.AGREED,
    }


# The filter forms' own fields, so that a new filter is attacked too; and the page number.
ACTION_FILTERS = (*ActionFilterForm.base_fields, "page")


def report_kwargs(demo: Demo) -> dict:
    return {"pk": demo.pirkanmaa_report.pk}


def report_section_kwargs(demo: Demo) -> dict:
    report = demo.pirkanmaa_report
    return {"pk": report.pk, "section_pk": demo.report_section(report).pk}


def record_section_kwargs(demo: Demo) -> dict:
    record = demo.lappi_record
    return {"pk": record.pk, "section_pk": demo.record_theme_section(record).pk}


def published_section_kwargs(demo: Demo) -> dict:
    record = demo.published_record
    return {"pk": record.pk, "section_pk": demo.record_theme_section(record).pk}


def negotiation(attr: str) -> Callable[[Demo], dict]:
    return lambda demo: {"pk": getattr(demo, attr).pk}


ENDPOINTS: dict[str, Endpoint] = {
    # --- the project's own URLs
    "home": Endpoint(user="pirkanmaa"),
    "healthz": Endpoint(user=None),
    "accessibility-statement": Endpoint(user=None),
    "login": Endpoint(
        user=None,
        data=lambda demo: {"username": "pirkanmaa", "password": "väärä", "next": "/"},
        texts=("username",),
    ),
    "logout": Endpoint(data=lambda demo: {}),
    "set_language": Endpoint(data=lambda demo: {"language": "sv", "next": "/"}),
    "admin": Endpoint(user="admin"),  # index and every changelist's search, see admin_urls()
    # --- rounds
    "negotiations:round-create": Endpoint(data=round_data, texts=ROUND_TEXTS, query=("copy_from",)),
    "negotiations:round-detail": Endpoint(
        kwargs=lambda demo: {"pk": demo.round_2027.pk}, query=tuple(DashboardFilterForm.base_fields)
    ),
    "negotiations:round-edit": Endpoint(
        kwargs=lambda demo: {"pk": demo.round_2027.pk}, data=round_data, texts=ROUND_TEXTS
    ),
    "negotiations:round-themes": Endpoint(
        kwargs=lambda demo: {"pk": demo.round_2027.pk},
        data=round_themes_data,
        extra=("round_themes-0-DELETE",),
        # The management form and the first row: the other rows are read the same way.
        only=(
            *(f"round_themes-{name}" for name in ("TOTAL_FORMS", "INITIAL_FORMS")),
            *(
                f"round_themes-0-{name}"
                for name in (
                    "id",
                    "theme",
                    "position",
                    "guiding_questions_fi",
                    "guiding_questions_sv",
                    "objectives",
                    "indicators",
                    "DELETE",
                )
            ),
        ),
        texts=("round_themes-0-guiding_questions_fi", "round_themes-0-guiding_questions_sv"),
    ),
    "negotiations:round-objectives": Endpoint(kwargs=lambda demo: {"pk": demo.round_2027.pk}),
    "negotiations:round-status": Endpoint(
        kwargs=lambda demo: {"pk": demo.round_2023.pk},
        data=lambda demo: {"to": "closed"},
        # The check page of a round that can still move on.
        more_gets=lambda demo: [{"pk": demo.round_2027.pk}],
    ),
    "negotiations:round-schedule": Endpoint(kwargs=lambda demo: {"pk": demo.round_2027.pk}),
    "negotiations:round-calendar": Endpoint(
        user=None,
        kwargs=lambda demo: {"pk": demo.round_2027.pk, "token": demo.round_2027.calendar_token},
    ),
    "negotiations:round-pdf": Endpoint(
        kwargs=lambda demo: {"pk": demo.round_2023.pk}, query=("area",)
    ),
    "negotiations:round-theme-reports": Endpoint(
        kwargs=lambda demo: {
            "pk": demo.round_2027.pk,
            "round_theme_pk": demo.round_2027.round_themes.order_by("pk")[0].pk,
        },
        query=tuple(AreaFilterForm.base_fields),
    ),
    # --- the schedule and a negotiation's page
    "negotiations:negotiation-detail": Endpoint(
        kwargs=negotiation("pirkanmaa_2027"),
        more_gets=lambda demo: [{"pk": demo.lappi_2027.pk}, {"pk": demo.pirkanmaa_2023.pk}],
    ),
    "negotiations:theme-figures": Endpoint(
        kwargs=lambda demo: {
            "pk": demo.pirkanmaa_2027.pk,
            "round_theme_pk": demo.round_2027.round_themes.filter(indicators__isnull=False)
            .order_by("pk")[0]
            .pk,
        },
        query=("level",),
    ),
    "negotiations:negotiation-schedule": Endpoint(
        kwargs=negotiation("pirkanmaa_2027"),
        data=schedule_data,
        extra=("confirm_outside_period",),
        texts=("place", "video_link"),
    ),
    "negotiations:participant-add": Endpoint(
        kwargs=negotiation("pirkanmaa_2027"),
        data=lambda demo: {
            "side": "thl",
            "name": "Terhi Tutkija",
            "organisation": "THL",
            "title": "erikoistutkija",
        },
        extra=("user",),
        texts=("name", "organisation", "title"),
    ),
    "negotiations:participant-delete": Endpoint(
        kwargs=lambda demo: {
            "pk": demo.pirkanmaa_2023.pk,
            "participant_pk": demo.participant().pk,
        },
        data=lambda demo: {},
    ),
    "negotiations:region-theme": Endpoint(
        kwargs=negotiation("pirkanmaa_2027"),
        data=lambda demo: {
            "region_theme_title": "Oma teema",
            "region_theme_questions": "Mitä?\nMiksi?",
        },
        texts=("region_theme_title", "region_theme_questions"),
    ),
    "negotiations:negotiation-calendar": Endpoint(kwargs=negotiation("pirkanmaa_2027")),
    "negotiations:negotiation-language": Endpoint(
        kwargs=negotiation("pirkanmaa_2027"), data=lambda demo: {"language": "fi"}
    ),
    # --- situation reports
    "negotiations:report-detail": Endpoint(
        kwargs=negotiation("pirkanmaa_2027"),
        user="pirkanmaa",
        data=report_data,
        extra=("text", "version", "merged_version"),
        texts=text_names(report_data),
        more_gets=lambda demo: [
            {"pk": negotiation.pk}
            for negotiation in (demo.lappi_2027, demo.unreported_2027)
            if negotiation is not None
        ],
    ),
    "negotiations:report-section-save": Endpoint(
        kwargs=report_section_kwargs,
        user="pirkanmaa",
        data=report_section_data,
        extra=("text", "version", "merged_version"),
        texts=text_names(report_section_data),
    ),
    "negotiations:report-section-history": Endpoint(kwargs=report_section_kwargs),
    "negotiations:report-submit": Endpoint(
        kwargs=report_kwargs, user="pirkanmaa", data=lambda demo: {}
    ),
    "negotiations:report-response": Endpoint(
        kwargs=lambda demo: {
            "pk": demo.pirkanmaa_report.pk,
            "action_pk": FollowUpAction.objects.recommendations()
            .filter(negotiation=demo.pirkanmaa_2023)
            .get()
            .pk,
        },
        user="pirkanmaa",
        data=lambda demo: {"text": "Suunnitelma on laadittu."},
        extra=("level",),
        texts=("text",),
    ),
    "negotiations:report-return": Endpoint(
        kwargs=lambda demo: {"pk": demo.lappi_report.pk},
        data=lambda demo: {"comment": "Täydentäkää rahoitus."},
        texts=("comment",),
        setup=Demo.submitted_lappi_report,
    ),
    "negotiations:report-attachment-upload": Endpoint(
        kwargs=report_kwargs, user="pirkanmaa", data=lambda demo: {}, files=("file",)
    ),
    "negotiations:report-attachment": Endpoint(
        kwargs=lambda demo: {"pk": demo.pirkanmaa_report.pk, "attachment_pk": demo.attachment().pk},
        user="pirkanmaa",
    ),
    "negotiations:report-attachment-delete": Endpoint(
        kwargs=lambda demo: {"pk": demo.pirkanmaa_report.pk, "attachment_pk": demo.attachment().pk},
        user="pirkanmaa",
        data=lambda demo: {},
    ),
    "negotiations:assessment-save": Endpoint(
        kwargs=negotiation("pirkanmaa_2027"),
        data=lambda demo: {"title": "THL:n arvio", "url": "https://thl.fi/arvio"},
        extra=("remove_file",),
        texts=("title", "url"),
        files=("file",),
    ),
    "negotiations:assessment-file": Endpoint(
        kwargs=lambda demo: {"pk": demo.assessment().negotiation_id}
    ),
    # --- records
    "negotiations:record-detail": Endpoint(
        kwargs=negotiation("lappi_2023"),
        query=("open",),
        more_gets=lambda demo: [
            {"pk": demo.pirkanmaa_2023.pk},
            {"pk": demo.pirkanmaa_2027.pk},
        ],
    ),
    "negotiations:record-section-save": Endpoint(
        kwargs=record_section_kwargs,
        data=record_section_data,
        extra=("version", "merged_version"),
        texts=text_names(record_section_data),
    ),
    "negotiations:record-section-texts": Endpoint(
        kwargs=record_section_kwargs,
        more_gets=lambda demo: [published_section_kwargs(demo)],
    ),
    "negotiations:record-section-history": Endpoint(
        kwargs=record_section_kwargs,
        more_gets=lambda demo: [published_section_kwargs(demo)],
    ),
    "negotiations:record-comment-add": Endpoint(
        kwargs=record_section_kwargs,
        user="lappi",
        data=lambda demo: {"text": "Kommentti"},
        texts=("text",),
        setup=lambda demo: demo.lappi_record_in(Record.Status.COMMENTS),
    ),
    "negotiations:record-attendance": Endpoint(
        kwargs=lambda demo: {"pk": demo.lappi_record.pk},
        data=lambda demo: {"present": [str(p.pk) for p in demo.lappi_2023.participants.all()]},
    ),
    "negotiations:record-transition": Endpoint(
        kwargs=lambda demo: {"pk": demo.lappi_record.pk},
        data=lambda demo: {"action": "reopen", "reason": "Korjataan päivämäärä."},
        texts=("reason",),
        setup=lambda demo: demo.lappi_record_in(Record.Status.APPROVED),
    ),
    # Lappi's draft was never with the region: approving it asks for a reason.
    "negotiations:record-approve": Endpoint(
        kwargs=lambda demo: {"pk": demo.lappi_record.pk},
        data=lambda demo: {"reason": "Alue osallistui kirjoittamiseen."},
        texts=("reason",),
    ),
    "negotiations:record-publish": Endpoint(
        kwargs=lambda demo: {"pk": demo.lappi_record.pk},
        data=lambda demo: {},
        setup=lambda demo: demo.lappi_record_in(Record.Status.APPROVED),
    ),
    "negotiations:record-pdf": Endpoint(
        kwargs=negotiation("pirkanmaa_2023"),
        more_gets=lambda demo: [{"pk": demo.lappi_2023.pk}],
    ),
    # --- follow-up actions
    "negotiations:action-add": Endpoint(
        kwargs=record_section_kwargs,
        data=action_data,
        texts=("what", "owner"),
    ),
    "negotiations:action-delete": Endpoint(
        kwargs=lambda demo: {
            "pk": demo.lappi_record.pk,
            "section_pk": demo.editable_action().section_id,
            "action_pk": demo.editable_action().pk,
        },
        data=lambda demo: {},
        # The confirmation of an action on a published record says it cannot be deleted.
        more_gets=lambda demo: [
            {
                "pk": demo.published_record.pk,
                "section_pk": demo.published_action().section_id,
                "action_pk": demo.published_action().pk,
            }
        ],
    ),
    "negotiations:action-tracker": Endpoint(
        data=lambda demo: {"status": "done", "actions": [str(demo.editable_action().pk)]},
        query=ACTION_FILTERS,
    ),
    "negotiations:action-export": Endpoint(query=ACTION_FILTERS),
    "negotiations:action-edit": Endpoint(
        kwargs=lambda demo: {"pk": demo.editable_action().pk},
        data=action_data,
        texts=("what", "owner"),
        more_gets=lambda demo: [{"pk": demo.published_action().pk}],
    ),
    "negotiations:action-note-add": Endpoint(
        kwargs=lambda demo: {"pk": demo.editable_action().pk},
        data=lambda demo: {"text": "Edistyy", "next": "/actions/"},
        texts=("text",),
    ),
    "negotiations:carried-actions": Endpoint(kwargs=negotiation("pirkanmaa_2027")),
    "negotiations:report-carried-actions": Endpoint(kwargs=negotiation("pirkanmaa_2027")),
    "negotiations:action-note-form": Endpoint(
        kwargs=lambda demo: {"pk": demo.editable_action().pk}, query=("next",)
    ),
    # --- published records
    "negotiations:public-records": Endpoint(
        user=None, query=tuple(PublicRoundFilterForm.base_fields)
    ),
    "negotiations:public-record": Endpoint(
        user=None, kwargs=lambda demo: {"pk": demo.published_record.pk}
    ),
    "negotiations:public-record-pdf": Endpoint(
        user=None, kwargs=lambda demo: {"pk": demo.published_record.pk}
    ),
    # --- the knowledge base: public pages
    "knowledge:index": Endpoint(user=None),
    "knowledge:region-profile": Endpoint(
        user=None,
        kwargs=lambda demo: {"pk": demo.pirkanmaa_2027.region_id},
        # HUS has no figures of its own; a maakunta of 2018 is ranked among the maakunnat.
        more_gets=lambda demo: [
            {"pk": Region.objects.get(kind=Region.Kind.JOINT_AUTHORITY, code="HUS").pk},
            {"pk": Region.objects.get(kind=Region.Kind.MAAKUNTA, code="06").pk},
        ],
    ),
    "knowledge:indicator-detail": Endpoint(
        user=None,
        kwargs=lambda demo: {"pk": Indicator.objects.get(sotkanet_id=127).pk},
        query=tuple(IndicatorTableForm.base_fields),
    ),
}


def url_names(patterns=None, namespace: str = "") -> list[str]:
    """Every URL name of the project, with its namespace; the admin is one entry. A pattern
    without a name comes out as "None" and fails the test like a missing one."""
    names = []
    for entry in project_urls.urlpatterns if patterns is None else patterns:
        if isinstance(entry, URLPattern):
            names.append(f"{namespace}{entry.name}")
        elif entry.namespace == "admin":
            names.append("admin")
        else:
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(url_names(entry.url_patterns, inner))
    return names


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


def endpoint_urls(name: str, demo: Demo) -> list[str]:
    """The URLs of a name with the demo's objects: the bad-input one first."""
    if name == "admin":
        return admin_urls()
    endpoint = ENDPOINTS[name]
    targets = [endpoint.kwargs(demo), *endpoint.more_gets(demo)]
    return [reverse(name, kwargs=kwargs) for kwargs in targets]


def answers_htmx(url: str) -> bool:
    """Whether the view's module has htmx branches: then every request is sent both ways."""
    return "request.htmx" in inspect.getsource(inspect.getmodule(resolve(url).func))
