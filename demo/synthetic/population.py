"""Who comes: pseudonymous clients with a heavy-tailed appetite for visits, and who works.

A client is a code (letters, birth year, gender letter), never a name. Ages at registration centre
on the early thirties so that the age over all visits averages about 35; 74 % are men (Prop. 13 L
(2018-2019)). How often a client comes is a Pareto weight, and how long they keep coming a
log-normal number of days, so a few clients make a large share of the visits, as at real sites.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group

from staff.models import User
from staff.roles import GROUP_NAMES, Role

# Initials are not spread evenly; these weights give Norwegian-looking letter codes.
_LETTERS = "ABDEFGHIJKLMNOPRSTUVYÆØÅ"
_LETTER_WEIGHTS = (9, 4, 3, 6, 3, 4, 4, 5, 6, 8, 6, 7, 5, 4, 2, 5, 8, 7, 2, 2, 1, 0.3, 0.5, 0.3)
GENDERS = ("M", "K", "A")
GENDER_WEIGHTS = (74, 25, 1)

# Synthetic staff: how many of each role work the floor over the years.
STAFF = {Role.RECEPTION: 6, Role.HEALTH: 8, Role.COUNSELOR: 3, Role.DUTY: 5, Role.COORDINATOR: 1}
STAFF_PREFIX = "syn"


@dataclass
class Person:
    """A generated client while the history is being made (the row is written once, at registration)."""

    id: int
    code: str
    gender: str
    weight: float
    leaves_on: dt.date
    busy_until: int = 0  # inside (or in intake) until this second; no second visit may open before it
    banned_until: int = 0


class Population:
    """The clients registered so far and those still coming, with weighted picking per day."""

    def __init__(self, rng: random.Random, taken_codes: set[str]):
        self.rng = rng
        self.codes = taken_codes
        self.active: list[Person] = []
        self.everyone: list[Person] = []
        self._cum: list[float] = []

    def new_code(self, birth_year: int, gender: str) -> str:
        rng = self.rng
        while True:
            length = rng.choices((2, 3, 4, 5, 6), weights=(4, 8, 70, 12, 6))[0]
            letters = "".join(rng.choices(_LETTERS, weights=_LETTER_WEIGHTS, k=length))
            code = f"{letters}{birth_year:04d}{gender}"
            if code not in self.codes:
                self.codes.add(code)
                return code

    def birth_year(self, year: int) -> int:
        age = min(68, max(19, round(self.rng.gauss(33.8, 8.5))))
        return year - age

    def lifetime_days(self) -> int:
        return max(1, int(self.rng.lognormvariate(5.0, 1.25)))  # median ~150 days, a tail of years

    def weight(self) -> float:
        return min(35.0, self.rng.paretovariate(1.3))

    def leave(self, today: dt.date) -> None:
        self.active = [p for p in self.active if p.leaves_on >= today]

    def join(self, person: Person) -> None:
        self.active.append(person)
        self.everyone.append(person)

    def prepare_day(self) -> None:
        total, cum = 0.0, []
        for person in self.active:
            total += person.weight
            cum.append(total)
        self._cum = cum

    def pick(self) -> Person | None:
        if not self.active:
            return None
        return self.rng.choices(self.active, cum_weights=self._cum)[0]


def synthetic_staff() -> dict[str, list[User]]:
    """Staff accounts that sign the generated records, made once and reused: ``syn-health-03`` ...

    They cannot log in (no usable password); the benchmark logs in with its own accounts.
    """
    staff: dict[str, list[User]] = {}
    for role, count in STAFF.items():
        group = Group.objects.filter(name=GROUP_NAMES[role]).first()
        members = []
        for number in range(1, count + 1):
            user, created = User.objects.get_or_create(username=f"{STAFF_PREFIX}-{role.value}-{number:02d}")
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
                if group is not None:
                    user.groups.add(group)
            members.append(user)
        staff[role.value] = members
    return staff
