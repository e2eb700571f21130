"""Whole worked-out situations the tests read: a known March, two known years, a full history, a client to
be forgotten."""
