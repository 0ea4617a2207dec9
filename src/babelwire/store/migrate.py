"""Schema migrations, run from code (no alembic.ini at run time).

The migration scripts ship inside the package (``store/migrations``), so an
installed babelwire can upgrade any database it is pointed at. Migrations are
append-only: a released revision is never edited; a change is a new revision.

To write the next revision (developers only)::

    from alembic import command
    command.revision(alembic_config(), "add translations", rev_id="0002")
"""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

from babelwire.store.engine import reading, writing

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

#: Alembic keeps the running migration in module globals (``alembic.context``,
#: ``alembic.op``), so two threads of one process must not migrate at once,
#: even on different databases.
_ALEMBIC_LOCK = threading.Lock()

#: Key of the PostgreSQL advisory lock held while migrating ("bwmigrat" in hex).
MIGRATION_LOCK_ID = 0x62776D6967726174


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        # env.py runs the migrations on this connection, inside our transaction.
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the database to the newest revision; a no-op when it is there.

    Everything runs in one write transaction (both SQLite and PostgreSQL have
    transactional DDL), so a failed upgrade leaves the previous schema intact,
    and on SQLite two processes that migrate at once take turns.
    """
    with _ALEMBIC_LOCK, writing(engine, "migrating the schema") as connection:
        if connection.dialect.name == "postgresql":
            # Two processes starting at once would both create the tables and
            # one would fail; the lock makes the second wait and find them.
            # (SQLite gets the same from BEGIN IMMEDIATE, see engine.py.)
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(MIGRATION_LOCK_ID)))
        command.upgrade(alembic_config(connection), "head")


def current_revision(engine: Engine) -> str | None:
    with reading(engine, "reading the schema revision") as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
