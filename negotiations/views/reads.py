"""What the cached pages read (pagecache.pages.cached_page), the common part named once: a
negotiation with its round, the round's themes and the state of its report and record."""

from negotiations.models import Negotiation, Record, Round, RoundTheme, SituationReport, Theme

NEGOTIATION = (Negotiation, Round, RoundTheme, Theme, Record, SituationReport)
