# English as the portal writes it: day before month, as in bokmål and nynorsk (Django's own English
# is American: «Sept. 1, 2027, 1 p.m.», «09/01/2027»). Numbers stay English: 1,250,000.50.
DATE_FORMAT = "j F Y"  # 1 September 2027
SHORT_DATE_FORMAT = "d.m.Y"  # 01.09.2027
DATETIME_FORMAT = "j F Y, H:i"  # 1 September 2027, 13:00
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"  # 01.09.2027, 13:00
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# What a form reads: day first, never the American month first (01/09/2027 is 1 September).
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1  # Monday
# A time is shown 13:00 and read as 13:00, 13.00 or «kl. 13:00» (the first format is the one shown).
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "kl. %H:%M", "kl. %H.%M", "kl.%H:%M", "kl %H:%M"]
DATETIME_INPUT_FORMATS = [*DATETIME_INPUT_FORMATS, "%d.%m.%Y kl. %H:%M", "%d.%m.%Y kl. %H.%M", "%d.%m.%Y %H.%M"]
