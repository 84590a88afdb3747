# Norwegian formats as public services write them: 22.11.2026, 22.11.2026 kl. 13:00, 1 250 000.
DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "d.m.Y"
DATETIME_FORMAT = r"d.m.Y \k\l. H:i"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H:i"
TIME_FORMAT = "H:i"
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space, so an amount never wraps
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
# A time is shown 13:00 and read as 13:00, 13.00 or «kl. 13:00» (the first format is the one shown).
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M", "kl. %H:%M", "kl. %H.%M", "kl.%H:%M", "kl %H:%M"]
DATETIME_INPUT_FORMATS = [*DATETIME_INPUT_FORMATS, "%d.%m.%Y kl. %H:%M", "%d.%m.%Y kl. %H.%M", "%d.%m.%Y %H.%M"]
