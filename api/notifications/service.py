"""The inbox: each user reads and marks their own notifications only."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from api.core import audit, clock
from api.core.actor import Actor
from api.core.errors import Unauthorized
from api.core.pagination import encode_cursor
from api.notifications import repository, schemas


def _user(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise Unauthorized("Sign in to read your notifications")
    return actor.user_id


async def inbox(
    session: AsyncSession, *, actor: Actor, unread_only: bool, limit: int, cursor: str | None
) -> schemas.Inbox:
    user_id = _user(actor)
    rows = await repository.page(session, user_id, unread_only=unread_only, limit=limit + 1, cursor=cursor)
    next_cursor = (
        encode_cursor("inbox", [rows[limit - 1].created_at, rows[limit - 1].id]) if len(rows) > limit else None
    )
    return schemas.Inbox(
        items=[schemas.Notification.model_validate(r) for r in rows[:limit]],
        unread=await repository.unread_count(session, user_id),
        next_cursor=next_cursor,
    )


async def mark_read(session: AsyncSession, *, actor: Actor, ids: list[uuid.UUID] | None) -> schemas.MarkedRead:
    marked = await repository.mark_read(session, _user(actor), ids, clock.now())
    await audit.record(session, action="notifications.read", record_type="notifications", note=f"{marked} marked read")
    return schemas.MarkedRead(marked=marked)
