"""Writes of the staff app: accounts and wall displays.

The account services stay importable from here (``from staff import services``).
"""

from staff.services.accounts import (
    SYSTEM_USERNAME,
    demo_staff_create,
    system_account,
    user_set_language,
    users_deactivate,
)

__all__ = ["SYSTEM_USERNAME", "demo_staff_create", "system_account", "user_set_language", "users_deactivate"]
