"""Moving a visit through the rooms: booths, observation, the health and interview rooms, and out.

Every function locks the visit's row first (``select_for_update``), so two staff acting on the same
visit queue up and the second sees what the first did. Booths are locked after visits, always in
that order, so that two assignments cannot deadlock. The partial unique constraints are the last
word; whoever loses a race gets a ``ValidationError`` that says what happened, never a second record.
The same click arriving twice from the same staff member is answered with what the first one did.
"""

from visits.services.rooms.booths import BoothPastClosing, booth_assign, booth_end, visit_hand_out
from visits.services.rooms.closeout import (
    CLOSE_OUT_REASONS,
    visit_close_out,
    visits_close_out_all,
    visits_close_overnight,
)
from visits.services.rooms.leaving import visit_check_out, visit_move
from visits.services.rooms.observation import observation_check_record, observation_release
from visits.services.rooms.state import (
    BOOTH_END_TO,
    DOUBLE_SUBMIT_WINDOW,
    MOVABLE,
    RELEASE_TO,
)

__all__ = [
    "BOOTH_END_TO",
    "CLOSE_OUT_REASONS",
    "BoothPastClosing",
    "DOUBLE_SUBMIT_WINDOW",
    "MOVABLE",
    "RELEASE_TO",
    "booth_assign",
    "booth_end",
    "observation_check_record",
    "observation_release",
    "visit_check_out",
    "visit_close_out",
    "visit_hand_out",
    "visit_move",
    "visits_close_out_all",
    "visits_close_overnight",
]
