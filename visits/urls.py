from django.urls import path

from visits.views import bans, reception, stations

app_name = "visits"

urlpatterns = [
    path("reception/", reception.reception, name="reception"),
    path("reception/search/", reception.reception_search, name="reception-search"),
    path("reception/contact/", reception.contact_create, name="contact-create"),
    path("clients/new/", reception.client_register_view, name="client-register"),
    path("clients/<int:pk>/", reception.client_detail, name="client-detail"),
    path("clients/<int:pk>/check-in/", reception.client_check_in, name="client-check-in"),
    path("clients/<int:pk>/refuse/", reception.client_refuse, name="client-refuse"),
    path("clients/<int:pk>/bans/", bans.ban_create_view, name="ban-create"),
    path("bans/<int:pk>/lift/", bans.ban_lift_view, name="ban-lift"),
    path("health/", stations.health, name="health"),
    path("injection/", stations.injection, name="injection"),
    path("observation/", stations.observation, name="observation"),
    path("floor/", stations.floor, name="floor"),
    path("dashboard/", stations.dashboard, name="dashboard"),
]
