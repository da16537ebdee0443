"""Queries on the audit log: newest first, keyset by id (ids grow with time)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.models.audit import AuditEvent


async def page(
    session: AsyncSession,
    *,
    record_type: str | None,
    record_id: str | None,
    actor_user_id: uuid.UUID | None,
    action: str | None,
    request_id: str | None,
    since: datetime | None,
    until: datetime | None,
    before_id: int | None,
    limit: int,
) -> Sequence[AuditEvent]:
    statement = select(AuditEvent)
    if record_type:
        statement = statement.where(AuditEvent.record_type == record_type)
    if record_id:
        statement = statement.where(AuditEvent.record_id == record_id)
    if actor_user_id:
        statement = statement.where(AuditEvent.actor_user_id == actor_user_id)
    if action:
        statement = statement.where(AuditEvent.action.startswith(action, autoescape=True))
    if request_id:
        statement = statement.where(AuditEvent.request_id == request_id)
    if since:
        statement = statement.where(AuditEvent.occurred_at >= since)
    if until:
        statement = statement.where(AuditEvent.occurred_at < until)
    if before_id is not None:
        statement = statement.where(AuditEvent.id < before_id)
    return (await session.execute(statement.order_by(AuditEvent.id.desc()).limit(limit))).scalars().all()
