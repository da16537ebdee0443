"""Webhook subscriptions: made, changed and removed by integration clients with `webhooks:manage`; their
delivery logs, redelivery and a test ping."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from api.changes import registry
from api.changes import repository as changes
from api.core import audit, clock
from api.core.actor import Actor
from api.core.config import Settings
from api.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed, field_error, refuse_emptied
from api.models.integrations import IntegrationClient, WebhookDelivery, WebhookSubscription
from api.webhooks import delivery, repository, schemas, signing, targets


def _client_id(actor: Actor) -> uuid.UUID:
    if actor.kind != "client" or actor.client_id is None:
        raise Forbidden("Webhook subscriptions belong to integration clients: call with a client's token")
    return actor.client_id


def _check_event_types(actor: Actor, event_types: list[str]) -> list[str]:
    followed = set(registry.followed_by(actor))
    known = set(registry.FEED_RESOURCES)
    errors: list[FieldError] = []
    for position, event_type in enumerate(event_types):
        if event_type == "*":
            continue
        resource, _, verb = event_type.partition(".")
        if resource not in known or (verb != "*" and verb not in registry.OPERATIONS.values()):
            message = (
                f"Unknown event type '{event_type}'; use one of {', '.join(registry.event_types())}, <resource>.* or *"
            )
            errors.append(FieldError(field=f"event_types.{position}", message=message))
        elif resource not in followed:
            scope = registry.FEED_RESOURCES[resource].scope
            errors.append(
                FieldError(field=f"event_types.{position}", message=f"Following {resource} needs the scope '{scope}'")
            )
    if errors:
        raise ValidationFailed("Invalid input: event_types", fields=errors)
    return list(dict.fromkeys(event_types))


async def _check_url(url: str, settings: Settings) -> None:
    try:
        await targets.resolve(url, settings)
    except targets.TargetRefused as refused:
        raise field_error("url", str(refused), "target_refused") from None


def _read(subscription: WebhookSubscription) -> schemas.Subscription:
    return schemas.Subscription.model_validate(subscription)


async def _own(session: AsyncSession, actor: Actor, subscription_id: uuid.UUID) -> WebhookSubscription:
    subscription = await repository.subscription_of(session, _client_id(actor), subscription_id)
    if subscription is None:
        raise NotFound("No such webhook subscription")
    return subscription


def _require_secretariat_user(actor: Actor) -> None:
    if actor.kind != "user" or not actor.is_secretariat:
        raise Forbidden("Only the Secretariat administers every client's webhooks")


async def _administered(session: AsyncSession, actor: Actor, subscription_id: uuid.UUID) -> WebhookSubscription:
    _require_secretariat_user(actor)
    subscription = await repository.subscription(session, subscription_id)
    if subscription is None:
        raise NotFound("No such webhook subscription")
    return subscription


async def _subscription(
    session: AsyncSession, actor: Actor, subscription_id: uuid.UUID, *, administered: bool
) -> WebhookSubscription:
    """The client's own subscription, or (`administered`, for a Secretariat user) any client's."""
    if administered:
        return await _administered(session, actor, subscription_id)
    return await _own(session, actor, subscription_id)


async def create(
    session: AsyncSession, *, actor: Actor, body: schemas.SubscriptionCreate, settings: Settings
) -> schemas.SubscriptionCreated:
    """Subscribe `url` to event types; it receives changes committed from now on. The secret is shown once."""
    client_id = _client_id(actor)
    event_types = _check_event_types(actor, body.event_types)
    await _check_url(body.url, settings)
    start = await changes.head(session)
    subscription = WebhookSubscription(
        client_id=client_id,
        url=body.url,
        event_types=event_types,
        description=body.description,
        secret=signing.new_secret(),
        is_active=True,
        cursor_txid=start.txid,
        cursor_event_id=start.event_id,
    )
    session.add(subscription)
    audit.label(session, subscription, "webhook_subscription.created")
    await session.flush()
    return schemas.SubscriptionCreated(**_read(subscription).model_dump(), secret=subscription.secret)


async def list_subscriptions(session: AsyncSession, *, actor: Actor) -> list[schemas.Subscription]:
    return [_read(s) for s in await repository.subscriptions_of(session, _client_id(actor))]


async def get(session: AsyncSession, *, actor: Actor, subscription_id: uuid.UUID) -> schemas.Subscription:
    return _read(await _own(session, actor, subscription_id))


async def update(
    session: AsyncSession,
    *,
    actor: Actor,
    subscription_id: uuid.UUID,
    body: schemas.SubscriptionUpdate,
    settings: Settings,
) -> schemas.Subscription:
    subscription = await _own(session, actor, subscription_id)
    changes_wanted = body.model_dump(exclude_unset=True)
    refuse_emptied(changes_wanted, ("url", "event_types", "is_active", "description"))
    if "event_types" in changes_wanted:
        changes_wanted["event_types"] = _check_event_types(actor, changes_wanted["event_types"])
    if "url" in changes_wanted:
        await _check_url(changes_wanted["url"], settings)
    if changes_wanted.get("is_active") and not subscription.is_active:
        # Re-enabled: it follows changes from now on, not the backlog of its pause.
        start = await changes.head(session)
        subscription.cursor_txid, subscription.cursor_event_id = start.txid, start.event_id
    for key, value in changes_wanted.items():
        setattr(subscription, key, value)
    await session.flush()
    return _read(subscription)


async def delete(session: AsyncSession, *, actor: Actor, subscription_id: uuid.UUID) -> None:
    subscription = await _own(session, actor, subscription_id)
    audit.label(session, subscription, "webhook_subscription.deleted")
    await session.delete(subscription)
    await session.flush()


def _delivery(row: WebhookDelivery) -> schemas.Delivery:
    return schemas.Delivery(
        id=row.id,
        message_id=delivery.message_id(row.id),
        event_type=row.event_type,
        event_id=row.event_id,
        resource=row.resource,
        record_id=row.record_id,
        record_version=row.record_version,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_attempt_at=row.last_attempt_at,
        response_status=row.response_status,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
    )


async def deliveries(
    session: AsyncSession,
    *,
    actor: Actor,
    subscription_id: uuid.UUID,
    status: str | None,
    limit: int,
    cursor: str | None,
    administered: bool = False,
) -> schemas.DeliveryPage:
    """The delivery log, newest first."""
    subscription = await _subscription(session, actor, subscription_id, administered=administered)
    rows, next_cursor = await repository.deliveries_page(
        session, subscription.id, status=status, limit=limit, cursor=cursor
    )
    return schemas.DeliveryPage(items=[_delivery(r) for r in rows], next_cursor=next_cursor)


async def redeliver(
    session: AsyncSession,
    *,
    actor: Actor,
    subscription_id: uuid.UUID,
    delivery_id: uuid.UUID,
    administered: bool = False,
) -> schemas.Delivery:
    """Queue a delivery again (same `webhook-id`), with a fresh retry window."""
    subscription = await _subscription(session, actor, subscription_id, administered=administered)
    found = await repository.delivery_of(session, subscription.id, delivery_id)
    if found is None:
        raise NotFound("No such delivery")
    if found.event_type == "ping":
        raise Conflict("A ping is not redelivered; send another ping")
    if not subscription.is_active:
        raise Conflict("The subscription is disabled; enable it first")
    now = clock.now()
    if found.status != "pending":
        found.status, found.next_attempt_at = "pending", now
        await repository.enqueue_attempts(session, [(found.id, found.attempts + 1, now, now)])
    await audit.record(
        session, action="webhook_delivery.redelivered", record_type="webhook_deliveries", record_id=found.id
    )
    await session.flush()
    return _delivery(found)


async def ping(
    session: AsyncSession,
    *,
    actor: Actor,
    subscription_id: uuid.UUID,
    settings: Settings,
    administered: bool = False,
) -> schemas.Delivery:
    """Send a signed test event now (logged, not retried)."""
    subscription = await _subscription(session, actor, subscription_id, administered=administered)
    sent = await delivery.ping(session, subscription, settings)
    await audit.record(
        session, action="webhook_subscription.pinged", record_type="webhook_deliveries", record_id=sent.id
    )
    return _delivery(sent)


# The Secretariat's view of every client's subscriptions (the delivery log, redelivery and ping above serve
# both, with `administered=True` for a Secretariat user).


async def administered_subscriptions(
    session: AsyncSession, *, actor: Actor, client_id: uuid.UUID | None
) -> list[schemas.AdministeredSubscription]:
    _require_secretariat_user(actor)
    if client_id is not None and await session.get(IntegrationClient, client_id) is None:
        raise NotFound("No such integration client")
    subscriptions = await repository.all_subscriptions(session, client_id)
    summaries = await repository.delivery_summaries(session, [s.id for s in subscriptions])
    return [_administered_read(s, summaries.get(s.id)) for s in subscriptions]


async def administered_subscription(
    session: AsyncSession, *, actor: Actor, subscription_id: uuid.UUID
) -> schemas.AdministeredSubscription:
    subscription = await _administered(session, actor, subscription_id)
    summaries = await repository.delivery_summaries(session, [subscription.id])
    return _administered_read(subscription, summaries.get(subscription.id))


def _administered_read(
    subscription: WebhookSubscription, summary: dict[str, Any] | None
) -> schemas.AdministeredSubscription:
    summary = summary or {"counts": {}, "latest": None}
    return schemas.AdministeredSubscription(
        **_read(subscription).model_dump(),
        client_id=subscription.client_id,
        deliveries=schemas.DeliveryCounts(**summary["counts"]),
        last_delivery_at=summary["latest"],
    )
