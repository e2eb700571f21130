"""Writes of the health room, one module per concern; callers import from ``health.services``."""

from health.services.care import health_service_record, health_services_record
from health.services.emergencies import (
    RECORD_FIELDS,
    emergency_answer,
    emergency_close,
    emergency_link_client,
    emergency_mark,
    emergency_open,
    emergency_open_unknown,
    emergency_update,
)
from health.services.interventions import (
    REPEAT_WINDOW,
    emergency_intervention_add,
    intervention_correct,
    intervention_withdraw,
)
from health.services.vitals import vital_signs_record, vital_signs_withdraw

__all__ = [
    "RECORD_FIELDS",
    "REPEAT_WINDOW",
    "emergency_answer",
    "emergency_close",
    "emergency_intervention_add",
    "emergency_link_client",
    "emergency_mark",
    "emergency_open",
    "emergency_open_unknown",
    "emergency_update",
    "health_service_record",
    "health_services_record",
    "intervention_correct",
    "intervention_withdraw",
    "vital_signs_record",
    "vital_signs_withdraw",
]
