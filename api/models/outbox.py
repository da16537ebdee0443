"""The transactional outbox: side effects written with the change, delivered after commit by the worker."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, UUIDPrimaryKey, status_check

OUTBOX_STATUSES = ("pending", "delivered", "failed", "cancelled")


class OutboxMessage(UUIDPrimaryKey, Base):
    """One side effect to perform (send an e-mail, deliver a webhook...), at least once.

    `dedup_key` is unique: writing the same effect twice (a retried request) keeps one row, so each recipient
    gets each message once.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint(status_check("status", OUTBOX_STATUSES), name="status"),
        Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )
    # Delivery bookkeeping changes on every attempt; the change that caused the message is what is audited.
    __audited__ = False

    kind: Mapped[str] = mapped_column(String(40), index=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    delivered_at: Mapped[datetime | None]
    # Who may read the message body in the development mailbox (e-mails only).
    recipient_user_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
