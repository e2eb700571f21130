"""How full the rooms that fill up are: the waiting room (everyone queued for a booth) and the observation
room (every open observation), against the capacity an administrator set for each."""

from __future__ import annotations

from dataclasses import dataclass

from visits.models import Room
from visits.selectors.settings import room_capacities


@dataclass(frozen=True)
class Occupancy:
    """People in a room against its capacity; ``capacity`` None when the room is not in use (no limit shown)."""

    kind: str
    count: int
    capacity: int | None

    @property
    def over(self) -> bool:
        return self.capacity is not None and self.count > self.capacity

    @property
    def full(self) -> bool:
        """At capacity exactly: the next person has no seat."""
        return self.capacity is not None and self.count == self.capacity


def occupancy(*, waiting: int, observation: int) -> dict[str, Occupancy]:
    """The waiting and observation rooms' occupancy, by ``waiting`` and ``observation``; no query of its own
    while the settings are kept (``room_capacities``)."""
    capacities = room_capacities()
    return {
        "waiting": Occupancy(Room.Kind.WAITING, waiting, capacities.get(Room.Kind.WAITING)),
        "observation": Occupancy(Room.Kind.OBSERVATION, observation, capacities.get(Room.Kind.OBSERVATION)),
    }
