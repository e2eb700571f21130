"""Whole worked-out situations the tests read: a known March, a full history, a client to be forgotten."""
