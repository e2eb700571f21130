"""Wall displays: a screen that shows the floor board all day without anyone logged in at it."""

from __future__ import annotations

import hashlib
import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.settings_models import FacilitySetting


def token_hash(token: str) -> str:
    """What is stored of a display's token: its SHA-256. A token is 256 random bits, so no salt is needed."""
    return hashlib.sha256(token.encode()).hexdigest()


def validate_network(value: str) -> None:
    try:
        ipaddress.ip_network(value.strip(), strict=False)
    except ValueError as error:
        raise ValidationError(
            _("Enter an address range such as 10.20.0.0/24, or one address."), code="bad_network"
        ) from error


class Display(models.Model):
    """A screen on a wall (the staff room, the corridor) registered by an administrator.

    It opens the read-only floor board with a secret link instead of a staff login, so it never times
    out and never holds a staff member's session. Only the token's hash is kept: the link is shown once,
    when the display is created. Revoking it (or moving the screen outside its address range) stops
    the screen within a minute; the row stays, with when it was last seen and from where.
    """

    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    allowed_network = models.CharField(
        _("allowed address range"),
        max_length=50,
        blank=True,
        validators=[validate_network],
        help_text=_("Optional. The display works only from these addresses, e.g. 10.20.0.0/24."),
    )
    created_at = models.DateTimeField(_("created"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True, editable=False)
    last_address = models.GenericIPAddressField(_("last address"), null=True, blank=True, editable=False)

    facility_setting = FacilitySetting.LOGGED

    class Meta:
        verbose_name = _("wall display")
        verbose_name_plural = _("wall displays")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def allows(self, address: str | None) -> bool:
        """Whether a request from ``address`` may use the display (any address without a range)."""
        if not self.allowed_network:
            return True
        try:
            return ipaddress.ip_address(address or "") in ipaddress.ip_network(self.allowed_network, strict=False)
        except ValueError:
            return False
