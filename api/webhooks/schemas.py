"""Webhook subscriptions and their delivery log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.core.schemas import ReadModel, WriteModel

EventType = Annotated[str, StringConstraints(min_length=1, max_length=80, pattern=r"^(\*|[a-z_]+\.(\*|[a-z_]+))$")]
Url = Annotated[str, StringConstraints(min_length=8, max_length=2000)]
DeliveryStatus = Literal["pending", "succeeded", "failed", "skipped"]


class SubscriptionCreate(WriteModel):
    url: Url = Field(description="Where events are POSTed (https in production; public addresses only)")
    event_types: list[EventType] = Field(
        min_length=1, max_length=50, description="e.g. support_request.updated, pledge.created, pledge.*, or *"
    )
    description: Annotated[str, StringConstraints(max_length=300)] = ""


class SubscriptionUpdate(WriteModel):
    url: Url | None = None
    event_types: list[EventType] | None = Field(default=None, min_length=1, max_length=50)
    description: Annotated[str, StringConstraints(max_length=300)] | None = None
    is_active: bool | None = None


class Subscription(ReadModel):
    id: uuid.UUID
    url: str
    event_types: list[str]
    description: str
    is_active: bool
    created_at: datetime
    updated_at: datetime


class DeliveryCounts(ReadModel):
    pending: int = 0
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0


class AdministeredSubscription(Subscription):
    """A subscription as the Secretariat sees it: whose it is and how its deliveries fare (never its secret)."""

    client_id: uuid.UUID
    deliveries: DeliveryCounts
    last_delivery_at: datetime | None


class SubscriptionCreated(Subscription):
    secret: str = Field(description="`whsec_...`: verify the `webhook-signature` header with it; shown once")


class Delivery(ReadModel):
    id: uuid.UUID
    message_id: str = Field(description="The `webhook-id` header: the same on every attempt and redelivery")
    event_type: str
    event_id: int | None
    resource: str | None
    record_id: str | None
    record_version: int | None
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    response_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


class DeliveryPage(ReadModel):
    items: list[Delivery]
    next_cursor: str | None
