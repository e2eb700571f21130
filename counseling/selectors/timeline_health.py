"""Timeline sources for the health room's records: emergencies and health services.

Clinical detail (what kind of emergency, what was done, the outcome; every health service) is for the
roles that hold the health app's view permissions: health workers, duty officers, coordinators. Anyone
else who may see the timeline sees only that an emergency happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext as _

from counseling.selectors.timeline import (
    Detail,
    Step,
    TimelineItem,
    TimelineSource,
    Window,
    _duration,
    _in,
    _month_counts,
    _who,
)
from health.models import Emergency, HealthService
from visits.models import Client

EMERGENCY_DETAIL = "health.view_emergency"


def _emergency_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    detailed = user.has_perm(EMERGENCY_DETAIL)
    emergencies = Emergency.objects.filter(client=client, **_in(window, "started_at"))
    if not detailed:
        for emergency in emergencies.only("pk", "started_at", "ended_at"):
            yield TimelineItem(
                at=emergency.started_at,
                ended_at=emergency.ended_at,
                kind="emergency",
                title=_("A medical emergency"),
                tone="danger",
            )
        return
    for emergency in emergencies.select_related("started_by").prefetch_related("interventions"):
        details = [Detail(_("Where"), emergency.get_place_display()), Detail(_("By"), _who(emergency.started_by))]
        if emergency.signs:
            details.append(Detail(_("Signs observed"), ", ".join(emergency.sign_labels())))
        if emergency.outcome:
            details.append(Detail(_("Outcome"), emergency.get_outcome_display()))
        if emergency.notes:
            details.append(Detail(_("Notes"), emergency.notes))
        steps = [Step(intervention.at, str(intervention)) for intervention in emergency.interventions.all()]
        if emergency.ambulance_called_at:
            steps.append(Step(emergency.ambulance_called_at, _("Ambulance called")))
        if emergency.ambulance_arrived_at:
            steps.append(Step(emergency.ambulance_arrived_at, _("Ambulance arrived")))
        if emergency.police_called_at:
            steps.append(Step(emergency.police_called_at, _("Police called")))
        title = _("Emergency: %(kind)s") % {"kind": emergency.get_kind_display()}
        if emergency.duration_seconds is not None:
            title += f", {_duration(emergency.duration_seconds)}"
        yield TimelineItem(
            at=emergency.started_at,
            ended_at=emergency.ended_at,
            kind="emergency",
            title=title,
            details=tuple(details),
            steps=tuple(sorted(steps, key=lambda step: step.at)),
            tone="danger",
        )


def _emergency_months(client: Client) -> list[tuple[dt.date, int]]:
    return _month_counts(Emergency.objects.filter(client=client), "started_at")


def _health_service_items(client: Client, window: Window, user) -> Iterable[TimelineItem]:
    for service in HealthService.objects.filter(client=client, **_in(window, "at")).select_related("by"):
        details = [Detail(_("By"), _who(service.by))]
        for label, value in (
            (_("Body site"), service.site),
            (_("Severity"), service.get_severity_display() if service.severity else ""),
            (_("Treatment"), service.treatment),
            (_("Test or vaccine for"), service.get_condition_display() if service.condition else ""),
            (_("Offer accepted"), {True: _("yes"), False: _("no")}.get(service.accepted, "")),
            (_("Note"), service.note),
        ):
            if value:
                details.append(Detail(label, str(value)))
        yield TimelineItem(
            at=service.at,
            kind="health",
            title=_("Health service: %(kind)s") % {"kind": service.get_kind_display()},
            details=tuple(details),
        )


def _health_service_months(client: Client) -> list[tuple[dt.date, int]]:
    return _month_counts(HealthService.objects.filter(client=client), "at")


HEALTH_SOURCES = [
    # Anyone who may see the timeline learns that an emergency happened; the detail needs EMERGENCY_DETAIL.
    TimelineSource("emergency", "visits.view_client", _emergency_items, _emergency_months),
    TimelineSource("health", "health.view_healthservice", _health_service_items, _health_service_months),
]
