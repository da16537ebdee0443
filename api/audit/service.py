"""Reading the audit log (Secretariat only)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.audit import repository, schemas
from api.core.actor import Actor
from api.core.errors import Forbidden
from api.core.pagination import decode_cursor, encode_cursor


async def list_events(
    session: AsyncSession,
    *,
    actor: Actor,
    record_type: str | None,
    record_id: str | None,
    actor_user_id: uuid.UUID | None,
    action: str | None,
    request_id: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    cursor: str | None,
) -> schemas.AuditEventPage:
    if not actor.is_secretariat:
        raise Forbidden("Only the Secretariat reads the audit log")
    before_id = int(decode_cursor(cursor, key="audit", length=1)[0]) if cursor else None
    rows = await repository.page(
        session,
        record_type=record_type,
        record_id=record_id,
        actor_user_id=actor_user_id,
        action=action,
        request_id=request_id,
        since=since,
        until=until,
        before_id=before_id,
        limit=limit + 1,
    )
    next_cursor = encode_cursor("audit", [rows[limit - 1].id]) if len(rows) > limit else None
    return schemas.AuditEventPage(
        items=[schemas.AuditEvent.model_validate(r) for r in rows[:limit]], next_cursor=next_cursor
    )
