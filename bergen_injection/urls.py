from django.contrib import admin
from django.urls import include, path

from bergen_injection import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("staff.urls")),
    path("health/", include("health.urls")),
    path("", include("visits.urls")),
    path("interview/", include("counseling.urls")),
]
