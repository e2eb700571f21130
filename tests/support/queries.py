"""What a page asks of the database on its own, beyond what every request pays.

Every request reads the session, the user and their permissions, the facility (with the floor's
change counter) and its opening hours, who is on duty for the header (kept per process: read again
only after a change of the settings or the roster, or on a new day), and the open emergencies for the
alarm banner (tests/health/test_alarm.py); those are measured and cut elsewhere. Transaction
control (BEGIN, COMMIT, savepoints) is left out too: it is counted with the writes it frames.
"""

from __future__ import annotations

import re

EVERY_REQUEST = {
    "django_session",
    "staff_user",
    "auth_permission",
    "auth_group",
    "visits_facility",
    "visits_closedday",
    "visits_openinghoursperiod",
    "visits_openinghours",
    "duty_shiftassignment",
    "visits_floorstate",  # the floor's counter, read in the facility row's query (a subquery, named first)
    "health_emergencyresponder",  # who answered, for the alarm banner: only while an emergency is open
}
# The alarm banner's open emergencies; a page's own reads of emergencies (a client's history) still count.
_ALARM = re.compile(r'FROM "health_emergency" .*WHERE "health_emergency"\."ended_at" IS NULL ORDER BY')
_MAIN_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"(\w+)"')
_TRANSACTION = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b")


def own_queries(captured) -> list[str]:
    """The SQL of the page's own queries in a ``CaptureQueriesContext``."""
    own = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if _TRANSACTION.match(sql) or _ALARM.search(sql):
            continue
        table = _MAIN_TABLE.search(sql)
        if table is None or table.group(1) not in EVERY_REQUEST:
            own.append(sql)
    return own
