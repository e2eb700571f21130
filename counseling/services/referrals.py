"""Writes of referrals: making one from any station, and moving it through its statuses.

The state machine: an open referral (proposed, sent, accepted) moves forward along
``Referral.FORWARD``; going back to an earlier open step is a correction and needs a reason; a
closed referral (declined, attended, did not attend, cancelled) changes only by being reopened, with
a reason. Every move writes a ``ReferralStatusChange``. Moving only the follow-up date writes a
``ReferralFollowUpChange``. The referral's row is locked first, so two staff changing it at once queue
up and the second is judged against what the first did.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.versioning import version_bump, version_check
from counseling.models import Referral, ReferralFollowUpChange, ReferralService, ReferralStatusChange
from staff.models import User
from visits.models import Client, Visit

MAX_FOLLOW_UP_AHEAD = dt.timedelta(days=366)

# What the referral's forms change, compared when a change from a stale page is refused.
VERSIONED_FIELDS = ("status", "follow_up_on")


def _locked(referral: Referral, *, seen_version: int | None, by: User) -> Referral:
    """The referral's row, locked, refused with what changed when ``seen_version`` is out of date."""
    referral = Referral.objects.select_for_update().select_related("client", "service").get(pk=referral.pk)
    version_check(referral, seen=seen_version, fields=VERSIONED_FIELDS)
    referral._history_user = by  # type: ignore[attr-defined]  # who made the change, for the record's history
    return referral


def _label(status: str) -> str:
    return str(Referral.Status(status).label)


def _follow_up_date(follow_up_on: dt.date | None, today: dt.date) -> dt.date:
    """The given follow-up date, checked, or the default some days ahead."""
    if follow_up_on is None:
        return today + dt.timedelta(days=Referral.DEFAULT_FOLLOW_UP_DAYS)
    if follow_up_on < today:
        raise ValidationError(_("The follow-up date cannot be in the past."), code="follow_up_past")
    if follow_up_on > today + MAX_FOLLOW_UP_AHEAD:
        raise ValidationError(_("Set a follow-up date within a year."), code="follow_up_far")
    return follow_up_on


def _already_open(client: Client, service: ReferralService) -> ValidationError:
    return ValidationError(
        _("%(code)s already has an open referral to %(service)s. Follow that one up instead.")
        % {"code": client.code, "service": service.label},
        code="already_open",
    )


@transaction.atomic
def referral_create(
    *,
    client: Client,
    service: ReferralService,
    by: User,
    visit: Visit | None = None,
    note: str = "",
    follow_up_on: dt.date | None = None,
) -> Referral:
    """Refer the client to a service, proposed, with a follow-up date (a week ahead unless given)."""
    now = timezone.now()
    if not service.enabled:
        raise ValidationError(
            _("%(service)s is no longer in use. Choose another service.") % {"service": service.label},
            code="service_disabled",
        )
    if visit is not None and visit.client_id != client.pk:
        raise ValidationError(_("That visit is another client's."), code="wrong_visit")
    follow_up = _follow_up_date(follow_up_on, timezone.localdate(now))
    # Two referrals to the same service made at once queue up here; the constraint is the last word.
    client = Client.objects.select_for_update().get(pk=client.pk)
    if Referral.objects.filter(client=client, service=service, status__in=Referral.OPEN_STATUSES).exists():
        raise _already_open(client, service)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                client=client,
                service=service,
                visit=visit,
                created_at=now,
                created_by=by,
                status=Referral.Status.PROPOSED,
                status_changed_at=now,
                follow_up_on=follow_up,
                note=note.strip(),
            )
    except IntegrityError as exc:
        raise _already_open(client, service) from exc
    ReferralStatusChange.objects.create(referral=referral, to_status=referral.status, at=now, by=by)
    return referral


