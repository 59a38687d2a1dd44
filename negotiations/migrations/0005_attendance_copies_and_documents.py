"""Attendance as copies; every negotiation gets its record and (past planning) its report.

Attendance recorded in a record is copied from the participants, so that a later change of
the negotiation's participants leaves an approved record as it was. Reports and records are
created by the changes that create a negotiation or open its round, no longer by the first
GET of their page: this creates those that earlier page views would have created.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REPORT_STATUSES = ("open-for-reports", "negotiating", "closed")


def display_name(participant) -> str:
    if participant.user_id:
        user = participant.user
        full_name = f"{user.first_name} {user.last_name}".strip()
        return full_name or user.username
    return participant.name


def copy_attendance(apps, schema_editor):
    Record = apps.get_model("negotiations", "Record")
    RecordAttendee = apps.get_model("negotiations", "RecordAttendee")
    for record in Record.objects.prefetch_related("present__user"):
        RecordAttendee.objects.bulk_create(
            RecordAttendee(
                record=record,
                participant=participant,
                side=participant.side,
                name=display_name(participant),
                title=participant.title,
                organisation=participant.organisation,
            )
            for participant in record.present.all()
        )


def create_documents(apps, schema_editor):
    """As services.ensure_documents() does (which historical models cannot call)."""
    Negotiation = apps.get_model("negotiations", "Negotiation")
    SituationReport = apps.get_model("negotiations", "SituationReport")
    ReportSection = apps.get_model("negotiations", "ReportSection")
    Record = apps.get_model("negotiations", "Record")
    RecordSection = apps.get_model("negotiations", "RecordSection")
    RoundTheme = apps.get_model("negotiations", "RoundTheme")
    for negotiation in Negotiation.objects.select_related("round"):
        themes = list(
            RoundTheme.objects.filter(round=negotiation.round_id).values_list("pk", "position")
        )
        if negotiation.round.status in REPORT_STATUSES:
            report, created = SituationReport.objects.get_or_create(negotiation=negotiation)
            if created:
                sections = [ReportSection(report=report, round_theme_id=pk) for pk, _ in themes]
                if negotiation.region_theme_title:
                    sections.append(ReportSection(report=report, round_theme=None))
                ReportSection.objects.bulk_create(sections)
        record, created = Record.objects.get_or_create(negotiation=negotiation)
        if created:
            sections = [RecordSection(record=record, kind="opening", order=0)]
            sections += [
                RecordSection(record=record, kind="theme", round_theme_id=pk, order=100 + position)
                for pk, position in themes
            ]
            if negotiation.region_theme_title:
                sections.append(RecordSection(record=record, kind="region-theme", order=900))
            sections.append(RecordSection(record=record, kind="closing", order=1000))
            RecordSection.objects.bulk_create(sections)


class Migration(migrations.Migration):
    dependencies = [
        ("negotiations", "0004_negotiation_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="recordsectionversion",
            options={
                "ordering": ["section", "-version"],
                "verbose_name": "versio",
                "verbose_name_plural": "versiot",
            },
        ),
        migrations.AlterModelOptions(
            name="reportsectionversion",
            options={
                "ordering": ["section", "-version"],
                "verbose_name": "versio",
                "verbose_name_plural": "versiot",
            },
        ),
        migrations.AlterField(
            model_name="recordsection",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.CreateModel(
            name="RecordAttendee",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "side",
                    models.CharField(
                        choices=[
                            ("ministry", "ministeriö"),
                            ("region", "alue"),
                            ("thl", "THL"),
                            ("other", "muu"),
                        ],
                        max_length=20,
                        verbose_name="osapuoli",
                    ),
                ),
                ("name", models.CharField(max_length=300, verbose_name="nimi")),
                (
                    "title",
                    models.CharField(blank=True, max_length=200, verbose_name="tehtävänimike"),
                ),
                (
                    "organisation",
                    models.CharField(blank=True, max_length=200, verbose_name="organisaatio"),
                ),
                (
                    "participant",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="negotiations.participant",
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendees",
                        to="negotiations.record",
                        verbose_name="muistio",
                    ),
                ),
            ],
            options={
                "verbose_name": "läsnäolija",
                "verbose_name_plural": "läsnäolijat",
                "ordering": ["record", "side", "organisation", "name", "pk"],
            },
        ),
        migrations.RunPython(copy_attendance, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="record",
            name="present",
        ),
        migrations.RunPython(create_documents, migrations.RunPython.noop),
    ]
