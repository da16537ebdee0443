"""The knowledge base: projects, good practices, tools and guidance, news and events, each in language
versions (EN/FR/ES) linked by a translation group."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Computed,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base, Timestamps, UUIDPrimaryKey, status_check

KNOWLEDGE_KINDS = ("project", "good_practice", "tool", "news", "event")
KNOWLEDGE_STATUSES = ("draft", "in_review", "published", "archived")
KNOWLEDGE_LANGUAGES = ("en", "fr", "es")
# The text search configuration (stemmer and stop words) of each language.
TEXT_SEARCH_CONFIGS = {"en": "english", "fr": "french", "es": "spanish"}


def _config_for_language() -> str:
    branches = " ".join(f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in TEXT_SEARCH_CONFIGS.items())
    return f"(CASE language {branches} END)"


def _weighted(column: str, weight: str) -> str:
    return f"setweight(to_tsvector({_config_for_language()}, f_unaccent(coalesce({column}, ''))), '{weight}')"


# Each item is indexed in its own language (the right stemmer), accents folded by f_unaccent so that
# `entretiens a distance` finds `entretiens à distance`; title weighs more than the summary, which weighs
# more than the body (its plain text, so link targets and Markdown syntax are not searched).
SEARCH_VECTOR = " || ".join((_weighted("title", "A"), _weighted("summary", "B"), _weighted("body_text", "C")))


def _codes() -> Any:
    return ARRAY(String(64))


class KnowledgeItem(UUIDPrimaryKey, Timestamps, Base):
    """One language version of a knowledge item. Versions of the same item share `translation_group_id`."""

    __tablename__ = "knowledge_items"
    __change_feed__ = "knowledge_item"
    __table_args__ = (
        CheckConstraint(status_check("kind", KNOWLEDGE_KINDS), name="kind"),
        CheckConstraint(status_check("status", KNOWLEDGE_STATUSES), name="status"),
        CheckConstraint(status_check("language", KNOWLEDGE_LANGUAGES), name="language"),
        CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="timeframe"),
        CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name="published_at"),
        UniqueConstraint("translation_group_id", "language"),
        Index("ix_knowledge_items_area_codes", "area_codes", postgresql_using="gin"),
        Index("ix_knowledge_items_region_codes", "region_codes", postgresql_using="gin"),
        Index("ix_knowledge_items_countries", "countries", postgresql_using="gin"),
        Index("ix_knowledge_items_contributor_types", "contributor_types", postgresql_using="gin"),
        Index("ix_knowledge_items_search_vector", "search_vector", postgresql_using="gin"),
        Index("ix_knowledge_items_status_published_at_id", "status", "published_at", "id"),
        Index("ix_knowledge_items_status_updated_at_id", "status", "updated_at", "id"),
    )

    translation_group_id: Mapped[uuid.UUID] = mapped_column()
    language: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Markdown as written; `body_text` is its plain text (derived on write), which search and snippets read.
    body: Mapped[str] = mapped_column(Text, default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    # The area codes chosen, and the same with their parents (what a parent-area filter matches).
    areas: Mapped[list[str]] = mapped_column(_codes(), default=list)
    area_codes: Mapped[list[str]] = mapped_column(_codes(), default=list)
    countries: Mapped[list[str]] = mapped_column(_codes(), default=list)
    # UN M49 codes chosen, and every M49 area the item concerns: those, their parents, and the regions,
    # sub-regions and intermediate regions of its countries (what the region filter matches).
    regions: Mapped[list[str]] = mapped_column(_codes(), default=list)
    region_codes: Mapped[list[str]] = mapped_column(_codes(), default=list)
    contributor_types: Mapped[list[str]] = mapped_column(_codes(), default=list)
    source_links: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    attachment_links: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    match_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("matches.id"), index=True)
    # The year the item is about (the event, the start of the project); filters and facets use it.
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    review_comment: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]
    created_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    search_vector: Mapped[Any] = mapped_column(TSVECTOR, Computed(SEARCH_VECTOR, persisted=True), deferred=True)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - read once by the mapper
