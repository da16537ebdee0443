"""The in-app notification inbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import Field

from api.core.schemas import ReadModel, WriteModel


class Notification(ReadModel):
    id: uuid.UUID
    kind: str
    title: str
    body: str
    link: str | None
    match_id: uuid.UUID | None
    created_at: datetime
    read_at: datetime | None


class Inbox(ReadModel):
    items: list[Notification]
    unread: int
    next_cursor: str | None


class MarkRead(WriteModel):
    ids: list[uuid.UUID] | None = Field(default=None, max_length=500, description="Omit to mark everything read")


class MarkedRead(ReadModel):
    marked: int
