"""Turning committed changes into deliveries, and delivering them.

- **Dispatch** (a periodic worker job): each active subscription is locked (`SKIP LOCKED`, so several
  workers share the work), the change feed is read after the subscription's cursor with the client as the
  reader (commit order, only records it may see, only resources of its scopes), a delivery row is written
  per matching event (unique per subscription and event) with an outbox message for its first attempt, and
  the cursor advances, all in one transaction: nothing is skipped and nothing is dispatched twice.
- **Delivery** (the outbox handler `webhook.deliver`): the body is built at delivery time through the
  resource's normal read path with the client as the caller, so it holds exactly what the client may read
  then. A record the client can no longer see is not sent at all: the delivery is marked `skipped` and no
  tombstone goes out, since even `{"type", "id"}` would tell the subscriber about a record it may not see.
- **Retries**: a failed attempt is logged on the delivery (response code, error) and the next attempt is
  queued with exponential backoff until 30 hours after the delivery was (re)queued; then it is `failed`.
  Redirects are not followed; the target is checked again before each attempt.
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from api.changes import registry
from api.changes import repository as changes
from api.changes import resources as _resources  # noqa: F401 - the resources followed from the start
from api.core import clock
from api.core.actor import Actor
from api.core.config import Settings
from api.core.errors import NotFound
from api.integrations.service import actor_for_client
from api.models.integrations import WebhookDelivery, WebhookSubscription
from api.webhooks import repository, signing, targets
from api.worker import GIVE_UP_AFTER, retry_delay

log = logging.getLogger(__name__)

# Tests replace the transport (an httpx.MockTransport) to play the receiver.
TRANSPORT: httpx.AsyncBaseTransport | None = None
EVENTS_PER_PAGE = 500
PAGES_PER_RUN = 20


def message_id(delivery_id: uuid.UUID) -> str:
    return f"msg_{delivery_id.hex}"


def matches(event_types: list[str], event_type: str) -> bool:
    resource = event_type.split(".", 1)[0]
    return "*" in event_types or event_type in event_types or f"{resource}.*" in event_types


def subscribed_resources(event_types: list[str], actor: Actor) -> list[str]:
    followed = registry.followed_by(actor)
    if "*" in event_types:
        return followed
    return [name for name in followed if any(t.split(".", 1)[0] == name for t in event_types)]


async def dispatch(session: AsyncSession, settings: Settings) -> int:
    """Create the deliveries of every change committed since each subscription's cursor; how many."""
    created = 0
    for subscription, client in await repository.claim_active_subscriptions(session):
        actor = await actor_for_client(session, client, settings=settings)
        resources = subscribed_resources(subscription.event_types, actor)
        position = changes.Position(subscription.cursor_txid, subscription.cursor_event_id)
        for _ in range(PAGES_PER_RUN):
            found, position, more = await changes.scan(
                session, actor, after=position, resources=resources, limit=EVENTS_PER_PAGE, scan_limit=5000
            )
            now = clock.now()
            rows = [
                {
                    "id": uuid.uuid4(),
                    "subscription_id": subscription.id,
                    "event_id": change.id,
                    "event_type": registry.event_type(change.resource, change.operation),
                    "resource": change.resource,
                    "record_id": change.record_id,
                    "record_version": change.version,
                    "occurred_at": change.occurred_at,
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for change in found
                if matches(subscription.event_types, registry.event_type(change.resource, change.operation))
            ]
            inserted = await repository.insert_deliveries(session, rows)
            await repository.enqueue_attempts(session, [(i, 1, now, at) for i, at in inserted])
            created += len(inserted)
            if not more:
                break
        # A plain UPDATE: moving the cursor is bookkeeping, not a change of the subscription to audit.
        await session.execute(
            update(WebhookSubscription)
            .where(WebhookSubscription.id == subscription.id)
            .values(cursor_txid=position.txid, cursor_event_id=position.event_id)
        )
    return created


async def payload(session: AsyncSession, actor: Actor, delivery: WebhookDelivery) -> dict[str, Any] | None:
    """The body for `delivery`, read now as `actor`; None when the record may no longer be seen."""
    timestamp = (delivery.occurred_at or delivery.created_at).isoformat()
    if delivery.event_type == "ping":
        return {"type": "ping", "timestamp": timestamp, "data": {"message": "A test event from the ACSG platform"}}
    resource = registry.FEED_RESOURCES.get(delivery.resource or "")
    if resource is None or resource.read is None or delivery.record_id is None:
        return None
    data: dict[str, Any] = {
        "resource": delivery.resource,
        "id": delivery.record_id,
        "version": delivery.record_version,
        "operation": delivery.event_type.rsplit(".", 1)[-1],
    }
    if not delivery.event_type.endswith(".deleted"):
        try:
            record = await resource.read(session, actor, uuid.UUID(delivery.record_id))
        except (NotFound, ValueError):
            return None
        data["record"] = record.model_dump(mode="json")
    return {"type": delivery.event_type, "timestamp": timestamp, "data": data}


async def send(
    subscription: WebhookSubscription, delivery: WebhookDelivery, body: bytes, settings: Settings
) -> tuple[int | None, str | None]:
    """POST the signed body; (response status, error or None when the receiver accepted it with a 2xx)."""
    try:
        target = await targets.resolve(subscription.url, settings)
    except targets.TargetRefused as refused:
        return None, f"Target refused: {refused}"
    headers = signing.headers(
        subscription.secret,
        message_id=message_id(delivery.id),
        timestamp=int(clock.now().timestamp()),
        body=body,
    )
    port = httpx.URL(subscription.url).port
    headers["host"] = target.host if port is None else f"{target.host}:{port}"
    extensions = {"sni_hostname": target.host} if target.url.startswith("https://") else {}
    try:
        async with httpx.AsyncClient(
            transport=TRANSPORT, timeout=settings.webhook_timeout_seconds, follow_redirects=False
        ) as client:
            response = await client.post(target.url, content=body, headers=headers, extensions=extensions)
    except httpx.HTTPError as error:
        return None, f"{type(error).__name__}: {error}"[:1000]
    if 200 <= response.status_code < 300:
        return response.status_code, None
    if 300 <= response.status_code < 400:
        return response.status_code, f"HTTP {response.status_code}: redirects are not followed"
    return response.status_code, f"HTTP {response.status_code}: {response.text[:200]}"


def _body(document: dict[str, Any]) -> bytes:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode()


async def attempt(session: AsyncSession, delivery_id: uuid.UUID, settings: Settings, *, since: datetime) -> None:
    """One delivery attempt; on failure the next one is queued (until the retry window closes)."""
    row = await repository.delivery_for_update(session, delivery_id)
    if row is None:
        return
    delivery, subscription, client = row
    if delivery.status != "pending":
        return  # already delivered, or redelivered under another message
    now = clock.now()
    if not subscription.is_active or client.revoked_at is not None:
        delivery.status, delivery.next_attempt_at = "failed", None
        delivery.last_error = "The subscription is disabled or its client revoked"
        return
    actor = await actor_for_client(session, client, settings=settings)
    document = await payload(session, actor, delivery)
    if document is None:
        delivery.status, delivery.next_attempt_at = "skipped", None
        delivery.last_error = "The record is no longer visible to this client: nothing was sent"
        return
    status_code, error = await send(subscription, delivery, _body(document), settings)
    delivery.attempts += 1
    delivery.last_attempt_at, delivery.response_status, delivery.last_error = now, status_code, error
    if error is None:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "succeeded", now, None
    elif now - since >= GIVE_UP_AFTER:
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        await repository.enqueue_attempts(
            session, [(delivery.id, delivery.attempts + 1, delivery.next_attempt_at, since)]
        )
    log.info(
        "webhook attempt",
        extra={"delivery_id": str(delivery.id), "status": delivery.status, "response_status": status_code},
    )


async def ping(session: AsyncSession, subscription: WebhookSubscription, settings: Settings) -> WebhookDelivery:
    """Send a signed test event now and log it as a delivery (no retries)."""
    now = clock.now()
    delivery = WebhookDelivery(
        subscription_id=subscription.id,
        event_type="ping",
        status="pending",
        attempts=1,
        created_at=now,
        occurred_at=now,
        last_attempt_at=now,
    )
    session.add(delivery)
    await session.flush()
    document = await payload(session, Actor(kind="system"), delivery)
    assert document is not None
    status_code, error = await send(subscription, delivery, _body(document), settings)
    delivery.response_status, delivery.last_error = status_code, error
    delivery.status = "succeeded" if error is None else "failed"
    delivery.delivered_at = now if error is None else None
    await session.flush()
    return delivery
