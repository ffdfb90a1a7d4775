"""`oudersbot init`: a school's starting configuration, before there is any database."""

from __future__ import annotations

from pathlib import Path

import click

from oudersbot.cli.common import STAFF
from oudersbot.services.school_setup import SetupError, write_starting_configuration
from oudersbot.settings import PACKAGE_DIR
from oudersbot.translation.catalog import Words


@click.command(name="init")
@click.argument(
    "folder",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--school", default="school", help="The school's short name (lower case), e.g. regenboog."
)
def init_command(folder: Path, school: str) -> None:
    """Write a .env and the school's own copy of the templates and rules into FOLDER."""
    words = Words.load(PACKAGE_DIR / "locales")
    try:
        config = write_starting_configuration(folder, school)
    except SetupError as exc:
        click.echo(words.text(STAFF, f"cli.init.{exc.code}", **exc.params), err=True)
        raise SystemExit(1) from None
    click.echo(
        words.text(
            STAFF,
            "cli.init.done",
            env=config.env_file,
            data=config.data_dir,
            messages=config.messages_dir,
            scheduler=config.scheduler_dir,
        )
    )
