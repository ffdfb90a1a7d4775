"""oudersbot: school messages every parent understands, on Telegram."""

__version__ = "0.1.0"
