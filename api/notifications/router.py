"""The signed-in user's notification inbox."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth.dependencies import UserDep
from api.core.db import SessionDep
from api.core.pagination import Cursor, PageSize
from api.notifications import schemas, service

router = APIRouter(prefix="/notifications", tags=["notifications"])


@router.get("", response_model=schemas.Inbox)
async def list_notifications(
    session: SessionDep, actor: UserDep, unread_only: bool = False, limit: PageSize = 25, cursor: Cursor = None
) -> schemas.Inbox:
    """Newest first, with the unread count."""
    return await service.inbox(session, actor=actor, unread_only=unread_only, limit=limit, cursor=cursor)


@router.post("/read", response_model=schemas.MarkedRead)
async def mark_notifications_read(body: schemas.MarkRead, session: SessionDep, actor: UserDep) -> schemas.MarkedRead:
    return await service.mark_read(session, actor=actor, ids=body.ids)
