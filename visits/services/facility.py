"""Writes of the facility's settings: the visits app's part of the starting configuration a new installation
gets (``demo.defaults.facility_load_defaults`` loads every app's)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from visits.models import (
    Booth,
    EquipmentItem,
    Facility,
    OpeningHours,
    OpeningHoursPeriod,
    Room,
    Route,
    Substance,
)
from visits.selectors.settings import settings_changed

# Bergen's facility as opened in December 2016 (the city's page). Every value is only a starting
# point that an administrator edits in admin; the code reads the database, never these literals.
DEFAULT_FACILITY = {
    "name": "Sprøyterommet i Bergen",
    "owner": "Bergen kommune, Etat for psykisk helse og rustjenester",
}
DEFAULT_OPENING: dict[str, Any] = {
    "from": dt.date(2016, 12, 9),
    "opens": dt.time(8, 0),
    "closes": dt.time(21, 30),
    "last_admission": 30,
}
DEFAULT_ROOMS = [
    # kind, Norwegian name, English name, capacity, in use
    (Room.Kind.RECEPTION, "Forrom", "Forward meeting room", 4, True),
    (Room.Kind.WAITING, "Venterom", "Waiting room", 4, True),
    (Room.Kind.INTERVIEW, "Samtalerom", "Interview room", 2, True),
    (Room.Kind.HEALTH, "Helserom", "Health room", 2, True),
    (Room.Kind.INJECTION, "Injiseringsrom", "Injection room", 6, True),
    (Room.Kind.OBSERVATION, "Observasjonsrom", "Observation room", 6, True),
    (Room.Kind.INHALATION, "Inhaleringsrom", "Inhalation room", 2, False),
]
DEFAULT_BOOTHS = 6
DEFAULT_SUBSTANCES = [
    ("Heroin", "Heroin", True),
    ("Amfetamin", "Amphetamine", False),
    ("Metamfetamin", "Methamphetamine", False),
    ("Kokain", "Cocaine", False),
    ("Morfin", "Morphine", False),
    ("Metadon", "Methadone", False),
    ("Buprenorfin", "Buprenorphine", False),
    ("Benzodiazepiner", "Benzodiazepines", False),
]
DEFAULT_ROUTES = [
    # Norwegian, English, allowed, booth limit, minimum observation
    ("Injeksjon", "Injection", True, 30, 15),
    ("Røyking", "Smoking", False, 30, 15),
    ("Sniffing", "Snorting", False, 30, 15),
]
DEFAULT_EQUIPMENT = [
    # Norwegian, English, unit, in the default kit, low-stock warning below. The warnings suit a facility
    # of about 100 visits a day: two days of what the kits and walk-ins take, time to order more.
    ("Sprøyte 1 ml", "Syringe 1 ml", EquipmentItem.Unit.PIECE, 1, 200),
    ("Kanyle", "Needle", EquipmentItem.Unit.PIECE, 2, 400),
    ("Kokekar", "Cooker", EquipmentItem.Unit.PIECE, 1, 200),
    ("Filter", "Filter", EquipmentItem.Unit.PIECE, 1, 200),
    ("Sterilt vann", "Sterile water", EquipmentItem.Unit.PIECE, 1, 200),
    ("Spritserviett", "Alcohol swab", EquipmentItem.Unit.PIECE, 2, 400),
    ("Askorbinsyre", "Ascorbic acid", EquipmentItem.Unit.PIECE, 1, 200),
    ("Stasebånd", "Tourniquet", EquipmentItem.Unit.PIECE, 0, 50),
    ("Folie til røyking", "Smoking foil", EquipmentItem.Unit.PACK, 0, 20),
    ("Kondomer", "Condoms", EquipmentItem.Unit.PIECE, 0, 100),
    ("Nalokson nesespray", "Naloxone nasal spray", EquipmentItem.Unit.PACK, 0, 20),
]


@transaction.atomic
def visits_load_defaults() -> Facility:
    """Create the facility, its hours, rooms, booths, substances, routes and equipment where they are missing;
    never changes what is there."""
    facility = Facility.current() or Facility.objects.create(pk=1, **DEFAULT_FACILITY)

    if not OpeningHoursPeriod.objects.exists():
        period = OpeningHoursPeriod.objects.create(
            valid_from=DEFAULT_OPENING["from"], last_admission_minutes=DEFAULT_OPENING["last_admission"]
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(period=period, weekday=day, opens=DEFAULT_OPENING["opens"], closes=DEFAULT_OPENING["closes"])
            for day in range(7)
        )

    for position, (kind, name, name_en, capacity, active) in enumerate(DEFAULT_ROOMS):
        Room.objects.get_or_create(
            kind=kind,
            defaults={"name": name, "name_en": name_en, "capacity": capacity, "active": active, "position": position},
        )

    injection_room = Room.objects.get(kind=Room.Kind.INJECTION)
    if not injection_room.booths.exists():
        Booth.objects.bulk_create(
            Booth(room=injection_room, label=str(number), position=number) for number in range(1, DEFAULT_BOOTHS + 1)
        )

    if not Substance.objects.exists():
        Substance.objects.bulk_create(
            Substance(name=name, name_en=name_en, enabled=enabled, position=position)
            for position, (name, name_en, enabled) in enumerate(DEFAULT_SUBSTANCES)
        )
    if not Route.objects.exists():
        Route.objects.bulk_create(
            Route(
                name=name,
                name_en=name_en,
                enabled=enabled,
                booth_time_limit_minutes=limit,
                min_observation_minutes=observation,
                position=position,
            )
            for position, (name, name_en, enabled, limit, observation) in enumerate(DEFAULT_ROUTES)
        )
    if not EquipmentItem.objects.exists():
        EquipmentItem.objects.bulk_create(
            EquipmentItem(
                name=name,
                name_en=name_en,
                unit=unit,
                default_kit_quantity=kit,
                low_stock_threshold=threshold,
                position=position,
            )
            for position, (name, name_en, unit, kit, threshold) in enumerate(DEFAULT_EQUIPMENT)
        )
    settings_changed()  # bulk_create sends no signal: the processes must read the settings again
    return facility
