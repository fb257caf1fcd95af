"""English as a European newsroom writes dates: "30 Nov 2026, 09:43", weeks from Monday.

Django's own "en" formats are American ("Nov. 30, 2026, 9:43 a.m."); what is not set here
(the input formats, ISO among them) still comes from Django's. Other languages keep Django's
formats for them, so the admin's dates follow each editor's chosen language.
"""

DATE_FORMAT = "j M Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1
