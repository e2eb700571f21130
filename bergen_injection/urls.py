from django.contrib import admin
from django.urls import include, path

from bergen_injection import views
from counseling.urls import urlpatterns as counseling_urlpatterns
from duty import urls as duty_urls
from staff import urls as staff_urls
from stations.urls import timeline_urlpatterns

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # The duty pages answer in the staff namespace, as before they moved out of staff (duty/urls.py).
    path("", include(([*staff_urls.urlpatterns, *duty_urls.urlpatterns], staff_urls.app_name))),
    path("health/", include("health.urls")),
    path("", include("reports.urls")),
    path("", include("stations.urls")),
    path("interview/", include((counseling_urlpatterns + timeline_urlpatterns, "counseling"))),
    path("access-log/", include("oversight.urls")),
]

# A database that is restarting gets a 503 "try again" page instead of the generic error page.
handler500 = "bergen_injection.errors.server_error"
