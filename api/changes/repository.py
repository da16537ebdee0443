"""Reading the change feed in commit order.

Rows are `change_events` written in the same transaction as each change, tagged with the writing
transaction's id. A reader only takes rows whose transaction id is below the *horizon*: the oldest
transaction of this database still running when the reader's snapshot was taken (or the snapshot's xmax
when none is). Every transaction below it has ended and is visible, so no row can appear later *before* a
position already read. Pages are ordered by (txid, id), and the cursor is the last (txid, id) read.

Transaction ids are shared by every database of the PostgreSQL server, so `pg_snapshot_xmin` alone would
also wait for transactions in *other* databases (another application, or a parallel test run's database),
which can never write rows here. Those are left out: a running transaction that holds a lock on a
relation of another database is connected to that database. One that cannot be placed (it has ended
since the snapshot, or holds no relation lock yet) still counts, so the horizon errs on the side of
waiting, never of skipping.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, cast, exists, false, literal, literal_column, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import True_

from api.changes.registry import FEED_RESOURCES
from api.core.actor import Actor
from api.models.changes import ChangeEvent

# The oldest transaction of this database still running at the statement's snapshot (its xmax when there is
# none), as a bigint comparable with change_events.txid. pg_locks is read once (a consistent picture of the
# lock table); a transaction is placed in another database by a relation lock it holds there (database 0 is
# the shared catalogs). Both calls of pg_current_snapshot() return the statement's snapshot.
HORIZON_SQL = """(
WITH locks AS MATERIALIZED (
    SELECT locktype, transactionid, virtualtransaction, database, granted FROM pg_catalog.pg_locks
), elsewhere AS (
    SELECT DISTINCT running.transactionid::text::bigint AS xid
      FROM locks AS running
      JOIN locks AS relation ON relation.virtualtransaction = running.virtualtransaction
     WHERE running.locktype = 'transactionid' AND running.granted
       AND relation.locktype = 'relation' AND relation.database <> 0
       AND relation.database <> (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
)
SELECT least(
    pg_snapshot_xmax(pg_current_snapshot())::text::bigint,
    (SELECT min(xip::text::bigint)
       FROM pg_snapshot_xip(pg_current_snapshot()) AS xip
      WHERE xid(xip)::text::bigint NOT IN (SELECT xid FROM elsewhere))
))"""
HORIZON: ColumnElement[int] = literal_column(HORIZON_SQL)


@dataclass(frozen=True)
class Position:
    txid: int = 0
    event_id: int = 0


@dataclass(frozen=True)
class Change:
    id: int
    txid: int
    resource: str
    record_id: str
    operation: str
    version: int | None
    occurred_at: datetime


def _visible(actor: Actor, candidates: Any) -> ColumnElement[bool]:
    """Per resource, whether `actor` may currently see the changed record. A caller who sees every record
    also sees deletions (the record no longer exists to check)."""
    whens: list[tuple[ColumnElement[bool], ColumnElement[bool]]] = []
    for name, resource in FEED_RESOURCES.items():
        predicate = resource.visible_to(actor)
        if isinstance(predicate, True_):
            whens.append((candidates.c.resource == name, predicate))
            continue
        key = resource.model.id
        whens.append(
            (
                candidates.c.resource == name,
                exists().where(key == cast(candidates.c.record_id, key.type), predicate),
            )
        )
    if not whens:
        return false()
    return case(*whens, else_=false())


async def scan(
    session: AsyncSession,
    actor: Actor,
    *,
    after: Position,
    resources: Sequence[str],
    limit: int,
    scan_limit: int,
) -> tuple[list[Change], Position, bool]:
    """Up to `limit` changes after `after` that `actor` may see, the position to continue from, and whether
    more may follow. At most `scan_limit` changes are examined per call, so a caller who sees few records
    advances through the feed page by page instead of scanning it all at once."""
    if not resources:
        return [], after, False
    candidates = (
        select(ChangeEvent)
        .where(
            ChangeEvent.txid < HORIZON,
            tuple_(ChangeEvent.txid, ChangeEvent.id) > tuple_(literal(after.txid), literal(after.event_id)),
            ChangeEvent.resource.in_(resources),
        )
        .order_by(ChangeEvent.txid, ChangeEvent.id)
        .limit(scan_limit)
        .subquery("candidates")
    )
    statement = select(candidates, _visible(actor, candidates).label("visible")).order_by(
        candidates.c.txid, candidates.c.id
    )
    rows = (await session.execute(statement)).all()
    changes: list[Change] = []
    position = after
    for row in rows:
        if row.visible:
            if len(changes) == limit:
                return changes, position, True
            changes.append(
                Change(row.id, row.txid, row.resource, row.record_id, row.operation, row.version, row.occurred_at)
            )
        position = Position(row.txid, row.id)
    return changes, position, len(rows) == scan_limit


async def head(session: AsyncSession) -> Position:
    """The position after every change committed so far (where a new follower starts)."""
    row = (
        await session.execute(
            select(ChangeEvent.txid, ChangeEvent.id)
            .where(ChangeEvent.txid < HORIZON)
            .order_by(ChangeEvent.txid.desc(), ChangeEvent.id.desc())
            .limit(1)
        )
    ).first()
    return Position(row.txid, row.id) if row else Position()
