"""Indexes for the sort options of the request and offer lists (submission date both ways, title, reference).

Revision ID: 0008_list_sort_indexes
Revises: 0007_integrations
Create Date: 2026-11-29 15:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_list_sort_indexes"
down_revision: str | None = "0007_integrations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("support_requests", "support_offers")
# The same SQL text as NEVER_SUBMITTED_* in api/models/commitments.py (the queries must match it).
NEWEST = "'1970-01-01 00:00:00+00'::timestamptz"
OLDEST = "'9999-12-31 00:00:00+00'::timestamptz"


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_submitted_newest", table, [sa.text(f"coalesce(submitted_at, {NEWEST})"), "id"])
        op.create_index(f"ix_{table}_submitted_oldest", table, [sa.text(f"coalesce(submitted_at, {OLDEST})"), "id"])
        op.create_index(f"ix_{table}_title_id", table, ["title", "id"])
        op.create_index(f"ix_{table}_reference_id", table, ["reference", "id"])


def downgrade() -> None:
    for table in TABLES:
        for name in ("reference_id", "title_id", "submitted_oldest", "submitted_newest"):
            op.drop_index(f"ix_{table}_{name}", table_name=table)
