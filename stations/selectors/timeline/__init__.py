"""The client timeline: everything that happened to one client, a month at a time, newest first.

Each kind of record is a *source*: the client's rows of one model, the field that places a row in time,
the values an item shows (as the viewer may see them: what they may not see is never fetched), and a
function that turns those values into a ``TimelineItem``. A source carries the permission needed to see
it at all; a source the viewer may not see is never queried. Add a source by appending it to
``SOURCES`` in ``sources``; the template needs no change.

The page costs three queries however long the client's history and whatever it holds, and reads no
more of the history than the shown year: one finds each source's first and last moment (one step into
the source's (client, time) index each way), for the list of years and the latest month; one counts the
shown year's rows of every source per month (``UNION ALL`` of one ``COUNT(*) ... GROUP BY`` month per
source, read from the (client, time) index alone) for the index of months, with the nearest month
before and after the year for the links onwards; one fetches a page of the month's items from every
source at once (``UNION ALL``, newest first, a row's values and its parts, such as a visit's rooms and
timers, as one JSON object). A busy month is shown ``PER_PAGE`` items at a time, the latest first. A new
source needs an index on (client, its time field), as the others have (a referral's changes: on
(referral, time), under the client's referrals).
"""

from stations.selectors.timeline.items import Detail, Step, TimelineItem, TimelineSource
from stations.selectors.timeline.page import PER_PAGE, TimelinePage, client_timeline

__all__ = [
    "PER_PAGE",
    "Detail",
    "Step",
    "TimelineItem",
    "TimelinePage",
    "TimelineSource",
    "client_timeline",
]
