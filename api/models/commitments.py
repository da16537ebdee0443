"""Pledges, support requests, support offers (with their components) and existing support."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from api.models.base import Base, Timestamps, UUIDPrimaryKey, status_check

COMMITMENT_STATUSES = (
    "draft",
    "submitted",
    "under_review",
    "validated",
    "partially_matched",
    "matched",
    "closed",
    "rejected",
    "withdrawn",
)
# Statuses in which a record is "validated" in the mechanism's sense: visible beyond its owners.
PUBLISHED_STATUSES = ("validated", "partially_matched", "matched", "closed")
URGENCIES = ("low", "normal", "high", "critical")
COMPONENT_STATUSES = ("open", "partially_covered", "covered")
PUBLIC_STAGES = ("planning", "in_progress", "fulfilled")
EXISTING_SUPPORT_SOURCES = ("bilateral", "multilateral", "unhcr", "other")

# The text searched by `q`: accents folded by f_unaccent, indexed both unstemmed (exact words, prefixes) and with
# the English, French and Spanish stemmers. f_search_vector (migration 0009) folds the text once and builds the
# four vectors from it.
SEARCH_VECTOR = "f_search_vector(search_text)"


def _text_array() -> Any:
    return ARRAY(String(64))


class CommitmentColumns:
    """What requests and offers share: workflow, public and confidential parts, timeframe, search."""

    # Fields that only the owner, the Secretariat and the UNHCR offices covering the country may see.
    CONFIDENTIAL_FIELDS: ClassVar[tuple[str, ...]] = ("confidential_details", "contacts", "attachments")

    reference: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    public_summary: Mapped[str] = mapped_column(Text, default="")
    confidential_details: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    languages: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # The owner agrees that the public summary of the validated record appears on the public portal.
    allow_publication: Mapped[bool] = mapped_column(Boolean, default=False)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    validated_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # Denormalised from the components for fast filters (GIN indexes): component area codes with their
    # parents, wanted/offered support types and modalities.
    area_codes: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    support_types: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    modalities: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    # Imports upsert by (source, external_id).
    source: Mapped[str | None] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(200))

    @declared_attr
    def search_vector(cls) -> Mapped[Any]:  # noqa: N805 - declared_attr receives the class
        return mapped_column(TSVECTOR, Computed(SEARCH_VECTOR, persisted=True), deferred=True)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805 - declared_attr receives the class
        # Optimistic concurrency: an UPDATE that finds another version raises instead of overwriting.
        return {"version_id_col": cls.version}


# The list endpoints sort by submission date with the never-submitted rows at the end; these constants stand in
# for "never". The sort expressions (`api/commitments/queries.py`) use the same SQL text, so that PostgreSQL
# matches them to the indexes below and reads a page in order instead of sorting every matching row.
NEVER_SUBMITTED_NEWEST = "'1970-01-01 00:00:00+00'::timestamptz"
NEVER_SUBMITTED_OLDEST = "'9999-12-31 00:00:00+00'::timestamptz"


def _commitment_table_args(table: str) -> tuple[Any, ...]:
    return (
        CheckConstraint(status_check("status", COMMITMENT_STATUSES), name="status"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="timeframe"),
        UniqueConstraint("source", "external_id"),
        Index(f"ix_{table}_area_codes", "area_codes", postgresql_using="gin"),
        Index(f"ix_{table}_support_types", "support_types", postgresql_using="gin"),
        Index(f"ix_{table}_modalities", "modalities", postgresql_using="gin"),
        Index(f"ix_{table}_languages", "languages", postgresql_using="gin"),
        Index(f"ix_{table}_search_vector", "search_vector", postgresql_using="gin"),
        Index(f"ix_{table}_updated_at_id", "updated_at", "id"),
        # One index per sort option of the lists (each is read forwards or backwards).
        Index(f"ix_{table}_submitted_newest", text(f"coalesce(submitted_at, {NEVER_SUBMITTED_NEWEST})"), "id"),
        Index(f"ix_{table}_submitted_oldest", text(f"coalesce(submitted_at, {NEVER_SUBMITTED_OLDEST})"), "id"),
        Index(f"ix_{table}_title_id", "title", "id"),
        Index(f"ix_{table}_reference_id", "reference", "id"),
    )


class Pledge(UUIDPrimaryKey, Timestamps, Base):
    """A GCR pledge. `external_id` is opaque (never parsed), unique within its `source` system."""

    __tablename__ = "pledges"
    __change_feed__ = "pledge"
    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        CheckConstraint(f"stage IS NULL OR {status_check('stage', PUBLIC_STAGES)}", name="stage"),
        Index("ix_pledges_areas", "areas", postgresql_using="gin"),
        Index("ix_pledges_updated_at_id", "updated_at", "id"),
    )
    source: Mapped[str] = mapped_column(String(64), default="platform")
    external_id: Mapped[str] = mapped_column(String(200))
    source_event: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    pledge_types: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    areas: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    stage: Mapped[str | None] = mapped_column(String(20))
    submitted_on: Mapped[date | None] = mapped_column(Date)
    is_published: Mapped[bool] = mapped_column(Boolean, default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper


class PledgeOrganisation(Base):
    """A pledging entity of a pledge; joint pledges have several, one of them the lead."""

    __tablename__ = "pledge_organisations"

    pledge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pledges.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)


class SupportRequest(UUIDPrimaryKey, Timestamps, CommitmentColumns, Base):
    """A State's request for support to its asylum system, split into components."""

    __tablename__ = "support_requests"
    __change_feed__ = "support_request"
    __table_args__ = (
        *_commitment_table_args("support_requests"),
        CheckConstraint(status_check("urgency", URGENCIES), name="urgency"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    commitment_text: Mapped[str] = mapped_column(Text, default="")
    qualities: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    urgency: Mapped[str] = mapped_column(String(10), default="normal")
    is_establishing_system: Mapped[bool] = mapped_column(Boolean, default=False)
    context: Mapped[str] = mapped_column(Text, default="")

    CONFIDENTIAL_FIELDS = ("confidential_details", "contacts", "attachments", "context")


class SupportRequestComponent(UUIDPrimaryKey, Base):
    __tablename__ = "support_request_components"
    __table_args__ = (
        CheckConstraint(status_check("status", COMPONENT_STATUSES), name="status"),
        UniqueConstraint("request_id", "position"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_requests.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    modalities: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    support_types: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open")


class SupportRequestPledge(Base):
    __tablename__ = "support_request_pledges"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("support_requests.id", ondelete="CASCADE"), primary_key=True
    )
    pledge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("pledges.id"), primary_key=True, index=True)


class SupportRequestPartner(Base):
    """A stakeholder requesting jointly with the State."""

    __tablename__ = "support_request_partners"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("support_requests.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)


class SupportOffer(UUIDPrimaryKey, Timestamps, CommitmentColumns, Base):
    """An offer of support from a State institution or a stakeholder; always includes technical exchange."""

    __tablename__ = "support_offers"
    __change_feed__ = "support_offer"
    __table_args__ = (
        *_commitment_table_args("support_offers"),
        CheckConstraint("capacity >= 1", name="capacity"),
        Index("ix_support_offers_served_countries", "served_countries", postgresql_using="gin"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisations.id"), index=True)
    country_iso3: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)
    pledge_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("pledges.id"), index=True)
    serves_any: Mapped[bool] = mapped_column(Boolean, default=True)
    served_countries: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    served_regions: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    served_bureaux: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    excluded_countries: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    proactive_target_iso3: Mapped[str | None] = mapped_column(ForeignKey("countries.iso3"), index=True)


class SupportOfferComponent(UUIDPrimaryKey, Base):
    __tablename__ = "support_offer_components"
    __table_args__ = (UniqueConstraint("offer_id", "position"),)

    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("support_offers.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    area_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    modalities: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    support_types: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    description: Mapped[str] = mapped_column(Text, default="")


class ExistingSupport(UUIDPrimaryKey, Timestamps, Base):
    """Support already flowing outside ACSG matches, recorded to avoid duplication."""

    __tablename__ = "existing_support"
    __table_args__ = (
        CheckConstraint(status_check("source_kind", EXISTING_SUPPORT_SOURCES), name="source_kind"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="timeframe"),
        UniqueConstraint("source", "external_id"),
        Index("ix_existing_support_area_codes", "area_codes", postgresql_using="gin"),
    )

    provider_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    provider_name: Mapped[str] = mapped_column(String(300))
    recipient_country_iso3: Mapped[str] = mapped_column(ForeignKey("countries.iso3"), index=True)
    areas: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    # The areas with their parents, for overlap queries.
    area_codes: Mapped[list[str]] = mapped_column(_text_array(), default=list)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    source_kind: Mapped[str] = mapped_column(String(20), default="bilateral")
    description: Mapped[str] = mapped_column(Text, default="")
    is_confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by_organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str | None] = mapped_column(String(64))
    external_id: Mapped[str | None] = mapped_column(String(200))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper
