"""Reads of the staff app: the roster and who is on duty, the handover log, security incidents."""
