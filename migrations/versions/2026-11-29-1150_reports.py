"""reports

Revision ID: 0005_reports
Revises: 0004_matches
Create Date: 2026-11-29 10:15:35.242655+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005_reports"
down_revision: str | None = "0004_matches"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reporting_schedules",
        sa.Column("match_id", sa.Uuid(), nullable=True),
        sa.Column("pledge_id", sa.Uuid(), nullable=True),
        sa.Column("reporting_organisation_id", sa.Uuid(), nullable=True),
        sa.Column("interval_months", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "(match_id IS NULL) <> (pledge_id IS NULL)", name=op.f("ck_reporting_schedules_one_subject")
        ),
        sa.CheckConstraint("interval_months BETWEEN 1 AND 24", name=op.f("ck_reporting_schedules_interval")),
        sa.ForeignKeyConstraint(["match_id"], ["matches.id"], name=op.f("fk_reporting_schedules_match_id_matches")),
        sa.ForeignKeyConstraint(["pledge_id"], ["pledges.id"], name=op.f("fk_reporting_schedules_pledge_id_pledges")),
        sa.ForeignKeyConstraint(
            ["reporting_organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reporting_schedules_reporting_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_schedules")),
        sa.UniqueConstraint("match_id", name=op.f("uq_reporting_schedules_match_id")),
        sa.UniqueConstraint("pledge_id", name=op.f("uq_reporting_schedules_pledge_id")),
    )
    op.create_table(
        "progress_reports",
        sa.Column("schedule_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("challenges", sa.Text(), nullable=False),
        sa.Column("good_practices", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("impact", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("indicators", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("links", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("attestation", sa.String(length=12), nullable=True),
        sa.Column("attestation_comment", sa.Text(), nullable=True),
        sa.Column("attested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("published_excerpt", sa.Text(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "attestation IS NULL OR attestation IN ('confirmed', 'commented')",
            name=op.f("ck_progress_reports_attestation"),
        ),
        sa.CheckConstraint(
            "status IN ('not_yet_due', 'due', 'overdue', 'submitted', 'attested', 'sent_back', 'accepted', 'published')",
            name=op.f("ck_progress_reports_status"),
        ),
        sa.CheckConstraint("period_end > period_start", name=op.f("ck_progress_reports_period")),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["reporting_schedules.id"],
            name=op.f("fk_progress_reports_schedule_id_reporting_schedules"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"], ["users.id"], name=op.f("fk_progress_reports_submitted_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_reports")),
        sa.UniqueConstraint("schedule_id", "period_start", name=op.f("uq_progress_reports_schedule_id_period_start")),
    )
    op.create_index(op.f("ix_progress_reports_schedule_id"), "progress_reports", ["schedule_id"], unique=False)
    op.create_index("ix_progress_reports_status_due", "progress_reports", ["status", "due_on"], unique=False)
    op.create_table(
        "progress_report_revisions",
        sa.Column("report_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["progress_reports.id"],
            name=op.f("fk_progress_report_revisions_report_id_progress_reports"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"], ["users.id"], name=op.f("fk_progress_report_revisions_submitted_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_progress_report_revisions")),
    )
    op.create_index(
        op.f("ix_progress_report_revisions_report_id"), "progress_report_revisions", ["report_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_progress_report_revisions_report_id"), table_name="progress_report_revisions")
    op.drop_table("progress_report_revisions")
    op.drop_index("ix_progress_reports_status_due", table_name="progress_reports")
    op.drop_index(op.f("ix_progress_reports_schedule_id"), table_name="progress_reports")
    op.drop_table("progress_reports")
    op.drop_table("reporting_schedules")
