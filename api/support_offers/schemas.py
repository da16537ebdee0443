"""Support offers: full and public views as separate classes, like requests."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.commitments.schemas import (
    Attachment,
    Code,
    CommitmentStatus,
    ComponentIn,
    ComponentOut,
    Contact,
    DuplicationWarning,
    Iso3,
    Summary,
    Title,
)
from api.commitments.workflow import Action
from api.core.schemas import ReadModel, WriteModel
from api.support_requests.schemas import OrganisationRef, PledgeRef

LongText = Annotated[str, StringConstraints(max_length=20_000)]
RegionCode = Annotated[str, StringConstraints(pattern=r"^\d{3}$")]


class SupportOfferCreate(WriteModel):
    title: Title
    organisation_id: uuid.UUID = Field(description="A State institution or a stakeholder")
    pledge_id: uuid.UUID | None = None
    components: list[ComponentIn] = Field(min_length=1, max_length=30)
    languages: list[Code] = Field(default_factory=list, max_length=10)
    serves_any: bool = Field(default=True, description="Serves any country (else the lists below)")
    served_countries: list[Iso3] = Field(default_factory=list, max_length=250)
    served_regions: list[RegionCode] = Field(default_factory=list, max_length=30)
    served_bureaux: list[Code] = Field(default_factory=list, max_length=7)
    excluded_countries: list[Iso3] = Field(default_factory=list, max_length=250)
    capacity: int = Field(default=1, ge=1, le=100, description="Engagements the offerer can take on at once")
    starts_on: date | None = None
    ends_on: date | None = None
    proactive_target_iso3: Iso3 | None = Field(default=None, description="A State the offer is made to proactively")
    public_summary: Summary = ""
    confidential_details: LongText = ""
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    attachments: list[Attachment] = Field(default_factory=list, max_length=30)
    allow_publication: bool = False


class SupportOfferUpdate(WriteModel):
    title: Title | None = None
    pledge_id: uuid.UUID | None = None
    components: list[ComponentIn] | None = Field(default=None, min_length=1, max_length=30)
    languages: list[Code] | None = Field(default=None, max_length=10)
    serves_any: bool | None = None
    served_countries: list[Iso3] | None = Field(default=None, max_length=250)
    served_regions: list[RegionCode] | None = Field(default=None, max_length=30)
    served_bureaux: list[Code] | None = Field(default=None, max_length=7)
    excluded_countries: list[Iso3] | None = Field(default=None, max_length=250)
    capacity: int | None = Field(default=None, ge=1, le=100)
    starts_on: date | None = None
    ends_on: date | None = None
    proactive_target_iso3: Iso3 | None = None
    public_summary: Summary | None = None
    confidential_details: LongText | None = None
    contacts: list[Contact] | None = Field(default=None, max_length=20)
    attachments: list[Attachment] | None = Field(default=None, max_length=30)
    allow_publication: bool | None = None


class _PublicFields(ReadModel):
    id: uuid.UUID
    reference: str
    title: str
    status: CommitmentStatus
    country_iso3: str | None
    organisation: OrganisationRef
    pledge: PledgeRef | None
    components: list[ComponentOut]
    languages: list[str]
    serves_any: bool
    served_countries: list[str]
    served_regions: list[str]
    served_bureaux: list[str]
    starts_on: date | None
    ends_on: date | None
    public_summary: str
    validated_at: datetime | None
    updated_at: datetime


class SupportOfferPublic(_PublicFields):
    view: Literal["public"] = "public"


class SupportOffer(_PublicFields):
    view: Literal["full"] = "full"
    excluded_countries: list[str]
    capacity: int
    proactive_target_iso3: str | None
    confidential_details: str
    contacts: list[Contact]
    attachments: list[Attachment]
    allow_publication: bool
    rejection_reason: str | None
    submitted_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    version: int
    allowed_actions: list[Action]
    can_edit: bool = Field(description="Whether the caller may change the content now")
    duplication_warnings: list[DuplicationWarning]


SupportOfferView = Annotated[SupportOffer | SupportOfferPublic, Field(discriminator="view")]


class SupportOfferListItem(ReadModel):
    id: uuid.UUID
    reference: str
    title: str
    status: CommitmentStatus
    country_iso3: str | None
    organisation_id: uuid.UUID
    organisation_name: str
    contributor_type: str
    component_areas: list[str]
    support_types: list[str]
    modalities: list[str]
    languages: list[str]
    serves_any: bool
    starts_on: date | None
    ends_on: date | None
    public_summary: str
    submitted_at: datetime | None
    updated_at: datetime


class SupportOfferPage(ReadModel):
    items: list[SupportOfferListItem]
    next_cursor: str | None
    total: int = Field(description="Matching rows, counted up to 1,000")
    total_is_lower_bound: bool = Field(default=False, description="More rows match than `total`")
