"""The duty pages: the roster, the handover log and security incidents.

They keep the names they had under ``staff:`` (``staff:roster``, ``staff:incident-list`` ...): the root
URLconf serves them in the staff namespace, so no template, test or link changes with the move.
"""

from django.urls import path

from duty.views import handover, incidents, roster

urlpatterns = [
    path("roster/", roster.roster, name="roster"),
    path("roster/copy/", roster.roster_copy, name="roster-copy"),
    path("roster/shifts/new/", roster.shift_create, name="shift-create"),
    path("roster/shifts/<int:pk>/", roster.shift_update, name="shift-update"),
    path("roster/shifts/<int:pk>/delete/", roster.shift_delete, name="shift-delete"),
    path("my-shifts/", roster.my_shifts, name="my-shifts"),
    path("handovers/", handover.handover_list, name="handover-list"),
    path("handovers/unread/", handover.handover_unread, name="handover-unread"),
    path("handovers/new/", handover.handover_create, name="handover-create"),
    path("handovers/<int:pk>/", handover.handover_detail, name="handover-detail"),
    path("handovers/<int:pk>/acknowledge/", handover.handover_acknowledge, name="handover-acknowledge"),
    path("incidents/", incidents.incident_list_view, name="incident-list"),
    path("incidents/new/", incidents.incident_create, name="incident-create"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident-detail"),
    path("incidents/<int:pk>/correct/", incidents.incident_edit, name="incident-edit"),
]
