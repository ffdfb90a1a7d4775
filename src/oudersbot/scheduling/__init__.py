"""Only the waking: `wakeup` (APScheduler through PTB's JobQueue) decides when to look again,
`lock` keeps the scheduler to one process per SQLite database. Calendar and rules files are
read in `oudersbot.calendar_files`."""
