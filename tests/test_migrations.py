"""The migrations build exactly the models' schema, and round-trip down and up."""

from __future__ import annotations

import uuid
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from api.core.migrate import downgrade, upgrade
from api.models import Base
from tests.conftest import _admin, drop_database, url_for


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_models_and_migrations_agree_and_round_trip(server: str) -> None:
    name = f"acsg_migrations_{uuid.uuid4().hex[:10]}"
    await _admin(server, f'CREATE DATABASE "{name}"')
    engine = create_async_engine(url_for(server, name), poolclass=NullPool)
    try:
        await upgrade(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
        await downgrade(engine, "base")
        async with engine.connect() as connection:
            tables = (
                await connection.execute(
                    text(
                        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' "
                        "AND table_name <> 'alembic_version'"
                    )
                )
            ).scalar_one()
            assert tables == 0
        await upgrade(engine)
        async with engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await engine.dispose()
        await drop_database(server, name)
