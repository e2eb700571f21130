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
