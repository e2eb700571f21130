"""Writes of the health room, one module per concern; callers import from ``health.services``."""

from health.services.emergencies import (
    RECORD_FIELDS,
    emergency_close,
    emergency_intervention_add,
    emergency_mark,
    emergency_open,
    emergency_update,
    health_service_record,
)

__all__ = [
    "RECORD_FIELDS",
    "emergency_close",
    "emergency_intervention_add",
    "emergency_mark",
    "emergency_open",
    "emergency_update",
    "health_service_record",
]
