"""Webhook subscriptions of integration clients (scope `webhooks:manage`), their delivery logs and pings."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from api.auth.dependencies import SignedInDep
from api.core.config import Settings
from api.core.db import SessionDep
from api.core.pagination import Cursor, PageSize
from api.webhooks import jobs as _jobs  # noqa: F401 - registers the worker's webhook jobs
from api.webhooks import schemas, service

router = APIRouter(prefix="/webhooks", tags=["webhooks"])


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.get("/subscriptions", response_model=list[schemas.Subscription])
async def list_webhook_subscriptions(session: SessionDep, actor: SignedInDep) -> list[schemas.Subscription]:
    return await service.list_subscriptions(session, actor=actor)


@router.post("/subscriptions", response_model=schemas.SubscriptionCreated, status_code=status.HTTP_201_CREATED)
async def create_webhook_subscription(
    body: schemas.SubscriptionCreate, request: Request, session: SessionDep, actor: SignedInDep
) -> schemas.SubscriptionCreated:
    """Receive changes committed from now on at `url`, signed per Standard Webhooks with the secret returned
    here once. Payloads hold what the client may read at delivery time; records it cannot see are not sent."""
    return await service.create(session, actor=actor, body=body, settings=_settings(request))


@router.get("/subscriptions/{subscription_id}", response_model=schemas.Subscription)
async def get_webhook_subscription(
    subscription_id: uuid.UUID, session: SessionDep, actor: SignedInDep
) -> schemas.Subscription:
    return await service.get(session, actor=actor, subscription_id=subscription_id)


@router.patch("/subscriptions/{subscription_id}", response_model=schemas.Subscription)
async def update_webhook_subscription(
    subscription_id: uuid.UUID,
    body: schemas.SubscriptionUpdate,
    request: Request,
    session: SessionDep,
    actor: SignedInDep,
) -> schemas.Subscription:
    return await service.update(
        session, actor=actor, subscription_id=subscription_id, body=body, settings=_settings(request)
    )


@router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_webhook_subscription(subscription_id: uuid.UUID, session: SessionDep, actor: SignedInDep) -> None:
    await service.delete(session, actor=actor, subscription_id=subscription_id)


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=schemas.DeliveryPage)
async def list_webhook_deliveries(
    subscription_id: uuid.UUID,
    session: SessionDep,
    actor: SignedInDep,
    delivery_status: Annotated[schemas.DeliveryStatus | None, Query(alias="status")] = None,
    limit: PageSize = 50,
    cursor: Cursor = None,
) -> schemas.DeliveryPage:
    """The delivery log, newest first: status, attempts, last response code and error."""
    return await service.deliveries(
        session, actor=actor, subscription_id=subscription_id, status=delivery_status, limit=limit, cursor=cursor
    )


@router.post("/subscriptions/{subscription_id}/deliveries/{delivery_id}/redeliver", response_model=schemas.Delivery)
async def redeliver_webhook(
    subscription_id: uuid.UUID, delivery_id: uuid.UUID, session: SessionDep, actor: SignedInDep
) -> schemas.Delivery:
    """Send a delivery again (the same `webhook-id`, so receivers can tell a repeat), retried as a new one."""
    return await service.redeliver(session, actor=actor, subscription_id=subscription_id, delivery_id=delivery_id)


@router.post("/subscriptions/{subscription_id}/ping", response_model=schemas.Delivery)
async def ping_webhook_subscription(
    subscription_id: uuid.UUID, request: Request, session: SessionDep, actor: SignedInDep
) -> schemas.Delivery:
    """Send a signed `ping` event now and answer with its outcome (logged, not retried)."""
    return await service.ping(session, actor=actor, subscription_id=subscription_id, settings=_settings(request))
