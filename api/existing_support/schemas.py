"""Existing support: support already flowing outside ACSG matches."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.commitments.schemas import Code, DuplicationWarning, Iso3
from api.core.schemas import ReadModel, WriteModel

SourceKind = Literal["bilateral", "multilateral", "unhcr", "other"]


class ExistingSupportCreate(WriteModel):
    provider_organisation_id: uuid.UUID | None = None
    provider_name: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = Field(
        default=None, description="Required when the provider is not an organisation on the platform"
    )
    recipient_country_iso3: Iso3
    areas: list[Code] = Field(min_length=1, max_length=20)
    starts_on: date | None = None
    ends_on: date | None = None
    source_kind: SourceKind = "bilateral"
    description: Annotated[str, StringConstraints(max_length=5000)] = ""
    is_confidential: bool = False


class ExistingSupportUpdate(WriteModel):
    provider_name: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = None
    areas: list[Code] | None = Field(default=None, min_length=1, max_length=20)
    starts_on: date | None = None
    ends_on: date | None = None
    source_kind: SourceKind | None = None
    description: Annotated[str, StringConstraints(max_length=5000)] | None = None
    is_confidential: bool | None = None


class ExistingSupport(ReadModel):
    id: uuid.UUID
    provider_organisation_id: uuid.UUID | None
    provider_name: str
    recipient_country_iso3: str
    areas: list[str]
    starts_on: date | None
    ends_on: date | None
    source_kind: SourceKind
    description: str
    is_confidential: bool
    recorded_by_organisation_id: uuid.UUID | None
    version: int
    created_at: datetime
    updated_at: datetime
    duplication_warnings: list[DuplicationWarning] = Field(default_factory=list)


class ExistingSupportPage(ReadModel):
    items: list[ExistingSupport]
    next_cursor: str | None
    total: int = Field(description="Matching rows, counted up to 1,000")
    total_is_lower_bound: bool = Field(default=False, description="More rows match than `total`")
