"""Reads of the interview room: intake, counseling sessions, referrals, the client timeline."""

from counseling.selectors.intake import clients_awaiting_intake, intakes_today, visits_in_interview_room
from counseling.selectors.referrals import (
    client_open_referrals,
    referral_history,
    referral_with_history,
    referrals_follow_up_due,
    referrals_open,
    referrals_take_up,
)
from counseling.selectors.sessions import sessions_since

__all__ = [
    "client_open_referrals",
    "clients_awaiting_intake",
    "intakes_today",
    "referral_history",
    "referral_with_history",
    "referrals_follow_up_due",
    "referrals_open",
    "referrals_take_up",
    "sessions_since",
    "visits_in_interview_room",
]
