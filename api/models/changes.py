"""The change feed: one row per change of a record that integrations follow, written in the same transaction.

`txid` is the writing transaction's id. Readers return only rows of transactions that can no longer commit
(txid below the oldest running transaction), so a transaction that commits late is never skipped.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from api.models.base import Base


class ChangeEvent(Base):
    __tablename__ = "change_events"
    __table_args__ = (Index("ix_change_events_txid_id", "txid", "id"),)
    # The audit log already records every change; this is its machine-readable index for integrations.
    __audited__ = False

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    txid: Mapped[int] = mapped_column(BigInteger)
    resource: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[str] = mapped_column(String(64))
    operation: Mapped[str] = mapped_column(String(10))
    version: Mapped[int | None] = mapped_column(Integer)
    occurred_at: Mapped[datetime]
