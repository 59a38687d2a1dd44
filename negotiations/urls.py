from django.urls import path

from negotiations.views import calendar, dashboard, rounds, schedule

app_name = "negotiations"

urlpatterns = [
    path("rounds/new/", rounds.round_create, name="round-create"),
    path("rounds/<int:pk>/", dashboard.round_dashboard, name="round-detail"),
    path("rounds/<int:pk>/edit/", rounds.round_edit, name="round-edit"),
    path("rounds/<int:pk>/themes/", rounds.round_themes, name="round-themes"),
    path("rounds/<int:pk>/status/", rounds.round_status, name="round-status"),
    path("rounds/<int:pk>/schedule/", schedule.round_schedule, name="round-schedule"),
    path(
        "rounds/<int:pk>/calendar/<uuid:token>.ics",
        calendar.round_calendar,
        name="round-calendar",
    ),
    path("negotiations/<int:pk>/", schedule.negotiation_detail, name="negotiation-detail"),
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
    path("negotiations/<int:pk>/region-theme/", schedule.region_theme, name="region-theme"),
    path(
        "negotiations/<int:pk>/calendar.ics",
        calendar.negotiation_calendar,
        name="negotiation-calendar",
    ),
]
