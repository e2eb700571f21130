"""Timeline sources for the health room's records: emergencies and health services.

Clinical detail (what kind of emergency, what was done, the outcome; every health service) is for the
roles that hold the health app's view permissions: health workers, duty officers, coordinators. Anyone
else who may see the timeline sees only that an emergency happened: the detail is not even fetched.
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from core.durations import duration_text
from health.models import Emergency, HealthService, Intervention
from staff.fieldclasses import FieldClass, may_read
from staff.models import User
from stations.selectors.timeline.fetch import _Nested, _own, _parts, _person, _record, _sorted_parts
from stations.selectors.timeline.items import Detail, Row, Step, TimelineItem, TimelineSource, _who


def _emergency_fields(user: User) -> dict:
    if not may_read(user, FieldClass.CLINICAL):
        return _own("started_at", "ended_at")
    return {
        **_own(
            "started_at",
            "ended_at",
            "kind",
            "place",
            "outcome",
            "notes",
            "duration_seconds",
            "ambulance_called_at",
            "ambulance_arrived_at",
            "police_called_at",
        ),
        "signs": _Nested(F("signs")),
        "started_by": _person("started_by"),
        "interventions": _parts(Intervention.objects.all(), "emergency", **_own("at", "kind", "route", "dose_mg")),
    }


def _intervention(part: Row) -> Intervention:
    """An unsaved intervention, to describe it as the emergency page does (dose, route)."""
    fetched = _record(Intervention, part)
    return Intervention(kind=fetched.kind, at=fetched.at, route=fetched.route, dose_mg=fetched.dose_mg)


def _emergency_item(row: Row) -> TimelineItem:
    emergency = _record(Emergency, row)
    if "kind" not in row:
        return TimelineItem(
            at=emergency.started_at,
            ended_at=emergency.ended_at,
            kind="emergency",
            title=_("A medical emergency"),
            tone="danger",
        )
    details = [Detail(_("Where"), emergency.display("place")), Detail(_("By"), _who(row["started_by"]))]
    if emergency.signs:
        details.append(Detail(_("Signs observed"), ", ".join(Emergency(signs=emergency.signs).sign_labels())))
    if emergency.outcome:
        details.append(Detail(_("Outcome"), emergency.display("outcome")))
    if emergency.notes:
        details.append(Detail(_("Notes"), emergency.notes))
    steps = [
        Step(intervention.at, str(intervention))
        for intervention in (_intervention(part) for part in _sorted_parts(row, "interventions"))
    ]
    if emergency.ambulance_called_at:
        steps.append(Step(emergency.ambulance_called_at, _("Ambulance called")))
    if emergency.ambulance_arrived_at:
        steps.append(Step(emergency.ambulance_arrived_at, _("Ambulance arrived")))
    if emergency.police_called_at:
        steps.append(Step(emergency.police_called_at, _("Police called")))
    title = _("Emergency: %(kind)s") % {"kind": emergency.display("kind")}
    if emergency.duration_seconds is not None:
        title += f", {duration_text(emergency.duration_seconds)}"
    return TimelineItem(
        at=emergency.started_at,
        ended_at=emergency.ended_at,
        kind="emergency",
        title=title,
        details=tuple(details),
        steps=tuple(sorted(steps, key=lambda step: step.at)),
        tone="danger",
    )


def _health_service_fields(user: User) -> dict:
    return {
        **_own("at", "kind", "site", "severity", "treatment", "condition", "accepted", "note"),
        "by": _person("by"),
    }


def _health_service_item(row: Row) -> TimelineItem:
    service = _record(HealthService, row)
    details = [Detail(_("By"), _who(row["by"]))]
    for label, value in (
        (_("Body site"), service.site),
        (_("Severity"), service.display("severity") if service.severity else ""),
        (_("Treatment"), service.treatment),
        (_("Test or vaccine for"), service.display("condition") if service.condition else ""),
        (_("Offer accepted"), {True: _("yes"), False: _("no")}.get(service.accepted, "")),
        (_("Note"), service.note),
    ):
        if value:
            details.append(Detail(label, str(value)))
    return TimelineItem(
        at=service.at,
        kind="health",
        title=_("Health service: %(kind)s") % {"kind": service.display("kind")},
        details=tuple(details),
    )


HEALTH_SOURCES = [
    # Anyone who may see the timeline learns that an emergency happened; the detail is clinical.
    TimelineSource(
        "emergency",
        "visits.view_client",
        lambda client: Emergency.objects.filter(client=client),
        "started_at",
        _emergency_fields,
        _emergency_item,
    ),
    TimelineSource(
        "health",
        "health.view_healthservice",
        lambda client: HealthService.objects.filter(client=client),
        "at",
        _health_service_fields,
        _health_service_item,
    ),
]
