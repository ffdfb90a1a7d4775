"""Alembic environment: runs on the connection handed in by `oudersbot.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from oudersbot.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        render_as_batch=conn.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is None:
    from oudersbot.store.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)
else:
    _run(connection)
