"""Users as the Secretariat manages them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import Field

from api.core.schemas import Email, LanguageCode, Name, Password, ReadModel, WriteModel

Role = Literal["focal_point", "editor", "viewer"]


class UserMembership(ReadModel):
    organisation_id: uuid.UUID
    organisation_name: str
    role: Role


class User(ReadModel):
    id: uuid.UUID
    email: str
    full_name: str
    preferred_language: str
    is_active: bool
    locked_until: datetime | None
    last_sign_in_at: datetime | None
    created_at: datetime
    memberships: list[UserMembership]


class UserPage(ReadModel):
    items: list[User]
    next_cursor: str | None
    total: int


class MembershipGrant(WriteModel):
    organisation_id: uuid.UUID
    role: Role


class UserCreate(WriteModel):
    email: Email
    full_name: Name
    password: Password
    preferred_language: LanguageCode = "en"
    memberships: list[MembershipGrant] = Field(default_factory=list, max_length=20)


class UserUpdate(WriteModel):
    full_name: Name | None = None
    is_active: bool | None = None
    unlock: bool | None = Field(default=None, description="Clear a sign-in lockout")
