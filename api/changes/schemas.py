"""The change feed: what changed, in commit order, without the records' content."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from api.core.schemas import ReadModel


class Change(ReadModel):
    resource: str = Field(
        description="pledge, support_request, support_offer, match, progress_report, knowledge_item (more may appear)"
    )
    id: str = Field(description="The changed record's id; read it through the resource's endpoint")
    version: int | None
    operation: Literal["insert", "update", "delete"]
    event_type: str = Field(description="The webhook event type, e.g. support_request.updated")
    time: datetime


class ChangePage(ReadModel):
    items: list[Change]
    next_cursor: str = Field(description="Pass it back to continue; at the end of the feed, poll with it later")
    has_more: bool = Field(description="More changes may be read now (otherwise poll later)")
