"""Alembic environment: runs on the engine `monitor init` hands over, or on a URL from
``-x db=URL`` / ``MONITOR_DATABASE_URL`` when the `alembic` command is used in a checkout."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from monitor.db.engine import open_engine
from monitor.db.models import Base, UTCDateTime
from monitor.settings import DEFAULT_DATABASE_URL, normalise_database_url

config = context.config
target_metadata = Base.metadata

#: Objects that are not ours to compare: the full-text index (FTS5 and its shadow tables,
#: or the tsvector table) and the scheduler's job store.
UNMODELLED_TABLE_PREFIXES = ("articles_fts", "apscheduler_")


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if type_ == "table" and name and name.startswith(UNMODELLED_TABLE_PREFIXES):
        return False
    table = getattr(obj, "table", None)
    return not (table is not None and table.name.startswith(UNMODELLED_TABLE_PREFIXES))


def render_item(type_, obj, autogen_context):  # type: ignore[no-untyped-def]
    """Write our UTC type as a plain timezone-aware DateTime: migrations stay frozen and never
    import the models."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = (
            context.get_x_argument(as_dictionary=True).get("db")
            or os.environ.get("MONITOR_DATABASE_URL")
            or DEFAULT_DATABASE_URL
        )
        engine = open_engine(normalise_database_url(url))
    with engine.connect() as connection:
        _configure_and_run(connection)
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported: run them on a database")
run_migrations_online()
