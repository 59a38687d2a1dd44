from negotiations.models.rounds import Ministry, Round, RoundTheme, Theme
from negotiations.models.schedule import Negotiation, Participant

__all__ = ["Ministry", "Negotiation", "Participant", "Round", "RoundTheme", "Theme"]
