"""The staff app's pages: login, language, switching user and the idle clock.

The account views stay importable from here (``from staff import views``).
"""

from staff.views.accounts import LoginView, idle_ping, landing, set_language, switch_user

__all__ = ["LoginView", "idle_ping", "landing", "set_language", "switch_user"]
