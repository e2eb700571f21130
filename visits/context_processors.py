from __future__ import annotations

from visits.models import Facility


def facility(request) -> dict:
    """The facility's name and owner for the header of every page."""
    return {"facility": Facility.current()}
