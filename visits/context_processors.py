from __future__ import annotations

from visits.selectors.settings import current_facility


def facility(request) -> dict:
    """The facility's name and owner for the header of every page."""
    return {"facility": current_facility()}
