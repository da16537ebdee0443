"""Organisations, users, memberships and the credentials they sign in with."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Timestamps, UUIDPrimaryKey, status_check

ORGANISATION_KINDS = (
    "state_government",
    "state_institution",
    "stakeholder",
    "unhcr_country_office",
    "unhcr_bureau",
    "secretariat",
)
MEMBERSHIP_ROLES = ("focal_point", "editor", "viewer")


class Organisation(UUIDPrimaryKey, Timestamps, Base):
    """A State's government, one of its institutions, a stakeholder, a UNHCR office or the ACSG Secretariat."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(status_check("kind", ORGANISATION_KINDS), name="kind"),
        CheckConstraint("(kind <> 'unhcr_bureau') OR (bureau_code IS NOT NULL)", name="bureau_has_code"),
        UniqueConstraint("source", "external_id"),
    )

    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    contributor_type: Mapped[str] = mapped_column(String(64), index=True)
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    bureau_code: Mapped[str | None] = mapped_column(ForeignKey("bureaux.code"))
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Where the record came from when it was imported (a country office's sheet, the GRF platform).
    source: Mapped[str | None] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(200))


class OfficeCountry(Base):
    """A country a UNHCR country office covers (some offices cover several countries)."""

    __tablename__ = "office_countries"

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), primary_key=True, index=True)


class User(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "users"
    __audit_redacted__ = frozenset({"password_hash"})

    email: Mapped[str] = mapped_column(String(320))
    full_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(300))
    preferred_language: Mapped[str] = mapped_column(String(8), default="en")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]


# E-mail addresses are unique whatever their case.
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class Membership(UUIDPrimaryKey, Timestamps, Base):
    """A user's role in one organisation. Only a focal point may submit or consent on the organisation's behalf."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id"),
        CheckConstraint(status_check("role", MEMBERSHIP_ROLES), name="role"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))


class UserSession(UUIDPrimaryKey, Base):
    """A browser session: the cookie holds a random token, the table only its SHA-256."""

    __tablename__ = "user_sessions"
    __audit_redacted__ = frozenset({"token_hash"})

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class PersonalAccessToken(UUIDPrimaryKey, Base):
    """A bearer token for scripts, acting as its owner. Shown once; stored as a SHA-256."""

    __tablename__ = "personal_access_tokens"
    __audit_redacted__ = frozenset({"token_hash"})

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class Invitation(UUIDPrimaryKey, Base):
    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(status_check("role", MEMBERSHIP_ROLES), name="role"),)
    __audit_redacted__ = frozenset({"token_hash"})

    email: Mapped[str] = mapped_column(String(320))
    full_name: Mapped[str | None] = mapped_column(String(200))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PasswordReset(UUIDPrimaryKey, Base):
    __tablename__ = "password_resets"
    __audit_redacted__ = frozenset({"token_hash"})

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SignInAttempt(Base):
    """Recent sign-in attempts, for the per-address rate limit. Keyed by hashes: no address is stored in clear."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_client_hash_at", "client_hash", "attempted_at"),)
    # High-volume security telemetry, not a record change: the audit log keeps the user's lockout state instead.
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    client_hash: Mapped[str] = mapped_column(String(64))
    email_hash: Mapped[str] = mapped_column(String(64), index=True)
    attempted_at: Mapped[datetime]
    succeeded: Mapped[bool] = mapped_column(Boolean)
