from django.urls import path

from counseling.views import interview, referrals

app_name = "counseling"

urlpatterns = [
    path("", interview.interview, name="interview"),
    path("intake/<int:pk>/", interview.intake_create, name="intake-create"),
    path("sessions/new/", interview.session_create, name="session-create"),
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/new/", referrals.referral_create_view, name="referral-create"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/status/", referrals.referral_status, name="referral-status"),
    path("referrals/<int:pk>/follow-up/", referrals.referral_follow_up, name="referral-follow-up"),
]
