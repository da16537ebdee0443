"""Writing side effects to the outbox, in the caller's transaction. The worker (api/worker.py) delivers them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.core import clock
from api.models.base import new_id
from api.models.outbox import OutboxMessage


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    dedup_key: str,
    payload: dict[str, Any],
    recipient_user_id: uuid.UUID | None = None,
    not_before: datetime | None = None,
) -> None:
    """Add a message unless one with the same dedup key exists (a retried request sends nothing twice).

    Payloads carry ids and already-rendered text, never ORM objects.
    """
    now = clock.now()
    statement = (
        insert(OutboxMessage)
        .values(
            id=new_id(),
            kind=kind,
            dedup_key=dedup_key,
            payload=payload,
            status="pending",
            attempts=0,
            next_attempt_at=not_before or now,
            created_at=now,
            recipient_user_id=recipient_user_id,
        )
        .on_conflict_do_nothing(index_elements=["dedup_key"])
    )
    await session.execute(statement)
