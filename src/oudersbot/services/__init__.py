"""Use cases that the bot handlers, the CLI and the scheduler all call.

Each function takes the `Deps` first and owns its transaction.
"""
