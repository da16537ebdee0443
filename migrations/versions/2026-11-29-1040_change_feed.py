"""change feed

Revision ID: 0003_change_feed
Revises: 0002_commitments
Create Date: 2026-11-29 09:57:45.607083+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_change_feed"
down_revision: str | None = "0002_commitments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_events",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("txid", sa.BigInteger(), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=64), nullable=False),
        sa.Column("operation", sa.String(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_events")),
    )
    op.create_index(op.f("ix_change_events_resource"), "change_events", ["resource"], unique=False)
    op.create_index("ix_change_events_txid_id", "change_events", ["txid", "id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_change_events_txid_id", table_name="change_events")
    op.drop_index(op.f("ix_change_events_resource"), table_name="change_events")
    op.drop_table("change_events")
