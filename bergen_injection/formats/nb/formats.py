"""Bokmål: "6. mars 2017", "mandag 6. mars 2017", "mar 2017"; month and weekday names in lower case."""

# Django's own names.
DATE_FORMAT = "j. F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j. F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"

# Ours (the same names in every language's module).
# A day with its weekday: a day sheet's or a history day's heading, a one-day period.
WEEKDAY_DATE_FORMAT = "l j. F Y"
# A day of a week already named: the roster's days, a shift's day.
WEEKDAY_MONTH_DAY_FORMAT = "l j. F"
# A moment with its weekday: an incident's or a handover's heading.
WEEKDAY_DATETIME_FORMAT = "l j. F Y H:i"
# A month in little room (links to the neighbouring month, the per-month chart): "mar 2017".
SHORT_YEAR_MONTH_FORMAT = "b Y"
# A day in little room (links to the neighbouring day): "6. mar".
SHORT_MONTH_DAY_FORMAT = "j. b"
# A date in digits, as a period's bounds in a report's footer: "6.3.2017".
NUMERIC_DATE_FORMAT = "j.n.Y"
# A moment in digits, as when a report was made: "6.3.2017 14:05".
NUMERIC_DATETIME_FORMAT = "j.n.Y H:i"
# A day in digits, the start of a range whose end names the year: "6.3.".
NUMERIC_MONTH_DAY_FORMAT = "j.n."
# The per-day chart's labels: "6.3.".
CHART_DAY_FORMAT = "j.n."
# A day of the coming week in little room (a shift list, the coming days' hours): "man 6.3.".
SHORT_WEEKDAY_DAY_FORMAT = "D j.n."
# The start of a stretch of time in little room (a counseling session, an understaffed spell): "man 6.3. 08:00".
SHORT_WEEKDAY_DATETIME_FORMAT = "D j.n. H:i"
