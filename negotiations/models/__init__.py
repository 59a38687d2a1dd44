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
    "Assessment",
    "Ministry",
    "Negotiation",
    "Participant",
    "ReportAttachment",
    "ReportSection",
    "ReportSectionVersion",
    "Round",
    "RoundTheme",
    "SituationReport",
    "Theme",
]
