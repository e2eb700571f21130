"""Reads of the health room: open emergencies, the recent-overdose flag, a client's health history."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.settings_cache import request_memo
from health.models import Emergency, EmergencyResponder, HealthService, Intervention, VitalSigns
from visits.models import Client, Visit
from visits.selectors.floor import kept_on_floor
from visits.selectors.settings import current_facility

RECENT_OVERDOSE = dt.timedelta(days=7)


def open_emergencies() -> list[Emergency]:
    """The open emergencies with who answered each: one query, and one more only when any is open
    (Django makes no prefetch query for an empty result). Every page's alarm banner asks it."""
    return list(
        Emergency.objects.filter(ended_at__isnull=True)
        .select_related("client", "booth")
        .prefetch_related(Prefetch("responders", queryset=EmergencyResponder.objects.select_related("by")))
        .order_by("started_at", "pk")
    )


def page_open_emergencies() -> list[Emergency]:
    """The open emergencies as a page drawn whole shows them, read at most once per request: the health
    room's list and the alarm banner at the top of it share one read.

    Whether any is open comes with the facility row (``health.apps``), read first: it carries the floor's
    counter the banner polls with, so an emergency opened since raises the counter and the next poll draws
    it. While none was open, no query at all; while one is, none either as long as the floor is unchanged
    (``kept_on_floor``). Outside a request (no memo), ``open_emergencies()``.
    """
    memo = request_memo()
    if memo is None:
        return open_emergencies()
    if "open_emergencies" not in memo:
        facility = current_facility()
        any_open = True if facility is None else getattr(facility, "emergency_open", True)
        # Every change to an emergency or who answered it raises the floor's counter (the database's
        # triggers, visits 0009 and health 0002): kept per floor version, a page pays no query for them
        # while the floor is unchanged. The objects are shared: the banner and the pages only read them.
        memo["open_emergencies"] = kept_on_floor("open_emergencies", open_emergencies) if any_open else []
    emergencies: list[Emergency] = memo["open_emergencies"]
    return emergencies


def recent_overdose_client_ids(client_ids: Iterable[int], now: dt.datetime) -> set[int]:
    """Which of these clients had an overdose in the last 7 days. One query."""
    ids = list(client_ids)
    if not ids:
        return set()
    return set(
        Emergency.objects.filter(
            client_id__in=ids,
            kind__in=Emergency.OVERDOSE_KINDS,
            started_at__gte=now - RECENT_OVERDOSE,
            started_at__lte=now,
        ).values_list("client_id", flat=True)
    )


def recent_emergencies_of(client_ids: Iterable[int], now: dt.datetime) -> list[Emergency]:
    """These clients' emergencies of any kind started in the last 7 days, newest first. One query.

    The floor board reads both its overdose flag and "emergency closed" on the cards from these.
    """
    ids = list(client_ids)
    if not ids:
        return []
    return list(
        Emergency.objects.filter(client_id__in=ids, started_at__gte=now - RECENT_OVERDOSE, started_at__lte=now)
        .only("pk", "client_id", "kind", "started_at", "ended_at", "outcome")
        .order_by("-started_at", "-pk")
    )


def had_recent_overdose(now: dt.datetime) -> Exists:
    """Whether the client of the row read (a query of clients) had an overdose in the 7 days up to ``now``:
    ``recent_overdose_client_ids`` asked within the clients' own query."""
    return Exists(
        Emergency.objects.filter(
            client_id=OuterRef("pk"),
            kind__in=Emergency.OVERDOSE_KINDS,
            started_at__gte=now - RECENT_OVERDOSE,
            started_at__lte=now,
        )
    )


def client_had_recent_overdose(client: Client, now: dt.datetime) -> bool:
    return bool(recent_overdose_client_ids([client.pk], now))


def emergency_with_interventions(pk: int) -> Emergency:
    return (
        Emergency.objects.select_related("client", "booth", "started_by", "ended_by", "visit", "linked_by")
        .prefetch_related(
            Prefetch("interventions", queryset=Intervention.objects.select_related("by").order_by("at", "pk")),
            "staff_involved",
        )
        .get(pk=pk)
    )


def emergency_history(emergency: Emergency, *, limit: int = 50) -> list:
    """Earlier versions of the record, newest first, with who changed it."""
    return list(emergency.history.select_related("history_user").order_by("-history_date")[:limit])


def client_health_history(client: Client, *, limit: int = 100) -> dict:
    return {
        "services": list(HealthService.objects.filter(client=client).select_related("by").order_by("-at")[:limit]),
        "emergencies": list(
            Emergency.objects.filter(client=client)
            .prefetch_related(Prefetch("interventions", queryset=Intervention.objects.order_by("at", "pk")))
            .order_by("-started_at")[:limit]
        ),
    }


def services_today(start: dt.datetime) -> list[HealthService]:
    return list(HealthService.objects.filter(at__gte=start).select_related("client", "by").order_by("-at")[:50])


def visits_in_health_room() -> list[Visit]:
    return list(
        Visit.objects.filter(ended_at__isnull=True, location=Visit.Location.HEALTH)
        .select_related("client")
        .order_by("location_since")
    )


# --- The emergency page's interventions, totals and vital signs, and the paramedic sheet ---------------


@dataclass(frozen=True)
class Correction:
    """One later version of an intervention: when, by whom, why, and each value before and after."""

    at: dt.datetime
    by: str
    reason: str
    withdrawn: bool
    changes: list[tuple[str, str, str]]


@dataclass
class InterventionRow:
    intervention: Intervention
    corrections: list[Correction] = field(default_factory=list)

    @property
    def corrected(self) -> bool:
        return any(c.changes for c in self.corrections)


