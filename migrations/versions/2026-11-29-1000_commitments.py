"""commitments: pledges, requests, offers, existing support

Revision ID: 0002_commitments
Revises: 0001_foundation
Create Date: 2026-11-29 09:34:00.663882+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002_commitments"
down_revision: str | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Human references (REQ-2026-00042) come from sequences: unique under concurrent creates.
    op.execute("CREATE SEQUENCE support_request_reference_seq")
    op.execute("CREATE SEQUENCE support_offer_reference_seq")
    op.create_table(
        "idempotency_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("caller", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("response_body", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_keys")),
        sa.UniqueConstraint("caller", "key", name=op.f("uq_idempotency_keys_caller_key")),
    )
    op.create_table(
        "pledges",
        sa.Column("source", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("source_event", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("pledge_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("areas", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("submitted_on", sa.Date(), nullable=True),
        sa.Column("is_published", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "stage IS NULL OR stage IN ('planning', 'in_progress', 'fulfilled')", name=op.f("ck_pledges_stage")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_pledges_source_external_id")),
    )
    op.create_index("ix_pledges_areas", "pledges", ["areas"], unique=False, postgresql_using="gin")
    op.create_index(op.f("ix_pledges_source_event"), "pledges", ["source_event"], unique=False)
    op.create_index("ix_pledges_updated_at_id", "pledges", ["updated_at", "id"], unique=False)
    op.create_table(
        "existing_support",
        sa.Column("provider_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("provider_name", sa.String(length=300), nullable=False),
        sa.Column("recipient_country_iso3", sa.String(length=3), nullable=False),
        sa.Column("areas", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("area_codes", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_confidential", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "source_kind IN ('bilateral', 'multilateral', 'unhcr', 'other')",
            name=op.f("ck_existing_support_source_kind"),
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name=op.f("ck_existing_support_timeframe")
        ),
        sa.ForeignKeyConstraint(
            ["provider_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_existing_support_provider_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_country_iso3"],
            ["countries.iso3"],
            name=op.f("fk_existing_support_recipient_country_iso3_countries"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_existing_support_recorded_by_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_existing_support")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_existing_support_source_external_id")),
    )
    op.create_index(
        "ix_existing_support_area_codes", "existing_support", ["area_codes"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        op.f("ix_existing_support_provider_organisation_id"),
        "existing_support",
        ["provider_organisation_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_existing_support_recipient_country_iso3"), "existing_support", ["recipient_country_iso3"], unique=False
    )
    op.create_table(
        "pledge_organisations",
        sa.Column("pledge_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("is_lead", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_pledge_organisations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_organisations_pledge_id_pledges"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("pledge_id", "organisation_id", name=op.f("pk_pledge_organisations")),
    )
    op.create_index(
        op.f("ix_pledge_organisations_organisation_id"), "pledge_organisations", ["organisation_id"], unique=False
    )
    op.create_table(
        "support_offers",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=True),
        sa.Column("pledge_id", sa.Uuid(), nullable=True),
        sa.Column("serves_any", sa.Boolean(), nullable=False),
        sa.Column("served_countries", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("served_regions", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("served_bureaux", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("excluded_countries", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("proactive_target_iso3", sa.String(length=3), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("public_summary", sa.Text(), nullable=False),
        sa.Column("confidential_details", sa.Text(), nullable=False),
        sa.Column("contacts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attachments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("allow_publication", sa.Boolean(), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("area_codes", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("support_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("modalities", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple', f_unaccent(coalesce(search_text, ''))) || to_tsvector('english', f_unaccent(coalesce(search_text, ''))) || to_tsvector('french', f_unaccent(coalesce(search_text, ''))) || to_tsvector('spanish', f_unaccent(coalesce(search_text, '')))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'under_review', 'validated', 'partially_matched', 'matched', 'closed', 'rejected', 'withdrawn')",
            name=op.f("ck_support_offers_status"),
        ),
        sa.CheckConstraint("capacity >= 1", name=op.f("ck_support_offers_capacity")),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name=op.f("ck_support_offers_timeframe")
        ),
        sa.ForeignKeyConstraint(
            ["country_iso3"], ["countries.iso3"], name=op.f("fk_support_offers_country_iso3_countries")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_support_offers_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["pledge_id"], ["pledges.id"], name=op.f("fk_support_offers_pledge_id_pledges")),
        sa.ForeignKeyConstraint(
            ["proactive_target_iso3"],
            ["countries.iso3"],
            name=op.f("fk_support_offers_proactive_target_iso3_countries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_offers")),
        sa.UniqueConstraint("reference", name=op.f("uq_support_offers_reference")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_support_offers_source_external_id")),
    )
    op.create_index(
        "ix_support_offers_area_codes", "support_offers", ["area_codes"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_support_offers_country_iso3"), "support_offers", ["country_iso3"], unique=False)
    op.create_index(
        "ix_support_offers_languages", "support_offers", ["languages"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_support_offers_modalities", "support_offers", ["modalities"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_support_offers_organisation_id"), "support_offers", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_support_offers_pledge_id"), "support_offers", ["pledge_id"], unique=False)
    op.create_index(
        op.f("ix_support_offers_proactive_target_iso3"), "support_offers", ["proactive_target_iso3"], unique=False
    )
    op.create_index(
        "ix_support_offers_search_vector", "support_offers", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_support_offers_served_countries",
        "support_offers",
        ["served_countries"],
        unique=False,
        postgresql_using="gin",
    )
    op.create_index(op.f("ix_support_offers_status"), "support_offers", ["status"], unique=False)
    op.create_index(
        "ix_support_offers_support_types", "support_offers", ["support_types"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_support_offers_updated_at_id", "support_offers", ["updated_at", "id"], unique=False)
    op.create_table(
        "support_requests",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("country_iso3", sa.String(length=3), nullable=False),
        sa.Column("commitment_text", sa.Text(), nullable=False),
        sa.Column("qualities", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("urgency", sa.String(length=10), nullable=False),
        sa.Column("is_establishing_system", sa.Boolean(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("public_summary", sa.Text(), nullable=False),
        sa.Column("confidential_details", sa.Text(), nullable=False),
        sa.Column("contacts", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attachments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("allow_publication", sa.Boolean(), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("validated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("area_codes", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("support_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("modalities", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("external_id", sa.String(length=200), nullable=True),
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(
                "to_tsvector('simple', f_unaccent(coalesce(search_text, ''))) || to_tsvector('english', f_unaccent(coalesce(search_text, ''))) || to_tsvector('french', f_unaccent(coalesce(search_text, ''))) || to_tsvector('spanish', f_unaccent(coalesce(search_text, '')))",
                persisted=True,
            ),
            nullable=False,
        ),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'under_review', 'validated', 'partially_matched', 'matched', 'closed', 'rejected', 'withdrawn')",
            name=op.f("ck_support_requests_status"),
        ),
        sa.CheckConstraint(
            "urgency IN ('low', 'normal', 'high', 'critical')", name=op.f("ck_support_requests_urgency")
        ),
        sa.CheckConstraint(
            "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name=op.f("ck_support_requests_timeframe")
        ),
        sa.ForeignKeyConstraint(
            ["country_iso3"], ["countries.iso3"], name=op.f("fk_support_requests_country_iso3_countries")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_support_requests_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_requests")),
        sa.UniqueConstraint("reference", name=op.f("uq_support_requests_reference")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_support_requests_source_external_id")),
    )
    op.create_index(
        "ix_support_requests_area_codes", "support_requests", ["area_codes"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_support_requests_country_iso3"), "support_requests", ["country_iso3"], unique=False)
    op.create_index(
        "ix_support_requests_languages", "support_requests", ["languages"], unique=False, postgresql_using="gin"
    )
    op.create_index(
        "ix_support_requests_modalities", "support_requests", ["modalities"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_support_requests_organisation_id"), "support_requests", ["organisation_id"], unique=False)
    op.create_index(
        "ix_support_requests_search_vector", "support_requests", ["search_vector"], unique=False, postgresql_using="gin"
    )
    op.create_index(op.f("ix_support_requests_status"), "support_requests", ["status"], unique=False)
    op.create_index(
        "ix_support_requests_support_types", "support_requests", ["support_types"], unique=False, postgresql_using="gin"
    )
    op.create_index("ix_support_requests_updated_at_id", "support_requests", ["updated_at", "id"], unique=False)
    op.create_table(
        "support_offer_components",
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=64), nullable=False),
        sa.Column("modalities", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("support_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_code"], ["areas.code"], name=op.f("fk_support_offer_components_area_code_areas")
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["support_offers.id"],
            name=op.f("fk_support_offer_components_offer_id_support_offers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_offer_components")),
        sa.UniqueConstraint("offer_id", "position", name=op.f("uq_support_offer_components_offer_id_position")),
    )
    op.create_index(
        op.f("ix_support_offer_components_area_code"), "support_offer_components", ["area_code"], unique=False
    )
    op.create_index(
        op.f("ix_support_offer_components_offer_id"), "support_offer_components", ["offer_id"], unique=False
    )
    op.create_table(
        "support_request_components",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=64), nullable=False),
        sa.Column("modalities", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("support_types", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'partially_covered', 'covered')", name=op.f("ck_support_request_components_status")
        ),
        sa.ForeignKeyConstraint(
            ["area_code"], ["areas.code"], name=op.f("fk_support_request_components_area_code_areas")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_requests.id"],
            name=op.f("fk_support_request_components_request_id_support_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_request_components")),
        sa.UniqueConstraint("request_id", "position", name=op.f("uq_support_request_components_request_id_position")),
    )
    op.create_index(
        op.f("ix_support_request_components_area_code"), "support_request_components", ["area_code"], unique=False
    )
    op.create_index(
        op.f("ix_support_request_components_request_id"), "support_request_components", ["request_id"], unique=False
    )
    op.create_table(
        "support_request_partners",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_support_request_partners_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_requests.id"],
            name=op.f("fk_support_request_partners_request_id_support_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "organisation_id", name=op.f("pk_support_request_partners")),
    )
    op.create_index(
        op.f("ix_support_request_partners_organisation_id"),
        "support_request_partners",
        ["organisation_id"],
        unique=False,
    )
    op.create_table(
        "support_request_pledges",
        sa.Column("request_id", sa.Uuid(), nullable=False),
        sa.Column("pledge_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_support_request_pledges_pledge_id_pledges")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_requests.id"],
            name=op.f("fk_support_request_pledges_request_id_support_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", "pledge_id", name=op.f("pk_support_request_pledges")),
    )
    op.create_index(
        op.f("ix_support_request_pledges_pledge_id"), "support_request_pledges", ["pledge_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_support_request_pledges_pledge_id"), table_name="support_request_pledges")
    op.drop_table("support_request_pledges")
    op.drop_index(op.f("ix_support_request_partners_organisation_id"), table_name="support_request_partners")
    op.drop_table("support_request_partners")
    op.drop_index(op.f("ix_support_request_components_request_id"), table_name="support_request_components")
    op.drop_index(op.f("ix_support_request_components_area_code"), table_name="support_request_components")
    op.drop_table("support_request_components")
    op.drop_index(op.f("ix_support_offer_components_offer_id"), table_name="support_offer_components")
    op.drop_index(op.f("ix_support_offer_components_area_code"), table_name="support_offer_components")
    op.drop_table("support_offer_components")
    op.drop_index("ix_support_requests_updated_at_id", table_name="support_requests")
    op.drop_index("ix_support_requests_support_types", table_name="support_requests", postgresql_using="gin")
    op.drop_index(op.f("ix_support_requests_status"), table_name="support_requests")
    op.drop_index("ix_support_requests_search_vector", table_name="support_requests", postgresql_using="gin")
    op.drop_index(op.f("ix_support_requests_organisation_id"), table_name="support_requests")
    op.drop_index("ix_support_requests_modalities", table_name="support_requests", postgresql_using="gin")
    op.drop_index("ix_support_requests_languages", table_name="support_requests", postgresql_using="gin")
    op.drop_index(op.f("ix_support_requests_country_iso3"), table_name="support_requests")
    op.drop_index("ix_support_requests_area_codes", table_name="support_requests", postgresql_using="gin")
    op.drop_table("support_requests")
    op.drop_index("ix_support_offers_updated_at_id", table_name="support_offers")
    op.drop_index("ix_support_offers_support_types", table_name="support_offers", postgresql_using="gin")
    op.drop_index(op.f("ix_support_offers_status"), table_name="support_offers")
    op.drop_index("ix_support_offers_served_countries", table_name="support_offers", postgresql_using="gin")
    op.drop_index("ix_support_offers_search_vector", table_name="support_offers", postgresql_using="gin")
    op.drop_index(op.f("ix_support_offers_proactive_target_iso3"), table_name="support_offers")
    op.drop_index(op.f("ix_support_offers_pledge_id"), table_name="support_offers")
    op.drop_index(op.f("ix_support_offers_organisation_id"), table_name="support_offers")
    op.drop_index("ix_support_offers_modalities", table_name="support_offers", postgresql_using="gin")
    op.drop_index("ix_support_offers_languages", table_name="support_offers", postgresql_using="gin")
    op.drop_index(op.f("ix_support_offers_country_iso3"), table_name="support_offers")
    op.drop_index("ix_support_offers_area_codes", table_name="support_offers", postgresql_using="gin")
    op.drop_table("support_offers")
    op.drop_index(op.f("ix_pledge_organisations_organisation_id"), table_name="pledge_organisations")
    op.drop_table("pledge_organisations")
    op.drop_index(op.f("ix_existing_support_recipient_country_iso3"), table_name="existing_support")
    op.drop_index(op.f("ix_existing_support_provider_organisation_id"), table_name="existing_support")
    op.drop_index("ix_existing_support_area_codes", table_name="existing_support", postgresql_using="gin")
    op.drop_table("existing_support")
    op.drop_index("ix_pledges_updated_at_id", table_name="pledges")
    op.drop_index(op.f("ix_pledges_source_event"), table_name="pledges")
    op.drop_index("ix_pledges_areas", table_name="pledges", postgresql_using="gin")
    op.drop_table("pledges")
    op.drop_table("idempotency_keys")
    op.execute("DROP SEQUENCE support_offer_reference_seq")
    op.execute("DROP SEQUENCE support_request_reference_seq")
