"""Queries on webhook subscriptions and deliveries."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from api.core.pagination import after, decode_cursor, encode_cursor
from api.models.base import new_id
from api.models.integrations import IntegrationClient, WebhookDelivery, WebhookSubscription
from api.models.outbox import OutboxMessage

DELIVER = "webhook.deliver"


async def subscription_of(
    session: AsyncSession, client_id: uuid.UUID, subscription_id: uuid.UUID
) -> WebhookSubscription | None:
    return (
        await session.execute(
            select(WebhookSubscription).where(
                WebhookSubscription.id == subscription_id, WebhookSubscription.client_id == client_id
            )
        )
    ).scalar_one_or_none()


async def subscriptions_of(session: AsyncSession, client_id: uuid.UUID) -> Sequence[WebhookSubscription]:
    return (
        (
            await session.execute(
                select(WebhookSubscription)
                .where(WebhookSubscription.client_id == client_id)
                .order_by(WebhookSubscription.created_at, WebhookSubscription.id)
                .limit(500)
            )
        )
        .scalars()
        .all()
    )


async def subscription(session: AsyncSession, subscription_id: uuid.UUID) -> WebhookSubscription | None:
    return await session.get(WebhookSubscription, subscription_id)


async def all_subscriptions(session: AsyncSession, client_id: uuid.UUID | None = None) -> Sequence[WebhookSubscription]:
    """Every client's subscriptions (or one client's), for the Secretariat."""
    statement = select(WebhookSubscription)
    if client_id is not None:
        statement = statement.where(WebhookSubscription.client_id == client_id)
    statement = statement.order_by(WebhookSubscription.created_at, WebhookSubscription.id).limit(1000)
    return (await session.execute(statement)).scalars().all()


async def delivery_summaries(
    session: AsyncSession, subscription_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Per subscription: deliveries by status and the time of the latest one."""
    if not subscription_ids:
        return {}
    rows = await session.execute(
        select(
            WebhookDelivery.subscription_id,
            WebhookDelivery.status,
            func.count(),
            func.max(WebhookDelivery.created_at),
        )
        .where(WebhookDelivery.subscription_id.in_(subscription_ids))
        .group_by(WebhookDelivery.subscription_id, WebhookDelivery.status)
    )
    summaries: dict[uuid.UUID, dict[str, Any]] = {}
    for subscription_id, status, count, latest in rows.all():
        summary = summaries.setdefault(subscription_id, {"counts": {}, "latest": None})
        summary["counts"][status] = int(count)
        if summary["latest"] is None or latest > summary["latest"]:
            summary["latest"] = latest
    return summaries


async def claim_active_subscriptions(session: AsyncSession) -> Sequence[Any]:
    """Active subscriptions of live clients, locked for this dispatcher (others skip them)."""
    statement = (
        select(WebhookSubscription, IntegrationClient)
        .join(IntegrationClient, IntegrationClient.id == WebhookSubscription.client_id)
        .where(WebhookSubscription.is_active.is_(True), IntegrationClient.revoked_at.is_(None))
        .order_by(WebhookSubscription.id)
        .with_for_update(of=WebhookSubscription, skip_locked=True)
    )
    return (await session.execute(statement)).all()


async def delivery_for_update(session: AsyncSession, delivery_id: uuid.UUID) -> Any:
    statement = (
        select(WebhookDelivery, WebhookSubscription, IntegrationClient)
        .join(WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id)
        .join(IntegrationClient, IntegrationClient.id == WebhookSubscription.client_id)
        .where(WebhookDelivery.id == delivery_id)
        .with_for_update(of=WebhookDelivery)
    )
    return (await session.execute(statement)).first()


async def insert_deliveries(session: AsyncSession, rows: list[dict[str, Any]]) -> list[tuple[uuid.UUID, datetime]]:
    """Insert deliveries, skipping events a subscription already has; (id, created_at) of those inserted."""
    if not rows:
        return []
    result = await session.execute(
        insert(WebhookDelivery)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["subscription_id", "event_id"])
        .returning(WebhookDelivery.id, WebhookDelivery.created_at)
    )
    return [(row.id, row.created_at) for row in result]


async def enqueue_attempts(session: AsyncSession, attempts: list[tuple[uuid.UUID, int, datetime, datetime]]) -> None:
    """Outbox messages for delivery attempts: (delivery id, attempt number, due time, retry window start)."""
    if not attempts:
        return
    rows = [
        {
            "id": new_id(),
            "kind": DELIVER,
            "dedup_key": f"webhook:{delivery_id}:{attempt}",
            "payload": {"delivery_id": str(delivery_id), "since": since.isoformat()},
            "status": "pending",
            "attempts": 0,
            "next_attempt_at": due,
            "created_at": due,
        }
        for delivery_id, attempt, due, since in attempts
    ]
    await session.execute(insert(OutboxMessage).values(rows).on_conflict_do_nothing(index_elements=["dedup_key"]))


async def deliveries_page(
    session: AsyncSession,
    subscription_id: uuid.UUID,
    *,
    status: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[WebhookDelivery], str | None]:
    statement = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
    if status:
        statement = statement.where(WebhookDelivery.status == status)
    columns = [WebhookDelivery.created_at, WebhookDelivery.id]
    if cursor:
        statement = statement.where(after(columns, decode_cursor(cursor, key="deliveries", length=2), [True, True]))
    rows = (
        (
            await session.execute(
                statement.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id.desc()).limit(limit + 1)
            )
        )
        .scalars()
        .all()
    )
    next_cursor = (
        encode_cursor("deliveries", [rows[limit - 1].created_at, rows[limit - 1].id]) if len(rows) > limit else None
    )
    return rows[:limit], next_cursor


async def delivery_of(
    session: AsyncSession, subscription_id: uuid.UUID, delivery_id: uuid.UUID
) -> WebhookDelivery | None:
    return (
        await session.execute(
            select(WebhookDelivery).where(
                WebhookDelivery.id == delivery_id, WebhookDelivery.subscription_id == subscription_id
            )
        )
    ).scalar_one_or_none()
