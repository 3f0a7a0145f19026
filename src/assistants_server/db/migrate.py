"""Run Alembic from code: `serve` and `migrate` bring the database to head."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    config.attributes["database_url"] = database_url
    return config


def upgrade_to_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


async def is_at_head(database_url: str) -> bool:
    """Whether the database is migrated to this version's head (False if it cannot be read)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from assistants_server.db.session import create_engine

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            current = await connection.run_sync(
                lambda sync: MigrationContext.configure(sync).get_current_revision()
            )
    except Exception:
        return False
    finally:
        await engine.dispose()
    return bool(current == head)
