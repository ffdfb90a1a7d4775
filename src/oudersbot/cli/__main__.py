"""`python -m oudersbot.cli`: the same as the `oudersbot` command."""

from oudersbot.cli import main

main()
