"""oudersbot: school messages every parent understands, on Telegram."""

import os

# python-telegram-bot 22 deprecates integer time periods (retry_after); take the
# timedelta behaviour now, as its documentation advises, so no deprecation path runs.
os.environ.setdefault("PTB_TIMEDELTA", "1")

__version__ = "0.1.0"
