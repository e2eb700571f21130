from visits.models.facility import (
    Booth,
    ClosedDay,
    EquipmentItem,
    Facility,
    OpeningHours,
    OpeningHoursPeriod,
    Room,
    Route,
    Substance,
)

__all__ = [
    "Booth",
    "ClosedDay",
    "EquipmentItem",
    "Facility",
    "OpeningHours",
    "OpeningHoursPeriod",
    "Room",
    "Route",
    "Substance",
]
