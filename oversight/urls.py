from django.urls import path

from oversight import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_index, name="index"),
    path("clients/<int:pk>/", views.client_report, name="client-report"),
    path("clients/<int:pk>/export/", views.client_export_view, name="client-export"),
    path("staff/", views.access_review, name="access-review"),
    path("admin-changes/", views.admin_changes_view, name="admin-changes"),
]
