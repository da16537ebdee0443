"""The worker's webhook jobs: dispatching committed changes (periodic) and delivering (outbox handler)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from api.core.config import Settings
from api.integrations.service import prune_rate_windows
from api.models.outbox import OutboxMessage
from api.webhooks import delivery, repository
from api.worker import handler, periodic


@periodic("webhooks.dispatch")
async def dispatch_webhooks(session: AsyncSession, settings: Settings) -> int:
    return await delivery.dispatch(session, settings)


@handler(repository.DELIVER)
async def deliver_webhook(session: AsyncSession, message: OutboxMessage, settings: Settings) -> None:
    await delivery.attempt(
        session,
        uuid.UUID(message.payload["delivery_id"]),
        settings,
        since=datetime.fromisoformat(message.payload["since"]),
    )


@periodic("integrations.prune_rate_windows")
async def prune_integration_rate_windows(session: AsyncSession, settings: Settings) -> int:
    return await prune_rate_windows(session)
