"""Support requests: the full view (owner, Secretariat, UNHCR covering the country) and the public view,
as separate classes so a confidential field cannot reach the public view by accident."""

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
    Contact,
    DuplicationWarning,
    RequestComponentOut,
    Summary,
    Title,
    Urgency,
)
from api.commitments.workflow import Action
from api.core.schemas import ReadModel, WriteModel

Quality = Literal["fairness", "efficiency", "adaptability", "integrity"]
LongText = Annotated[str, StringConstraints(max_length=20_000)]


class SupportRequestCreate(WriteModel):
    title: Title
    organisation_id: uuid.UUID = Field(description="The requesting State's government or one of its institutions")
    partner_organisation_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=20, description="Stakeholders requesting jointly"
    )
    pledge_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    commitment_text: LongText = Field(default="", description="The commitment, when there is no pledge yet")
    components: list[ComponentIn] = Field(min_length=1, max_length=30)
    qualities: list[Quality] = Field(default_factory=list, max_length=4)
    languages: list[Code] = Field(default_factory=list, max_length=10)
    starts_on: date | None = None
    ends_on: date | None = None
    urgency: Urgency = "normal"
    is_establishing_system: bool = False
    context: LongText = ""
    public_summary: Summary = ""
    confidential_details: LongText = ""
    contacts: list[Contact] = Field(default_factory=list, max_length=20)
    attachments: list[Attachment] = Field(default_factory=list, max_length=30)
    allow_publication: bool = False


class SupportRequestUpdate(WriteModel):
    """A partial update; `components` replaces the list (matched by position, so ids stay stable)."""

    title: Title | None = None
    partner_organisation_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    pledge_ids: list[uuid.UUID] | None = Field(default=None, max_length=20)
    commitment_text: LongText | None = None
    components: list[ComponentIn] | None = Field(default=None, min_length=1, max_length=30)
    qualities: list[Quality] | None = Field(default=None, max_length=4)
    languages: list[Code] | None = Field(default=None, max_length=10)
    starts_on: date | None = None
    ends_on: date | None = None
    urgency: Urgency | None = None
    is_establishing_system: bool | None = None
    context: LongText | None = None
    public_summary: Summary | None = None
    confidential_details: LongText | None = None
    contacts: list[Contact] | None = Field(default=None, max_length=20)
    attachments: list[Attachment] | None = Field(default=None, max_length=30)
    allow_publication: bool | None = None


class OrganisationRef(ReadModel):
    id: uuid.UUID
    name: str
    kind: str
    country_iso3: str | None


class PledgeRef(ReadModel):
    id: uuid.UUID
    external_id: str
    source_event: str
    title: str


class _PublicFields(ReadModel):
    id: uuid.UUID
    reference: str
    title: str
    status: CommitmentStatus
    country_iso3: str
    organisation: OrganisationRef
    partners: list[OrganisationRef]
    pledges: list[PledgeRef]
    components: list[RequestComponentOut]
    qualities: list[str]
    languages: list[str]
    starts_on: date | None
    ends_on: date | None
    urgency: Urgency
    is_establishing_system: bool
    public_summary: str
    validated_at: datetime | None
    updated_at: datetime


class SupportRequestPublic(_PublicFields):
    """What every signed-in user (and, with the owner's consent, the public) sees of a validated request."""

    view: Literal["public"] = "public"


class SupportRequest(_PublicFields):
    """The full record, for the owner and partners, the Secretariat and the UNHCR offices covering the country."""

    view: Literal["full"] = "full"
    commitment_text: str
    context: str
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


SupportRequestView = Annotated[SupportRequest | SupportRequestPublic, Field(discriminator="view")]


class SupportRequestListItem(ReadModel):
    """A row of a list: public fields only, whoever asks (details need the record itself)."""

    id: uuid.UUID
    reference: str
    title: str
    status: CommitmentStatus
    country_iso3: str
    organisation_id: uuid.UUID
    organisation_name: str
    component_areas: list[str]
    support_types: list[str]
    modalities: list[str]
    languages: list[str]
    urgency: Urgency
    is_establishing_system: bool
    starts_on: date | None
    ends_on: date | None
    public_summary: str
    submitted_at: datetime | None
    updated_at: datetime
    duplication_count: int | None = Field(
        description="Overlapping active support, for those entitled to the full record; otherwise null"
    )


class SupportRequestPage(ReadModel):
    items: list[SupportRequestListItem]
    next_cursor: str | None
    total: int = Field(description="Matching rows, counted up to 1,000")
    total_is_lower_bound: bool = Field(default=False, description="More rows match than `total`")
