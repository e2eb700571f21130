"""The benchmark's own staff accounts, and a busy moment on the floor to measure the station pages in.

The live floor is made through the services, as staff would make it: every booth but one taken, the
observation room full, a queue, someone in the interview room and in the health room, and one open
emergency in a booth. It is the same floor at every size of history: the same number of booths in use
(``FLOOR_BOOTHS``, whatever number the generator needed for the history's busiest days) and the same
number of people in each room; only the history behind it differs.
"""

from __future__ import annotations

import datetime as dt
import random
import string

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from counseling.models import Intake
from health.models import Emergency
from health.services import emergency_close, emergency_open
from staff.models import User
from staff.roles import GROUP_NAMES, Role
from visits.models import (
    Booth,
    BoothSession,
    Client,
    ClosedDay,
    EquipmentItem,
    OpeningHours,
    OpeningHoursPeriod,
    Room,
    Route,
    SpecialHours,
    Substance,
    Visit,
)
from visits.models.facility import END_OF_DAY
from visits.selectors.facility import today_hours

CAST_ROLES = (Role.RECEPTION, Role.HEALTH, Role.DUTY, Role.COUNSELOR, Role.COORDINATOR)
QUEUE, OBSERVING = 4, 6
# The booths in use on the measured floor at every size: twice Bergen's six, a busy site's injection room.
FLOOR_BOOTHS = 12


def cast_username(role: str) -> str:
    return f"bench-{role}"


def make_cast(password: str) -> dict[str, User]:
    """One account per floor role, ``bench-reception`` and so on, with ``password``."""
    users = {}
    for role in CAST_ROLES:
        user, _created = User.objects.get_or_create(username=cast_username(role.value))
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name=GROUP_NAMES[role]))
        users[role.value] = user
    return users


@transaction.atomic
def admit_around_the_clock(now: dt.datetime) -> bool:
    """Check-in is refused outside opening hours; from today the benchmark's facility never closes.

    Only in the benchmark's own database. Returns whether the hours had to change.
    """
    hours = today_hours(now)
    if hours is not None and hours.admits(now) and hours.admits(now + dt.timedelta(hours=2)):
        return False
    period, _created = OpeningHoursPeriod.objects.update_or_create(
        valid_from=timezone.localdate(now),
        defaults={"last_admission_minutes": 0, "note": "Benchmark: open around the clock"},
    )
    period.days.all().delete()
    # 00:00 to 24:00 (a closing time of 00:00 is the end of the day); no closed or special day after it.
    OpeningHours.objects.bulk_create(
        OpeningHours(period=period, weekday=day, opens=dt.time.min, closes=END_OF_DAY) for day in range(7)
    )
    ClosedDay.objects.filter(date__gte=period.valid_from).delete()
    SpecialHours.objects.filter(date__gte=period.valid_from).delete()
    return True


class Fresh:
    """New clients, active with an accepted intake, for actions that need someone not yet inside."""

    def __init__(self, by: User, seed: int = 7):
        self.by = by
        self.rng = random.Random(seed)

    def client(self) -> Client:
        now = timezone.now()
        while True:
            letters = "BX" + "".join(self.rng.choices(string.ascii_uppercase, k=6))
            code = f"{letters}{self.rng.randint(1960, 1999)}{self.rng.choice('MK')}"
            if not Client.objects.filter(code=code).exists():
                break
        client = Client.objects.create(
            code=code,
            birth_year=int(code[8:12]),
            gender=code[-1],
            status=Client.Status.ACTIVE,
            registered_at=now,
            registered_by=self.by,
        )
        Intake.objects.create(
            client=client,
            at=now,
            by=self.by,
            is_adult=True,
            long_term_heroin_dependence=True,
            harmful_injection_practice=True,
            consent_given=True,
            house_rules_explained=True,
            harm_reduction_advice_given=True,
            outcome=Intake.Outcome.ACCEPTED,
        )
        return client


