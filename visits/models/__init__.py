from simple_history import register

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
    SpecialHours,
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
    "SpecialHours",
    "StockBalance",
    "StockMovement",
    "Substance",
    "Visit",
    "VisitEvent",
]

# The change log of client-related records, kept in the audit app's tables (``app="audit"``) so that this
# app's migrations hold none of them. Writes that send no signals (a conditional ``update()`` that settles a
# race, ``bulk_create``) log themselves through ``visits.services.history``.
for _model in (Ban, Refusal, Contact, HandOut, BoothSession, Observation, ObservationCheck):
    register(_model, app="audit")
# When the first booth session started is the sessions' own (logged with them), kept on the visit by the database.
register(Visit, app="audit", excluded_fields=["first_booth_at"])
# The history shows when the status turned to "deregistered" (its history date); the date kept beside the
# status for the reports repeats it, and is not logged twice.
register(Client, app="audit", excluded_fields=["deregistered_at"])
