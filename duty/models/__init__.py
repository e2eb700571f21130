"""The duty records: the roster, the staffing minimums and the handover log."""

from duty.models.handover import Handover, HandoverAcknowledgement
from duty.models.roster import FLOOR_ROLES, Shift, ShiftAssignment, StaffingMinimum

__all__ = [
    "FLOOR_ROLES",
    "Handover",
    "HandoverAcknowledgement",
    "Shift",
    "ShiftAssignment",
    "StaffingMinimum",
]
