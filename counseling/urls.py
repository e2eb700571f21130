from django.urls import path

from counseling import views

app_name = "counseling"

urlpatterns = [
    path("", views.interview, name="interview"),
    path("intake/<int:pk>/", views.intake_create, name="intake-create"),
]
