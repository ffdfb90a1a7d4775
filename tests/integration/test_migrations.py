"""The Alembic migrations build exactly the schema the models describe, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from oudersbot.store.db import Database
from oudersbot.store.migrate import upgrade
from oudersbot.store.models import Base


def test_migrations_match_the_models(database: Database) -> None:
    upgrade(database)
    upgrade(database)  # a second run is a no-op
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
