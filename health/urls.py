from django.urls import path

from health.views import alarm, emergencies, room

app_name = "health"

urlpatterns = [
    path("", room.room, name="room"),
    path("services/new/", room.service_create, name="service-create"),
    path("clients/<int:pk>/", room.client_history, name="client-history"),
    path("stock/", room.stock, name="stock"),
    path("stock/delivery/", room.stock_delivery, name="stock-delivery"),
    path("stock/count/", room.stock_count_view, name="stock-count"),
    path("alarm/", alarm.alarm, name="alarm"),
    path("alarm/display/", alarm.display_alarm, name="display-alarm"),
    path("emergencies/open/", emergencies.emergency_open, name="emergency-open"),
    path("emergencies/<int:pk>/", emergencies.emergency_detail, name="emergency-detail"),
    path("emergencies/<int:pk>/intervention/", emergencies.emergency_intervention, name="emergency-intervention"),
    path("emergencies/<int:pk>/close/", emergencies.emergency_close, name="emergency-close"),
    path("emergencies/<int:pk>/record/", emergencies.emergency_record, name="emergency-record"),
    path("emergencies/<int:pk>/answer/", alarm.emergency_answer, name="emergency-answer"),  # before the marks
    path(
        "emergencies/<int:pk>/<str:what>/",
        emergencies.emergency_mark,
        name="emergency-mark",
    ),
]
