"""GCR pledges."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.commitments.schemas import Code
from api.core.schemas import ReadModel, WriteModel

Stage = Literal["planning", "in_progress", "fulfilled"]
ExternalId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Source = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_.:-]{0,63}$")]


class PledgingEntity(WriteModel):
    organisation_id: uuid.UUID
    is_lead: bool = False


class PledgeCreate(WriteModel):
    external_id: ExternalId = Field(description="The pledge's id in its source system; opaque, never parsed")
    source: Source = "platform"
    source_event: Code
    title: Annotated[str, StringConstraints(min_length=3, max_length=500)]
    description: Annotated[str, StringConstraints(max_length=20_000)] = ""
    pledge_types: list[Code] = Field(default_factory=list, max_length=6)
    areas: list[Code] = Field(default_factory=list, max_length=30)
    stage: Stage | None = None
    submitted_on: date | None = None
    organisations: list[PledgingEntity] = Field(min_length=1, max_length=50)
    is_published: bool = True


class PledgeUpdate(WriteModel):
    source_event: Code | None = None
    title: Annotated[str, StringConstraints(min_length=3, max_length=500)] | None = None
    description: Annotated[str, StringConstraints(max_length=20_000)] | None = None
    pledge_types: list[Code] | None = Field(default=None, max_length=6)
    areas: list[Code] | None = Field(default=None, max_length=30)
    stage: Stage | None = None
    submitted_on: date | None = None
    organisations: list[PledgingEntity] | None = Field(default=None, min_length=1, max_length=50)
    is_published: bool | None = None


class PledgingEntityRead(ReadModel):
    organisation_id: uuid.UUID
    name: str
    contributor_type: str
    country_iso3: str | None
    is_lead: bool


class LinkedRecord(ReadModel):
    id: uuid.UUID
    reference: str
    title: str


class Pledge(ReadModel):
    id: uuid.UUID
    external_id: str
    source: str
    source_event: str
    title: str
    description: str
    pledge_types: list[str]
    areas: list[str]
    stage: Stage | None
    submitted_on: date | None
    is_published: bool
    organisations: list[PledgingEntityRead]
    requests: list[LinkedRecord] = Field(description="Requests stemming from the pledge that the caller may see")
    offers: list[LinkedRecord]
    version: int
    created_at: datetime
    updated_at: datetime


class PledgeListItem(ReadModel):
    id: uuid.UUID
    external_id: str
    source_event: str
    title: str
    pledge_types: list[str]
    areas: list[str]
    stage: Stage | None
    submitted_on: date | None
    lead_organisation_name: str | None
    lead_country_iso3: str | None
    updated_at: datetime


class PledgePage(ReadModel):
    items: list[PledgeListItem]
    next_cursor: str | None
    total: int = Field(description="Matching rows, counted up to 1,000")
    total_is_lower_bound: bool = Field(default=False, description="More rows match than `total`")