def _clock(value: dt.datetime | None, day: dt.date) -> str:
    """A time to the second, with its date when it is not on ``day`` (the emergency's first day)."""
    if value is None:
        return "—"
    local = timezone.localtime(value)
    return local.strftime("%H:%M:%S") if local.date() == day else local.strftime("%d.%m.%Y %H:%M:%S")


def _intervention_values(row: Any, day: dt.date) -> dict[str, str]:
    """What staff read of one version of an intervention, by field label."""
    route = dict(Intervention.Route.choices).get(row.route, "")
    dose = Intervention(dose_mg=row.dose_mg).dose_display()
    return {
        str(_("Time")): _clock(row.at, day),
        str(_("Route")): str(route) or "—",
        str(_("Dose (mg)")): dose or "—",
        str(_("Note")): row.note or "—",
    }


def intervention_rows(emergency: Emergency) -> list[InterventionRow]:
    """Every intervention, withdrawn ones too, each with its corrections read from its history. Two queries."""
    day = timezone.localtime(emergency.started_at).date()
    interventions = list(
        Intervention.objects.filter(emergency=emergency).select_related("by", "withdrawn_by").order_by("at", "pk")
    )
    versions: dict[int, list] = defaultdict(list)
    for version in (
        Intervention.history.filter(emergency_id=emergency.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    ):
        versions[version.id].append(version)
    rows = []
    for intervention in interventions:
        corrections = []
        history = versions.get(intervention.pk, [])
        for before, after in itertools.pairwise(history):
            old, new = _intervention_values(before, day), _intervention_values(after, day)
            changes = [(label, old[label], new[label]) for label in old if old[label] != new[label]]
            withdrawn = before.withdrawn_at is None and after.withdrawn_at is not None
            if not changes and not withdrawn:
                continue
            corrections.append(
                Correction(
                    at=after.history_date,
                    by=after.history_user.display_name if after.history_user else "—",
                    reason=after.withdrawn_reason if withdrawn else (after.history_change_reason or ""),
                    withdrawn=withdrawn,
                    changes=changes,
                )
            )
        rows.append(InterventionRow(intervention=intervention, corrections=corrections))
    return rows


def emergency_totals(emergency: Emergency) -> dict:
    """The page's figures, withdrawn interventions left out: naloxone doses and mg, interventions. One query."""
    counted = Q(withdrawn_at__isnull=True)
    naloxone = counted & Q(kind=Intervention.Kind.NALOXONE)
    totals = Intervention.objects.filter(emergency=emergency).aggregate(
        naloxone_mg=Sum("dose_mg", filter=naloxone),
        naloxone_doses=Count("pk", filter=naloxone),
        interventions=Count("pk", filter=counted),
        withdrawn=Count("pk", filter=~counted),
    )
    totals["naloxone_mg"] = totals["naloxone_mg"] or Decimal("0")
    # dose_display reads a dose, more than zero; no naloxone is a plain 0.
    totals["naloxone_mg_display"] = (
        Intervention(dose_mg=totals["naloxone_mg"]).dose_display() if totals["naloxone_mg"] else "0"
    )
    return totals


def emergency_vitals(emergency: Emergency) -> list[VitalSigns]:
    """Every set of vital signs, withdrawn ones too (struck through on the page), in time order."""
    return list(
        VitalSigns.objects.filter(emergency=emergency).select_related("by", "withdrawn_by").order_by("at", "pk")
    )


def vitals_chart(vitals: Iterable[VitalSigns]) -> dict:
    """The chart's data: times and one series per measure, withdrawn sets left out, gaps as null."""
    counted = [v for v in vitals if v.withdrawn_at is None]
    measures = (
        ("breathing_rate", _("Breathing rate")),
        ("oxygen_saturation", _("SpO₂ %")),
        ("pulse", _("Pulse")),
    )
    return {
        "labels": [timezone.localtime(v.at).strftime("%H:%M:%S") for v in counted],
        "series": [
            {"key": key, "name": str(name), "values": [getattr(v, key) for v in counted]}
            for key, name in measures
            if any(getattr(v, key) is not None for v in counted)
        ],
    }


def paramedic_sheet(pk: int) -> dict:
    """What the paramedics are handed: the person, what was taken, what was seen and done, and who was there.

    Withdrawn interventions and vital signs are left out. Raises ``Emergency.DoesNotExist``.
    """
    emergency = (
        Emergency.objects.select_related("client", "visit", "visit__substance", "booth", "started_by", "ended_by")
        .prefetch_related("staff_involved")
        .get(pk=pk)
    )
    visit = emergency.visit
    started = timezone.localtime(emergency.started_at)
    client = emergency.client
    if client is not None:
        age = str(client.age_in(started.year))
        gender = client.get_gender_display()
    else:
        age = emergency.get_person_age_band_display() or "—"
        gender = emergency.get_person_gender_display() or "—"
    interventions = list(
        Intervention.objects.filter(emergency=emergency, withdrawn_at__isnull=True)
        .select_related("by")
        .order_by("at", "pk")
    )
    vitals = list(
        VitalSigns.objects.filter(emergency=emergency, withdrawn_at__isnull=True)
        .select_related("by")
        .order_by("at", "pk")
    )
    return {
        "emergency": emergency,
        "age": age,
        "gender": gender,
        "visit": visit,
        "other_substances": [s.label for s in visit.other_substances.all()] if visit else [],
        "interventions": interventions,
        "totals": emergency_totals(emergency),
        "vitals": vitals,
        "staff": sorted(emergency.staff_involved.all(), key=lambda user: user.display_name.lower()),
    }
