"""What a page asks of the database on its own, beyond what every request pays.

Every request reads the session, the user and their permissions, the facility and its opening
hours, and who is on duty for the header; those are measured and cut elsewhere. Transaction
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
    "staff_shiftassignment",
}
_MAIN_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"(\w+)"')
_TRANSACTION = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b")


def own_queries(captured) -> list[str]:
    """The SQL of the page's own queries in a ``CaptureQueriesContext``."""
    own = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if _TRANSACTION.match(sql):
            continue
        table = _MAIN_TABLE.search(sql)
        if table is None or table.group(1) not in EVERY_REQUEST:
            own.append(sql)
    return own
