"""The staff app's models: accounts and wall displays."""

from staff.models.displays import Display
from staff.models.users import User

__all__ = ["Display", "User"]
