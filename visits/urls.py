from django.urls import path

from visits.views import stations

app_name = "visits"

urlpatterns = [
    path("reception/", stations.reception, name="reception"),
    path("health/", stations.health, name="health"),
    path("injection/", stations.injection, name="injection"),
    path("observation/", stations.observation, name="observation"),
    path("floor/", stations.floor, name="floor"),
    path("dashboard/", stations.dashboard, name="dashboard"),
]
