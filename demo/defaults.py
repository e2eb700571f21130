"""The starting configuration of a new installation: each app's defaults, loaded together."""

from __future__ import annotations

from django.db import transaction

from counseling.services.defaults import counseling_load_defaults
from reports.services import annual_budget_load_defaults
from visits.models import Facility
from visits.services.facility import visits_load_defaults


@transaction.atomic
def facility_load_defaults() -> Facility:
    """Create the starting configuration where it is missing; never changes what is there."""
    facility = visits_load_defaults()
    counseling_load_defaults()
    annual_budget_load_defaults()
    return facility
