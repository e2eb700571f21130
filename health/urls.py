from django.urls import path

from health.views import alarm, emergencies, interventions, room, sheet

app_name = "health"

urlpatterns = [
    path("", room.room, name="room"),
    path("services/new/", room.service_create, name="service-create"),
    path("clients/<int:pk>/", room.client_history, name="client-history"),
    path("stock/", room.stock, name="stock"),
    path("stock/delivery/", room.stock_delivery, name="stock-delivery"),
    path("stock/count/", room.stock_count_view, name="stock-count"),
    path("stock/stocktake/", room.stocktake_view, name="stocktake"),
    path("stock/stocktake/<uuid:stocktake_id>/", room.stocktake_result, name="stocktake-result"),
    path("alarm/", alarm.alarm, name="alarm"),
    path("alarm/display/", alarm.display_alarm, name="display-alarm"),
    path("emergencies/open/", emergencies.emergency_open, name="emergency-open"),
    path("emergencies/unknown/", emergencies.emergency_open_unknown, name="emergency-open-unknown"),
    path("emergencies/<int:pk>/", emergencies.emergency_detail, name="emergency-detail"),
    path("emergencies/<int:pk>/intervention/", interventions.emergency_intervention, name="emergency-intervention"),
    path("emergencies/<int:pk>/vitals/", interventions.emergency_vitals, name="emergency-vitals"),
    path("emergencies/<int:pk>/sheet/", sheet.emergency_sheet, name="emergency-sheet"),
    path("interventions/<int:pk>/correct/", interventions.intervention_correct, name="intervention-correct"),
    path("interventions/<int:pk>/withdraw/", interventions.intervention_withdraw, name="intervention-withdraw"),
    path("vitals/<int:pk>/withdraw/", interventions.vital_signs_withdraw, name="vitals-withdraw"),
    path("emergencies/<int:pk>/close/", emergencies.emergency_close, name="emergency-close"),
    path("emergencies/<int:pk>/link/", emergencies.emergency_link, name="emergency-link"),
    path("emergencies/<int:pk>/record/", emergencies.emergency_record, name="emergency-record"),
    path("emergencies/<int:pk>/answer/", alarm.emergency_answer, name="emergency-answer"),  # before the marks
    path(
        "emergencies/<int:pk>/<str:what>/",
        emergencies.emergency_mark,
        name="emergency-mark",
    ),
]
