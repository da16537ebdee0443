"""Progress reports and reporting schedules."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.core.schemas import ReadModel, WriteModel
from api.files.schemas import StoredFileOut
from api.reports.workflow import Action

ReportStatus = Literal["not_yet_due", "due", "overdue", "submitted", "attested", "sent_back", "accepted", "published"]
Stage = Literal["planning", "in_progress", "fulfilled"]
Quality = Literal["fairness", "efficiency", "adaptability", "integrity"]
TrafficLight = Literal["on_track", "due_soon", "overdue"]
Text = Annotated[str, StringConstraints(max_length=20_000)]
Short = Annotated[str, StringConstraints(max_length=200)]


class Impact(WriteModel):
    rating: int = Field(ge=1, le=5, description="1 = no change, 5 = major improvement")
    evidence: Text = ""


class Indicator(WriteModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    unit: Short = ""
    baseline: float | None = None
    target: float | None = None
    actual: float | None = None


class Link(WriteModel):
    title: Annotated[str, StringConstraints(min_length=1, max_length=300)]
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$", max_length=1000)]


class ReportUpdate(WriteModel):
    stage: Stage | None = None
    narrative: Text | None = None
    challenges: Text | None = None
    good_practices: Text | None = None
    next_steps: Text | None = None
    impact: dict[Quality, Impact] | None = None
    indicators: list[Indicator] | None = Field(default=None, max_length=50)
    links: list[Link] | None = Field(default=None, max_length=30)


class ReportAction(WriteModel):
    comment: Text | None = None
    attestation: Literal["confirmed", "commented"] | None = Field(
        default=None, description="For `attest`: confirm the report, or attest it with a comment"
    )
    excerpt: Text | None = Field(default=None, description="For `publish`: the text to publish")


class ScheduleUpdate(WriteModel):
    interval_months: int = Field(ge=1, le=24)
    starts_on: date | None = None


class Report(ReadModel):
    id: uuid.UUID
    schedule_id: uuid.UUID
    match_id: uuid.UUID | None
    pledge_id: uuid.UUID | None
    period_start: date
    period_end: date
    due_on: date
    status: ReportStatus
    stage: Stage | None
    narrative: str
    challenges: str
    good_practices: str
    next_steps: str
    impact: dict[str, Impact]
    indicators: list[Indicator]
    links: list[Link]
    submitted_at: datetime | None
    attestation: Literal["confirmed", "commented"] | None
    attestation_comment: str | None
    attested_at: datetime | None
    review_comment: str | None
    reviewed_at: datetime | None
    published_excerpt: str | None
    published_at: datetime | None
    version: int
    files: list[StoredFileOut] = Field(description="Attached files (POST /files with owner_type progress_report)")
    allowed_actions: list[Action]
    can_edit: bool


class ReportRevision(ReadModel):
    number: int
    content: dict[str, object]
    submitted_at: datetime
    review_comment: str | None


class Reporting(ReadModel):
    """A match's (or pledge's) schedule, its traffic light and its reports, newest period first."""

    schedule_id: uuid.UUID
    interval_months: int
    starts_on: date
    traffic_light: TrafficLight
    next_due_on: date | None
    reports: list[Report]


class ReportListItem(ReadModel):
    id: uuid.UUID
    match_id: uuid.UUID | None
    match_reference: str | None
    pledge_id: uuid.UUID | None
    period_start: date
    period_end: date
    due_on: date
    status: ReportStatus
    traffic_light: TrafficLight


class ReportPage(ReadModel):
    items: list[ReportListItem]
    total: int
    total_is_lower_bound: bool = False


class PublishedExcerpt(ReadModel):
    period_start: date
    period_end: date
    excerpt: str
    published_at: datetime