def _check_move(current: str, to_status: str, reason: str) -> None:
    """Refuse a move that makes no sense, with what to do instead."""
    open_ = Referral.OPEN_STATUSES
    if to_status not in Referral.Status.values:
        raise ValidationError(_("Choose a status from the list."), code="unknown_status")
    if to_status == current:
        raise ValidationError(
            _("The referral is already “%(status)s”. Nothing was changed.") % {"status": _label(current)},
            code="unchanged",
        )
    if current not in open_:
        if to_status not in open_:
            raise ValidationError(
                _("The referral is closed (“%(status)s”). Reopen it with a reason before changing it further.")
                % {"status": _label(current)},
                code="closed",
            )
        if not reason:
            raise ValidationError(_("Reopening a closed referral needs a reason."), code="reopen_needs_reason")
        return
    if to_status in Referral.FORWARD[current]:
        return
    if to_status in open_ and Referral.STEP[to_status] < Referral.STEP[current]:
        if not reason:
            raise ValidationError(
                _("Moving a referral back to an earlier step needs a reason."), code="back_needs_reason"
            )
        return
    # Only a referral not yet sent gets here: the service cannot have answered it, nor the client gone.
    raise ValidationError(
        _("The referral has not been sent yet, so it cannot be “%(status)s”. Mark it as sent first.")
        % {"status": _label(to_status)},
        code="not_sent",
    )


@transaction.atomic
def referral_set_status(
    *,
    referral: Referral,
    to_status: str,
    by: User,
    reason: str = "",
    follow_up_on: dt.date | None = None,
    seen_version: int | None = None,
) -> Referral:
    """Move the referral to ``to_status`` if the move makes sense, and record who did it and when.

    A referral that stays open gets the given follow-up date (a week ahead unless given); a closed
    one has none. ``seen_version`` is the version the page showed (``StaleEdit`` when out of date).
    """
    now = timezone.now()
    reason = reason.strip()
    referral = _locked(referral, seen_version=seen_version, by=by)
    current = referral.status
    _check_move(current, to_status, reason)
    stays_open = to_status in Referral.OPEN_STATUSES
    referral.follow_up_on = _follow_up_date(follow_up_on, timezone.localdate(now)) if stays_open else None
    referral.status = to_status
    referral.status_changed_at = now
    version_bump(referral)
    try:
        with transaction.atomic():
            referral.save(update_fields=["status", "status_changed_at", "follow_up_on", "version"])
    except IntegrityError as exc:
        # Reopening while another referral to the same service is open.
        raise _already_open(referral.client, referral.service) from exc
    ReferralStatusChange.objects.create(
        referral=referral, from_status=current, to_status=to_status, at=now, by=by, reason=reason
    )
    return referral


def _date(day: dt.date) -> str:
    return formats.date_format(day, "j.n.Y")


@transaction.atomic
def referral_follow_up_set(
    *,
    referral: Referral,
    follow_up_on: dt.date,
    by: User,
    reason: str,
    seen_version: int | None = None,
) -> Referral:
    """Move an open referral's follow-up date, when following up found nothing to change yet.

    Writes a ``ReferralFollowUpChange`` with the old and new dates, who, when and why; the reason is
    required. ``seen_version`` is the version of the referral the staff member had in front of them:
    if someone moved the date or changed the status meanwhile, the move is refused (``StaleEdit``, with
    what changed) rather than silently overwriting theirs. Nothing is written when the move is refused.
    """
    now = timezone.now()
    reason = reason.strip()
    referral = _locked(referral, seen_version=seen_version, by=by)
    if not referral.is_open:
        raise ValidationError(
            _("The referral is closed (“%(status)s”) and has nothing to follow up.")
            % {"status": referral.get_status_display()},
            code="closed",
        )
    current = referral.follow_up_on
    to_date = _follow_up_date(follow_up_on, timezone.localdate(now))
    if to_date == current:
        raise ValidationError(
            _("The follow-up is already on %(date)s. Nothing was changed.") % {"date": _date(to_date)},
            code="unchanged",
        )
    if not reason:
        raise ValidationError(_("Say why the follow-up date is moved."), code="reason_needed")
    if len(reason) > ReferralFollowUpChange.REASON_MAX_LENGTH:
        raise ValidationError(
            _("Keep the reason within %(limit)d characters.") % {"limit": ReferralFollowUpChange.REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    referral.follow_up_on = to_date
    version_bump(referral)
    referral.save(update_fields=["follow_up_on", "version"])
    ReferralFollowUpChange.objects.create(
        referral=referral, from_date=current, to_date=to_date, at=now, by=by, reason=reason
    )
    return referral
