"""Queries on the notification inbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.pagination import after, decode_cursor
from api.models.matches import Notification


async def page(
    session: AsyncSession, user_id: uuid.UUID, *, unread_only: bool, limit: int, cursor: str | None
) -> Sequence[Notification]:
    statement = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        statement = statement.where(Notification.read_at.is_(None))
    columns = [Notification.created_at, Notification.id]
    if cursor:
        statement = statement.where(after(columns, decode_cursor(cursor, key="inbox", length=2), [True, True]))
    return (
        (await session.execute(statement.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))
        .scalars()
        .all()
    )


async def unread_count(session: AsyncSession, user_id: uuid.UUID) -> int:
    statement = (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int((await session.execute(statement)).scalar_one())


async def mark_read(session: AsyncSession, user_id: uuid.UUID, ids: list[uuid.UUID] | None, at: datetime) -> int:
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(ids))
    result = await session.execute(statement.values(read_at=at).returning(Notification.id))
    return len(list(result.scalars()))
