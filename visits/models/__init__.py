from visits.models.clients import Ban, Client
from visits.models.contacts import Contact, HandOut
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
from visits.models.floor import FloorState
from visits.models.incidents import Incident
from visits.models.rooms import BoothSession, Observation, ObservationCheck
from visits.models.stock import StockBalance, StockMovement
from visits.models.visit import Intoxication, Refusal, Visit, VisitEvent

__all__ = [
    "Ban",
    "Booth",
    "BoothSession",
    "Client",
    "ClosedDay",
    "Contact",
    "EquipmentItem",
    "Facility",
    "FloorState",
    "HandOut",
    "Incident",
    "Intoxication",
    "Observation",
    "ObservationCheck",
    "OpeningHours",
    "OpeningHoursPeriod",
    "Refusal",
    "Room",
    "Route",
    "StockBalance",
    "StockMovement",
    "Substance",
    "Visit",
    "VisitEvent",
]
