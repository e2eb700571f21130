"""Check-in at reception, and arrivals turned away."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import User
from visits.models import Client, Intoxication, Refusal, Substance, Visit, VisitEvent
from visits.selectors.checkin import Blocker, at_the_door, check_in_blockers
from visits.services.rooms.closeout import visits_close_overnight

# A second identical submit by the same staff member this soon after is the same check-in.
DOUBLE_SUBMIT_WINDOW = dt.timedelta(seconds=30)


class CheckInBlocked(ValidationError):
    """Check-in is not allowed; ``blockers`` says why (and which a duty officer may override)."""

    def __init__(self, blockers: list[Blocker]):
        self.blockers = blockers
        super().__init__([b.message for b in blockers], code="blocked")


class _OvernightFirst(Exception):
    """Visits are left open from before today: the check-in steps back, and they are closed first."""


def visit_check_in(
    *,
    client: Client | int,
    by: User,
    substance: Substance,
    dose: str = "",
    last_use_at: dt.datetime | None = None,
    other_substances: Iterable[Substance] = (),
    other_substances_note: str = "",
    intoxication: str = Intoxication.NONE,
    override_reason: str = "",
    now: dt.datetime | None = None,
) -> Visit:
    """Open a visit and put the client in the queue for a booth.

    ``client`` may be given by its key: the row is read once, under its lock (``Client.DoesNotExist``
    when there is none).

    Refuses with ``CheckInBlocked`` when a rule says no. A duty officer may give ``override_reason``
    to admit against the rules that allow it; "already inside" is never overridden.

    The first check-in of a day first closes the visits left open from before it (the overnight close,
    when no timer ran it), in a transaction of its own that a refused check-in does not roll back, so
    nobody is kept out by yesterday. Whether there are any is asked with the client's open visit and
    bans: when there are, the check-in is rolled back before it wrote anything, the close runs, and the
    check-in starts again.
    """
    now = now or timezone.now()
    client_pk = client.pk if isinstance(client, Client) else client
    substances = list(other_substances)

    def attempt(overnight_closed: bool) -> Visit:
        return _check_in(
            client_pk=client_pk,
            by=by,
            substance=substance,
            dose=dose,
            last_use_at=last_use_at,
            other_substances=substances,
            other_substances_note=other_substances_note,
            intoxication=intoxication,
            override_reason=override_reason,
            now=now,
            overnight_closed=overnight_closed,
        )

    try:
        return attempt(overnight_closed=False)
    except _OvernightFirst:
        visits_close_overnight(now=now)
    return attempt(overnight_closed=True)


@transaction.atomic
def _check_in(
    *,
    client_pk: int,
    by: User,
    substance: Substance,
    dose: str,
    last_use_at: dt.datetime | None,
    other_substances: list[Substance],
    other_substances_note: str,
    intoxication: str,
    override_reason: str,
    now: dt.datetime,
    overnight_closed: bool,
) -> Visit:
    # Lock the client's row: two receptionists checking in the same client queue up here, and the
    # second one sees the first one's visit in the read after the lock (a read in the locking statement
    # would not: its snapshot is taken before the wait). The partial unique constraint is the last word.
    client = Client.objects.select_for_update().get(pk=client_pk)
    door = at_the_door(client_pk, now)
    if door.overnight_leftovers and not overnight_closed:
        raise _OvernightFirst
    if (
        door.open_visit_pk is not None
        and door.open_visit_by_pk == by.pk
        and door.open_visit_at is not None
        and now - door.open_visit_at < DOUBLE_SUBMIT_WINDOW
    ):
        return Visit.objects.select_related("client").get(pk=door.open_visit_pk)  # the same click arriving twice
    if last_use_at is not None and last_use_at > now:
        raise ValidationError(_("The time of last use cannot be in the future."), code="future_last_use")

    blockers = check_in_blockers(
        client,
        substance=substance,
        intoxication=intoxication,
        now=now,
        open_visit_exists=door.open_visit_pk is not None,
        ban_reason=door.ban_reason,
    )
    override_reason = override_reason.strip()
    overridden: list[Blocker] = []
    if blockers and override_reason and by.has_perm("visits.override_admission"):
        overridden = [b for b in blockers if b.overridable]
        blockers = [b for b in blockers if not b.overridable]
    if blockers:
        raise CheckInBlocked(blockers)

    try:
        # No savepoint: on a clash the whole check-in is rolled back anyway, and nothing more is
        # asked of the database before it is.
        with transaction.atomic(savepoint=False):
            visit = Visit.objects.create(
                client=client,
                checked_in_at=now,
                checked_in_by=by,
                location=Visit.Location.QUEUE,
                location_since=now,
                substance=substance,
                dose=dose.strip(),
                last_use_at=last_use_at,
                other_substances_note=other_substances_note.strip(),
                intoxication=intoxication,
                override_reason=override_reason if overridden else "",
                overridden_rules=",".join(str(b.reason) for b in overridden),
                override_by=by if overridden else None,
            )
    except IntegrityError:
        raise CheckInBlocked([Blocker(None, _("The client is already checked in."))]) from None
    if other_substances:
        # A new visit has none yet: add, without reading the empty set first.
        visit.other_substances.add(*other_substances)
    VisitEvent.objects.create(
        visit=visit, kind=VisitEvent.Kind.CHECKED_IN, at=now, by=by, location=Visit.Location.QUEUE
    )
    if overridden:
        VisitEvent.objects.create(
            visit=visit,
            kind=VisitEvent.Kind.OVERRIDE,
            at=now,
            by=by,
            # An overridable blocker has a reason.
            note=f"{', '.join(str(Refusal.Reason(b.reason).label) for b in overridden)}: {override_reason}"[:500],  # type: ignore[arg-type]
        )
    return visit


@transaction.atomic
def refusal_record(
    *,
    client: Client,
    reason: str,
    by: User,
    substance: Substance | None = None,
    note: str = "",
    token: uuid.UUID | None = None,
    now: dt.datetime | None = None,
) -> Refusal:
    """Record that a client was turned away, and why; refusals count in the reports.

    ``token`` is the one-time token of the form sent: the same form sent again, even at the same
    moment from two requests, returns the refusal already recorded (``already_recorded`` set) and
    adds none. The database's unique constraint on the token settles the race.
    """
    if reason not in Refusal.Reason.values:
        raise ValidationError(_("Choose a reason for the refusal."), code="bad_reason")
    if reason == Refusal.Reason.OTHER and not note.strip():
        raise ValidationError(_("Describe the reason for the refusal."), code="no_note")
    now = now or timezone.now()
    if token is not None:
        repeat = Refusal.objects.filter(token=token).first()
        if repeat is not None:
            return _already_recorded(repeat, client)
    # The form drawn again (a reload of the card) has a new token: the same reason from the same
    # person this soon after is still the same refusal.
    repeat = Refusal.objects.filter(client=client, reason=reason, by=by, at__gt=now - DOUBLE_SUBMIT_WINDOW).first()
    if repeat is not None:
        return _already_recorded(repeat, client)
    try:
        with transaction.atomic():
            return Refusal.objects.create(
                client=client, reason=reason, by=by, substance=substance, note=note.strip(), at=now, token=token
            )
    except IntegrityError:
        # The same form, sent twice at once: the other request's insert won.
        repeat = Refusal.objects.filter(token=token).first()
        if repeat is None:
            raise
        return _already_recorded(repeat, client)


def _already_recorded(refusal: Refusal, client: Client) -> Refusal:
    if refusal.client_id != client.pk:
        # A token is one form's, on one client's card: sent for another client, it was tampered with.
        raise ValidationError(_("This form was already used. Fill it in again."), code="token_reused")
    refusal.already_recorded = True
    return refusal
