"""Engine, session factory and the per-request session.

One session per request; the request's session commits once, after the handler returned and before the
response is sent (`scope="function"`), so a failed commit becomes an error response, never a 200 followed
by a silent loss. Services never commit.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from api.core.config import Settings
from api.core.embedded_db import embedded_server_url


def resolve_database_url(settings: Settings) -> str:
    """DATABASE_URL when set, otherwise the embedded server (never in production: settings refuse it)."""
    if settings.database_url:
        return normalise_url(settings.database_url)
    return embedded_server_url(settings.data_dir)


def normalise_url(url: str) -> str:
    """Accept plain `postgresql://` / `postgres://` URLs and use the asyncpg driver."""
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise ValueError("DATABASE_URL must be a PostgreSQL URL (postgresql://...)")


def make_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={
            "server_settings": {
                "application_name": "acsg",
                "timezone": "UTC",
                # Generic plans stay allowed: the lists and searches whose skewed filters need a plan for their
                # values ask for it per transaction (api/core/sql.py plan_for_the_values).
            }
        },
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


class Database:
    """What the app holds: the engine and the factory its sessions come from (tests swap the factory)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessionmaker = make_sessionmaker(engine)

    async def dispose(self) -> None:
        await self.engine.dispose()


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.database
    session = database.sessionmaker()
    session.info["request_id"] = getattr(request.state, "request_id", None)
    session.info["http_method"] = request.method
    try:
        yield session
        await session.commit()
    except BaseException:
        await session.rollback()
        raise
    finally:
        await session.close()


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
