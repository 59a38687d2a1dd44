from negotiations.models.actions import (
    ActionProgressNote,
    FollowUpAction,
    RecommendationResponse,
)
from negotiations.models.records import (
    Record,
    RecordAttendee,
    RecordComment,
    RecordEvent,
    RecordSection,
    RecordSectionVersion,
)
from negotiations.models.reports import (
    Assessment,
    ReportAttachment,
    ReportSection,
    ReportSectionVersion,
    SituationReport,
)
from negotiations.models.rounds import Ministry, Round, RoundTheme, Theme
from negotiations.models.schedule import Negotiation, Participant

__all__ = [
    "ActionProgressNote",
    "Assessment",
    "FollowUpAction",
    "Ministry",
    "Negotiation",
    "Participant",
    "RecommendationResponse",
    "Record",
    "RecordAttendee",
    "RecordComment",
    "RecordEvent",
    "RecordSection",
    "RecordSectionVersion",
    "ReportAttachment",
    "ReportSection",
    "ReportSectionVersion",
    "Round",
    "RoundTheme",
    "SituationReport",
    "Theme",
]
