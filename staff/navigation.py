"""The stations of the top navigation, who may use each, and where each role lands after login."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from staff.roles import Role


@dataclass(frozen=True)
class Station:
    slug: str
    label: str | Promise
    url_name: str
    permission: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


STATIONS: list[Station] = [
    Station("reception", _("Reception"), "visits:reception", "staff.use_reception"),
    Station("interview", _("Interview"), "counseling:interview", "staff.use_interview"),
    Station("health", _("Health"), "health:room", "staff.use_health"),
    Station("injection", _("Injection"), "visits:injection", "staff.use_injection"),
    Station("observation", _("Observation"), "visits:observation", "staff.use_observation"),
    Station("floor", _("Floor"), "visits:floor", "staff.use_floor"),
    Station("close-out", _("Close-out"), "visits:close-out", "visits.close_visit_after_hours"),
    Station("incidents", _("Incidents"), "staff:incident-list", "visits.view_incident"),
    Station("handover", _("Handover"), "staff:handover-list", "duty.view_handover"),
    Station("dashboard", _("Dashboard"), "reports:dashboard", "staff.view_dashboard"),
    Station("day_sheet", _("Day sheet"), "reports:day-sheet-today", "reports.view_day_sheet"),
    Station("roster", _("Roster"), "staff:roster", "duty.view_roster"),
    Station("audit", _("Access log"), "audit:index", "audit.review_access"),
    Station("admin", _("Admin"), "admin:index", "staff.use_admin"),
]
STATION_BY_SLUG = {station.slug: station for station in STATIONS}

# Where each role works; a user with several roles lands at the first of theirs in Role order.
LANDING_STATION: dict[str, str] = {
    Role.RECEPTION: "reception",
    Role.COUNSELOR: "interview",
    Role.HEALTH: "injection",
    Role.DUTY: "floor",
    Role.COORDINATOR: "dashboard",
    Role.ADMIN: "admin",
}


def stations_for(user) -> list[Station]:
    if not user.is_authenticated:
        return []
    return [station for station in STATIONS if user.has_perm(station.permission)]


def landing_station_for(user) -> Station | None:
    for role in Role:
        if role in user.roles:
            station = STATION_BY_SLUG[LANDING_STATION[role]]
            if user.has_perm(station.permission):
                return station
    allowed = stations_for(user)
    return allowed[0] if allowed else None
