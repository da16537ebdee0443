"""Drop single-column indexes that a unique constraint already serves.

Each of these columns leads a unique constraint's index (`memberships (user_id, organisation_id)`, components
`(request_id, position)`, ...), which PostgreSQL uses for lookups on the column alone just as well; the extra
index only cost every insert (an import of 100,000 components maintained it 100,000 times).

Revision ID: 0010_redundant_indexes
Revises: 0009_search_folding
Create Date: 2026-11-29 18:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_redundant_indexes"
down_revision: str | None = "0009_search_folding"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column) whose own index repeats the first column of a unique constraint.
COVERED = (
    ("memberships", "user_id"),
    ("support_request_components", "request_id"),
    ("support_offer_components", "offer_id"),
    ("match_parties", "match_id"),
    ("match_items", "match_id"),
    ("progress_reports", "schedule_id"),
    ("knowledge_items", "translation_group_id"),
)


def upgrade() -> None:
    for table, column in COVERED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    for table, column in COVERED:
        op.create_index(f"ix_{table}_{column}", table, [column])
