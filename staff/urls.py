from django.contrib.auth import views as auth_views
from django.urls import path

from staff import views

app_name = "staff"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="language"),
    path("switch-user/", views.switch_user, name="switch-user"),
    path("session/ping/", views.idle_ping, name="idle-ping"),
]
