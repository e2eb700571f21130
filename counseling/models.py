from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from visits.translated import TranslatedName


class ReferralService(TranslatedName):
    """A service the facility refers clients to (LAR, NAV, housing, legevakt ...)."""

    enabled = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("referral service")
        verbose_name_plural = _("referral services")
        ordering = ["position", "pk"]
