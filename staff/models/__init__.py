"""The staff app's models: accounts, wall displays, the roster, the handover log and security incidents."""

from staff.models.displays import Display
from staff.models.handover import Handover, HandoverAcknowledgement
from staff.models.incidents import Incident
from staff.models.roster import FLOOR_ROLES, Shift, ShiftAssignment, StaffingMinimum
from staff.models.users import User

__all__ = [
    "Display",
    "FLOOR_ROLES",
    "Handover",
    "HandoverAcknowledgement",
    "Incident",
    "Shift",
    "ShiftAssignment",
    "StaffingMinimum",
    "User",
]
