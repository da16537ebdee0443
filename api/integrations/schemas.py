"""Integration clients, OAuth2 token responses, and pledge sync bodies."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from api.commitments.schemas import Code
from api.core.errors import FieldError
from api.core.schemas import ReadModel, WriteModel
from api.pledges.schemas import ExternalId, Pledge, Source, Stage

Scope = Literal[
    "pledges:read",
    "pledges:write",
    "requests:read",
    "offers:read",
    "existing_support:read",
    "matches:read",
    "reports:read",
    "knowledge:read",
    "changes:read",
    "webhooks:manage",
    "imports:write",
]
Description = Annotated[str, StringConstraints(max_length=2000)]
ClientName = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ClientCreate(WriteModel):
    name: ClientName
    description: Description = ""
    scopes: list[Scope] = Field(min_length=1, max_length=20)
    organisation_id: uuid.UUID | None = Field(
        default=None,
        description="The organisation the client acts for, as one of its editors (none: a participant's view)",
    )
    rate_limit_per_minute: int | None = Field(default=None, ge=1, le=100_000, description="Default from settings")


class ClientUpdate(WriteModel):
    name: ClientName | None = None
    description: Description | None = None
    scopes: list[Scope] | None = Field(default=None, min_length=1, max_length=20)
    rate_limit_per_minute: int | None = Field(default=None, ge=1, le=100_000)


class Client(ReadModel):
    id: uuid.UUID
    client_id: str = Field(description="What the client sends as `client_id` to /oauth/token")
    name: str
    description: str
    scopes: list[str]
    organisation_id: uuid.UUID | None
    secret_prefix: str = Field(description="The first characters of the current secret, to recognise it")
    secret_version: int
    secret_rotated_at: datetime | None
    rate_limit_per_minute: int = Field(description="Calls allowed per minute (the client's own or the default)")
    has_own_rate_limit: bool
    is_active: bool
    revoked_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ClientCreated(Client):
    client_secret: str = Field(description="Shown in this response only; store it safely")


class ClientSecret(ReadModel):
    client_id: str
    client_secret: str = Field(description="Shown in this response only; every earlier token stops working")
    secret_version: int


class TokenResponse(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105 - the token type, not a secret
    expires_in: int
    scope: str


class OAuthError(BaseModel):
    """RFC 6749 section 5.2: the token endpoint's own error shape."""

    error: Literal["invalid_request", "invalid_client", "unsupported_grant_type", "invalid_scope", "invalid_grant"]
    error_description: str


# --- pledge sync ------------------------------------------------------------------------------------------


class OrganisationRef(WriteModel):
    """An organisation by its platform id, or by its id in another system (source and external id)."""

    organisation_id: uuid.UUID | None = None
    source: Source | None = None
    external_id: ExternalId | None = None
    is_lead: bool = False

    @model_validator(mode="after")
    def _one_reference(self) -> OrganisationRef:
        if (self.organisation_id is None) == (self.source is None or self.external_id is None):
            raise ValueError("Give either organisation_id, or source and external_id")
        return self


class RecordRef(WriteModel):
    """A request or offer by its reference (REQ-2026-00042) or by its source and external id."""

    reference: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    source: Source | None = None
    external_id: ExternalId | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> RecordRef:
        if (self.reference is None) == (self.source is None or self.external_id is None):
            raise ValueError("Give either reference, or source and external_id")
        return self


class PledgeSync(WriteModel):
    """The whole pledge as the source system knows it: what is sent replaces what is stored."""

    source_event: Code
    title: Annotated[str, StringConstraints(min_length=3, max_length=500)]
    description: Annotated[str, StringConstraints(max_length=20_000)] = ""
    pledge_types: list[Code] = Field(default_factory=list, max_length=6)
    areas: list[Code] = Field(default_factory=list, max_length=30)
    stage: Stage | None = None
    submitted_on: date | None = None
    is_published: bool = True
    organisations: list[OrganisationRef] = Field(min_length=1, max_length=50)
    requests: list[RecordRef] | None = Field(
        default=None, max_length=50, description="Requests stemming from the pledge; omitted: links kept as they are"
    )
    offers: list[RecordRef] | None = Field(
        default=None, max_length=50, description="Offers made under the pledge; omitted: links kept as they are"
    )


class PledgeSyncItem(PledgeSync):
    source: Source
    external_id: ExternalId


class PledgeBulkUpsert(WriteModel):
    items: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=1000,
        description="Up to 1,000 pledges, each a PledgeSyncItem (source, external_id and a PledgeSync body); "
        "each is validated and written on its own",
    )


class PledgeBulkResult(ReadModel):
    index: int
    source: str | None
    external_id: str | None
    status: Literal["created", "updated", "unchanged", "error"]
    id: uuid.UUID | None = None
    version: int | None = None
    etag: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


class PledgeBulkCounts(ReadModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error: int = 0


class PledgeBulkResponse(ReadModel):
    counts: PledgeBulkCounts
    results: list[PledgeBulkResult]


class PledgeSynced(Pledge):
    sync_status: Literal["created", "updated", "unchanged"]
