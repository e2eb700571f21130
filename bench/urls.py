"""The app's URLs with the yardstick beside them: the benchmark's settings route these (``bench.settings``)."""

from __future__ import annotations

from django.urls import path

from bench import YARDSTICK_PATH, views
from bergen_injection.urls import handler500
from bergen_injection.urls import urlpatterns as app_urlpatterns

urlpatterns = [path(YARDSTICK_PATH, views.yardstick, name="bench-yardstick"), *app_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