class Floor:
    """What the station pages act on: the allowed route and substance, the kit, and the services."""

    def __init__(self, cast: dict[str, User]):
        self.cast = cast
        self.fresh = Fresh(cast["reception"])
        self.route = Route.objects.filter(enabled=True).order_by("position", "pk")[0]
        self.substance = Substance.objects.filter(enabled=True).order_by("position", "pk")[0]
        self.kit = {item: item.default_kit_quantity for item in EquipmentItem.objects.filter(enabled=True)}
        self.kit = {item: quantity for item, quantity in self.kit.items() if quantity}

    def check_in(self) -> Visit:
        from visits.services.checkin import visit_check_in

        return visit_check_in(client=self.fresh.client(), by=self.cast["reception"], substance=self.substance)

    def to_booth(self, visit: Visit) -> BoothSession:
        from visits.services.rooms import booth_assign

        return booth_assign(
            visit=visit, booth=None, route=self.route, substance=self.substance, items=self.kit, by=self.cast["health"]
        )

    def end_session(self, session: BoothSession, *, observe: bool) -> None:
        from visits.services.rooms import booth_end

        where = Visit.Location.OBSERVATION if observe else Visit.Location.GONE
        booth_end(session=session, next_location=where, by=self.cast["health"])

    def check_out(self, visit: Visit) -> None:
        from visits.services.rooms import visit_check_out

        visit_check_out(visit=visit, by=self.cast["reception"], note="Benchmark")

    def open_emergency(self, visit: Visit) -> Emergency:
        emergency, _created = emergency_open(client=visit.client, by=self.cast["health"])
        return emergency

    def close_emergency(self, emergency: Emergency) -> None:
        emergency_close(emergency=emergency, outcome=Emergency.Outcome.RECOVERED, by=self.cast["health"])

    def set_booths(self, count: int = FLOOR_BOOTHS) -> int:
        """Exactly ``count`` booths in use in the injection room, the first by position; returns how many changed.

        The generator adds booths for the history's busiest days, more the larger the history: those
        past ``count`` are taken out of use (their history stays), and the floor gets booths it lacks.
        Staff do this in the admin; the benchmark writes the rows itself, outside the measured time.
        """
        room = Room.objects.get(kind=Room.Kind.INJECTION)
        booths = list(room.booths.order_by("position", "pk"))
        keep = {booth.pk for booth in booths[:count]}
        changed = Booth.objects.filter(room=room, pk__in=keep, active=False).update(active=True)
        changed += Booth.objects.filter(room=room, active=True).exclude(pk__in=keep).update(active=False)
        labels = {booth.label for booth in booths}
        position = max((booth.position for booth in booths), default=0)
        number = 0
        for _ in range(count - len(booths)):
            number += 1
            while str(number) in labels:
                number += 1
            position += 1
            Booth.objects.create(room=room, label=str(number), position=position)
            labels.add(str(number))
            changed += 1
        if room.capacity != count:
            room.capacity = count
            room.save(update_fields=["capacity"])
        Room.objects.filter(kind=Room.Kind.INHALATION).update(active=False)
        return changed

    def free_a_booth(self) -> None:
        """End the oldest session when every booth is taken, so that an assignment can succeed."""
        booths = Booth.objects.filter(
            active=True, room__active=True, room__kind__in=[Room.Kind.INJECTION, Room.Kind.INHALATION]
        )
        open_sessions = BoothSession.objects.filter(ended_at__isnull=True, booth__in=booths)
        if open_sessions.count() >= booths.count():
            self.end_session(open_sessions.order_by("started_at")[0], observe=False)

    def clear(self) -> int:
        """Close the emergencies and check out whoever a previous run left, so that every run starts alike."""
        for emergency in Emergency.objects.filter(ended_at__isnull=True):
            self.close_emergency(emergency)
        left = list(Visit.objects.filter(ended_at__isnull=True))
        for visit in left:
            self.check_out(visit)
        return len(left)

    def populate(self, *, small: bool = False) -> dict[str, int]:
        """A busy moment: the observation room full, all booths but one taken (one of them with an open
        emergency), a queue, the side rooms.

        ``small`` (the quick run in the tests) puts fewer people in observation and the queue.
        """
        from visits.services.rooms import visit_move

        booths = Booth.objects.filter(
            active=True, room__active=True, room__kind__in=[Room.Kind.INJECTION, Room.Kind.INHALATION]
        ).count()
        observing, queue = (min(2, booths), 1) if small else (min(OBSERVING, booths), QUEUE)
        for _ in range(observing):
            self.end_session(self.to_booth(self.check_in()), observe=True)
        in_booths = [self.to_booth(self.check_in()) for _ in range(booths - 1)]
        if in_booths:
            self.open_emergency(in_booths[0].visit)
        for _ in range(queue):
            self.check_in()
        visit_move(visit=self.check_in(), to=Visit.Location.INTERVIEW, by=self.cast["reception"])
        visit_move(visit=self.check_in(), to=Visit.Location.HEALTH, by=self.cast["reception"])
        return {
            "booths": booths,
            "in_booths": booths - 1,
            "observing": observing,
            "queue": queue,
            "side_rooms": 2,
            "open_emergencies": 1 if in_booths else 0,
        }

    def observed_visits(self) -> list[Visit]:
        return list(
            Visit.objects.filter(ended_at__isnull=True, location=Visit.Location.OBSERVATION)
            .select_related("client")
            .order_by("pk")
        )
