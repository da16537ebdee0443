"""Organisations and their members."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.core.schemas import LongText, Name, ReadModel, WriteModel

OrganisationKind = Literal[
    "state_government",
    "state_institution",
    "stakeholder",
    "unhcr_country_office",
    "unhcr_bureau",
    "secretariat",
]
Role = Literal["focal_point", "editor", "viewer"]
Iso3 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$", to_upper=True)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$", max_length=500)]


class OrganisationSummary(ReadModel):
    """What any signed-in user may know of an organisation."""

    id: uuid.UUID
    name: str
    short_name: str | None
    kind: OrganisationKind
    contributor_type: str
    country_iso3: str | None
    parent_id: uuid.UUID | None
    bureau_code: str | None
    is_active: bool


class Organisation(OrganisationSummary):
    website: str | None
    description: str | None
    office_countries: list[str]
    created_at: datetime
    updated_at: datetime


class OrganisationPage(ReadModel):
    items: list[OrganisationSummary]
    next_cursor: str | None
    total: int


class OrganisationCreate(WriteModel):
    name: Name
    short_name: Annotated[str, StringConstraints(max_length=60)] | None = None
    kind: OrganisationKind
    contributor_type: str | None = Field(
        default=None, description="Required for stakeholders; 'state' for States; set for UNHCR offices"
    )
    country_iso3: Iso3 | None = None
    parent_id: uuid.UUID | None = None
    bureau_code: str | None = None
    website: Url | None = None
    description: LongText | None = None
    office_countries: list[Iso3] = Field(default_factory=list, max_length=60)


class OrganisationUpdate(WriteModel):
    name: Name | None = None
    short_name: Annotated[str, StringConstraints(max_length=60)] | None = None
    contributor_type: str | None = None
    country_iso3: Iso3 | None = None
    website: Url | None = None
    description: LongText | None = None
    is_active: bool | None = None
    office_countries: list[Iso3] | None = Field(default=None, max_length=60)


class Member(ReadModel):
    user_id: uuid.UUID
    full_name: str
    email: str
    role: Role
    is_active: bool


class MemberUpdate(WriteModel):
    role: Role
