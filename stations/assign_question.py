"""The question asked instead of a booth assignment whose booth time and observation would run past
closing: "Assign anyway" (the same choices, confirmed) or "Cancel" (visits/partials/_assign_confirm.html).

Asked in the answer to the assignment (htmx), or, without htmx, on the page the assignment was sent
back to, from the choices in its address (``?assign=<visit>&route=...``).
"""

from __future__ import annotations

from django.utils import timezone

from staff.requests import StaffRequest
from stations.room_forms import BoothAssignForm
from visits.models import Visit
from visits.selectors.facility import booth_past_closing


def assign_question(*, pk: int, code: str, text: str, values: dict[str, str]) -> dict:
    """What the question shows (the client's code, when and by how much past closing) and sends back."""
    return {"pk": pk, "code": code, "text": text, "values": values}


def assign_question_from_query(request: StaffRequest) -> dict | None:
    """The question again, asked afresh from the address: nothing to ask when the client no longer
    waits, the choices are no longer allowed, or the booth time would now end before closing."""
    try:
        pk = int(request.GET.get("assign", ""))
    except ValueError:
        return None
    if not 0 < pk < 2**31 or not request.user.has_perm("visits.add_boothsession"):
        return None
    form = BoothAssignForm(request.GET)
    if not form.is_valid():
        return None
    visit = Visit.objects.select_related("client").filter(pk=pk, ended_at__isnull=True).first()
    if visit is None:
        return None
    now = timezone.now()
    started_at = form.started_at_datetime(now) or now
    past = booth_past_closing(route=form.cleaned_data["route"], started_at=started_at, now=now)
    if past is None:
        return None
    return assign_question(pk=pk, code=visit.client.code, text=past.booth_text, values=form.values())
