"""Date and time formats per language (FORMAT_MODULE_PATH), read before Django's own for the language.

Headings, titles and chart labels name a format here instead of spelling a pattern, so that each language
writes a date its own way: ``{{ day|date:"WEEKDAY_DATE_FORMAT" }}``, ``date_format(day, "YEAR_MONTH_FORMAT")``.
Bokmål writes "mandag 6. mars 2017" (month and weekday in lower case), English the British way,
"Monday 6 March 2017"; times are 24-hour in both.

Only display formats live here: the input formats (``DATE_INPUT_FORMATS`` and the like) stay Django's
for each language, so every form accepts what it accepted before. Every name defined in one language's
module is defined in the other's: a name missing from both would be taken as a pattern itself.
"""
