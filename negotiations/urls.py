from django.urls import path

from negotiations.views import (
    actions,
    attachments,
    calendar,
    carried,
    dashboard,
    negotiations,
    pdf,
    public,
    records,
    reports,
    rounds,
    schedule,
    theme_figures,
    theme_reports,
)

app_name = "negotiations"

urlpatterns = [
    path("rounds/new/", rounds.round_create, name="round-create"),
    path("rounds/<int:pk>/", dashboard.round_dashboard, name="round-detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round-edit"),
    path("rounds/<int:pk>/themes/", rounds.round_themes, name="round-themes"),
    path("rounds/<int:pk>/status/", rounds.round_status, name="round-status"),
    path("rounds/<int:pk>/objectives/", dashboard.round_objectives, name="round-objectives"),
    path("rounds/<int:pk>/schedule/", schedule.round_schedule, name="round-schedule"),
    path(
        "rounds/<int:pk>/calendar/<uuid:token>.ics",
        calendar.round_calendar,
        name="round-calendar",
    ),
    path("negotiations/<int:pk>/", negotiations.negotiation_detail, name="negotiation-detail"),
    path(
        "negotiations/<int:pk>/schedule/",
        schedule.negotiation_schedule,
        name="negotiation-schedule",
    ),
    path(
        "negotiations/<int:pk>/participants/",
        schedule.participant_add,
        name="participant-add",
    ),
    path(
        "negotiations/<int:pk>/participants/<int:participant_pk>/delete/",
        schedule.participant_delete,
        name="participant-delete",
    ),
    path(
        "negotiations/<int:pk>/themes/<int:round_theme_pk>/figures/",
        theme_figures.theme_figures_page,
        name="theme-figures",
    ),
    path("negotiations/<int:pk>/region-theme/", schedule.region_theme, name="region-theme"),
    path(
        "negotiations/<int:pk>/calendar.ics",
        calendar.negotiation_calendar,
        name="negotiation-calendar",
    ),
    # Situation reports
    path("negotiations/<int:pk>/report/", reports.report_detail, name="report-detail"),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/",
        reports.section_save,
        name="report-section-save",
    ),
    path(
        "reports/<int:pk>/sections/<int:section_pk>/history/",
        reports.section_history,
        name="report-section-history",
    ),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report-submit"),
    path(
        "reports/<int:pk>/responses/<int:action_pk>/",
        reports.response_save,
        name="report-response",
    ),
    path("reports/<int:pk>/return/", reports.report_return, name="report-return"),
    path(
        "reports/<int:pk>/attachments/",
        attachments.attachment_upload,
        name="report-attachment-upload",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/",
        attachments.attachment_download,
        name="report-attachment",
    ),
    path(
        "reports/<int:pk>/attachments/<int:attachment_pk>/delete/",
        attachments.attachment_delete,
        name="report-attachment-delete",
    ),
    path(
        "negotiations/<int:pk>/assessment/",
        attachments.assessment_save,
        name="assessment-save",
    ),
    path(
        "negotiations/<int:pk>/assessment/file/",
        attachments.assessment_download,
        name="assessment-file",
    ),
    path(
        "rounds/<int:pk>/themes/<int:round_theme_pk>/reports/",
        theme_reports.theme_reports,
        name="round-theme-reports",
    ),
    # Records
    path("negotiations/<int:pk>/record/", records.record_detail, name="record-detail"),
    path(
        "records/<int:pk>/sections/<int:section_pk>/",
        records.record_section_save,
        name="record-section-save",
    ),
    path(
        "records/<int:pk>/sections/<int:section_pk>/texts/",
        records.record_section_texts,
        name="record-section-texts",
    ),
    path(
        "records/<int:pk>/sections/<int:section_pk>/history/",
        records.record_section_history,
        name="record-section-history",
    ),
    path(
        "records/<int:pk>/sections/<int:section_pk>/comments/",
        records.record_comment_add,
        name="record-comment-add",
    ),
    path("records/<int:pk>/attendance/", records.record_attendance, name="record-attendance"),
    path("records/<int:pk>/transition/", records.record_transition, name="record-transition"),
    path("records/<int:pk>/approve/", records.record_approve, name="record-approve"),
    path("records/<int:pk>/publish/", records.record_publish, name="record-publish"),
    path("negotiations/<int:pk>/record.pdf", pdf.record_pdf, name="record-pdf"),
    path("negotiations/<int:pk>/language/", pdf.negotiation_language, name="negotiation-language"),
    path("rounds/<int:pk>/summary.pdf", pdf.round_pdf, name="round-pdf"),
    # Follow-up actions
    path(
        "records/<int:pk>/sections/<int:section_pk>/actions/",
        actions.action_add,
        name="action-add",
    ),
    path(
        "records/<int:pk>/sections/<int:section_pk>/actions/<int:action_pk>/delete/",
        actions.action_delete,
        name="action-delete",
    ),
    path(
        "negotiations/<int:pk>/carried-actions/",
        carried.carried_actions_table,
        name="carried-actions",
    ),
    path(
        "negotiations/<int:pk>/report/carried-actions/",
        carried.carried_actions_report,
        name="report-carried-actions",
    ),
    path("actions/", actions.action_tracker, name="action-tracker"),
    path("actions/export.csv", actions.action_export, name="action-export"),
    path("actions/<int:pk>/", actions.action_edit, name="action-edit"),
    path("actions/<int:pk>/notes/", actions.action_note_add, name="action-note-add"),
    path("actions/<int:pk>/notes/form/", actions.action_note_form, name="action-note-form"),
    # Published records, for everyone
    path("julkiset/", public.public_records, name="public-records"),
    path("julkiset/<int:pk>/", public.public_record, name="public-record"),
    path("julkiset/<int:pk>/muistio.pdf", pdf.public_record_pdf, name="public-record-pdf"),
]
