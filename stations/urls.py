from django.urls import path

from staff.views import displays
from stations.views import bans, close_out, display, floor, injection, observation, reception, timeline

# The station pages keep the names they had in the visits app ("visits:reception" ...).
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
    path("injection/", injection.injection, name="injection"),
    path("injection/board/", injection.injection_board, name="injection-board"),
    path("observation/", observation.observation, name="observation"),
    path("observation/board/", observation.observation_board, name="observation-board"),
    path("floor/", floor.floor, name="floor"),
    path("floor/board/", floor.floor_board, name="floor-board"),
    path("display/", display.display, name="display"),
    path("display/board/", display.display_board, name="display-board"),
    # A wall display's secret link (its view is the staff app's: who a display is); after the board's.
    path("display/<str:token>/", displays.display_enter, name="display-enter"),
    path("visits/<int:pk>/assign-booth/", injection.booth_assign_view, name="booth-assign"),
    path("booth-sessions/<int:pk>/end/", injection.booth_end_view, name="booth-end"),
    path("visits/<int:pk>/hand-out/", injection.visit_hand_out_view, name="visit-hand-out"),
    path("visits/<int:pk>/check/", observation.observation_check_view, name="observation-check"),
    path("observations/<int:pk>/release/", observation.observation_release_view, name="observation-release"),
    path("visits/<int:pk>/move/", floor.visit_move_view, name="visit-move"),
    path("visits/<int:pk>/check-out/", floor.visit_check_out_view, name="visit-check-out"),
    path("close-out/", close_out.close_out, name="close-out"),
    path("close-out/all/", close_out.close_out_all_view, name="close-out-all"),
    path("visits/<int:pk>/close/", close_out.visit_close_out_view, name="visit-close"),
]

# The client timeline, linked from the interview room, keeps its address and its name there
# ("counseling:client-timeline"): the project's URLs put it in the counseling app's namespace.
timeline_urlpatterns = [
    path("clients/<int:pk>/timeline/", timeline.client_timeline_view, name="client-timeline"),
]
