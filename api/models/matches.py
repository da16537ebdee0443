"""Matches between requests and offers, their parties and consents, facilitation, timeline and notifications;
the matching criteria versions and allocation runs that proposals cite; platform settings."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Timestamps, UUIDPrimaryKey, status_check

MATCH_STATUSES = (
    "proposed",
    "consent_pending",
    "consented",
    "declined",
    "expired",
    "under_discussion",
    "agreed",
    "planning",
    "in_progress",
    "fulfilled",
    "suspended",
    "cancelled",
)
PARTY_SIDES = ("requesting", "offering")
CONSENT_STATUSES = ("pending", "granted", "declined", "withdrawn")
CONSENT_DECISIONS = ("granted", "declined", "withdrawn")
EVENT_AUDIENCES = ("all", "facilitators", "party")


class MatchingCriteria(Base):
    """One version of the matching criteria. Each edit adds a version; the newest is the one used."""

    __tablename__ = "matching_criteria"

    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    hard: Mapped[dict[str, bool]] = mapped_column(JSONB)
    weights: Mapped[dict[str, float]] = mapped_column(JSONB)
    cross_regional_bonus: Mapped[float] = mapped_column(Float)
    duplication_penalty: Mapped[float] = mapped_column(Float)
    waiting_full_days: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class AllocationRun(UUIDPrimaryKey, Base):
    """An optimal allocation computed on demand, kept so a proposal can cite the run it came from."""

    __tablename__ = "allocation_runs"

    criteria_version: Mapped[int] = mapped_column(ForeignKey("matching_criteria.version"))
    inputs_snapshot_at: Mapped[datetime]
    components_count: Mapped[int] = mapped_column(Integer)
    offers_count: Mapped[int] = mapped_column(Integer)
    total_score: Mapped[float] = mapped_column(Float)
    greedy_total_score: Mapped[float] = mapped_column(Float)
    covered_before: Mapped[int] = mapped_column(Integer, default=0)
    assignments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    greedy_assignments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    uncovered_component_ids: Mapped[list[str]] = mapped_column(JSONB)
    filters: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    duration_ms: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime]
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))


class Match(UUIDPrimaryKey, Timestamps, Base):
    """A proposed or agreed pairing of one or more requests (components) with one or more offers."""

    __tablename__ = "matches"
    __change_feed__ = "match"
    __table_args__ = (
        CheckConstraint(status_check("status", MATCH_STATUSES), name="status"),
        Index("ix_matches_status_updated", "status", "updated_at"),
    )

    reference: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    # Bumped by every material change of the proposal; consents count only for the version they saw.
    proposal_version: Mapped[int] = mapped_column(Integer, default=1)
    # True once every party consented: from then on parties see each other's details.
    disclosed: Mapped[bool] = mapped_column(Boolean, default=False)
    justification: Mapped[str | None] = mapped_column(Text)
    allocation_run_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("allocation_runs.id"))
    criteria_version: Mapped[int | None] = mapped_column(ForeignKey("matching_criteria.version"))
    public_summary: Mapped[str] = mapped_column(Text, default="")
    consent_requested_at: Mapped[datetime | None]
    consent_deadline: Mapped[datetime | None] = mapped_column(index=True)
    consented_at: Mapped[datetime | None]
    agreed_at: Mapped[datetime | None]
    fulfilled_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    status_before_suspension: Mapped[str | None] = mapped_column(String(20))
    status_reason: Mapped[str | None] = mapped_column(Text)
    agreed_scope: Mapped[str] = mapped_column(Text, default="")
    agreed_modalities: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    next_action: Mapped[str | None] = mapped_column(Text)
    next_action_on: Mapped[date | None] = mapped_column(Date, index=True)
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper


class MatchParty(UUIDPrimaryKey, Base):
    """An organisation taking part in a match, on the requesting or the offering side."""

    __tablename__ = "match_parties"
    __table_args__ = (
        UniqueConstraint("match_id", "organisation_id"),
        CheckConstraint(status_check("side", PARTY_SIDES), name="side"),
        CheckConstraint(status_check("consent_status", CONSENT_STATUSES), name="consent_status"),
    )

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    side: Mapped[str] = mapped_column(String(12))
    request_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("support_requests.id"), index=True)
    offer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("support_offers.id"), index=True)
    consent_status: Mapped[str] = mapped_column(String(12), default="pending")
    consent_version: Mapped[int | None] = mapped_column(Integer)
    consent_conditions: Mapped[str | None] = mapped_column(Text)
    consent_decided_at: Mapped[datetime | None]
    publication_consent: Mapped[bool | None] = mapped_column(Boolean)
    publication_decided_at: Mapped[datetime | None]
    pledge_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pledges.id"))


class MatchItem(UUIDPrimaryKey, Base):
    """One (request component, offer) pair of a match, with the score breakdown that justified it."""

    __tablename__ = "match_items"
    __table_args__ = (UniqueConstraint("match_id", "request_component_id", "offer_id"),)

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    request_component_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_request_components.id"), index=True)
    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_offers.id"), index=True)
    score: Mapped[float | None] = mapped_column(Float)
    contributions: Mapped[dict[str, float]] = mapped_column(JSONB, default=dict)
    failed_constraints: Mapped[list[str]] = mapped_column(JSONB, default=list)
    rank: Mapped[int | None] = mapped_column(Integer)


class ConsentDecision(Base):
    """Every consent decision, append-only (the database refuses UPDATE and DELETE)."""

    __tablename__ = "consent_decisions"
    __table_args__ = (CheckConstraint(status_check("decision", CONSENT_DECISIONS), name="decision"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id"), index=True)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("match_parties.id"))
    decision: Mapped[str] = mapped_column(String(12))
    proposal_version: Mapped[int] = mapped_column(Integer)
    conditions: Mapped[str | None] = mapped_column(Text)
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime]


class MatchFacilitator(Base):
    """A UNHCR office facilitating a match."""

    __tablename__ = "match_facilitators"

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)


class MatchNote(UUIDPrimaryKey, Base):
    """A facilitator's private note: never shown to the parties."""

    __tablename__ = "match_notes"

    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    author_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]


class MatchEvent(Base):
    """The match's timeline. `audience` says who may read an event; party events name their party so that
    counterparts see them without the party's identity before disclosure."""

    __tablename__ = "match_events"
    __table_args__ = (CheckConstraint(status_check("audience", EVENT_AUDIENCES), name="audience"),)
    # The timeline is itself a log of audited changes.
    __audited__ = False

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    match_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    audience: Mapped[str] = mapped_column(String(12), default="all")
    party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("match_parties.id"))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    occurred_at: Mapped[datetime]


class Notification(UUIDPrimaryKey, Base):
    """An in-app notification for one user, written once per recipient (dedup key)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at", "created_at"),)
    # Delivery artefacts of audited events; reading them (read_at) is not a change worth auditing.
    __audited__ = False

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    match_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    dedup_key: Mapped[str] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]


class PlatformSetting(Base):
    """A default the Secretariat may change at run time (consent deadline, reminders, reporting interval)."""

    __tablename__ = "platform_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONB)
    updated_at: Mapped[datetime]
    updated_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
