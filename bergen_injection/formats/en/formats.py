"""English, the British way with 24-hour times: "6 March 2017", "Monday 6 March 2017", "March 2017"."""

# Django's own names (its English ones are American: "March 6, 2017", "2:30 p.m.", "03/06/2017").
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"

# Ours: see the Bokmål module for where each is used.
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_MONTH_DAY_FORMAT = "l j F"
WEEKDAY_DATETIME_FORMAT = "l j F Y H:i"
SHORT_YEAR_MONTH_FORMAT = "M Y"
SHORT_MONTH_DAY_FORMAT = "j M"
NUMERIC_DATE_FORMAT = "j/n/Y"
# A moment in digits, as when a report was made: "6/3/2017 14:05".
NUMERIC_DATETIME_FORMAT = "j/n/Y H:i"
NUMERIC_MONTH_DAY_FORMAT = "j/n"
CHART_DAY_FORMAT = "j M"
SHORT_WEEKDAY_DAY_FORMAT = "D j/n"
SHORT_WEEKDAY_DATETIME_FORMAT = "D j/n H:i"
