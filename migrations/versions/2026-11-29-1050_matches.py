"""matches

Revision ID: 0004_matches
Revises: 0003_change_feed
Create Date: 2026-11-29 10:05:33.972146+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_matches"
down_revision: str | None = "0003_change_feed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Consent decisions are append-only, like the audit log.
CONSENT_GUARD = [
    """
    CREATE FUNCTION consent_decisions_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'consent_decisions is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
    END;
    $$
    """,
    """
    CREATE TRIGGER consent_decisions_no_update_delete BEFORE UPDATE OR DELETE ON consent_decisions
        FOR EACH ROW EXECUTE FUNCTION consent_decisions_are_append_only()
    """,
]


def upgrade() -> None:
    op.execute("CREATE SEQUENCE match_reference_seq")
    op.create_table(
        "matching_criteria",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hard", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("weights", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("cross_regional_bonus", sa.Float(), nullable=False),
        sa.Column("duplication_penalty", sa.Float(), nullable=False),
        sa.Column("waiting_full_days", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_matching_criteria_created_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_matching_criteria")),
    )
    op.create_table(
        "platform_settings",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_user_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"], ["users.id"], name=op.f("fk_platform_settings_updated_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_platform_settings")),
    )
    op.create_table(
        "allocation_runs",
        sa.Column("criteria_version", sa.Integer(), nullable=False),
        sa.Column("inputs_snapshot_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("components_count", sa.Integer(), nullable=False),
        sa.Column("offers_count", sa.Integer(), nullable=False),
        sa.Column("total_score", sa.Float(), nullable=False),
        sa.Column("greedy_total_score", sa.Float(), nullable=False),
        sa.Column("covered_before", sa.Integer(), nullable=False),
        sa.Column("assignments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("greedy_assignments", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("uncovered_component_ids", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("filters", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"], ["users.id"], name=op.f("fk_allocation_runs_created_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["criteria_version"],
            ["matching_criteria.version"],
            name=op.f("fk_allocation_runs_criteria_version_matching_criteria"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_runs")),
    )
    op.create_table(
        "matches",
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("proposal_version", sa.Integer(), nullable=False),
        sa.Column("disclosed", sa.Boolean(), nullable=False),
        sa.Column("justification", sa.Text(), nullable=True),
        sa.Column("allocation_run_id", sa.Uuid(), nullable=True),
        sa.Column("criteria_version", sa.Integer(), nullable=True),
        sa.Column("public_summary", sa.Text(), nullable=False),
        sa.Column("consent_requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consent_deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consented_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("agreed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("fulfilled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status_before_suspension", sa.String(length=20), nullable=True),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("agreed_scope", sa.Text(), nullable=False),
        sa.Column("agreed_modalities", postgresql.ARRAY(sa.String(length=64)), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("next_action", sa.Text(), nullable=True),
        sa.Column("next_action_on", sa.Date(), nullable=True),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'consent_pending', 'consented', 'declined', 'expired', 'under_discussion', 'agreed', 'planning', 'in_progress', 'fulfilled', 'suspended', 'cancelled')",
            name=op.f("ck_matches_status"),
        ),
        sa.ForeignKeyConstraint(
            ["allocation_run_id"], ["allocation_runs.id"], name=op.f("fk_matches_allocation_run_id_allocation_runs")
        ),
        sa.ForeignKeyConstraint(["created_by_user_id"], ["users.id"], name=op.f("fk_matches_created_by_user_id_users")),
        sa.ForeignKeyConstraint(
            ["criteria_version"],
            ["matching_criteria.version"],
            name=op.f("fk_matches_criteria_version_matching_criteria"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
        sa.UniqueConstraint("reference", name=op.f("uq_matches_reference")),
    )
    op.create_index(op.f("ix_matches_consent_deadline"), "matches", ["consent_deadline"], unique=False)
    op.create_index(op.f("ix_matches_next_action_on"), "matches", ["next_action_on"], unique=False)
    op.create_index("ix_matches_status_updated", "matches", ["status", "updated_at"], unique=False)
    op.create_table(
        "match_facilitators",
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_facilitators_match_id_matches"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_match_facilitators_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("match_id", "organisation_id", name=op.f("pk_match_facilitators")),
    )
    op.create_index(
        op.f("ix_match_facilitators_organisation_id"), "match_facilitators", ["organisation_id"], unique=False
    )
    op.create_table(
        "match_notes",
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("author_user_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["author_user_id"], ["users.id"], name=op.f("fk_match_notes_author_user_id_users")),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_notes_match_id_matches"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_notes")),
    )
    op.create_index(op.f("ix_match_notes_match_id"), "match_notes", ["match_id"], unique=False)
    op.create_table(
        "match_parties",
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("side", sa.String(length=12), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("offer_id", sa.Uuid(), nullable=True),
        sa.Column("consent_status", sa.String(length=12), nullable=False),
        sa.Column("consent_version", sa.Integer(), nullable=True),
        sa.Column("consent_conditions", sa.Text(), nullable=True),
        sa.Column("consent_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("publication_consent", sa.Boolean(), nullable=True),
        sa.Column("publication_decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("pledge_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "consent_status IN ('pending', 'granted', 'declined', 'withdrawn')",
            name=op.f("ck_match_parties_consent_status"),
        ),
        sa.CheckConstraint("side IN ('requesting', 'offering')", name=op.f("ck_match_parties_side")),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_parties_match_id_matches"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["support_offers.id"], name=op.f("fk_match_parties_offer_id_support_offers")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_match_parties_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(["pledge_id"], ["pledges.id"], name=op.f("fk_match_parties_pledge_id_pledges")),
        sa.ForeignKeyConstraint(
            ["request_id"], ["support_requests.id"], name=op.f("fk_match_parties_request_id_support_requests")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_parties")),
        sa.UniqueConstraint("match_id", "organisation_id", name=op.f("uq_match_parties_match_id_organisation_id")),
    )
    op.create_index(op.f("ix_match_parties_match_id"), "match_parties", ["match_id"], unique=False)
    op.create_index(op.f("ix_match_parties_offer_id"), "match_parties", ["offer_id"], unique=False)
    op.create_index(op.f("ix_match_parties_organisation_id"), "match_parties", ["organisation_id"], unique=False)
    op.create_index(op.f("ix_match_parties_request_id"), "match_parties", ["request_id"], unique=False)
    op.create_table(
        "notifications",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=True),
        sa.Column("match_id", sa.Uuid(), nullable=True),
        sa.Column("dedup_key", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_notifications_match_id_matches"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_notifications_dedup_key")),
    )
    op.create_index(op.f("ix_notifications_match_id"), "notifications", ["match_id"], unique=False)
    op.create_index("ix_notifications_user_unread", "notifications", ["user_id", "read_at", "created_at"], unique=False)
    op.create_table(
        "consent_decisions",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("decision", sa.String(length=12), nullable=False),
        sa.Column("proposal_version", sa.Integer(), nullable=False),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('granted', 'declined', 'withdrawn')", name=op.f("ck_consent_decisions_decision")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"], ["users.id"], name=op.f("fk_consent_decisions_decided_by_user_id_users")
        ),
        sa.ForeignKeyConstraint(["match_id"], ["matches.id"], name=op.f("fk_consent_decisions_match_id_matches")),
        sa.ForeignKeyConstraint(
            ["party_id"], ["match_parties.id"], name=op.f("fk_consent_decisions_party_id_match_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_decisions")),
    )
    op.create_index(op.f("ix_consent_decisions_match_id"), "consent_decisions", ["match_id"], unique=False)
    op.create_table(
        "match_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("audience", sa.String(length=12), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("audience IN ('all', 'facilitators', 'party')", name=op.f("ck_match_events_audience")),
        sa.ForeignKeyConstraint(["actor_user_id"], ["users.id"], name=op.f("fk_match_events_actor_user_id_users")),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_events_match_id_matches"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["match_parties.id"], name=op.f("fk_match_events_party_id_match_parties")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_events")),
    )
    op.create_index(op.f("ix_match_events_match_id"), "match_events", ["match_id"], unique=False)
    op.create_table(
        "match_items",
        sa.Column("match_id", sa.Uuid(), nullable=False),
        sa.Column("request_component_id", sa.Uuid(), nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("contributions", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("failed_constraints", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["match_id"], ["matches.id"], name=op.f("fk_match_items_match_id_matches"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["support_offers.id"], name=op.f("fk_match_items_offer_id_support_offers")
        ),
        sa.ForeignKeyConstraint(
            ["request_component_id"],
            ["support_request_components.id"],
            name=op.f("fk_match_items_request_component_id_support_request_components"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_items")),
        sa.UniqueConstraint(
            "match_id",
            "request_component_id",
            "offer_id",
            name=op.f("uq_match_items_match_id_request_component_id_offer_id"),
        ),
    )
    op.create_index(op.f("ix_match_items_match_id"), "match_items", ["match_id"], unique=False)
    op.create_index(op.f("ix_match_items_offer_id"), "match_items", ["offer_id"], unique=False)
    op.create_index(op.f("ix_match_items_request_component_id"), "match_items", ["request_component_id"], unique=False)
    for statement in CONSENT_GUARD:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER consent_decisions_no_update_delete ON consent_decisions")
    op.execute("DROP FUNCTION consent_decisions_are_append_only()")
    op.drop_index(op.f("ix_match_items_request_component_id"), table_name="match_items")
    op.drop_index(op.f("ix_match_items_offer_id"), table_name="match_items")
    op.drop_index(op.f("ix_match_items_match_id"), table_name="match_items")
    op.drop_table("match_items")
    op.drop_index(op.f("ix_match_events_match_id"), table_name="match_events")
    op.drop_table("match_events")
    op.drop_index(op.f("ix_consent_decisions_match_id"), table_name="consent_decisions")
    op.drop_table("consent_decisions")
    op.drop_index("ix_notifications_user_unread", table_name="notifications")
    op.drop_index(op.f("ix_notifications_match_id"), table_name="notifications")
    op.drop_table("notifications")
    op.drop_index(op.f("ix_match_parties_request_id"), table_name="match_parties")
    op.drop_index(op.f("ix_match_parties_organisation_id"), table_name="match_parties")
    op.drop_index(op.f("ix_match_parties_offer_id"), table_name="match_parties")
    op.drop_index(op.f("ix_match_parties_match_id"), table_name="match_parties")
    op.drop_table("match_parties")
    op.drop_index(op.f("ix_match_notes_match_id"), table_name="match_notes")
    op.drop_table("match_notes")
    op.drop_index(op.f("ix_match_facilitators_organisation_id"), table_name="match_facilitators")
    op.drop_table("match_facilitators")
    op.drop_index("ix_matches_status_updated", table_name="matches")
    op.drop_index(op.f("ix_matches_next_action_on"), table_name="matches")
    op.drop_index(op.f("ix_matches_consent_deadline"), table_name="matches")
    op.drop_table("matches")
    op.drop_table("allocation_runs")
    op.drop_table("platform_settings")
    op.drop_table("matching_criteria")
    op.execute("DROP SEQUENCE match_reference_seq")
