from simple_history import register

from counseling.models.intake import Intake
from counseling.models.referrals import Referral, ReferralFollowUpChange, ReferralService, ReferralStatusChange
from counseling.models.sessions import CounselingSession, Topic

__all__ = [
    "CounselingSession",
    "Intake",
    "Referral",
    "ReferralFollowUpChange",
    "ReferralService",
    "ReferralStatusChange",
    "Topic",
]

# The change log of counseling records, kept in the audit app's tables (``app="audit"``) beside the
# client's other records, so that this app's migrations hold none of them.
for _model in (Intake, CounselingSession, Referral, ReferralFollowUpChange):
    register(_model, app="audit")
