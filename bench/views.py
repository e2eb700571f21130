"""The benchmark's yardstick: the least a page can be, measured beside every page in the same run.

It goes through the whole middleware stack as the signed-in member of staff the page is measured
for, makes one query and renders a small template. The bench settings route it (``bench.urls``);
production's URLs do not have it, so staff never see it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from visits.models import Room


@never_cache
def yardstick(request: HttpRequest) -> HttpResponse:
    rooms = Room.objects.filter(active=True).count()
    return render(request, "bench/yardstick.html", {"rooms": rooms})
