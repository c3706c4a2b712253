"""Alembic's environment for the platform: the same migrations on SQLite and PostgreSQL.

Run through :func:`simulator.platform.db.upgrade`, which hands over a connection already in a
transaction (holding SQLite's write lock or a PostgreSQL advisory lock); the alembic command
line works too, given ``-x url=...`` or ``sqlalchemy.url``.
"""

from alembic import context
from sqlalchemy import create_engine

from simulator.platform.models import Base

config = context.config


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      # SQLite cannot alter a column in place: batch mode copies the table.
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as conn:
        run(conn)
        conn.commit()
    engine.dispose()
