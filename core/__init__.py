"""Helpers shared by every app that belong to none of them."""
