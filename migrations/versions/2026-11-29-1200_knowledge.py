"""knowledge

Revision ID: 0006_knowledge
Revises: 0005_reports
Create Date: 2026-11-29 10:17:13.124714+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006_knowledge"
down_revision: str | None = "0005_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stored_files",
        sa.Column("owner_type", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("uploaded_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "content_type IN ('application/pdf', 'image/png', 'image/jpeg', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.oasis.opendocument.text', 'text/plain', 'text/csv')",
            name=op.f("ck_stored_files_content_type"),
        ),
        sa.CheckConstraint("octet_length(content) = size_bytes", name=op.f("ck_stored_files_content_size")),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_stored_files_size")),
        sa.ForeignKeyConstraint(
            ["uploaded_by_user_id"], ["users.id"], name=op.f("fk_stored_files_uploaded_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_files")),
    )
    op.create_index("ix_stored_files_owner", "stored_files", ["owner_type", "owner_id", "created_at"], unique=False)
    op.create_index(op.f("ix_stored_files_sha256"), "stored_files", ["sha256"], unique=False)
    op.create_table(
        "knowledge_items",
        sa.Column("translation_group_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("areas", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("area_codes", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("countries", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("regions", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("region_codes", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("contributor_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("source_links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attachment_links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=True),
        sa.Column("match_id", sa.Uuid(), nullable=True),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "setweight(to_tsvector((CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'es' THEN 'spanish'::regconfig END), f_unaccent(coalesce(title, ''))), 'A') || setweight(to_tsvector((CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'es' THEN 'spanish'::regconfig END), f_unaccent(coalesce(summary, ''))), 'B') || setweight(to_tsvector((CASE language WHEN 'en' THEN 'english'::regconfig WHEN 'fr' THEN 'french'::regconfig WHEN 'es' THEN 'spanish'::regconfig END), f_unaccent(coalesce(body_text, ''))), 'C')",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('project', 'good_practice', 'tool', 'news', 'event')", name=op.f("ck_knowledge_items_kind")
        ),
        sa.CheckConstraint("language IN ('en', 'fr', 'es')", name=op.f("ck_knowledge_items_language")),
        sa.CheckConstraint(
            "status <> 'published' OR published_at IS NOT NULL", name=op.f("ck_knowledge_items_published_at")
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'in_review', 'published', 'archived')", name=op.f("ck_knowledge_items_status")
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name=op.f("ck_knowledge_items_timeframe")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_knowledge_items_created_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(["match_id"], ["matches.id"], name=op.f("fk_knowledge_items_match_id_matches")),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_knowledge_items_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_items")),
        sa.UniqueConstraint(
            "translation_group_id", "language", name=op.f("uq_knowledge_items_translation_group_id_language")
        ),
    )
    op.create_index(
        "ix_knowledge_items_area_codes", "knowledge_items", ["area_codes"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_knowledge_items_contributor_types",
        "knowledge_items",
        ["contributor_types"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(
        "ix_knowledge_items_countries", "knowledge_items", ["countries"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_knowledge_items_match_id"), "knowledge_items", ["match_id"], unique=False)
    op.create_index(op.f("ix_knowledge_items_organisation_id"), "knowledge_items", ["organisation_id"], unique=False)
    op.create_index(
        "ix_knowledge_items_region_codes", "knowledge_items", ["region_codes"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_knowledge_items_search_vector", "knowledge_items", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_knowledge_items_status_published_at_id", "knowledge_items", ["status", "published_at", "id"], unique=False
    )
    op.create_index(
        "ix_knowledge_items_status_updated_at_id", "knowledge_items", ["status", "updated_at", "id"], unique=False
    )
    op.create_index(
        op.f("ix_knowledge_items_translation_group_id"), "knowledge_items", ["translation_group_id"], unique=False
    )
    op.create_index(op.f("ix_knowledge_items_year"), "knowledge_items", ["year"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_knowledge_items_year"), table_name="knowledge_items")
    op.drop_index(op.f("ix_knowledge_items_translation_group_id"), table_name="knowledge_items")
    op.drop_index("ix_knowledge_items_status_updated_at_id", table_name="knowledge_items")
    op.drop_index("ix_knowledge_items_status_published_at_id", table_name="knowledge_items")
    op.drop_index("ix_knowledge_items_search_vector", table_name="knowledge_items", postgresql_using="gin")
    op.drop_index("ix_knowledge_items_region_codes", table_name="knowledge_items", postgresql_using="gin")
    op.drop_index(op.f("ix_knowledge_items_organisation_id"), table_name="knowledge_items")
    op.drop_index(op.f("ix_knowledge_items_match_id"), table_name="knowledge_items")
    op.drop_index("ix_knowledge_items_countries", table_name="knowledge_items", postgresql_using="gin")
    op.drop_index("ix_knowledge_items_contributor_types", table_name="knowledge_items", postgresql_using="gin")
    op.drop_index("ix_knowledge_items_area_codes", table_name="knowledge_items", postgresql_using="gin")
    op.drop_table("knowledge_items")
    op.drop_index(op.f("ix_stored_files_sha256"), table_name="stored_files")
    op.drop_index("ix_stored_files_owner", table_name="stored_files")
    op.drop_table("stored_files")
