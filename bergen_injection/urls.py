from django.contrib import admin
from django.urls import include, path

from bergen_injection import views
from counseling.urls import urlpatterns as counseling_urlpatterns
from stations.urls import timeline_urlpatterns

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("staff.urls")),
    path("health/", include("health.urls")),
    path("", include("reports.urls")),
    path("", include("stations.urls")),
    path("interview/", include((counseling_urlpatterns + timeline_urlpatterns, "counseling"))),
    path("access-log/", include("oversight.urls")),
]

# A database that is restarting gets a 503 "try again" page instead of the generic error page.
handler500 = "bergen_injection.errors.server_error"
