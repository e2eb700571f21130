"""The staff app's pages: login and language, the roster, the handover log and security incidents.

The account views stay importable from here (``from staff import views``).
"""

from staff.views.accounts import LoginView, idle_ping, landing, set_language, switch_user

__all__ = ["LoginView", "idle_ping", "landing", "set_language", "switch_user"]
