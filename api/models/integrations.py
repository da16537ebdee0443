"""Integration clients (OAuth2 client credentials), their rate-limit counters, webhook subscriptions and the
log of webhook deliveries."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Timestamps, UUIDPrimaryKey, status_check

DELIVERY_STATUSES = ("pending", "succeeded", "failed", "skipped")


class IntegrationClient(UUIDPrimaryKey, Timestamps, Base):
    """A program calling the API with its own credentials (the GRF pledge platform, a country office's script).

    The secret is shown once; only a salted SHA-256 is kept. `secret_version` grows on every rotation and is
    written into each access token, so rotating (or revoking) ends every token issued before at once.
    """

    __tablename__ = "integration_clients"
    __audit_redacted__ = frozenset({"secret_hash", "secret_salt"})
    __table_args__ = (CheckConstraint("rate_limit_per_minute IS NULL OR rate_limit_per_minute >= 1", name="rate"),)

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)
    # The organisation the client acts for, as one of its editors would (none: a signed-in participant's view).
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    secret_prefix: Mapped[str] = mapped_column(String(16))
    secret_salt: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str] = mapped_column(String(64))
    secret_version: Mapped[int] = mapped_column(Integer, default=1)
    secret_rotated_at: Mapped[datetime | None]
    rate_limit_per_minute: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]


class IntegrationRateWindow(Base):
    """Calls of one client in one minute: a counter shared by every API process (UPSERT per call)."""

    __tablename__ = "integration_rate_windows"
    # A counter, not a record: each call it counts is audited on its own.
    __audited__ = False

    client_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("integration_clients.id", ondelete="CASCADE"), primary_key=True
    )
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    calls: Mapped[int] = mapped_column(Integer, default=0)


class WebhookSubscription(UUIDPrimaryKey, Timestamps, Base):
    """A client's wish to be called at `url` for some event types. `cursor_*` is its position in the change
    feed (commit order): events after it are turned into deliveries by the dispatcher, each exactly once."""

    __tablename__ = "webhook_subscriptions"
    __audit_redacted__ = frozenset({"secret"})

    client_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("integration_clients.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    event_types: Mapped[list[str]] = mapped_column(ARRAY(String(80)), default=list)
    description: Mapped[str] = mapped_column(String(300), default="")
    # `whsec_<base64>`: the signing key must be kept to sign; it is never shown again after creation.
    secret: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    cursor_txid: Mapped[int] = mapped_column(BigInteger, default=0)
    cursor_event_id: Mapped[int] = mapped_column(BigInteger, default=0)


class WebhookDelivery(UUIDPrimaryKey, Base):
    """One event sent (or to be sent) to one subscription, with its attempts: the subscription's delivery log."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint(status_check("status", DELIVERY_STATUSES), name="status"),
        UniqueConstraint("subscription_id", "event_id"),
        Index("ix_webhook_deliveries_subscription_created", "subscription_id", "created_at", "id"),
    )
    # Delivery bookkeeping (like the outbox): the change it reports is audited, and so is every redelivery.
    __audited__ = False

    subscription_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(BigInteger)
    event_type: Mapped[str] = mapped_column(String(80))
    resource: Mapped[str | None] = mapped_column(String(40))
    record_id: Mapped[str | None] = mapped_column(String(64))
    record_version: Mapped[int | None] = mapped_column(Integer)
    occurred_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    response_status: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
