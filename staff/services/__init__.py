"""Writes of the staff app: accounts and wall displays.

The account services stay importable from here (``from staff import services``).
"""

from staff.services.accounts import demo_staff_create, user_set_language, users_deactivate

__all__ = ["demo_staff_create", "user_set_language", "users_deactivate"]
