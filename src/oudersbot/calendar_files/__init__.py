"""Reading a school's year calendar (ICS or CSV) and its reminder-rules file into domain types.

Files in, `oudersbot.domain.calendar` types or a list of problems out: no database, no
telegram. `calendar_file.read_calendar` reads a year calendar, `rules_file.load_schedule` the
reminder rules, quiet hours and month-overview time.
"""
