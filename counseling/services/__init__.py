"""Writes of the interview room: intake, counseling sessions, referrals."""

from counseling.services.defaults import counseling_load_defaults
from counseling.services.intake import intake_record
from counseling.services.referrals import referral_create, referral_follow_up_set, referral_set_status
from counseling.services.sessions import counseling_session_record

__all__ = [
    "counseling_load_defaults",
    "counseling_session_record",
    "intake_record",
    "referral_create",
    "referral_follow_up_set",
    "referral_set_status",
]
