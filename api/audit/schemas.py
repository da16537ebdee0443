"""The audit log as the Secretariat reads it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from api.core.schemas import ReadModel


class AuditEvent(ReadModel):
    id: int
    occurred_at: datetime
    actor_type: str
    actor_user_id: uuid.UUID | None
    actor_client_id: uuid.UUID | None
    actor_label: str | None
    action: str
    record_type: str
    record_id: str | None
    changes: dict[str, Any]
    note: str | None
    request_id: str | None


class AuditEventPage(ReadModel):
    items: list[AuditEvent]
    next_cursor: str | None
