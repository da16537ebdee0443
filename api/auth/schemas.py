"""Bodies of the sign-in, token, invitation and password-reset endpoints."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from api.core.schemas import Email, LanguageCode, Name, Password, ReadModel, WriteModel

Role = Literal["focal_point", "editor", "viewer"]


class SignIn(WriteModel):
    email: Email
    password: Password


class MembershipRead(ReadModel):
    organisation_id: uuid.UUID
    organisation_name: str
    organisation_kind: str
    role: Role
    country_iso3: str | None


class Me(ReadModel):
    id: uuid.UUID
    email: str
    full_name: str
    preferred_language: str
    is_secretariat: bool
    is_unhcr: bool
    unhcr_countries: list[str]
    memberships: list[MembershipRead]


class SessionState(ReadModel):
    user: Me | None = Field(description="The signed-in user, or null for a visitor")


class PreferencesUpdate(WriteModel):
    preferred_language: LanguageCode | None = None
    full_name: Name | None = None


class PasswordChange(WriteModel):
    current_password: Password
    new_password: Password


class AccessTokenCreate(WriteModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=120)]
    expires_in_days: int | None = Field(default=90, ge=1, le=730)


class AccessToken(ReadModel):
    id: uuid.UUID
    name: str
    token_prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None


class AccessTokenCreated(AccessToken):
    token: str = Field(description="Shown once: store it now; only its hash is kept.")


class InvitationCreate(WriteModel):
    email: Email
    full_name: Name | None = None
    organisation_id: uuid.UUID
    role: Role


class Invitation(ReadModel):
    id: uuid.UUID
    email: str
    full_name: str | None
    organisation_id: uuid.UUID
    organisation_name: str
    role: Role
    status: Literal["pending", "accepted", "revoked", "expired"]
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None


class TokenBody(WriteModel):
    token: str = Field(min_length=10, max_length=200)


class InvitationPreview(ReadModel):
    email: str
    full_name: str | None
    organisation_name: str
    role: Role
    expires_at: datetime
    has_account: bool


class InvitationAccept(WriteModel):
    token: str = Field(min_length=10, max_length=200)
    full_name: Name | None = None
    password: Password


class PasswordResetRequest(WriteModel):
    email: Email


class PasswordResetConfirm(WriteModel):
    token: str = Field(min_length=10, max_length=200)
    password: Password
